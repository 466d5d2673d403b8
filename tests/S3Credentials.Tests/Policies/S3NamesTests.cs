using System;
using System.Collections.Generic;
using System.Linq;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;
using Xunit;

namespace S3Credentials.Tests.Policies
{
    public sealed class S3NamesTests
    {
        private static S3CredentialsException Rejected(Action validate, string errorId, string parameterName)
        {
            var error = Assert.Throws<S3CredentialsException>(validate);
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(parameterName, error.ParameterName);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.StartsWith("-" + parameterName + " ", error.Message);
            return error;
        }

        [Theory]
        [InlineData("abc")]
        [InlineData("my-s3-bucket")]
        [InlineData("static.niche-museums.com")]
        [InlineData("0bucket9")]
        [InlineData("a.b-c.d")]
        [InlineData("123456789012345678901234567890123456789012345678901234567890123")]
        [InlineData("192.168.5")]
        [InlineData("xn-bucket")]
        [InlineData("bucket-s3alias-not")]
        public void Valid_bucket_names_pass(string name) => AwsNames.ValidateBucketName(name);

        [Theory]
        [InlineData(null, "InvalidBucketNameLength")]
        [InlineData("", "InvalidBucketNameLength")]
        [InlineData("ab", "InvalidBucketNameLength")]
        [InlineData("1234567890123456789012345678901234567890123456789012345678901234", "InvalidBucketNameLength")]
        [InlineData("Foo_Bar", "InvalidBucketNameCharacters")]
        [InlineData("MyBucket", "InvalidBucketNameCharacters")]
        [InlineData("my bucket", "InvalidBucketNameCharacters")]
        [InlineData("bücket", "InvalidBucketNameCharacters")]
        [InlineData("-bucket", "InvalidBucketNameEnds")]
        [InlineData("bucket-", "InvalidBucketNameEnds")]
        [InlineData(".bucket", "InvalidBucketNameEnds")]
        [InlineData("bucket.", "InvalidBucketNameEnds")]
        [InlineData("my..bucket", "InvalidBucketNameAdjacentDots")]
        [InlineData("192.168.5.4", "InvalidBucketNameIpAddress")]
        [InlineData("xn--bucket", "InvalidBucketNameReservedPrefix")]
        [InlineData("sthree-bucket", "InvalidBucketNameReservedPrefix")]
        [InlineData("sthree-configurator", "InvalidBucketNameReservedPrefix")]
        [InlineData("amzn-s3-demo-bucket", "InvalidBucketNameReservedPrefix")]
        [InlineData("bucket-s3alias", "InvalidBucketNameReservedSuffix")]
        [InlineData("bucket--ol-s3", "InvalidBucketNameReservedSuffix")]
        [InlineData("bucket.mrap", "InvalidBucketNameReservedSuffix")]
        [InlineData("bucket--x-s3", "InvalidBucketNameReservedSuffix")]
        [InlineData("bucket--table-s3", "InvalidBucketNameReservedSuffix")]
        public void Invalid_bucket_names_are_rejected_with_one_ErrorId_per_rule(string name, string errorId)
            => Rejected(() => AwsNames.ValidateBucketName(name), errorId, "BucketName");

        [Fact]
        public void Bucket_name_message_names_the_parameter_the_value_and_the_rule()
        {
            var error = Rejected(() => AwsNames.ValidateBucketName("Foo_Bar"), "InvalidBucketNameCharacters", "BucketName");
            Assert.Equal("-BucketName 'Foo_Bar' is not a valid S3 bucket name: use only lowercase letters, digits, dots and hyphens.", error.Message);
            var reserved = Rejected(() => AwsNames.ValidateBucketName("logs--x-s3"), "InvalidBucketNameReservedSuffix", "BucketName");
            Assert.Equal("-BucketName 'logs--x-s3' is not a valid S3 bucket name: names ending with '--x-s3' are reserved by AWS.", reserved.Message);
        }

        [Fact]
        public void The_parameter_name_can_be_given()
            => Rejected(() => AwsNames.ValidateBucketName("ab", "Bucket"), "InvalidBucketNameLength", "Bucket");

