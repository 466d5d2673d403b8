using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Amazon.Runtime;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    /// <summary>
    /// What permanent credentials can really do, proven in moto's auth mode (signatures and identity policies are
    /// checked): for each access level, with and without a prefix, eleven S3 actions inside and outside the prefix and
    /// on another bucket, and one on IAM; 6 × 12 = 72 cells, each asserted against <see cref="S3AccessMatrix"/>, the
    /// table the temporary credentials on Ceph RGW are held to as well.
    /// </summary>
    public sealed class LeastPrivilegeTests : NewCredentialTestBase
    {
        public LeastPrivilegeTests(MotoServer moto) : base(moto) { }

        public static IEnumerable<object[]> Cases() => S3AccessMatrix.Cases();

        [Theory]
        [MemberData(nameof(Cases))]
        public async Task Permanent_credentials_can_do_exactly_what_their_access_level_allows(AccessLevel access, bool withPrefix, string expected)
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync(S3AccessMatrix.Bucket, S3AccessMatrix.OtherBucket);
            using (var s3 = SetupSession().CreateS3Client())
                await S3AccessMatrix.SeedAsync(s3);
            Moto.SetAuthEnforced(true);

            var credential = await CreateAsync(new NewCredentialRequest
            {
                BucketNames = new[] { S3AccessMatrix.Bucket },
                Access = access,
                Prefixes = withPrefix ? new[] { S3AccessMatrix.Prefix } : Array.Empty<string>(),
            }, admin);

            var key = new BasicAWSCredentials(credential.AccessKeyId, credential.SecretAccessKey);
            var session = MotoSession(credential.AccessKeyId, credential.SecretAccessKey);
            using var s3New = session.CreateS3Client(key);
            using var iamNew = session.CreateIamClient();
            await S3AccessMatrix.AssertCellsAsync(S3AccessMatrix.Probes(s3New, iamNew), S3AccessMatrix.Actions, access, withPrefix, expected, "Permanent credentials in moto");
        }
    }
}
