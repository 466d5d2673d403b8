using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.S3.Model;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.Rgw
{
    /// <summary>
    /// Temporary credentials' scope proven on an S3 that enforces session policies (Ceph RGW; moto does not): New-S3Credential
    /// -Duration -RoleArn against RGW's S3, IAM and STS, then every S3 cell of <see cref="S3AccessMatrix"/> (the table the
    /// permanent credentials in moto are held to) with the credentials it returned: 6 × 11 = 66 cells.
    /// </summary>
    [Collection(CephRgwCollection.Name)]
    public sealed class RgwSessionPolicyTests
    {
        private readonly CephRgw _rgw;

        public RgwSessionPolicyTests(CephRgw rgw)
        {
            _rgw = rgw;
            lock (rgw)
            {
                if (rgw.MatrixSeeded) return;
                using var s3 = rgw.Session().CreateS3Client();
                foreach (var bucket in new[] { S3AccessMatrix.Bucket, S3AccessMatrix.OtherBucket })
                    s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket }).GetAwaiter().GetResult();
                S3AccessMatrix.SeedAsync(s3).GetAwaiter().GetResult();
                rgw.MatrixSeeded = true;
            }
        }

        public static IEnumerable<object[]> Cases() => S3AccessMatrix.Cases();

        [RgwTheory]
        [MemberData(nameof(Cases))]
        public async Task Temporary_credentials_on_RGW_can_do_exactly_what_permanent_ones_in_moto_may(AccessLevel access, bool withPrefix, string expected)
        {
            var host = new RecordingOperationHost();
            var credential = await new NewCredentialOperation(_rgw.Session(), host).RunAsync(new NewCredentialRequest
            {
                BucketNames = new[] { S3AccessMatrix.Bucket },
                Access = access,
                Prefixes = withPrefix ? new[] { S3AccessMatrix.Prefix } : Array.Empty<string>(),
                Duration = TimeSpan.FromMinutes(15),
                RoleArn = _rgw.RoleArn,
            }, CancellationToken.None);

            Assert.Equal("Temporary", credential.Kind);
            Assert.Equal(_rgw.RoleArn, credential.RoleArn);
            Assert.False(string.IsNullOrEmpty(credential.SessionToken));
            var session = _rgw.Session(credential.AccessKeyId, credential.SecretAccessKey, credential.SessionToken);
            using var s3 = session.CreateS3Client(new SessionAWSCredentials(credential.AccessKeyId, credential.SecretAccessKey, credential.SessionToken));
            await S3AccessMatrix.AssertCellsAsync(S3AccessMatrix.Probes(s3, iam: null), S3AccessMatrix.S3Actions, access, withPrefix, expected, "Temporary credentials on Ceph RGW");
        }
    }
}
