using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    /// <summary>
    /// What credentials of each access level, with and without a prefix, may do: one table of expectations shared by
    /// the permanent credentials in moto (<see cref="LeastPrivilegeTests"/>) and the temporary credentials on Ceph RGW
    /// (Rgw/RgwSessionPolicyTests), which must behave the same. Each probe is one call with the new credentials.
    /// </summary>
    public static class S3AccessMatrix
    {
        public const string Bucket = "data-bucket";
        public const string OtherBucket = "other-bucket";
        public const string Prefix = "reports/";

        /// <summary>Every probe, in the order of the expectation strings. The last is IAM's, which only moto can answer.</summary>
        public static readonly IReadOnlyList<string> Actions = new[]
        {
            "ListInPrefix", "ListOtherPrefix", "ListWholeBucket", "GetInPrefix", "GetOutsidePrefix",
            "PutInPrefix", "PutOutsidePrefix", "DeleteInPrefix", "DeleteOutsidePrefix", "GetOtherBucket", "PutOtherBucket", "IamListUsers",
        };

        /// <summary>The S3 probes: every action but IAM's.</summary>
        public static IReadOnlyList<string> S3Actions => Actions.Where(a => !a.StartsWith("Iam", StringComparison.Ordinal)).ToList();

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

        /// <summary>The objects the probes read, put with an administrator's client.</summary>
        public static async Task SeedAsync(IAmazonS3 admin)
        {
            foreach (var (bucket, objectKey) in new[] { (Bucket, "reports/2026/q1 summary.txt"), (Bucket, "private/salaries.txt"), (OtherBucket, "x.txt") })
                await admin.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = objectKey, ContentBody = "content" });
        }

        /// <summary>The probes, made with the new credentials' clients (<paramref name="iam"/> null where there is no IAM to ask).</summary>
        public static IReadOnlyDictionary<string, Func<Task>> Probes(IAmazonS3 s3, IIamClient iam)
        {
            var probes = new Dictionary<string, Func<Task>>
            {
                ["ListInPrefix"] = () => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = Prefix }),
                ["ListOtherPrefix"] = () => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "private/" }),
                ["ListWholeBucket"] = () => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket }),
                ["GetInPrefix"] = () => s3.GetObjectAsync(Bucket, "reports/2026/q1 summary.txt"),
                ["GetOutsidePrefix"] = () => s3.GetObjectAsync(Bucket, "private/salaries.txt"),
                ["PutInPrefix"] = () => s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "reports/new file.txt", ContentBody = "new" }),
                ["PutOutsidePrefix"] = () => s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "private/new.txt", ContentBody = "new" }),
                ["DeleteInPrefix"] = () => s3.DeleteObjectAsync(Bucket, "reports/does-not-exist.txt"),
                ["DeleteOutsidePrefix"] = () => s3.DeleteObjectAsync(Bucket, "private/does-not-exist.txt"),
                ["GetOtherBucket"] = () => s3.GetObjectAsync(OtherBucket, "x.txt"),
                ["PutOtherBucket"] = () => s3.PutObjectAsync(new PutObjectRequest { BucketName = OtherBucket, Key = "y.txt", ContentBody = "new" }),
            };
            if (iam != null)
                probes["IamListUsers"] = () => iam.ListUsersAsync();
            return probes;
        }

        /// <summary>Runs the probes of <paramref name="actions"/> and asserts each cell, showing the whole table when one differs. Returns the number of cells.</summary>
        public static async Task<int> AssertCellsAsync(IReadOnlyDictionary<string, Func<Task>> probes, IReadOnlyList<string> actions, AccessLevel access, bool withPrefix, string expected, string what)
        {
            var allExpected = expected.Split(' ');
            var expectedCells = actions.Select(a => allExpected[Actions.ToList().IndexOf(a)]).ToList();
            var actual = new List<string>();
            foreach (var action in actions)
                actual.Add(await OutcomeAsync(probes[action]));
            var table = string.Join("\n", actions.Select((a, i) => $"{a,-20} expected {expectedCells[i]} got {actual[i]}"));
            Assert.True(expectedCells.SequenceEqual(actual), $"{what}, {access}{(withPrefix ? " with prefix " + Prefix : "")}:\n{table}");
            return actions.Count;
        }

        /// <summary>A when the call succeeds; D when the server refuses it (AccessDenied); any other error is shown as itself, and fails the cell.</summary>
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
            catch (AmazonServiceException e)
            {
                return $"error:{e.ErrorCode}/{(int)e.StatusCode}";
            }
        }
    }
}
