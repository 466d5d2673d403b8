using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    /// <summary>
    /// What permanent credentials can really do, proven in moto's auth mode (signatures and identity policies are
    /// checked): for each access level, with and without a prefix, eleven actions inside and outside the prefix,
    /// on another bucket, and on IAM. 66 cells, each asserted.
    /// </summary>
    public sealed class LeastPrivilegeTests : NewCredentialTestBase
    {
        private const string Bucket = "data-bucket";
        private const string OtherBucket = "other-bucket";

        public LeastPrivilegeTests(MotoServer moto) : base(moto) { }

        private static readonly string[] Actions =
        {
            "ListInPrefix", "ListOtherPrefix", "ListWholeBucket", "GetInPrefix", "GetOutsidePrefix",
            "PutInPrefix", "PutOutsidePrefix", "DeleteInPrefix", "DeleteOutsidePrefix", "GetOtherBucket", "PutOtherBucket", "IamListUsers",
        };

        // A = allowed, D = denied, in the order of Actions.
        public static IEnumerable<object[]> Cases()
        {
            yield return new object[] { AccessLevel.ReadWrite, false, "A A A A A A A A A D D D" };
            yield return new object[] { AccessLevel.ReadOnly, false, "A A A A A D D D D D D D" };
            yield return new object[] { AccessLevel.WriteOnly, false, "D D D D D A A D D D D D" };
            yield return new object[] { AccessLevel.ReadWrite, true, "A D D A D A D A D D D D" };
            yield return new object[] { AccessLevel.ReadOnly, true, "A D D A D D D D D D D D" };
            yield return new object[] { AccessLevel.WriteOnly, true, "D D D D D A D D D D D D" };
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public async Task Permanent_credentials_can_do_exactly_what_their_access_level_allows(AccessLevel access, bool withPrefix, string expected)
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync(Bucket, OtherBucket);
            using (var s3 = SetupSession().CreateS3Client())
            {
                foreach (var (bucket, objectKey) in new[] { (Bucket, "reports/2026/q1 summary.txt"), (Bucket, "private/salaries.txt"), (OtherBucket, "x.txt") })
                    await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = objectKey, ContentBody = "content" });
            }
            Moto.SetAuthEnforced(true);

            var credential = await CreateAsync(new NewCredentialRequest
            {
                BucketNames = new[] { Bucket },
                Access = access,
                Prefixes = withPrefix ? new[] { "reports/" } : Array.Empty<string>(),
            }, admin);

            var key = new BasicAWSCredentials(credential.AccessKeyId, credential.SecretAccessKey);
            var session = MotoSession(credential.AccessKeyId, credential.SecretAccessKey);
            using var s3New = session.CreateS3Client(key);
            using var iamNew = session.CreateIamClient();
            var probes = new Dictionary<string, Func<Task>>
            {
                ["ListInPrefix"] = () => s3New.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "reports/" }),
                ["ListOtherPrefix"] = () => s3New.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "private/" }),
                ["ListWholeBucket"] = () => s3New.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket }),
                ["GetInPrefix"] = () => s3New.GetObjectAsync(Bucket, "reports/2026/q1 summary.txt"),
                ["GetOutsidePrefix"] = () => s3New.GetObjectAsync(Bucket, "private/salaries.txt"),
                ["PutInPrefix"] = () => s3New.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "reports/new file.txt", ContentBody = "new" }),
                ["PutOutsidePrefix"] = () => s3New.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "private/new.txt", ContentBody = "new" }),
                ["DeleteInPrefix"] = () => s3New.DeleteObjectAsync(Bucket, "reports/does-not-exist.txt"),
                ["DeleteOutsidePrefix"] = () => s3New.DeleteObjectAsync(Bucket, "private/does-not-exist.txt"),
                ["GetOtherBucket"] = () => s3New.GetObjectAsync(OtherBucket, "x.txt"),
                ["PutOtherBucket"] = () => s3New.PutObjectAsync(new PutObjectRequest { BucketName = OtherBucket, Key = "y.txt", ContentBody = "new" }),
                ["IamListUsers"] = () => iamNew.ListUsersAsync(),
            };

            var actual = new List<string>();
            foreach (var action in Actions)
                actual.Add(await OutcomeAsync(probes[action]));

            var expectedCells = expected.Split(' ');
            var table = string.Join("\n", Actions.Select((a, i) => $"{a,-20} expected {expectedCells[i]} got {actual[i]}"));
            Assert.True(expectedCells.SequenceEqual(actual), $"{access}{(withPrefix ? " with prefix reports/" : "")}:\n{table}");
        }

        /// <summary>A when the call succeeds; D when AWS refuses it (AccessDenied); anything else fails the test.</summary>
        private static async Task<string> OutcomeAsync(Func<Task> call)
        {
            try
            {
                await call();
                return "A";
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "AccessDenied" || e.ErrorCode == "AccessDeniedException")
            {
                return "D";
            }
        }
    }
}
