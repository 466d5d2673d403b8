using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    /// <summary>CreateAccessKey is not idempotent: a lost response must not leave a second key behind.</summary>
    public sealed class LostResponseTests : NewCredentialTestBase
    {
        public LostResponseTests(MotoServer moto) : base(moto) { }

        [Fact]
        public async Task A_lost_CreateAccessKey_response_leaves_exactly_one_working_key()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("lost-response");
            Recorder.LoseResponseOfNth("CreateAccessKey", 1);
            var operation = Operation(admin);
            operation.KeyRetryDelay = TimeSpan.FromMilliseconds(5);

            var credential = await operation.RunAsync(new NewCredentialRequest { BucketNames = new[] { "lost-response" } }, CancellationToken.None);

            Assert.Equal(2, Recorder.Count("CreateAccessKey"));
            using var iam = Iam();
            var keys = (await iam.ListAccessKeysAsync(credential.UserName)).Items;
            Assert.Equal(credential.AccessKeyId, Assert.Single(keys).AccessKeyId);
            Assert.Contains(Host.VerboseMessages, m => m.Contains("its secret is unknown"));

            Moto.SetAuthEnforced(true);
            var identity = await CallerIdentityOperation.GetAsync(MotoSession(credential.AccessKeyId, credential.SecretAccessKey), CancellationToken.None);
            Assert.EndsWith("user/s3credentials/" + credential.UserName, identity.Arn);
        }

        [Fact]
        public async Task On_an_existing_user_only_the_stray_key_is_removed()
        {
            await CreateBucketsAsync("lost-existing");
            string oldKey;
            using (var iam = Iam())
            {
                await iam.CreateUserAsync("gina");
                oldKey = (await iam.CreateAccessKeyAsync("gina")).AccessKeyId;
            }
            Recorder.LoseResponseOfNth("CreateAccessKey", 1);
            var operation = Operation();
            operation.KeyRetryDelay = TimeSpan.FromMilliseconds(5);
            var credential = await operation.RunAsync(new NewCredentialRequest { BucketNames = new[] { "lost-existing" }, UserName = "gina", NoWait = true }, CancellationToken.None);

            using var check = Iam();
            Assert.Equal(new[] { credential.AccessKeyId, oldKey }.OrderBy(k => k), (await check.ListAccessKeysAsync("gina")).Items.Select(k => k.AccessKeyId).OrderBy(k => k));
        }

        [Fact]
        public async Task A_clear_refusal_is_not_retried()
        {
            await CreateBucketsAsync("clear-refusal");
            Recorder.FailNth("CreateAccessKey", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "no"));
            await Assert.ThrowsAsync<S3Credentials.Core.Iam.IamServiceException>(() => CreateAsync(Request("clear-refusal")));
            Assert.Equal(1, Recorder.Count("CreateAccessKey"));
            Assert.Equal("", await IamInventoryAsync());
        }
    }
}
