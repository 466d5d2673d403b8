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
    /// <summary>
    /// Ctrl+C at each step of a change (issue 18): the token is cancelled when a chosen request is made, either before it is
    /// sent or while it is on the wire (the server makes the change, its answer is never read). Whatever the moment, the
    /// command ends cancelled, the step's outcome is found out and undone, and nothing is left in IAM, or a warning names
    /// what is left.
    /// </summary>
    public sealed class CancellationTests : NewCredentialTestBase
    {
        public CancellationTests(MotoServer moto) : base(moto) { }

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        private void StopAt(string action, int nth, bool inFlight) => Recorder.CancelAtNth(action, nth, _stop, inFlight);

        private void AssertNoSecretsInMessages()
        {
            foreach (var message in Host.Warnings.Concat(Host.VerboseMessages))
                Assert.DoesNotContain("SecretAccessKey", message, StringComparison.OrdinalIgnoreCase);
        }

        [Theory]
        [InlineData("CreateUser", 1, false)]
        [InlineData("CreateUser", 1, true)]
        [InlineData("PutUserPolicy", 1, false)]
        [InlineData("PutUserPolicy", 1, true)]
        [InlineData("CreateAccessKey", 1, false)]
        [InlineData("CreateAccessKey", 1, true)]
        [InlineData("ListObjectsV2", 1, false)]
        [InlineData("ListObjectsV2", 1, true)]
        public async Task Stopping_a_new_permanent_credential_at_any_step_leaves_nothing_in_IAM(string action, int nth, bool inFlight)
        {
            await CreateBucketsAsync("stopped");
            StopAt(action, nth, inFlight);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Operation().RunAsync(new NewCredentialRequest { BucketNames = new[] { "stopped" }, UserName = "stopped-user" }, _stop.Token));

            Assert.Equal("", await IamInventoryAsync());
            Assert.Empty(Host.Warnings);
            Assert.Contains(Recorder.Calls, c => c.Action == action && c.Injected == "Cancelled");
            AssertNoSecretsInMessages();
        }

        [Theory]
        [InlineData("CreateBucket", false)]
        [InlineData("CreateBucket", true)]
        [InlineData("CreateUser", true)]
        public async Task Stopping_a_new_credential_with_CreateBucket_leaves_no_bucket_and_nothing_in_IAM(string action, bool inFlight)
        {
            StopAt(action, 1, inFlight);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Operation().RunAsync(new NewCredentialRequest { BucketNames = new[] { "stopped-new-bucket" }, CreateBucket = true, UserName = "stopped-user" }, _stop.Token));

            using var s3 = SetupSession().CreateS3Client();
            Assert.DoesNotContain((await s3.ListBucketsAsync()).Buckets ?? new System.Collections.Generic.List<Amazon.S3.Model.S3Bucket>(), b => b.BucketName == "stopped-new-bucket");
            Assert.Equal("", await IamInventoryAsync());
            Assert.Empty(Host.Warnings);
        }

        [Fact]
        public async Task What_a_stopped_run_could_not_undo_is_named_in_a_warning_and_in_the_cancellation()
        {
            await CreateBucketsAsync("stopped-leftover");
            StopAt("CreateAccessKey", 1, inFlight: false);
            Recorder.FailNth("DeleteUser", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Conflict, "DeleteConflict", "Cannot delete entity, must delete policies first."));

            var stopped = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Operation().RunAsync(new NewCredentialRequest { BucketNames = new[] { "stopped-leftover" }, UserName = "left-user" }, _stop.Token));

            Assert.Equal("user left-user", await IamInventoryAsync());
            var warning = Assert.Single(Host.Warnings);
            Assert.Contains("user 'left-user'", warning);
            Assert.Contains("Remove it by hand", warning);
            Assert.Contains("Could not undo: user 'left-user'", stopped.Message);
        }

        [Fact]
        public async Task Stopping_a_new_key_for_an_existing_user_removes_only_the_key_the_stopped_call_made()
        {
            await CreateBucketsAsync("stopped-existing");
            string oldKey;
            using (var iam = Iam())
            {
                await iam.CreateUserAsync("existing");
                oldKey = (await iam.CreateAccessKeyAsync("existing")).AccessKeyId;
            }
            StopAt("CreateAccessKey", 1, inFlight: true);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Operation().RunAsync(new NewCredentialRequest { BucketNames = new[] { "stopped-existing" }, UserName = "existing" }, _stop.Token));

            Assert.Equal($"user existing\nkey existing/{oldKey}", await IamInventoryAsync());
        }

        [Theory]
        [InlineData("CreateRole", 1, false)]
        [InlineData("CreateRole", 1, true)]
        [InlineData("PutRolePolicy", 1, false)]
        [InlineData("PutRolePolicy", 1, true)]
        [InlineData("AssumeRole", 2, false)]
        [InlineData("AssumeRole", 2, true)]
        public async Task Stopping_the_first_temporary_credential_at_any_step_leaves_no_role(string action, int nth, bool inFlight)
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("stopped-temporary");
            // First run: AWS refuses AssumeRole on the missing role (moto does not); then the role is made and assumed.
            Recorder.FailNth("AssumeRole", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "not authorized to perform: sts:AssumeRole"));
            StopAt(action, nth, inFlight);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Operation(admin).RunAsync(new NewCredentialRequest { BucketNames = new[] { "stopped-temporary" }, Duration = TimeSpan.FromHours(1) }, _stop.Token));

            Assert.Equal("", await IamInventoryAsync("admin"));
            Assert.Empty(Host.Warnings);
            Assert.Contains(Recorder.Calls, c => c.Action == action && c.Injected == "Cancelled");
        }

        private RotateKeyOperation Rotation() => new RotateKeyOperation(MotoSession(), Host) { KeyTiming = Quick, KeyRetryDelay = TimeSpan.FromMilliseconds(5) };

        private async Task<string> UserWithKeyAsync(string name)
        {
            using var iam = Iam();
            await iam.CreateUserAsync(name);
            return (await iam.CreateAccessKeyAsync(name)).AccessKeyId;
        }

        [Theory]
        [InlineData("CreateAccessKey", false, false)]
        [InlineData("CreateAccessKey", true, false)]
        [InlineData("GetCallerIdentity", false, false)]
        [InlineData("GetCallerIdentity", true, false)]
        [InlineData("UpdateAccessKey", false, false)]
        [InlineData("UpdateAccessKey", true, false)]
        [InlineData("UpdateAccessKey", true, true)]
        // Stopped just before the old key's deletion is sent: the old key, deactivated by then, is made active again and
        // the new key deleted (it used to be deleted on a timeout of its own, and the new key after it: no key left).
        [InlineData("DeleteAccessKey", false, false)]
        public async Task Stopping_a_rotation_before_the_old_key_is_gone_undoes_it_and_the_old_key_keeps_working(string action, bool inFlight, bool keepOld)
        {
            var old = await UserWithKeyAsync("rotating");
            StopAt(action, 1, inFlight);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Rotation().RunAsync("rotating", null, keepOld, noWait: false, _stop.Token));

            using var iam = Iam();
            var key = Assert.Single((await iam.ListAccessKeysAsync("rotating")).Items);
            Assert.Equal((old, "Active"), (key.AccessKeyId, key.Status));
            Assert.Empty(Host.Warnings);
            Assert.Contains(Recorder.Calls, c => c.Action == action && c.Injected == "Cancelled");
            AssertNoSecretsInMessages();
        }

        [Fact]
        public async Task Stopping_a_rotation_whose_old_key_deletion_was_carried_out_completes_it_and_returns_and_names_the_new_key()
        {
            // The old key is gone (the deletion reached IAM, its answer did not come back): undoing would leave the user
            // without a key, so the rotation is complete, the new key returned and named in a warning.
            var old = await UserWithKeyAsync("rotating-late");
            StopAt("DeleteAccessKey", 1, inFlight: true);

            var credential = await Rotation().RunAsync("rotating-late", null, keepOld: false, noWait: true, _stop.Token);

            Assert.NotNull(credential);
            using var iam = Iam();
            var key = Assert.Single((await iam.ListAccessKeysAsync("rotating-late")).Items);
            Assert.Equal((credential.AccessKeyId, "Active"), (key.AccessKeyId, key.Status));
            Assert.NotEqual(old, credential.AccessKeyId);
            var warning = Assert.Single(Host.Warnings);
            Assert.Contains(old, warning);
            Assert.Contains(credential.AccessKeyId, warning);
            Assert.Contains("the rotation is complete", warning);
            Assert.DoesNotContain(credential.SecretAccessKey, warning);
            AssertNoSecretsInMessages();
        }

        [Fact]
        public async Task Stopping_Remove_S3User_part_way_names_the_user_that_is_left()
        {
            using (var iam = Iam())
            {
                await iam.CreateUserAsync("leaving");
                await iam.CreateAccessKeyAsync("leaving");
                await iam.PutUserPolicyAsync("leaving", "one", AllowEverything);
                await iam.PutUserPolicyAsync("leaving", "two", AllowEverything);
            }
            StopAt("DeleteUserPolicy", 1, inFlight: true);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RemoveUserOperation.RunAsync(MotoSession(), new[] { "leaving" }, 1, Host, _stop.Token));

            Assert.Equal("user leaving\npolicy leaving/two", await IamInventoryAsync());
            var warning = Assert.Single(Host.Warnings);
            Assert.Contains("'leaving' was stopped part-way", warning);
            Assert.Contains("1 key(s)", warning);
        }

        [Fact]
        public async Task Stopping_Remove_S3User_before_it_removes_anything_leaves_the_user_whole_without_a_warning()
        {
            using (var iam = Iam())
            {
                await iam.CreateUserAsync("staying");
                await iam.PutUserPolicyAsync("staying", "one", AllowEverything);
            }
            StopAt("ListAccessKeys", 1, inFlight: false);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RemoveUserOperation.RunAsync(MotoSession(), new[] { "staying" }, 1, Host, _stop.Token));

            Assert.Equal("user staying\npolicy staying/one", await IamInventoryAsync());
            Assert.Empty(Host.Warnings);
        }
    }
}
