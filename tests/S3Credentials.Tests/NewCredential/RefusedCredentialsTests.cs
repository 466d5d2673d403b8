using System.Threading.Tasks;
using S3Credentials.Core;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Tests.Credentials;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    /// <summary>
    /// HeadBucket answers 403 without a body both for a bucket the caller may not see and for credentials S3 refuses:
    /// New-S3Credential tells them apart with one more S3 request, in moto's auth mode (signatures checked).
    /// </summary>
    public sealed class RefusedCredentialsTests : NewCredentialTestBase
    {
        public RefusedCredentialsTests(MotoServer moto) : base(moto) { }

        [Fact]
        public async Task A_wrong_secret_key_is_reported_as_refused_credentials_not_as_a_foreign_bucket()
        {
            await CreateBucketsAsync("refused");
            var admin = await AdminSessionAsync();
            var keyId = admin.Credentials.GetCredentials().AccessKey;
            Moto.SetAuthEnforced(true);

            var error = await ThrowsAsync<S3CredentialsException>(() => CreateAsync(Request("refused"), MotoSession(keyId, "wrong-secret-key-wrong-secret-key-00000")));
            Assert.Equal(("CredentialsRefused", FailureKind.AuthenticationError), (error.ErrorId, error.Kind));
            Assert.Equal($"S3 refused the credentials: the secret key is not the one of access key {keyId}; check the secret key (SignatureDoesNotMatch). HeadBucket on 'refused' answered 403 for that reason, not because of the bucket.", error.Message);
            Assert.DoesNotContain("wrong-secret", error.Message);
        }

        [Fact]
        public async Task An_unknown_access_key_is_reported_as_refused_credentials()
        {
            await CreateBucketsAsync("refused");
            Moto.SetAuthEnforced(true);
            var error = await ThrowsAsync<S3CredentialsException>(() => CreateAsync(Request("refused"), MotoSession("AKIAUNKNOWNKEY000001", TestSecretKey)));
            Assert.Equal("CredentialsRefused", error.ErrorId);
            Assert.Contains("access key AKIAUNKNOWNKEY000001 does not exist at this endpoint", error.Message);
            Assert.Contains("(InvalidAccessKeyId)", error.Message);
            SessionResolverTests.AssertNoSecret(error);
        }

        [Fact]
        public async Task Good_credentials_without_access_to_the_bucket_still_get_BucketAccessDenied()
        {
            await CreateBucketsAsync("not-mine");
            string keyId, secret;
            using (var iam = Iam())
            {
                await iam.CreateUserAsync("outsider");
                var key = await iam.CreateAccessKeyAsync("outsider");
                (keyId, secret) = (key.AccessKeyId, key.SecretAccessKey);
            }
            Moto.SetAuthEnforced(true);
            var error = await ThrowsAsync<S3CredentialsException>(() => CreateAsync(Request("not-mine"), MotoSession(keyId, secret)));
            Assert.Equal("BucketAccessDenied", error.ErrorId);
            Assert.Contains("exists but is not accessible", error.Message);
        }

        [Theory]
        [InlineData("SignatureDoesNotMatch", "the secret key is not the one of access key AKIAX")]
        [InlineData("InvalidAccessKeyId", "access key AKIAX does not exist")]
        [InlineData("InvalidToken", "the session token of access key AKIAX is not valid")]
        [InlineData("ExpiredToken", "the session token of access key AKIAX has expired")]
        [InlineData("TokenRefreshRequired", "the session token of access key AKIAX has expired")]
        public void The_codes_that_mean_refused_credentials_say_what_to_check(string code, string start)
            => Assert.StartsWith(start, BucketPreparation.CredentialsRefusedReason(code, "AKIAX"));

        [Theory]
        [InlineData("AccessDenied")]
        [InlineData("AllAccessDisabled")]
        [InlineData(null)]
        public void Other_codes_leave_the_403_to_the_bucket(string code)
            => Assert.Null(BucketPreparation.CredentialsRefusedReason(code, "AKIAX"));
    }
}
