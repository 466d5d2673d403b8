using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.NewCredential
{
    /// <summary>Bad input to New-S3Credential: a clear error naming the parameter and the rule, and not one AWS call.</summary>
    public sealed class BadInputTests : NewCredentialTestBase
    {
        public BadInputTests(MotoServer moto) : base(moto) { }

        private static readonly string ManyBuckets = string.Join(",", Enumerable.Range(0, 12).Select(i => $"a-rather-long-bucket-name-number-{i:D2}"));

        public static IEnumerable<object[]> Cases()
        {
            object[] Case(string errorId, string parameter, Func<NewCredentialRequest, NewCredentialRequest> change)
                => new object[] { errorId, parameter, change(new NewCredentialRequest { BucketNames = new[] { "good-bucket" } }) };

            yield return Case("BucketNameMissing", "BucketName", r => { r.BucketNames = Array.Empty<string>(); return r; });
            yield return Case("InvalidBucketNameCharacters", "BucketName", r => { r.BucketNames = new[] { "Bad_Bucket" }; return r; });
            yield return Case("InvalidBucketNameLength", "BucketName", r => { r.BucketNames = new[] { "ab" }; return r; });
            yield return Case("InvalidBucketNameAdjacentDots", "BucketName", r => { r.BucketNames = new[] { "a..b" }; return r; });
            yield return Case("InvalidBucketNameIpAddress", "BucketName", r => { r.BucketNames = new[] { "192.168.1.1" }; return r; });
            yield return Case("PrefixLeadingSlash", "Prefix", r => { r.Prefixes = new[] { "/foo/" }; return r; });
            yield return Case("PrefixDoubleSlash", "Prefix", r => { r.Prefixes = new[] { "foo//bar" }; return r; });
            yield return Case("PrefixEmpty", "Prefix", r => { r.Prefixes = new[] { "" }; return r; });
            yield return Case("DurationOutOfRange", "Duration", r => { r.Duration = TimeSpan.FromMinutes(14); return r; });
            yield return Case("DurationOutOfRange", "Duration", r => { r.Duration = TimeSpan.FromHours(13); return r; });
            yield return Case("DurationOutOfRange", "Duration", r => { r.Duration = TimeSpan.FromHours(37); r.Method = TemporaryCredentialMethod.FederationToken; return r; });
            yield return Case("MethodWithoutDuration", "Method", r => { r.Method = TemporaryCredentialMethod.FederationToken; return r; });
            yield return Case("UserNameWithDuration", "UserName", r => { r.UserName = "alice"; r.Duration = TimeSpan.FromHours(1); return r; });
            yield return Case("RoleNameWithoutDuration", "RoleName", r => { r.RoleName = "my-role"; return r; });
            yield return Case("RoleNameWithFederationToken", "RoleName", r => { r.RoleName = "my-role"; r.Duration = TimeSpan.FromHours(1); r.Method = TemporaryCredentialMethod.FederationToken; return r; });
            yield return Case("InvalidUserNameLength", "UserName", r => { r.UserName = new string('u', 65); return r; });
            yield return Case("InvalidUserNameCharacters", "UserName", r => { r.UserName = "alice smith"; return r; });
            yield return Case("InvalidRoleNameCharacters", "RoleName", r => { r.RoleName = "role/with/slash"; r.Duration = TimeSpan.FromHours(1); return r; });
            yield return Case("PublicWithoutCreateBucket", "Public", r => { r.Public = true; return r; });
            yield return Case("WebsiteWithoutCreateBucket", "Website", r => { r.Website = true; return r; });
            yield return Case("WebsiteWithoutPublic", "Website", r => { r.Website = true; r.CreateBucket = true; return r; });
            yield return Case("BucketRegionWithoutCreateBucket", "BucketRegion", r => { r.BucketRegion = "eu-west-1"; return r; });
            yield return Case("BucketRegionInvalid", "BucketRegion", r => { r.BucketRegion = "Ireland"; r.CreateBucket = true; return r; });
            yield return Case("PolicyNotJson", "Policy", r => { r.Policy = "{not json"; return r; });
            yield return Case("PolicyMissingStatement", "Policy", r => { r.Policy = "{\"Version\":\"2012-10-17\"}"; return r; });
            yield return Case("PolicyEmpty", "Policy", r => { r.Policy = ""; return r; });
            yield return Case("PolicyEmpty", "Policy", r => { r.Policy = " \r\n\t"; return r; });
            yield return Case("PolicyWithAccess", "Access", r => { r.Policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"; r.Access = AccessLevel.ReadOnly; return r; });
            yield return Case("PolicyWithPrefix", "Prefix", r => { r.Policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"; r.Prefixes = new[] { "in/" }; return r; });
            yield return Case("StatementMissingAction", "Statement", r => { r.Statements = new[] { "{\"Effect\":\"Allow\",\"Resource\":\"*\"}" }; return r; });
            yield return Case("PermissionsBoundaryWithDuration", "PermissionsBoundary", r => { r.PermissionsBoundary = "none"; r.Duration = TimeSpan.FromHours(1); return r; });
            yield return Case("InvalidPermissionsBoundary", "PermissionsBoundary", r => { r.PermissionsBoundary = "AmazonS3FullAccess"; return r; });
            yield return Case("TagKeyReserved", "Tag", r => { r.Tags = new Dictionary<string, string> { ["aws:owner"] = "me" }; return r; });
            yield return Case("TagKeyInvalid", "Tag", r => { r.Tags = new Dictionary<string, string> { ["bad#key"] = "v" }; return r; });
            yield return Case("NoWaitWithDuration", "NoWait", r => { r.NoWait = true; r.Duration = TimeSpan.FromHours(1); return r; });
            yield return Case("TagWithFederationToken", "Tag", r => { r.Tags = new Dictionary<string, string> { ["team"] = "data" }; r.Duration = TimeSpan.FromHours(1); r.Method = TemporaryCredentialMethod.FederationToken; return r; });
            yield return Case("PolicyTooLarge", "BucketName", r => { r.BucketNames = ManyBuckets.Split(','); r.Duration = TimeSpan.FromHours(1); return r; });
            yield return Case("InlinePoliciesTooLarge", "BucketName", r => { r.BucketNames = ManyBuckets.Split(','); return r; });
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public async Task Is_refused_naming_the_parameter_before_any_AWS_call(string errorId, string parameter, NewCredentialRequest request)
        {
            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(request));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(parameter, error.ParameterName);
            Assert.Contains("-" + parameter, error.Message);
            Assert.Empty(Recorder.Calls);
        }

        [Theory]
        [InlineData("15m", 900)]
        [InlineData("1h", 3600)]
        [InlineData("900s", 900)]
        [InlineData("900", 900)]
        [InlineData("00:15:00", 900)]
        [InlineData("1.00:00:00", 86400)]
        [InlineData("PT2H", 7200)]
        [InlineData("1h30m", 5400)]
        [InlineData("1H 30M", 5400)]
        [InlineData("7d", 604800)]
        [InlineData("1d12h", 129600)]
        [InlineData("2m30s", 150)]
        [InlineData("01:30:00", 5400)]
        public void Duration_accepts_TimeSpans_seconds_and_suffixes(string text, int seconds)
            => Assert.Equal(TimeSpan.FromSeconds(seconds), DurationParser.Parse(text));

        [Fact]
        public void A_bound_duration_may_be_a_TimeSpan_a_number_of_seconds_or_text()
        {
            Assert.Equal(TimeSpan.FromMinutes(15), DurationParser.From(TimeSpan.FromMinutes(15)));
            Assert.Equal(TimeSpan.FromMinutes(15), DurationParser.From(900));
            Assert.Equal(TimeSpan.FromMinutes(15), DurationParser.From(900L));
            Assert.Equal(TimeSpan.FromSeconds(1.5), DurationParser.From(1.5));
            Assert.Equal(TimeSpan.FromMinutes(90), DurationParser.From("1h30m"));
            Assert.Equal(TimeSpan.FromMinutes(15), DurationParser.From((short)900)); // PowerShell's 900s
        }

        [Fact]
        public void A_bound_decimal_is_days_because_PowerShell_reads_7d_as_the_decimal_7()
        {
            Assert.Equal(TimeSpan.FromDays(7), DurationParser.From(7m));
            Assert.Equal(TimeSpan.FromHours(36), DurationParser.From(1.5m));
        }

        [Theory]
        [InlineData("soon")]
        [InlineData(null)]
        [InlineData(double.NaN)]
        [InlineData(1e300)]
        [InlineData(true)]
        public void A_bound_value_that_is_no_duration_lists_the_accepted_forms_without_naming_a_parameter(object value)
        {
            var error = Assert.Throws<S3CredentialsException>(() => DurationParser.From(value));
            Assert.Equal("DurationInvalid", error.ErrorId);
            Assert.StartsWith("'", error.Message);
            Assert.EndsWith("is not a duration: use " + DurationParser.AcceptedForms + ".", error.Message);
        }

        [Theory]
        [InlineData("soon")]
        [InlineData("15 minutes")]
        [InlineData("-5m")]
        [InlineData("")]
        [InlineData("1h30")]
        [InlineData("30m1h")]
        [InlineData("99999999999999999999999h")]
        [InlineData("1w")]
        public void Duration_that_is_not_one_names_the_parameter(string text)
        {
            var error = Assert.Throws<S3CredentialsException>(() => DurationParser.Parse(text));
            Assert.Equal("DurationInvalid", error.ErrorId);
            Assert.Equal("Duration", error.ParameterName);
        }

        [Fact]
        public void Get_S3CredentialPolicy_checks_its_region()
        {
            var error = Assert.Throws<S3CredentialsException>(() => CredentialPolicies.Describe(Request("good-bucket"), "Frankfurt").ToList());
            Assert.Equal("RegionInvalid", error.ErrorId);
            Assert.Equal("Region", error.ParameterName);
            Assert.Contains("arn:aws-cn:s3:::good-bucket", CredentialPolicies.Describe(Request("good-bucket"), "cn-north-1").Single().PolicyDocument);
            Environment.Set("AWS_REGION", "us-gov-west-1");
            Assert.Contains("arn:aws-us-gov:s3:::good-bucket", CredentialPolicies.Describe(Request("good-bucket"), (string)null).Single().PolicyDocument);
        }

        [Fact]
        public void Get_S3CredentialPolicy_refuses_a_region_no_partition_knows()
        {
            var error = Assert.Throws<S3CredentialsException>(() => CredentialPolicies.Describe(Request("good-bucket"), "us-nowhere-9").ToList());
            Assert.Equal("RegionUnknown", error.ErrorId);
            Assert.Equal("Region", error.ParameterName);
        }

        [Fact]
        public void A_bucket_region_no_partition_knows_is_refused_unless_S3_goes_to_an_endpoint_of_the_users()
        {
            var request = new NewCredentialRequest { BucketNames = new[] { "good-bucket" }, CreateBucket = true, BucketRegion = "us-nowhere-9" };
            var error = Assert.Throws<S3CredentialsException>(() => CredentialPlan.Create(request, S3Credentials.Core.Aws.AwsPartition.Aws));
            Assert.Equal("BucketRegionUnknown", error.ErrorId);
            Assert.Equal("BucketRegion", error.ParameterName);
            Assert.Contains("-BucketRegion 'us-nowhere-9'", error.Message);
            Assert.Equal("us-nowhere-9", CredentialPlan.Create(request, S3Credentials.Core.Aws.AwsPartition.Aws, customS3Endpoint: true).BucketRegion);
            Assert.Equal("us-nowhere-9", CredentialPlan.Create(request, MotoSession()).BucketRegion);
        }

        [Fact]
        public void An_empty_policy_file_is_refused_naming_the_file_instead_of_granting_read_write()
        {
            var empty = System.IO.Path.GetTempFileName();
            try
            {
                foreach (var content in new[] { "", "  \n", "\uFEFF" })
                {
                    System.IO.File.WriteAllText(empty, content);
                    var error = Assert.Throws<S3CredentialsException>(() => PolicyInput.ReadPolicy(empty, null));
                    Assert.Equal("PolicyEmpty", error.ErrorId);
                    Assert.Equal("Policy", error.ParameterName);
                    Assert.Contains(empty, error.Message);
                }
            }
            finally
            {
                System.IO.File.Delete(empty);
            }
        }

        [Theory]
        [InlineData("arn:aws:s3:::*", "'one-bucket', 'two-bucket'")]
        [InlineData("arn:aws:s3:::one-bucket/*", "'two-bucket'")]
        [InlineData("arn:aws:s3:::one-bucket-other/*", "'one-bucket', 'two-bucket'")]
        public void A_policy_that_names_none_of_its_buckets_is_planned_with_a_warning(string resource, string notNamed)
        {
            var policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"" + resource + "\"}]}";
            foreach (var duration in new TimeSpan?[] { null, TimeSpan.FromHours(1) })
            {
                var plan = CredentialPlan.Create(new NewCredentialRequest { BucketNames = new[] { "one-bucket", "two-bucket" }, Policy = policy, Duration = duration }, S3Credentials.Core.Aws.AwsPartition.Aws);
                var warning = Assert.Single(plan.Warnings);
                Assert.Contains("$!BUCKET_NAME!$", warning);
                Assert.Contains("bucket " + notNamed + ":", warning);
            }
            var warnings = new List<string>();
            Assert.NotEmpty(CredentialPolicies.Describe(new NewCredentialRequest { BucketNames = new[] { "one-bucket", "two-bucket" }, Policy = policy }, "us-east-1", warnings.Add).ToList());
            Assert.Single(warnings);
        }

        [Fact]
        public void A_policy_with_the_placeholder_or_naming_every_bucket_gets_no_warning()
        {
            foreach (var resource in new[] { "arn:aws:s3:::$!BUCKET_NAME!$/*", "arn:aws:s3:::one-bucket" })
            {
                var policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"" + resource + "\"}]}";
                Assert.Empty(CredentialPlan.Create(new NewCredentialRequest { BucketNames = new[] { "one-bucket" }, Policy = policy }, S3Credentials.Core.Aws.AwsPartition.Aws).Warnings);
            }
            Assert.Empty(CredentialPlan.Create(new NewCredentialRequest { BucketNames = new[] { "one-bucket" } }, S3Credentials.Core.Aws.AwsPartition.Aws).Warnings);
        }

        [Fact]
        public void A_long_default_user_name_is_shortened_deterministically()
        {
            var buckets = Enumerable.Range(0, 4).Select(i => $"bucket-with-a-long-name-{i}").ToArray();
            var first = CredentialPlan.Create(new NewCredentialRequest { BucketNames = buckets, NoWait = true }, S3Credentials.Core.Aws.AwsPartition.Aws);
            var second = CredentialPlan.Create(new NewCredentialRequest { BucketNames = buckets, NoWait = true }, S3Credentials.Core.Aws.AwsPartition.Aws);
            Assert.True(first.UserName.Length <= 64);
            Assert.StartsWith("s3.read-write.bucket-with-a-long-name-0", first.UserName);
            Assert.Equal(first.UserName, second.UserName);
        }
    }
}
