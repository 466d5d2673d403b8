using S3Credentials.Core;
using S3Credentials.Core.Policies;
using Xunit;

namespace S3Credentials.Tests.Policies
{
    public sealed class RawPolicyStatementTests
    {
        [Fact]
        public void s3_credentials_documented_statement_is_accepted_and_kept_as_written()
        {
            var statement = RawPolicyStatement.Parse("{\n  \"Effect\": \"Allow\",\n  \"Action\": \"textract:*\",\n  \"Resource\": \"*\"\n}");
            Assert.Equal("{\"Effect\":\"Allow\",\"Action\":\"textract:*\",\"Resource\":\"*\"}", statement.ToString());
        }

        [Fact]
        public void NotAction_NotResource_and_Deny_are_accepted()
        {
            var statement = RawPolicyStatement.Parse("{\"Effect\":\"Deny\",\"NotAction\":[\"s3:GetObject\"],\"NotResource\":[\"arn:aws:s3:::b/*\"]}");
            Assert.Equal("{\"Effect\":\"Deny\",\"NotAction\":[\"s3:GetObject\"],\"NotResource\":[\"arn:aws:s3:::b/*\"]}", statement.ToString());
        }

        [Theory]
        [InlineData("", "StatementEmpty")]
        [InlineData("   ", "StatementEmpty")]
        [InlineData("{\"Effect\":", "StatementNotJson")]
        [InlineData("Effect=Allow", "StatementNotJson")]
        [InlineData("[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]", "StatementNotObject")]
        [InlineData("\"s3:*\"", "StatementNotObject")]
        [InlineData("{\"Action\":\"s3:*\",\"Resource\":\"*\"}", "StatementInvalidEffect")]
        [InlineData("{\"Effect\":\"allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}", "StatementInvalidEffect")]
        [InlineData("{\"Effect\":true,\"Action\":\"s3:*\",\"Resource\":\"*\"}", "StatementInvalidEffect")]
        [InlineData("{\"Effect\":\"Allow\",\"Resource\":\"*\"}", "StatementMissingAction")]
        [InlineData("{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}", "StatementMissingResource")]
        public void Bad_statements_are_rejected_naming_the_Statement_parameter(string json, string errorId)
        {
            var error = Assert.Throws<S3CredentialsException>(() => RawPolicyStatement.Parse(json));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal("Statement", error.ParameterName);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.StartsWith("-Statement ", error.Message);
        }

        [Fact]
        public void The_JSON_error_gives_the_position_not_the_text()
        {
            var error = Assert.Throws<S3CredentialsException>(() => RawPolicyStatement.Parse("{\"Effect\":\"Allow\",\n \"Action\": secret}"));
            Assert.Equal("-Statement is not valid JSON (line 2, byte 12).", error.Message);
        }
        [Fact]
        public void A_leading_byte_order_mark_is_ignored()
        {
            Assert.Equal("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}",
                RawPolicyStatement.Parse("\uFEFF{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}").ToString());
        }

        [Fact]
        public void An_already_parsed_statement_gets_the_same_checks()
        {
            using (var document = System.Text.Json.JsonDocument.Parse("[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},{\"Effect\":\"Allow\"}]"))
            {
                var first = RawPolicyStatement.FromJsonElement(document.RootElement[0]);
                var error = Assert.Throws<S3CredentialsException>(() => RawPolicyStatement.FromJsonElement(document.RootElement[1]));
                Assert.Equal("StatementMissingAction", error.ErrorId);
                Assert.Equal("Statement", error.ParameterName);
                // The kept element is a clone: it outlives the document it came from.
                document.Dispose();
                Assert.Equal("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}", first.ToString());
            }
        }

        [Fact]
        public void ErrorIds_name_the_rule_whatever_the_parameter_is_called()
        {
            var notJson = Assert.Throws<S3CredentialsException>(() => RawPolicyStatement.Parse("{", "ExtraStatement"));
            Assert.Equal("StatementNotJson", notJson.ErrorId);
            Assert.Equal("ExtraStatement", notJson.ParameterName);
            Assert.StartsWith("-ExtraStatement is not valid JSON", notJson.Message);
            var noEffect = Assert.Throws<S3CredentialsException>(() => RawPolicyStatement.Parse("{\"Action\":\"s3:*\",\"Resource\":\"*\"}", "ExtraStatement"));
            Assert.Equal("StatementInvalidEffect", noEffect.ErrorId);
        }
    }
}
