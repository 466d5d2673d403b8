using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Credentials
{
    /// <summary>
    /// The rules of <see cref="AwsNames"/> (bucket, user, role and session names: S3NamesTests), and that every place that
    /// used to hold its own copy of a rule now gives the same answer as the rule.
    /// </summary>
    public sealed class AwsNamesTests
    {
        [Theory]
        [InlineData("AKIAIOSFODNN7EXAMPLE")]
        [InlineData("ASIAIOSFODNN7EXAMPLE")]
        [InlineData("AKIA0123456789AB")] // 16: the shortest IAM allows
        [InlineData("lowercase_and_1234")]
        public void IAM_access_key_ids_of_16_to_128_letters_digits_or_underscores_pass(string id)
        {
            Assert.Null(AwsNames.AccessKeyIdProblem(id));
            AwsNames.ValidateAccessKeyId(id);
            AwsNames.ValidateAccessKeyId(new string('A', 128));
        }

        [Theory]
        [InlineData(null, "it is empty")]
        [InlineData("", "it is empty")]
        [InlineData("minioadmin", "it is 10 characters long")]
        [InlineData("AKIA0123456789A", "it is 15 characters long")]
        [InlineData("AKIA-0123456789AB", "character 5 is not a letter, digit or _")]
        [InlineData("AKIA 0123456789AB", "character 5 is not a letter, digit or _")]
        [InlineData("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "character 14 is not a letter, digit or _")]
        [InlineData("ÄKIA0123456789ABC", "character 1 is not a letter, digit or _")]
        public void What_IAM_could_never_hold_as_an_access_key_id_is_refused_naming_the_rule_without_the_value(string id, string problem)
        {
            var error = Assert.Throws<S3CredentialsException>(() => AwsNames.ValidateAccessKeyId(id));
            Assert.Equal("AccessKeyIdInvalid", error.ErrorId);
            Assert.Equal("AccessKeyId", error.ParameterName);
            Assert.Equal($"-AccessKeyId must be an IAM access key id, 16 to 128 letters, digits or _ (such as AKIAIOSFODNN7EXAMPLE), but {problem}.", error.Message);
            if (!string.IsNullOrEmpty(id))
                Assert.DoesNotContain(id, error.Message);
            Assert.Throws<S3CredentialsException>(() => AwsNames.ValidateAccessKeyId(new string('A', 129)));
        }

        [Fact]
        public void A_store_key_signs_requests_but_is_no_IAM_access_key_id()
        {
            // Two rules on purpose: S3-compatible stores' keys sign requests (-AccessKey), IAM's API only knows its own ids.
            Assert.True(AwsNames.IsValidKey("minioadmin"));
            Assert.NotNull(AwsNames.AccessKeyIdProblem("minioadmin"));
            // Every IAM access key id is a valid key, so a key IAM made always passes the signing rule too.
            foreach (var id in new[] { "AKIAIOSFODNN7EXAMPLE", "AKIA0123456789AB", new string('a', 128) })
                Assert.True(AwsNames.IsValidKey(id));
        }

        [Theory]
        [InlineData("photos")]
        [InlineData("my.bucket-2026")]
        [InlineData("a1b")]
        public void Every_name_a_bucket_may_get_today_is_a_name_Get_S3BucketDetail_looks_for(string name)
        {
            AwsNames.ValidateBucketName(name);
            Assert.Equal(name, BucketNamePattern.Parse(name).Text);
        }

        [Fact]
        public void Old_us_east_1_bucket_names_can_be_looked_for_but_not_given_a_new_bucket_or_policy()
        {
            Assert.True("My_Old_Bucket".All(AwsNames.IsExistingBucketNameCharacter));
            BucketNamePattern.Parse("My_Old_Bucket");
            Assert.Equal("InvalidBucketNameCharacters", Assert.Throws<S3CredentialsException>(() => AwsNames.ValidateBucketName("My_Old_Bucket")).ErrorId);
            Assert.Equal("BucketNamePatternInvalidCharacter", Assert.Throws<S3CredentialsException>(() => BucketNamePattern.Parse("my bucket")).ErrorId);
        }

        // ---------------- The places that checked names and keys themselves now give the rule's answer ----------------

        /// <summary>A session whose every request is recorded and would go nowhere: the checks must come before any.</summary>
        private static (AwsSession Session, RecordingHttpClientFactory Recorder) OfflineSession()
        {
            var recorder = new RecordingHttpClientFactory();
            var session = SessionResolver.Resolve(new SessionOptions
            {
                AccessKey = "AKIAIOSFODNN7EXAMPLE", SecretKey = "secret", Region = "us-east-1",
                EndpointUrl = "http://127.0.0.1:9", IamEndpointUrl = "http://127.0.0.1:9", StsEndpointUrl = "http://127.0.0.1:9",
                Environment = EnvironmentVariables.None, HttpClientFactory = recorder,
            });
            return (session, recorder);
        }

        private static S3CredentialsException Refusal(Action check) => Assert.Throws<S3CredentialsException>(check);

        private static async Task<S3CredentialsException> RefusalAsync(Func<Task> run) => await Assert.ThrowsAsync<S3CredentialsException>(run);

        private static void SameAnswer(S3CredentialsException rule, S3CredentialsException site)
        {
            Assert.Equal(rule.ErrorId, site.ErrorId);
            Assert.Equal(rule.Message, site.Message);
            Assert.Equal(rule.ParameterName, site.ParameterName);
        }

        [Theory]
        [InlineData("rôle")] // .NET's \w in the ARN's own pattern took any Unicode letter; IAM's names are ASCII
        [InlineData("ロール")]
        [InlineData("12345678901234567890123456789012345678901234567890123456789012345")]
        [InlineData("bad:name")]
        public void A_role_arns_name_follows_the_role_name_rule(string name)
        {
            Refusal(() => AwsNames.ValidateRoleName(name));
            Assert.False(AwsNames.IsRoleName(name));
            var error = Refusal(() => RoleArns.Validate("arn:aws:iam::123456789012:role/" + name, AwsPartition.Aws, customStsEndpoint: false));
            Assert.Equal("RoleArnInvalid", error.ErrorId);
            Assert.Contains("a NAME of 1 to 64 " + AwsNames.IamNameCharacters, error.Message);
        }

        [Fact]
        public void A_role_arns_name_that_IAM_accepts_is_the_role_name()
        {
            AwsNames.ValidateRoleName("S3Credentials-TemporaryAccess");
            Assert.Equal("S3Credentials-TemporaryAccess", RoleArns.Validate("arn:aws:iam::123456789012:role/path/S3Credentials-TemporaryAccess", AwsPartition.Aws, false));
            Assert.Equal("x+=,.@_-1", RoleArns.Validate("arn:aws:iam::123456789012:role/x+=,.@_-1", AwsPartition.Aws, false));
        }

        [Theory]
        [InlineData("minioadmin")] // the signing rule took it: Update-S3Credential sent it to IAM (ListAccessKeys)
        [InlineData("AKIA-0123456789AB")]
        [InlineData("ab cd")]
        public async Task Update_and_Revoke_give_an_access_key_id_the_rules_answer_before_any_request(string id)
        {
            var (session, recorder) = OfflineSession();
            var rule = Refusal(() => AwsNames.ValidateAccessKeyId(id));
            SameAnswer(rule, await RefusalAsync(() => new RotateKeyOperation(session, ApprovingOperationHost.Instance).RunAsync("alice", id, false, true, CancellationToken.None)));
            SameAnswer(rule, await RefusalAsync(() => new RevokeCredentialOperation(session, ApprovingOperationHost.Instance).DeactivateKeyAsync("alice", id, CancellationToken.None)));
            Assert.Empty(recorder.Calls);
        }

        [Theory]
        [InlineData("alice smith")]
        [InlineData("alice/smith")]
        [InlineData("12345678901234567890123456789012345678901234567890123456789012345")]
        public async Task Every_operation_taking_a_user_name_gives_the_rules_answer_before_any_request(string name)
        {
            var (session, recorder) = OfflineSession();
            var host = ApprovingOperationHost.Instance;
            var rule = Refusal(() => AwsNames.ValidateUserName(name));
            SameAnswer(rule, Refusal(() => CredentialPlan.Create(new NewCredentialRequest { BucketNames = new[] { "photos" }, UserName = name }, session)));
            SameAnswer(rule, await RefusalAsync(() => new RotateKeyOperation(session, host).RunAsync(name, null, false, true, CancellationToken.None)));
            SameAnswer(rule, await RefusalAsync(() => new RevokeCredentialOperation(session, host).DeactivateKeyAsync(name, "AKIAIOSFODNN7EXAMPLE", CancellationToken.None)));
            SameAnswer(rule, await RefusalAsync(() => new RevokeCredentialOperation(session, host).RevokeUserSessionsAsync(name, DateTime.UtcNow, CancellationToken.None)));
            var removed = Assert.Single(await RemoveUserOperation.RunAsync(session, new[] { name }, 4, host, CancellationToken.None));
            SameAnswer(rule, Assert.IsType<S3CredentialsException>(removed.Error));
            Assert.Empty(recorder.Calls);
        }
        [Theory]
        [InlineData("AKIAIOSFODNN7EXAMPLE")]
        [InlineData("ASIAIOSFODNN7EXAMPLE")]
        [InlineData("minioadmin")]
        [InlineData("ab")]
        [InlineData("lower-case_id.1")]
        [InlineData("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
        [InlineData("FwoGZXIvYXdzEB0aDK+token/with=padding==")]
        public void AWS_and_S3_compatible_keys_pass(string value)
        {
            Assert.True(AwsNames.IsValidKey(value));
            AwsNames.CheckKey(value, "X", "AccessKey", "-AccessKey");
        }

        [Theory]
        [InlineData(null, "it is empty")]
        [InlineData("", "it is empty")]
        [InlineData(" ", "character 1 is whitespace")]
        [InlineData("AKIA EXAMPLE", "character 5 is whitespace")]
        [InlineData("secretvalu\n", "character 11 is whitespace")]
        [InlineData("secr\u0000etvalue", "character 5 is a control character")]
        [InlineData("secr\u007Fe", "character 5 is a control character")]
        [InlineData("sécret", "character 2 is not ASCII")]
        [InlineData("key\u00A0id", "character 4 is whitespace")]
        public void What_can_never_be_a_key_is_refused_saying_where_without_repeating_it(string value, string problem)
        {
            Assert.False(AwsNames.IsValidKey(value));
            var error = Assert.Throws<S3CredentialsException>(() => AwsNames.CheckKey(value, "SecretKeyInvalid", "SecretKey", "-SecretKey"));
            Assert.Equal("SecretKeyInvalid", error.ErrorId);
            Assert.Equal("SecretKey", error.ParameterName);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.StartsWith("-SecretKey must be printable ASCII without spaces or control characters", error.Message);
            Assert.EndsWith("but " + problem + ".", error.Message);
            if (!string.IsNullOrWhiteSpace(value))
                Assert.DoesNotContain(value.Trim(), error.Message);
        }

        [Fact]
        public void A_set_of_keys_is_checked_value_by_value_with_the_field_in_the_error_id()
        {
            var error = Assert.Throws<S3CredentialsException>(() => AwsNames.CheckKeys(new CredentialValues("minioadmin", "minioadmin", "tok en"), "CredentialInvalid{0}", "Credential", "-Credential's {0}"));
            Assert.Equal("CredentialInvalidSessionToken", error.ErrorId);
            Assert.StartsWith("-Credential's SessionToken must be", error.Message);
        }
    }
}