        [Theory]
        [InlineData("a")]
        [InlineData("logs/")]
        [InlineData("logs/2024/")]
        [InlineData("logs/*")]
        [InlineData("${aws:username}/")]
        [InlineData("dir with spaces/é+")]
        public void Valid_prefixes_pass(string prefix) => S3Names.ValidatePrefix(prefix);

        [Fact]
        public void A_prefix_of_exactly_1024_UTF8_bytes_passes()
        {
            S3Names.ValidatePrefix(new string('a', 1024));
            S3Names.ValidatePrefix(new string('é', 512));
        }

        [Theory]
        [InlineData(null, "PrefixEmpty")]
        [InlineData("", "PrefixEmpty")]
        [InlineData("/foo/", "PrefixLeadingSlash")]
        [InlineData("/", "PrefixLeadingSlash")]
        [InlineData("foo//bar", "PrefixDoubleSlash")]
        [InlineData("foo//", "PrefixDoubleSlash")]
        [InlineData("foo\nbar", "PrefixControlCharacter")]
        [InlineData("foo\u0000", "PrefixControlCharacter")]
        [InlineData("foo\u007f", "PrefixControlCharacter")]
        public void Invalid_prefixes_are_rejected_with_one_ErrorId_per_rule(string prefix, string errorId)
            => Rejected(() => S3Names.ValidatePrefix(prefix), errorId, "Prefix");

        [Fact]
        public void A_prefix_over_1024_UTF8_bytes_is_rejected()
        {
            Rejected(() => S3Names.ValidatePrefix(new string('a', 1025)), "PrefixTooLong", "Prefix");
            var error = Rejected(() => S3Names.ValidatePrefix(new string('é', 513)), "PrefixTooLong", "Prefix");
            Assert.Contains("1026 bytes", error.Message);
        }

        [Fact]
        public void Control_characters_are_reported_by_code_and_position_not_echoed()
        {
            var error = Rejected(() => S3Names.ValidatePrefix("ab\tc"), "PrefixControlCharacter", "Prefix");
            Assert.Contains("U+0009 at position 3", error.Message);
            Assert.DoesNotContain("\t", error.Message);
        }

        [Theory]
        [InlineData("a")]
        [InlineData("s3.read-write.my-bucket,other.bucket")]
        [InlineData("Alice+Bob=x,y.z@example_com-1")]
        [InlineData("1234567890123456789012345678901234567890123456789012345678901234")]
        public void Valid_user_and_role_names_pass(string name)
        {
            AwsNames.ValidateUserName(name);
            AwsNames.ValidateRoleName(name);
        }

        [Theory]
        [InlineData(null, "Length")]
        [InlineData("", "Length")]
        [InlineData("12345678901234567890123456789012345678901234567890123456789012345", "Length")]
        [InlineData("alice smith", "Characters")]
        [InlineData("alice/smith", "Characters")]
        [InlineData("alice:smith", "Characters")]
        [InlineData("élise", "Characters")]
        public void Invalid_user_and_role_names_are_rejected(string name, string rule)
        {
            Rejected(() => AwsNames.ValidateUserName(name), "InvalidUserName" + rule, "UserName");
            Rejected(() => AwsNames.ValidateRoleName(name), "InvalidRoleName" + rule, "RoleName");
        }

        [Theory]
        [InlineData("ab")]
        [InlineData("s3.read-only.a-bucket,b-bucket")]
        [InlineData("x_y+z=w,v.u@t-s")]
        [InlineData("1234567890123456789012345678901234567890123456789012345678901234")]
        public void Valid_role_session_names_pass(string name) => AwsNames.ValidateRoleSessionName(name);

        [Theory]
        [InlineData("a", "InvalidRoleSessionNameLength")]
        [InlineData("12345678901234567890123456789012345678901234567890123456789012345", "InvalidRoleSessionNameLength")]
        [InlineData("my session", "InvalidRoleSessionNameCharacters")]
        [InlineData("s3:session", "InvalidRoleSessionNameCharacters")]
        public void Invalid_role_session_names_are_rejected(string name, string errorId)
            => Rejected(() => AwsNames.ValidateRoleSessionName(name), errorId, "RoleSessionName");

