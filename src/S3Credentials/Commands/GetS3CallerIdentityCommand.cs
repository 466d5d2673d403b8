using System.Management.Automation;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Shows who the resolved credentials belong to (STS GetCallerIdentity), and where the
    /// credentials and region came from. The PowerShell form of s3-credentials' whoami.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "S3CallerIdentity")]
    [OutputType(typeof(CallerIdentity))]
    public sealed class GetS3CallerIdentityCommand : S3CredentialsCmdlet
    {
        protected override void EndProcessing()
        {
            var session = Session;
            WriteObject(RunOperation((host, token) => CallerIdentityOperation.GetAsync(session, token)));
        }
    }
}
