using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core;
using S3Credentials.Core.Operations;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    public sealed class RotateKeyTests : NewCredentialTestBase
    {
        public RotateKeyTests(MotoServer moto) : base(moto) { }

        private RotateKeyOperation Rotation(S3Credentials.Core.Credentials.AwsSession session = null)
            => new RotateKeyOperation(session ?? MotoSession(), Host) { KeyTiming = Quick, KeyRetryDelay = TimeSpan.FromMilliseconds(5) };

        private async Task<string> UserWithKeyAsync(string name)
        {
            using var iam = Iam();
            await iam.CreateUserAsync(name);
            return (await iam.CreateAccessKeyAsync(name)).AccessKeyId;
        }

        [Fact]
        public async Task Rotation_leaves_exactly_one_active_working_key()
        {
            var admin = await AdminSessionAsync();
            var old = await UserWithKeyAsync("rotating");
            Moto.SetAuthEnforced(true);

            var fresh = await Rotation(admin).RunAsync("rotating", null, keepOld: false, noWait: false, CancellationToken.None);
            var actions = Recorder.Calls.Select(c => c.Action).ToArray();

            Assert.NotEqual(old, fresh.AccessKeyId);
            Assert.Equal("rotating", fresh.UserName);
            var identity = await CallerIdentityOperation.GetAsync(MotoSession(fresh.AccessKeyId, fresh.SecretAccessKey), CancellationToken.None);
            Assert.EndsWith(":user/rotating", identity.Arn);
            Moto.SetAuthEnforced(false);
            using var iam = Iam();
            var key = Assert.Single((await iam.ListAccessKeysAsync("rotating")).Items);
            Assert.Equal((fresh.AccessKeyId, "Active"), (key.AccessKeyId, key.Status));
            Assert.Equal(new[] { "ListAccessKeys", "CreateAccessKey", "GetCallerIdentity", "UpdateAccessKey", "DeleteAccessKey" }, actions);
        }

        [Fact]
        public async Task KeepOld_only_deactivates_the_old_key()
        {
            var old = await UserWithKeyAsync("keeper");
            var fresh = await Rotation().RunAsync("keeper", null, keepOld: true, noWait: true, CancellationToken.None);
            using var iam = Iam();
            var keys = (await iam.ListAccessKeysAsync("keeper")).Items.ToDictionary(k => k.AccessKeyId, k => k.Status);
            Assert.Equal("Inactive", keys[old]);
            Assert.Equal("Active", keys[fresh.AccessKeyId]);
            Assert.Equal(2, keys.Count);
        }

        [Fact]
        public async Task An_inactive_second_key_is_removed_to_make_room()
        {
            var active = await UserWithKeyAsync("crowded");
            using (var iam = Iam())
            {
                var inactive = (await iam.CreateAccessKeyAsync("crowded")).AccessKeyId;
                await iam.UpdateAccessKeyAsync("crowded", inactive, "Inactive");
            }
            var fresh = await Rotation().RunAsync("crowded", null, keepOld: false, noWait: true, CancellationToken.None);
            using var check = Iam();
            Assert.Equal(fresh.AccessKeyId, Assert.Single((await check.ListAccessKeysAsync("crowded")).Items).AccessKeyId);
        }

        [Fact]
        public async Task Two_active_keys_need_AccessKeyId()
        {
            var first = await UserWithKeyAsync("two-active");
            string second;
            using (var iam = Iam()) second = (await iam.CreateAccessKeyAsync("two-active")).AccessKeyId;

            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => Rotation().RunAsync("two-active", null, false, true, CancellationToken.None));
            Assert.Equal("AccessKeyIdNeeded", error.ErrorId);
            Assert.Contains(first, error.Message);
            Assert.Contains(second, error.Message);

            error = await Assert.ThrowsAsync<S3CredentialsException>(() => Rotation().RunAsync("two-active", first, false, true, CancellationToken.None));
            Assert.Equal("UserHasTwoActiveKeys", error.ErrorId);
            Assert.DoesNotContain(Recorder.Calls, c => c.Action == "CreateAccessKey");
        }

        [Fact]
        public async Task A_new_key_that_is_never_accepted_is_deleted_and_the_old_one_keeps_working()
        {
            var old = await UserWithKeyAsync("unlucky");
            for (var i = 1; i < 500; i++)
                Recorder.FailNth("GetCallerIdentity", i, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "InvalidClientTokenId", "The security token included in the request is invalid."));
            var rotation = Rotation();
            rotation.KeyTiming = new PropagationTiming(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(150));

            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => rotation.RunAsync("unlucky", null, false, false, CancellationToken.None));
            Assert.Equal("NewKeyNotAccepted", error.ErrorId);
            using var iam = Iam();
            var key = Assert.Single((await iam.ListAccessKeysAsync("unlucky")).Items);
            Assert.Equal((old, "Active"), (key.AccessKeyId, key.Status));
        }

        [Fact]
        public async Task A_lost_answer_to_the_deactivation_still_leaves_a_working_old_key()
        {
            var old = await UserWithKeyAsync("lost-deactivation");
            // Every attempt of the deactivation reaches IAM but no answer comes back (the SDK retries twice itself).
            for (var attempt = 1; attempt <= 3; attempt++)
                Recorder.LoseResponseOfNth("UpdateAccessKey", attempt);
            await Assert.ThrowsAnyAsync<Exception>(() => Rotation().RunAsync("lost-deactivation", null, false, true, CancellationToken.None));
            Assert.Equal(4, Recorder.Count("UpdateAccessKey")); // three lost deactivations, then the old key made active again
            using var iam = Iam();
            var key = Assert.Single((await iam.ListAccessKeysAsync("lost-deactivation")).Items);
            Assert.Equal((old, "Active"), (key.AccessKeyId, key.Status));
        }

        [Fact]
        public async Task Declining_the_rotation_deletes_nothing()
        {
            var active = await UserWithKeyAsync("declined");
            using (var iam = Iam())
            {
                var inactive = (await iam.CreateAccessKeyAsync("declined")).AccessKeyId;
                await iam.UpdateAccessKeyAsync("declined", inactive, "Inactive");
            }
            Host.Answer = (target, action) => false;
            Assert.Null(await Rotation().RunAsync("declined", null, false, true, CancellationToken.None));
            using var check = Iam();
            Assert.Equal(2, (await check.ListAccessKeysAsync("declined")).Items.Count);
            Assert.Contains(Host.Confirmations, c => c.Action.StartsWith("Rotate access key: delete the inactive key"));
        }

        [Fact]
        public async Task Bad_input_and_missing_users_are_clear_errors()
        {
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => Rotation().RunAsync("bad name", null, false, true, CancellationToken.None));
            Assert.Equal("UserName", error.ParameterName);
            error = await Assert.ThrowsAsync<S3CredentialsException>(() => Rotation().RunAsync("someone", "not a key", false, true, CancellationToken.None));
            Assert.Equal("AccessKeyIdInvalid", error.ErrorId);
            Assert.Empty(Recorder.Calls);
            error = await Assert.ThrowsAsync<S3CredentialsException>(() => Rotation().RunAsync("ghost", null, false, true, CancellationToken.None));
            Assert.Equal("UserNotFound", error.ErrorId);
        }
    }
}
