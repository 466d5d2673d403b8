using System.Linq;
using S3Credentials.Core;
using S3Credentials.Core.Policies;
using Xunit;

namespace S3Credentials.Tests.Policies
{
    public sealed class CustomPolicyTemplateTests
    {
        // s3-credentials docs/create.md, "Using a custom policy", verbatim: note the trailing comma after Resource.
        private const string DocumentedSample = """
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["s3:GetObject*", "s3:ListBucket"],
                  "Resource": [
                    "arn:aws:s3:::$!BUCKET_NAME!$",
                    "arn:aws:s3:::$!BUCKET_NAME!$/*"
                  ],
                }
              ]
            }
            """;

        [Fact]
        public void The_documented_sample_with_its_trailing_comma_is_filled_in_for_one_bucket()
        {
            var template = CustomPolicyTemplate.Parse(DocumentedSample);
            Assert.True(template.UsesBucketPlaceholder);
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject*","s3:ListBucket"],"Resource":["arn:aws:s3:::my-s3-bucket","arn:aws:s3:::my-s3-bucket/*"]}]}""",
                template.ForBucket("my-s3-bucket").ToJson());
        }

        [Fact]
        public void A_session_for_one_bucket_equals_the_per_bucket_policy()
        {
            var template = CustomPolicyTemplate.Parse(DocumentedSample);
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject*","s3:ListBucket"],"Resource":["arn:aws:s3:::bucket-one","arn:aws:s3:::bucket-one/*"]}]}""",
                template.ForSession(new[] { "bucket-one" }).ToJson());
        }

        [Fact]
        public void A_session_for_three_buckets_holds_every_buckets_statements_in_order()
        {
            var template = CustomPolicyTemplate.Parse("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::$!BUCKET_NAME!$"},
                  {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::$!BUCKET_NAME!$/public/*"}
                ]}
                """);
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket-one"},{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::bucket-one/public/*"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket-two"},{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::bucket-two/public/*"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket-three"},{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::bucket-three/public/*"}]}""",
                template.ForSession(new[] { "bucket-one", "bucket-two", "bucket-three" }).ToJson());
        }

        [Fact]
        public void A_template_without_the_placeholder_contributes_its_statements_once()
        {
            var template = CustomPolicyTemplate.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}}""");
            Assert.False(template.UsesBucketPlaceholder);
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}""",
                template.ForSession(new[] { "bucket-one", "bucket-two", "bucket-three" }).ToJson());
        }

        [Fact]
        public void The_placeholder_is_replaced_in_decoded_strings_keys_and_conditions_and_the_result_is_escaped_again()
        {
            // \u0024 is '$': the placeholder is found after JSON decoding; the quote and backslash are escaped again on output.
            var template = CustomPolicyTemplate.Parse("""
                {"Statement":[{"Sid":"S1","Effect":"Allow","Action":"s3:ListBucket",
                  "Resource":"arn:aws:s3:::\u0024!BUCKET_NAME!$",
                  "Condition":{"StringEquals":{"aws:ResourceTag/$!BUCKET_NAME!$":"say \"$!BUCKET_NAME!$\" \\ $!BUCKET_NAME!$"}, "NumericLessThan":{"s3:max-keys":10}}}]}
                """);
            Assert.Equal(
                """{"Statement":[{"Sid":"S1","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b-1","Condition":{"StringEquals":{"aws:ResourceTag/b-1":"say \"b-1\" \\ b-1"},"NumericLessThan":{"s3:max-keys":10}}}]}""",
                template.ForBucket("b-1").ToJson());
        }

        [Fact]
        public void Version_and_Id_are_kept_as_written()
        {
            var template = CustomPolicyTemplate.Parse("""{"Version":"2008-10-17","Id":"mine","Statement":[{"Effect":"Deny","NotAction":"s3:*","NotResource":"*"}]}""");
            Assert.Equal(
                """{"Version":"2008-10-17","Id":"mine","Statement":[{"Effect":"Deny","NotAction":"s3:*","NotResource":"*"}]}""",
                template.ForBucket("my-s3-bucket").ToJson());
        }

        [Fact]
        public void Comments_are_accepted_and_extra_statements_follow_the_template()
        {
            var template = CustomPolicyTemplate.Parse("""
                // read everything in the bucket
                {"Version":"2012-10-17", /* one statement */ "Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::$!BUCKET_NAME!$/*"}]}
                """);
            var extra = RawPolicyStatement.Parse("""{"Effect":"Allow","Action":"textract:*","Resource":"*"}""");
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-one/*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-two/*"},{"Effect":"Allow","Action":"textract:*","Resource":"*"}]}""",
                template.ForSession(new[] { "bucket-one", "bucket-two" }, new[] { extra }).ToJson());
        }

        [Fact]
        public void The_template_is_not_changed_by_filling_it_in()
        {
            var template = CustomPolicyTemplate.Parse(DocumentedSample);
            var first = template.ForBucket("bucket-one").ToJson();
            template.ForBucket("bucket-two");
            Assert.Equal(first, template.ForBucket("bucket-one").ToJson());
        }

        [Theory]
        [InlineData("", "PolicyEmpty")]
        [InlineData("{\"Version\": \"2012-10-17\", \"Statement\": [", "PolicyNotJson")]
        [InlineData("{Invalid JSON", "PolicyNotJson")]
        [InlineData("[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]", "PolicyNotObject")]
        [InlineData("{\"custom\": \"policy\", \"bucket\": \"$!BUCKET_NAME!$\"}", "PolicyUnknownElement")]
        [InlineData("{\"Version\": \"2012-10-17\"}", "PolicyMissingStatement")]
        [InlineData("{\"Version\": \"2012-10-17\", \"Statement\": []}", "PolicyMissingStatement")]
        [InlineData("{\"Version\": \"2012-10-17\", \"Statement\": \"Allow\"}", "PolicyInvalidStatement")]
        [InlineData("{\"Version\": 2012, \"Statement\": [{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", "PolicyInvalidVersion")]
        [InlineData("{\"Id\": [], \"Statement\": [{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", "PolicyInvalidId")]
        [InlineData("{\"Statement\": [\"s3:*\"]}", "PolicyStatementNotObject")]
        [InlineData("{\"Statement\": [{\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", "PolicyStatementInvalidEffect")]
        [InlineData("{\"Statement\": [{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}", "PolicyStatementMissingAction")]
        [InlineData("{\"Statement\": [{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}]}", "PolicyStatementMissingResource")]
        public void Bad_policies_are_rejected_naming_the_Policy_parameter(string json, string errorId)
        {
            var error = Assert.Throws<S3CredentialsException>(() => CustomPolicyTemplate.Parse(json));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal("Policy", error.ParameterName);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
        }

        [Fact]
        public void Statement_errors_say_which_statement()
        {
            var error = Assert.Throws<S3CredentialsException>(() => CustomPolicyTemplate.Parse(
                """{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Allow","Resource":"*"}]}"""));
            Assert.Equal("Statement 2 of -Policy must have \"Action\" or \"NotAction\".", error.Message);
        }

        [Fact]
        public void Buckets_are_validated_before_they_are_written()
        {
            var template = CustomPolicyTemplate.Parse(DocumentedSample);
            var error = Assert.Throws<S3CredentialsException>(() => template.ForSession(new[] { "ok-bucket", "bad\"bucket" }));
            Assert.Equal("InvalidBucketNameCharacters", error.ErrorId);
        }

        [Fact]
        public void The_result_can_be_measured_against_IAM_limits()
        {
            var document = CustomPolicyTemplate.Parse(DocumentedSample).ForSession(Enumerable.Range(1, 3).Select(i => "bucket-" + i));
            Assert.Equal(3, document.Statements.Count);
            Assert.Equal(document.ToJson().Length, document.CompactLength);
        }
    }
}
