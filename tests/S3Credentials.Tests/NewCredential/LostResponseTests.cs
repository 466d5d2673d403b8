using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    /// <summary>
    /// CreateAccessKey, CreateUser and CreateRole are not idempotent: a lost response must not leave a second key behind,
    /// nor a user or role that the rollback takes for one that was there before.
    /// </summary>
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

        private static Func<HttpRequestMessage, HttpResponseMessage> AssumeRoleDenied()
            => _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "not authorized to perform: sts:AssumeRole");

        private static Func<HttpRequestMessage, HttpResponseMessage> Refused(string code)
            => _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.BadRequest, code, "injected");

        [Fact]
        public async Task A_lost_CreateUser_answer_is_read_back_not_sent_again_and_the_user_is_made_whole()
        {
            await CreateBucketsAsync("lost-user");
            Recorder.LoseResponseOfNth("CreateUser", 1);

            var credential = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "lost-user" }, NoWait = true });

            Assert.Equal(1, Recorder.Count("CreateUser"));
            Assert.Equal(1, Recorder.Count("GetUser"));
            Assert.Equal($"user {credential.UserName}\npolicy {credential.UserName}/s3.read-write.lost-user\nkey {credential.UserName}/{credential.AccessKeyId}", await IamInventoryAsync());
        }

        [Fact]
        public async Task A_lost_CreateUser_answer_then_a_failure_leaves_no_user_behind()
        {
            await CreateBucketsAsync("lost-user-fails");
            Recorder.LoseResponseOfNth("CreateUser", 1);
            Recorder.FailNth("PutUserPolicy", 1, Refused("MalformedPolicyDocument"));

            await Assert.ThrowsAnyAsync<Exception>(() => CreateAsync(new NewCredentialRequest { BucketNames = new[] { "lost-user-fails" }, NoWait = true }));

            // The user the lost call made is this run's, so the rollback removes it.
            Assert.Equal(1, Recorder.Count("DeleteUser"));
            Assert.Equal("", await IamInventoryAsync());
        }

        [Fact]
        public async Task A_user_that_was_there_before_is_not_taken_for_one_a_lost_answer_made()
        {
            await CreateBucketsAsync("lost-user-existing");
            using (var iam = Iam())
                await iam.CreateUserAsync("harriet");   // not the module's: no tag
            Recorder.LoseResponseOfNth("CreateUser", 1);
            Recorder.FailNth("CreateUser", 2, Refused("EntityAlreadyExists"));

            await Assert.ThrowsAnyAsync<Exception>(() => CreateAsync(new NewCredentialRequest { BucketNames = new[] { "lost-user-existing" }, UserName = "harriet", NoWait = true }));

            using var check = Iam();
            Assert.Equal("harriet", (await check.GetUserAsync("harriet")).UserName);
        }

        [Fact]
        public async Task A_lost_CreateRole_answer_is_read_back_and_the_role_gets_its_policy()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("lost-role");
            Recorder.FailNth("AssumeRole", 1, AssumeRoleDenied());
            Recorder.LoseResponseOfNth("CreateRole", 1);

            var credential = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "lost-role" }, Duration = TimeSpan.FromHours(1) }, admin);

            Assert.Equal("Temporary", credential.Kind);
            Assert.Equal(1, Recorder.Count("CreateRole"));
            Assert.Equal($"role {CredentialPlan.DefaultRoleName}\nrolepolicy {CredentialPlan.DefaultRoleName}/s3-access", await IamInventoryAsync("admin"));
        }

        [Fact]
        public async Task A_lost_CreateRole_answer_then_a_failure_leaves_no_role_behind()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("lost-role-fails");
            Recorder.FailNth("AssumeRole", 1, AssumeRoleDenied());
            Recorder.LoseResponseOfNth("CreateRole", 1);
            Recorder.FailNth("PutRolePolicy", 1, Refused("MalformedPolicyDocument"));

            await Assert.ThrowsAnyAsync<Exception>(() => CreateAsync(new NewCredentialRequest { BucketNames = new[] { "lost-role-fails" }, Duration = TimeSpan.FromHours(1) }, admin));

            Assert.Equal("", await IamInventoryAsync("admin"));
        }
    }
}
