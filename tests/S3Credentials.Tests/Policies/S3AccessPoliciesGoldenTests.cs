using System.Text.Json;
using S3Credentials.Core;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;
using Xunit;

namespace S3Credentials.Tests.Policies
{
    /// <summary>
    /// The exact JSON the module sends. These literals are the specification: they follow s3-credentials 0.17
    /// (docs/policy-documents.md and tests/test_s3_credentials.py) key for key, with several prefixes folded into
    /// one ListBucket condition and one resource list.
    /// </summary>
    public sealed class S3AccessPoliciesGoldenTests
    {
        private const string Bucket = "my-s3-bucket";
        private static readonly string[] NoPrefix = new string[0];
        private static readonly string[] OnePrefix = { "my-prefix/" };
        private static readonly string[] TwoPrefixes = { "my-prefix/", "other/*" };

        private static string Permanent(AccessLevel access, string[] prefixes)
            => S3AccessPolicies.PermanentUserPolicy(Bucket, access, prefixes, null, AwsPartition.Aws).ToJson();

        [Fact]
        public void Read_write_without_prefix()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetBucketLocation"],"Resource":["arn:aws:s3:::my-s3-bucket"]},{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectAcl","s3:GetObjectLegalHold","s3:GetObjectRetention","s3:GetObjectTagging"],"Resource":["arn:aws:s3:::my-s3-bucket/*"]},{"Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],"Resource":["arn:aws:s3:::my-s3-bucket/*"]}]}""",
                Permanent(AccessLevel.ReadWrite, NoPrefix));
        }

        [Fact]
        public void Read_only_without_prefix()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetBucketLocation"],"Resource":["arn:aws:s3:::my-s3-bucket"]},{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectAcl","s3:GetObjectLegalHold","s3:GetObjectRetention","s3:GetObjectTagging"],"Resource":["arn:aws:s3:::my-s3-bucket/*"]}]}""",
                Permanent(AccessLevel.ReadOnly, NoPrefix));
        }

        [Fact]
        public void Write_only_without_prefix()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::my-s3-bucket/*"]}]}""",
                Permanent(AccessLevel.WriteOnly, NoPrefix));
        }

        [Fact]
        public void Read_write_with_one_prefix()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetBucketLocation"],"Resource":["arn:aws:s3:::my-s3-bucket"]},{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::my-s3-bucket"],"Condition":{"StringLike":{"s3:prefix":["my-prefix/*"]}}},{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectAcl","s3:GetObjectLegalHold","s3:GetObjectRetention","s3:GetObjectTagging"],"Resource":["arn:aws:s3:::my-s3-bucket/my-prefix/*"]},{"Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],"Resource":["arn:aws:s3:::my-s3-bucket/my-prefix/*"]}]}""",
                Permanent(AccessLevel.ReadWrite, OnePrefix));
        }

        [Fact]
        public void Read_only_with_one_prefix()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetBucketLocation"],"Resource":["arn:aws:s3:::my-s3-bucket"]},{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::my-s3-bucket"],"Condition":{"StringLike":{"s3:prefix":["my-prefix/*"]}}},{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectAcl","s3:GetObjectLegalHold","s3:GetObjectRetention","s3:GetObjectTagging"],"Resource":["arn:aws:s3:::my-s3-bucket/my-prefix/*"]}]}""",
                Permanent(AccessLevel.ReadOnly, OnePrefix));
        }

        [Fact]
        public void Write_only_with_one_prefix()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::my-s3-bucket/my-prefix/*"]}]}""",
                Permanent(AccessLevel.WriteOnly, OnePrefix));
        }

        [Fact]
        public void Read_write_with_two_prefixes_shares_one_condition_and_one_resource_list()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetBucketLocation"],"Resource":["arn:aws:s3:::my-s3-bucket"]},{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::my-s3-bucket"],"Condition":{"StringLike":{"s3:prefix":["my-prefix/*","other/*"]}}},{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectAcl","s3:GetObjectLegalHold","s3:GetObjectRetention","s3:GetObjectTagging"],"Resource":["arn:aws:s3:::my-s3-bucket/my-prefix/*","arn:aws:s3:::my-s3-bucket/other/*"]},{"Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],"Resource":["arn:aws:s3:::my-s3-bucket/my-prefix/*","arn:aws:s3:::my-s3-bucket/other/*"]}]}""",
                Permanent(AccessLevel.ReadWrite, TwoPrefixes));
        }

        [Fact]
        public void Read_only_with_two_prefixes()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetBucketLocation"],"Resource":["arn:aws:s3:::my-s3-bucket"]},{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::my-s3-bucket"],"Condition":{"StringLike":{"s3:prefix":["my-prefix/*","other/*"]}}},{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectAcl","s3:GetObjectLegalHold","s3:GetObjectRetention","s3:GetObjectTagging"],"Resource":["arn:aws:s3:::my-s3-bucket/my-prefix/*","arn:aws:s3:::my-s3-bucket/other/*"]}]}""",
                Permanent(AccessLevel.ReadOnly, TwoPrefixes));
        }

        [Fact]
        public void Write_only_with_two_prefixes()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::my-s3-bucket/my-prefix/*","arn:aws:s3:::my-s3-bucket/other/*"]}]}""",
                Permanent(AccessLevel.WriteOnly, TwoPrefixes));
        }

        [Fact]
        public void Repeated_prefixes_are_written_once_and_a_star_prefix_means_the_whole_bucket()
        {
            Assert.Equal(Permanent(AccessLevel.ReadOnly, OnePrefix), Permanent(AccessLevel.ReadOnly, new[] { "my-prefix/", "my-prefix/*", "my-prefix/" }));
            Assert.Equal(Permanent(AccessLevel.ReadWrite, NoPrefix), Permanent(AccessLevel.ReadWrite, new[] { "my-prefix/", "*" }));
            Assert.Equal(Permanent(AccessLevel.ReadWrite, NoPrefix), S3AccessPolicies.PermanentUserPolicy(Bucket, AccessLevel.ReadWrite, null, null, AwsPartition.Aws).ToJson());
        }

        [Fact]
        public void Session_policy_concatenates_the_buckets_statements_in_order()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetBucketLocation"],"Resource":["arn:aws:s3:::bucket-one"]},{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectAcl","s3:GetObjectLegalHold","s3:GetObjectRetention","s3:GetObjectTagging"],"Resource":["arn:aws:s3:::bucket-one/*"]},{"Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],"Resource":["arn:aws:s3:::bucket-one/*"]},{"Effect":"Allow","Action":["s3:ListBucket","s3:GetBucketLocation"],"Resource":["arn:aws:s3:::bucket-two"]},{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectAcl","s3:GetObjectLegalHold","s3:GetObjectRetention","s3:GetObjectTagging"],"Resource":["arn:aws:s3:::bucket-two/*"]},{"Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],"Resource":["arn:aws:s3:::bucket-two/*"]}]}""",
                S3AccessPolicies.SessionPolicy(new[] { "bucket-one", "bucket-two" }, AccessLevel.ReadWrite, null, null, AwsPartition.Aws).ToJson());
        }

        [Fact]
        public void Session_policy_with_a_prefix_applies_it_to_every_bucket()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::bucket-one/in/*"]},{"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::bucket-two/in/*"]}]}""",
                S3AccessPolicies.SessionPolicy(new[] { "bucket-one", "bucket-two" }, AccessLevel.WriteOnly, new[] { "in/" }, null, AwsPartition.Aws).ToJson());
        }

        [Fact]
        public void China_partition_arns()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetBucketLocation"],"Resource":["arn:aws-cn:s3:::my-s3-bucket"]},{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":["arn:aws-cn:s3:::my-s3-bucket"],"Condition":{"StringLike":{"s3:prefix":["logs/*"]}}},{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectAcl","s3:GetObjectLegalHold","s3:GetObjectRetention","s3:GetObjectTagging"],"Resource":["arn:aws-cn:s3:::my-s3-bucket/logs/*"]}]}""",
                S3AccessPolicies.PermanentUserPolicy(Bucket, AccessLevel.ReadOnly, new[] { "logs/" }, null, AwsPartition.China).ToJson());
        }

        [Fact]
        public void GovCloud_partition_arns()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws-us-gov:s3:::my-s3-bucket/*"]}]}""",
                S3AccessPolicies.PermanentUserPolicy(Bucket, AccessLevel.WriteOnly, null, null, AwsPartition.GovCloud).ToJson());
        }

        [Fact]
        public void Extra_statements_are_appended_to_each_permanent_policy()
        {
            var textract = RawPolicyStatement.Parse("""{"Effect": "Allow", "Action": "textract:*", "Resource": "*"}""");
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::my-s3-bucket/*"]},{"Effect":"Allow","Action":"textract:*","Resource":"*"}]}""",
                S3AccessPolicies.PermanentUserPolicy(Bucket, AccessLevel.WriteOnly, null, new[] { textract }, AwsPartition.Aws).ToJson());
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::other-bucket/*"]},{"Effect":"Allow","Action":"textract:*","Resource":"*"}]}""",
                S3AccessPolicies.PermanentUserPolicy("other-bucket", AccessLevel.WriteOnly, null, new[] { textract }, AwsPartition.Aws).ToJson());
        }

        [Fact]
        public void Extra_statements_are_appended_once_after_all_buckets_in_a_session_policy()
        {
            var first = RawPolicyStatement.Parse("""{"Effect":"Allow","Action":"textract:*","Resource":"*"}""");
            var second = RawPolicyStatement.Parse("""{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::bucket-two/keep/*"}""");
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::bucket-one/*"]},{"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::bucket-two/*"]},{"Effect":"Allow","Action":"textract:*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::bucket-two/keep/*"}]}""",
                S3AccessPolicies.SessionPolicy(new[] { "bucket-one", "bucket-two" }, AccessLevel.WriteOnly, null, new IPolicyStatement[] { first, second }, AwsPartition.Aws).ToJson());
        }

        [Fact]
        public void Role_trust_policy_trusts_exactly_the_given_principal()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":["sts:AssumeRole"]}]}""",
                S3AccessPolicies.RoleTrustPolicy("arn:aws:iam::123456789012:user/alice").ToJson());
        }

        [Fact]
        public void Role_permissions_policy_is_s3_only()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Sid":"S3OnlyNarrowedBySessionPolicy","Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::*"]}]}""",
                S3AccessPolicies.RolePermissionsPolicy(AwsPartition.Aws).ToJson());
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Sid":"S3OnlyNarrowedBySessionPolicy","Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws-cn:s3:::*"]}]}""",
                S3AccessPolicies.RolePermissionsPolicy(AwsPartition.China).ToJson());
        }

        [Fact]
        public void Public_read_bucket_policy()
        {
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Sid":"AllowAllGetObject","Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::my-s3-bucket/*"]}]}""",
                S3AccessPolicies.PublicReadBucketPolicy(Bucket, AwsPartition.Aws).ToJson());
        }

        [Fact]
        public void Get_S3CredentialPolicy_PublicBucket_gives_each_bucket_its_public_read_policy_in_the_region_s_partition()
        {
            var request = new S3Credentials.Core.Operations.NewCredential.NewCredentialRequest { BucketNames = new[] { Bucket, "photos", Bucket } };
            var policies = System.Linq.Enumerable.ToList(S3Credentials.Core.Operations.NewCredential.CredentialPolicies.DescribePublicBucket(request, "us-east-1"));
            Assert.Equal(2, policies.Count);
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Sid":"AllowAllGetObject","Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::my-s3-bucket/*"]}]}""",
                policies[0].PolicyDocument);
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Sid":"AllowAllGetObject","Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::photos/*"]}]}""",
                policies[1].PolicyDocument);
            Assert.Equal(new[] { "photos" }, policies[1].BucketName);
            Assert.Equal(("AllowAllGetObject", "BucketPolicy", "PublicRead", 20480), (policies[0].PolicyName, policies[0].Kind, policies[0].Access, policies[0].SizeLimit));
            Assert.Equal(policies[0].PolicyDocument.Length, policies[0].Size);
            var china = Assert.Single(S3Credentials.Core.Operations.NewCredential.CredentialPolicies.DescribePublicBucket(
                new S3Credentials.Core.Operations.NewCredential.NewCredentialRequest { BucketNames = new[] { "photos" } }, "cn-north-1"));
            Assert.Equal(
                """{"Version":"2012-10-17","Statement":[{"Sid":"AllowAllGetObject","Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws-cn:s3:::photos/*"]}]}""",
                china.PolicyDocument);
        }

        [Theory]
        [InlineData("Access")]
        [InlineData("Prefix")]
        [InlineData("Duration")]
        [InlineData("Method")]
        [InlineData("Policy")]
        [InlineData("Statement")]
        public void Get_S3CredentialPolicy_PublicBucket_refuses_every_option_that_shapes_credentials(string parameter)
        {
            var request = new S3Credentials.Core.Operations.NewCredential.NewCredentialRequest { BucketNames = new[] { Bucket } };
            switch (parameter)
            {
                case "Access": request.Access = AccessLevel.ReadOnly; break;
                case "Prefix": request.Prefixes = new[] { "in/" }; break;
                case "Duration": request.Duration = System.TimeSpan.FromHours(1); break;
                case "Method": request.Method = S3Credentials.Core.Models.TemporaryCredentialMethod.AssumeRole; break;
                case "Policy": request.Policy = "{}"; break;
                case "Statement": request.Statements = new[] { "{}" }; break;
            }
            var error = Assert.Throws<S3CredentialsException>(() => S3Credentials.Core.Operations.NewCredential.CredentialPolicies.DescribePublicBucket(request, (string)null));
            Assert.Equal(parameter + "WithPublicBucket", error.ErrorId);
            Assert.Equal(parameter, error.ParameterName);
            Assert.Contains("-" + parameter + " shapes credentials; -PublicBucket", error.Message);
        }

        // s3-credentials' own test literals (tests/test_s3_credentials.py), written by Python's json.dumps with ", " and ": "
        // separators. Rewritten compactly without reordering anything, they must equal this module's output byte for byte.
        [Theory]
        [InlineData(AccessLevel.ReadWrite, """{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": ["arn:aws:s3:::pytest-bucket-simonw-1"]}, {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectLegalHold", "s3:GetObjectRetention", "s3:GetObjectTagging"], "Resource": ["arn:aws:s3:::pytest-bucket-simonw-1/*"]}, {"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": ["arn:aws:s3:::pytest-bucket-simonw-1/*"]}]}""")]
        [InlineData(AccessLevel.ReadOnly, """{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": ["arn:aws:s3:::pytest-bucket-simonw-1"]}, {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectLegalHold", "s3:GetObjectRetention", "s3:GetObjectTagging"], "Resource": ["arn:aws:s3:::pytest-bucket-simonw-1/*"]}]}""")]
        [InlineData(AccessLevel.WriteOnly, """{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": ["arn:aws:s3:::pytest-bucket-simonw-1/*"]}]}""")]
        public void Output_equals_s3_credentials_test_literals(AccessLevel access, string pythonJson)
        {
            Assert.Equal(Compact(pythonJson), S3AccessPolicies.PermanentUserPolicy("pytest-bucket-simonw-1", access, null, null, AwsPartition.Aws).ToJson());
        }

        [Fact]
        public void Public_policy_equals_s3_credentials_test_literal()
        {
            const string pythonJson = """{"Version": "2012-10-17", "Statement": [{"Sid": "AllowAllGetObject", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::pytest-bucket-simonw-1/*"]}]}""";
            Assert.Equal(Compact(pythonJson), S3AccessPolicies.PublicReadBucketPolicy("pytest-bucket-simonw-1", AwsPartition.Aws).ToJson());
        }

        // s3-credentials docs/policy-documents.md, "--prefix my-prefix/" (json.dumps indent=2), verbatim.
        [Fact]
        public void Indented_output_equals_s3_credentials_documented_prefix_policy()
        {
            const string documented = """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {
                      "Effect": "Allow",
                      "Action": [
                        "s3:GetBucketLocation"
                      ],
                      "Resource": [
                        "arn:aws:s3:::my-s3-bucket"
                      ]
                    },
                    {
                      "Effect": "Allow",
                      "Action": [
                        "s3:ListBucket"
                      ],
                      "Resource": [
                        "arn:aws:s3:::my-s3-bucket"
                      ],
                      "Condition": {
                        "StringLike": {
                          "s3:prefix": [
                            "my-prefix/*"
                          ]
                        }
                      }
                    },
                    {
                      "Effect": "Allow",
                      "Action": [
                        "s3:GetObject",
                        "s3:GetObjectAcl",
                        "s3:GetObjectLegalHold",
                        "s3:GetObjectRetention",
                        "s3:GetObjectTagging"
                      ],
                      "Resource": [
                        "arn:aws:s3:::my-s3-bucket/my-prefix/*"
                      ]
                    },
                    {
                      "Effect": "Allow",
                      "Action": [
                        "s3:PutObject",
                        "s3:DeleteObject"
                      ],
                      "Resource": [
                        "arn:aws:s3:::my-s3-bucket/my-prefix/*"
                      ]
                    }
                  ]
                }
                """;
            Assert.Equal(documented.Replace("\r\n", "\n"), S3AccessPolicies.PermanentUserPolicy(Bucket, AccessLevel.ReadWrite, OnePrefix, null, AwsPartition.Aws).ToJson(indented: true));
        }

        [Theory]
        [InlineData(AccessLevel.ReadWrite, false, "s3.read-write.my-s3-bucket")]
        [InlineData(AccessLevel.ReadOnly, false, "s3.read-only.my-s3-bucket")]
        [InlineData(AccessLevel.WriteOnly, false, "s3.write-only.my-s3-bucket")]
        [InlineData(AccessLevel.WriteOnly, true, "s3.custom.my-s3-bucket")]
        public void Inline_policy_names(AccessLevel access, bool custom, string expected)
            => Assert.Equal(expected, S3AccessPolicies.InlinePolicyName(access, Bucket, custom));

        [Fact]
        public void Invalid_buckets_and_prefixes_never_reach_an_ARN()
        {
            var prefix = Assert.Throws<S3CredentialsException>(() => S3AccessPolicies.PermanentUserPolicy(Bucket, AccessLevel.ReadOnly, new[] { "/foo/" }, null, AwsPartition.Aws));
            Assert.Equal("PrefixLeadingSlash", prefix.ErrorId);
            var afterStar = Assert.Throws<S3CredentialsException>(() => S3AccessPolicies.PermanentUserPolicy(Bucket, AccessLevel.ReadOnly, new[] { "*", "a//b" }, null, AwsPartition.Aws));
            Assert.Equal("PrefixDoubleSlash", afterStar.ErrorId);
            var bucket = Assert.Throws<S3CredentialsException>(() => S3AccessPolicies.SessionPolicy(new[] { "ok-bucket", "Not_OK" }, AccessLevel.ReadOnly, null, null, AwsPartition.Aws));
            Assert.Equal("InvalidBucketNameCharacters", bucket.ErrorId);
            Assert.Equal("BucketName", bucket.ParameterName);
        }

        /// <summary>Rewrites JSON without whitespace, keeping key order and values: how both sides are compared.</summary>
        private static string Compact(string json)
        {
            using (var document = JsonDocument.Parse(json))
                return PolicyJson.Write(document.RootElement.WriteTo, indented: false);
        }
    }
}
