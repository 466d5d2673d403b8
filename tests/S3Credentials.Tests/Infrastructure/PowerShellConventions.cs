using System;
using System.Collections.Generic;
using System.Linq;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>PowerShell's rules and this module's conventions that the module-shape tests check against.</summary>
    public static class PowerShellConventions
    {
        /// <summary>Verbs whose cmdlets change state (in AWS or on disk): they must support -WhatIf and -Confirm.</summary>
        public static readonly ISet<string> StateChangingVerbs = new HashSet<string>(new[]
        {
            "New", "Set", "Remove", "Add", "Clear", "Register", "Unregister", "Update", "Reset", "Rename", "Move", "Enable", "Disable",
            "Install", "Uninstall", "Publish", "Grant", "Revoke", "Protect", "Unprotect", "Restore", "Sync", "Write", "Export",
        }, StringComparer.Ordinal);

        /// <summary>
        /// Output types PowerShell shows, pipes and serialises on its own (text, such as ConvertTo-S3CredentialText's):
        /// a cmdlet may declare them without a model in S3Credentials.Core.Models and without a view.
        /// </summary>
        public static readonly ISet<string> PowerShellNativeOutputTypes = new HashSet<string>(new[] { "System.String" }, StringComparer.Ordinal);

        /// <summary>Cmdlets of AWS.Tools.S3 (and AWSPowerShell): this module's cmdlets must not shadow them.</summary>
        public static readonly ISet<string> AwsToolsS3Cmdlets = new HashSet<string>(new[]
        {
            "Get-S3Bucket", "New-S3Bucket", "Remove-S3Bucket", "Get-S3Object", "Read-S3Object", "Write-S3Object", "Copy-S3Object",
            "Remove-S3Object", "Get-S3BucketPolicy", "Write-S3BucketPolicy", "Remove-S3BucketPolicy", "Get-S3BucketWebsite",
            "Write-S3BucketWebsite", "Get-S3CORSConfiguration", "Write-S3CORSConfiguration", "Get-S3PublicAccessBlock",
            "Add-S3PublicAccessBlock", "Remove-S3PublicAccessBlock", "Get-S3PreSignedURL", "Get-S3ACL", "Set-S3ACL",
            "Get-S3BucketLocation", "Test-S3Bucket",
        }, StringComparer.OrdinalIgnoreCase);

        /// <summary>The credential, region and endpoint parameters S3CredentialsCmdlet gives every cmdlet that talks to AWS.</summary>
        public static readonly IReadOnlyList<string> ModuleCommonParameters = new[]
        {
            "AccessKey", "SecretKey", "SessionToken", "Credential", "AuthFile", "ProfileName", "ProfileLocation", "Region",
            "EndpointUrl", "IamEndpointUrl", "StsEndpointUrl",
        };

        /// <summary>
        /// PowerShell's own common parameters (and the risk-mitigation ones of ShouldProcess cmdlets) with their aliases.
        /// PowerShell adds them to every cmdlet; a cmdlet's own parameter must not reuse any of these names.
        /// </summary>
        public static readonly IReadOnlyDictionary<string, string> PowerShellCommonParameterAliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Verbose"] = "vb", ["Debug"] = "db", ["ErrorAction"] = "ea", ["WarningAction"] = "wa", ["InformationAction"] = "infa",
            ["ProgressAction"] = "proga", ["ErrorVariable"] = "ev", ["WarningVariable"] = "wv", ["InformationVariable"] = "iv",
            ["OutVariable"] = "ov", ["OutBuffer"] = "ob", ["PipelineVariable"] = "pv",
            ["WhatIf"] = "wi", ["Confirm"] = "cf", ["UseTransaction"] = "usetx",
        };

        /// <summary>The parameters PowerShell adds to a cmdlet with SupportsShouldProcess.</summary>
        /// <summary>Cmdlets with a state-changing verb that change nothing (New-S3PresignedUrl signs locally): no -WhatIf.</summary>
        public static readonly ISet<string> CmdletsThatChangeNothing = new HashSet<string>(new[] { "New-S3PresignedUrl" }, StringComparer.Ordinal);

        /// <summary>Cmdlets that delete something without a Remove or Unregister verb (Update-S3Credential deletes the old key): ConfirmImpact High.</summary>
        public static readonly ISet<string> CmdletsThatDelete = new HashSet<string>(new[] { "Update-S3Credential" }, StringComparer.Ordinal);

        public static readonly IReadOnlyList<string> ShouldProcessParameters = new[] { "WhatIf", "Confirm" };

        public static bool IsPowerShellCommonParameter(string name) => PowerShellCommonParameterAliases.ContainsKey(name);
    }
}
