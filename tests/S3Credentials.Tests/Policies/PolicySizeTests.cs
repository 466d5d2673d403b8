using System.Linq;
using S3Credentials.Core;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;
using Xunit;

namespace S3Credentials.Tests.Policies
{
    public sealed class PolicySizeTests
    {
        // Five 20-character buckets: "twenty-char-bucket-1" .. "-5". Sizes below were computed independently
        // with Python's json.dumps(separators=(",", ":")) over the same statements.
        private static readonly string[] FiveBuckets = Enumerable.Range(1, 5).Select(i => "twenty-char-bucket-" + i).ToArray();

        private static PolicyDocument ReadWriteSession(int buckets)
            => S3AccessPolicies.SessionPolicy(FiveBuckets.Take(buckets), AccessLevel.ReadWrite, null, null, AwsPartition.Aws);

        [Fact]
        public void Sizes_are_counted_like_IAM()
        {
            Assert.Equal(430, S3AccessPolicies.PermanentUserPolicy("my-s3-bucket", AccessLevel.ReadWrite, null, null, AwsPartition.Aws).CompactLength);
            Assert.Equal(1702, ReadWriteSession(4).CompactLength);
            Assert.Equal(2118, ReadWriteSession(5).CompactLength);
        }

        [Fact]
        public void A_session_policy_for_four_20_character_buckets_fits()
            => PolicySize.EnsureFits(ReadWriteSession(4), PolicySize.SessionPolicyLimit, "BucketName", PolicySize.SessionPolicyAdvice);

        [Fact]
        public void A_session_policy_for_five_20_character_buckets_does_not_fit_and_says_what_to_do()
        {
            var error = Assert.Throws<S3CredentialsException>(() =>
                PolicySize.EnsureFits(ReadWriteSession(5), PolicySize.SessionPolicyLimit, "BucketName", PolicySize.SessionPolicyAdvice));
            Assert.Equal("PolicyTooLarge", error.ErrorId);
            Assert.Equal("BucketName", error.ParameterName);
            Assert.Equal(FailureKind.LimitsExceeded, error.Kind);
            Assert.Equal("The policy built from -BucketName is 2,118 characters without whitespace; AWS allows at most 2,048. Ask for fewer buckets per call or use shorter prefixes.", error.Message);
        }

        [Fact]
        public void The_limit_itself_fits_and_one_more_character_does_not()
        {
            var document = ReadWriteSession(5);
            PolicySize.EnsureFits(document, 2118, "BucketName", PolicySize.SessionPolicyAdvice);
            Assert.Throws<S3CredentialsException>(() => PolicySize.EnsureFits(document, 2117, "BucketName", PolicySize.SessionPolicyAdvice));
        }

        [Fact]
        public void A_users_inline_policies_are_limited_together_even_when_each_fits()
        {
            var perBucket = FiveBuckets.Select(b => S3AccessPolicies.PermanentUserPolicy(b, AccessLevel.ReadWrite, null, null, AwsPartition.Aws)).ToList();
            foreach (var policy in perBucket)
                PolicySize.EnsureFits(policy, PolicySize.UserInlinePoliciesLimit, "BucketName", PolicySize.UserPolicyAdvice);
            Assert.Equal(2270, PolicySize.TotalCompactLength(perBucket));
            PolicySize.EnsureFitTogether(perBucket.Take(4), PolicySize.UserInlinePoliciesLimit, "BucketName", PolicySize.UserPolicyAdvice);
            var error = Assert.Throws<S3CredentialsException>(() =>
                PolicySize.EnsureFitTogether(perBucket, PolicySize.UserInlinePoliciesLimit, "BucketName", PolicySize.UserPolicyAdvice));
            Assert.Equal("InlinePoliciesTooLarge", error.ErrorId);
            Assert.Equal("BucketName", error.ParameterName);
            Assert.Equal(FailureKind.LimitsExceeded, error.Kind);
            Assert.Equal(
                "The 5 inline policies built from -BucketName total 2,270 characters without whitespace; AWS allows at most 2,048 for all inline policies of one user or role together. "
                + "Ask for fewer buckets per call or use shorter prefixes; for permanent credentials you can instead attach a customer-managed policy (up to 6,144 characters).",
                error.Message);
        }

        [Fact]
        public void Inline_policies_already_on_the_user_count_towards_the_limit()
        {
            var perBucket = FiveBuckets.Take(4).Select(b => S3AccessPolicies.PermanentUserPolicy(b, AccessLevel.ReadWrite, null, null, AwsPartition.Aws)).ToList();
            PolicySize.EnsureFitTogether(perBucket, PolicySize.UserInlinePoliciesLimit, "BucketName", PolicySize.UserPolicyAdvice, alreadyUsed: 2048 - 1816);
            var error = Assert.Throws<S3CredentialsException>(() =>
                PolicySize.EnsureFitTogether(perBucket, PolicySize.UserInlinePoliciesLimit, "BucketName", PolicySize.UserPolicyAdvice, alreadyUsed: 2048 - 1815));
            Assert.Contains("total 2,049 characters without whitespace (including 233 in inline policies already there)", error.Message);
        }

        [Fact]
        public void Limits_are_IAMs()
        {
            Assert.Equal(2048, PolicySize.UserInlinePoliciesLimit);
            Assert.Equal(2048, PolicySize.SessionPolicyLimit);
            Assert.Equal(2048, PolicySize.RoleTrustPolicyLimit);
            Assert.Equal(6144, PolicySize.ManagedPolicyLimit);
            Assert.Equal(10240, PolicySize.RoleInlinePoliciesLimit);
        }
    }
}
