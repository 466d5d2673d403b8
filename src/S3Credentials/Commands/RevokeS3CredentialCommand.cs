using System;
using System.Collections.Generic;
using System.Management.Automation;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Revokes credentials before they expire. Temporary credentials of a role (New-S3Credential -Duration): every session
    /// of the role issued before now (or -Before) is refused, by the AWS console's "revoke active sessions" policy on the
    /// role. Permanent credentials (piped from New-S3Credential or Get-S3AccessKey): their access key is deactivated.
    /// GetFederationToken credentials belong to no role: -IssuedByUser revokes those the IAM user made before the moment.
    /// It locks credentials out, so it asks by default (ConfirmImpact High); -Force skips the question.
    /// </summary>
    [Cmdlet(VerbsSecurity.Revoke, "S3Credential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = RoleSet)]
    [OutputType(typeof(CredentialRevocation))]
    public sealed class RevokeS3CredentialCommand : S3CredentialsCmdlet
    {
        private const string RoleSet = "Role";
        private const string UserSet = "User";
        private const string CredentialSet = "Credential";
        private readonly List<string> _roles = new List<string>();

        /// <summary>The role whose sessions are revoked. Default: the module's role, S3Credentials-TemporaryAccess.</summary>
        [Parameter(ParameterSetName = RoleSet, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RoleNameCompleter))]
        public string RoleName { get; set; } = CredentialPlan.DefaultRoleName;

        /// <summary>The IAM user whose GetFederationToken (and GetSessionToken) credentials are revoked; its keys keep working.</summary>
        [Parameter(ParameterSetName = UserSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserNameCompleter))]
        public string IssuedByUser { get; set; }

        /// <summary>Credentials to revoke, from New-S3Credential or Get-S3AccessKey: the user of a permanent key.</summary>
        [Parameter(ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        [ArgumentCompleter(typeof(UserNameCompleter))]
        public string UserName { get; set; }

        /// <summary>The access key of permanent credentials (deactivated), or of temporary ones.</summary>
        [Parameter(ParameterSetName = CredentialSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string AccessKeyId { get; set; }

        /// <summary>Temporary or Permanent (New-S3Credential's output); none means permanent.</summary>
        [Parameter(ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string Kind { get; set; }

        /// <summary>AssumeRole or FederationToken, for temporary credentials.</summary>
        [Parameter(ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string Method { get; set; }

        /// <summary>The role temporary credentials came from: its sessions are revoked.</summary>
        [Parameter(ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string RoleArn { get; set; }

        /// <summary>Revoke temporary credentials issued before this moment instead of now (it must have passed).</summary>
        [Parameter]
        public DateTime Before { get => _before ?? default(DateTime); set => _before = value; }
        private DateTime? _before;

        /// <summary>Revoke without asking (-WhatIf still only reports; an explicit -Confirm still asks).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private DateTime _issuedBefore;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            try
            {
                _issuedBefore = RevokeCredentialOperation.IssuedBefore(_before, DateTime.UtcNow);
            }
            catch (S3CredentialsException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, _before));
            }
            // The user's rule, said of the parameter it was given as.
            if (ParameterSetName == UserSet)
                this.TerminateOnFailure(IssuedByUser, () => AwsNames.ValidateUserName(IssuedByUser, nameof(IssuedByUser)));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != CredentialSet) return;
            if (string.Equals(Kind, "Temporary", StringComparison.OrdinalIgnoreCase))
            {
                if (string.Equals(Method, "FederationToken", StringComparison.OrdinalIgnoreCase))
                {
                    WriteError(ErrorRecords.From(new S3CredentialsException("FederationTokenNotRevocable", FailureKind.InvalidOperation,
                        $"The GetFederationToken credentials {AccessKeyId} belong to no role, so they cannot be revoked by themselves: only by denying the IAM user that made them. " +
                        "Revoke-S3Credential -IssuedByUser USER -Force refuses every temporary credential that user made before now; the user's own access keys keep working.", "AccessKeyId"), AccessKeyId));
                    return;
                }
                string roleName;
                try
                {
                    if (string.IsNullOrEmpty(RoleArn))
                        throw S3CredentialsException.InvalidParameter("RoleArnMissing", "RoleArn", $"The temporary credentials {AccessKeyId} name no -RoleArn, so the role whose sessions to revoke is not known. Give -RoleName.");
                    roleName = RoleArns.Validate(RoleArn, Session.Partition, Session.StsEndpointUrl != null);
                }
                catch (S3CredentialsException e)
                {
                    WriteError(ErrorRecords.From(e, AccessKeyId));
                    return;
                }
                // Each role once, however many of its credentials come down the pipeline.
                if (!_roles.Contains(roleName))
                    _roles.Add(roleName);
                return;
            }
            if (string.IsNullOrEmpty(UserName))
            {
                WriteError(ErrorRecords.From(S3CredentialsException.InvalidParameter("UserNameMissing", "UserName",
                    $"-UserName is needed to deactivate access key {AccessKeyId}: pipe New-S3Credential's or Get-S3AccessKey's output, or give it."), AccessKeyId));
                return;
            }
            var session = Session;
            Write(RunOperation((host, token) => new RevokeCredentialOperation(session, host).DeactivateKeyAsync(UserName, AccessKeyId, token), UserName,
                skipConfirmation: Confirmation.ForceSkipsQuestion(this, Force)));
        }

        protected override void EndProcessing()
        {
            var session = Session;
            var skip = Confirmation.ForceSkipsQuestion(this, Force);
            if (ParameterSetName == RoleSet)
                _roles.Add(RoleName);
            foreach (var role in _roles)
                Write(RunOperation((host, token) => new RevokeCredentialOperation(session, host).RevokeRoleSessionsAsync(role, _issuedBefore, token), role, skipConfirmation: skip));
            if (ParameterSetName == UserSet)
                Write(RunOperation((host, token) => new RevokeCredentialOperation(session, host).RevokeUserSessionsAsync(IssuedByUser, _issuedBefore, token), IssuedByUser, skipConfirmation: skip));
        }

        private void Write(CredentialRevocation revocation)
        {
            if (revocation != null)
                WriteObject(revocation);
        }
    }
}
