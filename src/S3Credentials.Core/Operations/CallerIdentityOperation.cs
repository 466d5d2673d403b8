using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Sts;

namespace S3Credentials.Core.Operations
{
    /// <summary>s3-credentials' whoami: one STS GetCallerIdentity call.</summary>
    public static class CallerIdentityOperation
    {
        public static async Task<CallerIdentity> GetAsync(AwsSession session, CancellationToken cancellationToken)
        {
            using (var sts = session.CreateStsClient())
            {
                var response = await sts.GetCallerIdentityAsync(cancellationToken).ConfigureAwait(false);
                var credentials = await session.Credentials.GetCredentialsAsync().ConfigureAwait(false);
                return new CallerIdentity
                {
                    Account = response.Account,
                    Arn = response.Arn,
                    UserId = response.UserId,
                    CredentialSource = session.CredentialSource.ToString(),
                    ProfileName = session.ProfileName,
                    AuthFile = session.AuthFile,
                    AccessKeyId = credentials.AccessKey,
                    Region = session.Region,
                    RegionSource = session.RegionSource,
                    Partition = session.Partition.Name,
                };
            }
        }
    }
}