        [Theory]
        [InlineData(AccessLevel.ReadWrite, false, "s3.read-write.pytest-bucket-simonw-1")]
        [InlineData(AccessLevel.ReadOnly, false, "s3.read-only.pytest-bucket-simonw-1")]
        [InlineData(AccessLevel.WriteOnly, false, "s3.write-only.pytest-bucket-simonw-1")]
        [InlineData(AccessLevel.ReadOnly, true, "s3.custom.pytest-bucket-simonw-1")]
        public void Default_user_name_is_s3_credentials_format(AccessLevel access, bool custom, string expected)
            => Assert.Equal(expected, S3Names.DefaultUserName(access, new[] { "pytest-bucket-simonw-1" }, custom));

        [Fact]
        public void Default_names_join_buckets_with_commas()
        {
            Assert.Equal("s3.read-write.static.niche-museums.com,other", S3Names.DefaultUserName(AccessLevel.ReadWrite, new[] { "static.niche-museums.com", "other" }));
            Assert.Equal("s3.read-only.b1-bucket,b2-bucket", S3Names.DefaultRoleSessionName(AccessLevel.ReadOnly, new[] { "b1-bucket", "b2-bucket" }));
            Assert.Equal("s3.custom.b1-bucket,b2-bucket", S3Names.DefaultRoleSessionName(AccessLevel.ReadOnly, new[] { "b1-bucket", "b2-bucket" }, customPolicy: true));
        }

        [Fact]
        public void A_name_of_exactly_64_characters_is_kept()
        {
            var bucket = new string('b', 64 - "s3.read-write.".Length);
            Assert.Equal("s3.read-write." + bucket, S3Names.DefaultUserName(AccessLevel.ReadWrite, new[] { bucket }));
        }

        [Fact]
        public void Long_default_names_are_shortened_to_a_readable_head_and_a_hash()
        {
            var buckets = new[] { "first-bucket-with-a-long-name", "second-bucket-with-a-long-name" };
            var full = "s3.read-write.first-bucket-with-a-long-name,second-bucket-with-a-long-name";
            var name = S3Names.DefaultUserName(AccessLevel.ReadWrite, buckets);
            Assert.Equal(64, name.Length);
            Assert.Equal(full.Substring(0, 55) + "-", name.Substring(0, 56));
            Assert.Matches("^[0-9a-f]{8}$", name.Substring(56));
            AwsNames.ValidateUserName(name);
            Assert.Equal(name, S3Names.DefaultRoleSessionName(AccessLevel.ReadWrite, buckets));
            AwsNames.ValidateRoleSessionName(name);
        }

        [Fact]
        public void Shortening_is_stable_and_uses_SHA256_of_the_full_name()
        {
            var full = "s3.read-write." + new string('a', 60);
            // Literal computed outside .NET (Python hashlib): the first 55 characters, "-", 8 hex digits of SHA-256.
            Assert.Equal("s3.read-write.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-953a9d27", S3Names.FitToLength(full, 64));
            Assert.Equal(full.Substring(0, 55) + "-" + Sha256Prefix(full), S3Names.FitToLength(full, 64));
            Assert.Equal("s3.read-write.aaaa", S3Names.FitToLength("s3.read-write.aaaa", 64));
        }

        [Fact]
        public void Long_names_sharing_their_head_still_differ()
        {
            var head = "s3.read-only." + string.Join(",", Enumerable.Range(0, 5).Select(i => "bucket-number-" + i));
            var names = new HashSet<string>();
            for (var i = 0; i < 200; i++)
            {
                var name = S3Names.DefaultUserName(AccessLevel.ReadOnly, Enumerable.Range(0, 5).Select(j => "bucket-number-" + j).Concat(new[] { "tail-" + i }));
                Assert.True(name.Length <= 64);
                Assert.StartsWith(head.Substring(0, 55), name);
                names.Add(name);
            }
            Assert.Equal(200, names.Count);
        }

        [Fact]
        public void Default_names_refuse_invalid_buckets_and_empty_lists()
        {
            Rejected(() => S3Names.DefaultUserName(AccessLevel.ReadWrite, new[] { "Bad_Bucket" }), "InvalidBucketNameCharacters", "BucketName");
            Assert.Throws<ArgumentException>(() => S3Names.DefaultUserName(AccessLevel.ReadWrite, new string[0]));
        }

        private static string Sha256Prefix(string text)
        {
            var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
            return Convert.ToHexString(hash).Substring(0, 8).ToLowerInvariant();
        }
    }
}
