using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Core.Profiles;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Writes a profile into the AWS config file whose credential_process runs New-S3Credential for fresh temporary
    /// credentials, so the AWS CLI and every AWS SDK refresh them by themselves. Unregister-S3CredentialProfile removes it.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "S3CredentialProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(RegisteredCredentialProfile))]
    public sealed class RegisterS3CredentialProfileCommand : PSCmdlet
    {
        /// <summary>The profile to write (used as --profile NAME / AWS_PROFILE=NAME).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; }

        /// <summary>The buckets the minted credentials are for.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BucketNameCompleter))]
        public string[] BucketName { get; set; }

        /// <summary>ReadWrite (default), ReadOnly or WriteOnly.</summary>
        [Parameter]
        public AccessLevel Access { get; set; }

        /// <summary>Limit access to keys under these prefixes.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Prefix { get; set; }

        /// <summary>How long each set of minted credentials lasts: a TimeSpan, whole seconds (900), or 15m / 1h / 1h30m / 900s.</summary>
        [Parameter(Mandatory = true)]
        [DurationTransformation]
        [ArgumentCompleter(typeof(DurationCompleter))]
        public TimeSpan Duration { get; set; }

        /// <summary>AssumeRole (default) or FederationToken.</summary>
        [Parameter]
        public TemporaryCredentialMethod Method { get; set; }

        /// <summary>The role the minted credentials assume, named by ARN (passed to New-S3Credential -RoleArn).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string RoleArn { get; set; }

        /// <summary>The profile whose credentials mint the temporary ones. Default: the process's usual credentials.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string SourceProfile { get; set; }

        /// <summary>Region written into the profile and passed to New-S3Credential.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string Region { get; set; }

        /// <summary>The config file. Default: AWS_CONFIG_FILE, else ~/.aws/config.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>
        /// The PowerShell executable the AWS tools start; it must exist. Default: the PowerShell running this command
        /// (as a .NET tool: the dotnet host with $PSHOME/pwsh.dll).
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string PowerShellPath { get; set; }

        /// <summary>Replace a profile of the same name.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private readonly System.Threading.CancellationTokenSource _stopping = new System.Threading.CancellationTokenSource();

        protected override void StopProcessing() => _stopping.Cancel();

        protected override void EndProcessing()
        {
            this.TerminateOnFailure(ProfileName, () =>
            {
                var launch = PowerShellPath != null
                    ? null
                    : PowerShellLaunch.ForRunningPowerShell(Process.GetCurrentProcess().MainModule?.FileName, SessionState.PSVariable.GetValue("PSHOME") as string);
                var binding = CredentialRequestBinding.Build(this, BucketName, Access, Prefix, Duration, Method, null, null);
                var request = new CredentialProcessProfileRequest
                {
                    ProfileName = ProfileName,
                    BucketNames = BucketName,
                    Access = binding.Access,
                    Prefixes = binding.Prefixes,
                    Duration = binding.Duration.Value,
                    Method = binding.Method,
                    RoleArn = RoleArn,
                    SourceProfile = SourceProfile,
                    Region = Region,
                    PowerShellPath = PowerShellPath != null ? GetUnresolvedProviderPathFromPSPath(PowerShellPath) : launch.Executable,
                    PowerShellEntryAssembly = launch?.EntryAssembly,
                    ModulePath = System.IO.Path.Combine(MyInvocation.MyCommand.Module?.ModuleBase ?? AppContext.BaseDirectory, "S3Credentials.psd1"),
                };
                var path = Path == null ? null : GetUnresolvedProviderPathFromPSPath(Path);
                var registered = PipelineOperationHost.RunFor(this, false, _stopping.Token, (host, ct) => CredentialProcessProfile.RegisterAsync(request, path, Force, host, ct));
                if (registered != null)
                    WriteObject(registered);
            });
        }
    }
}
