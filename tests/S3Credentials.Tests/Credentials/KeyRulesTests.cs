using S3Credentials.Core;
using S3Credentials.Core.Credentials;
using Xunit;

namespace S3Credentials.Tests.Credentials
{
    public sealed class KeyRulesTests
    {
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
            Assert.True(KeyRules.IsValid(value));
            KeyRules.Check(value, "X", "AccessKey", "-AccessKey");
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
            Assert.False(KeyRules.IsValid(value));
            var error = Assert.Throws<S3CredentialsException>(() => KeyRules.Check(value, "SecretKeyInvalid", "SecretKey", "-SecretKey"));
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
            var error = Assert.Throws<S3CredentialsException>(() => KeyRules.Check(new CredentialValues("minioadmin", "minioadmin", "tok en"), "CredentialInvalid{0}", "Credential", "-Credential's {0}"));
            Assert.Equal("CredentialInvalidSessionToken", error.ErrorId);
            Assert.StartsWith("-Credential's SessionToken must be", error.Message);
        }
    }
}
