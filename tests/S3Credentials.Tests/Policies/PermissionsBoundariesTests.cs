using S3Credentials.Core;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;
using Xunit;

namespace S3Credentials.Tests.Policies
{
    public sealed class PermissionsBoundariesTests
    {
        [Theory]
        [InlineData(AccessLevel.ReadOnly, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")]
        [InlineData(AccessLevel.ReadWrite, "arn:aws:iam::aws:policy/AmazonS3FullAccess")]
        [InlineData(AccessLevel.WriteOnly, "arn:aws:iam::aws:policy/AmazonS3FullAccess")]
        public void Defaults_follow_the_access_level(AccessLevel access, string expected)
            => Assert.Equal(expected, PermissionsBoundaries.DefaultFor(access, customPolicy: false, AwsPartition.Aws));

        [Fact]
        public void Defaults_use_the_partition()
        {
            Assert.Equal("arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess", PermissionsBoundaries.DefaultFor(AccessLevel.ReadOnly, false, AwsPartition.China));
            Assert.Equal("arn:aws-us-gov:iam::aws:policy/AmazonS3FullAccess", PermissionsBoundaries.DefaultFor(AccessLevel.ReadWrite, false, AwsPartition.GovCloud));
        }

        [Theory]
        [InlineData(AccessLevel.ReadOnly)]
        [InlineData(AccessLevel.ReadWrite)]
        public void Custom_policies_and_statements_get_no_boundary_by_default(AccessLevel access)
        {
            Assert.Null(PermissionsBoundaries.DefaultFor(access, customPolicy: true, AwsPartition.Aws));
            Assert.Null(PermissionsBoundaries.Resolve(null, access, customPolicy: true, AwsPartition.Aws));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("  ")]
        public void Nothing_requested_means_the_default(string requested)
            => Assert.Equal("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", PermissionsBoundaries.Resolve(requested, AccessLevel.ReadOnly, false, AwsPartition.Aws));

        [Theory]
        [InlineData("none")]
        [InlineData("None")]
        [InlineData(" NONE ")]
        public void None_means_no_boundary(string requested)
            => Assert.Null(PermissionsBoundaries.Resolve(requested, AccessLevel.ReadWrite, false, AwsPartition.Aws));

        [Theory]
        [InlineData("arn:aws:iam::aws:policy/PowerUserAccess")]
        [InlineData("arn:aws:iam::123456789012:policy/team/s3-boundary")]
        public void A_requested_managed_policy_ARN_is_used_as_given(string arn)
            => Assert.Equal(arn, PermissionsBoundaries.Resolve(arn, AccessLevel.ReadOnly, customPolicy: true, AwsPartition.Aws));

        [Theory]
        [InlineData("AmazonS3FullAccess")]
        [InlineData("arn:aws-cn:iam::aws:policy/AmazonS3FullAccess")]
        [InlineData("arn:aws:iam::12345:policy/x")]
        [InlineData("arn:aws:iam::123456789012:role/x")]
        [InlineData("arn:aws:iam::aws:policy/")]
        public void Anything_else_is_rejected(string requested)
        {
            var error = Assert.Throws<S3CredentialsException>(() => PermissionsBoundaries.Resolve(requested, AccessLevel.ReadOnly, false, AwsPartition.Aws));
            Assert.Equal("InvalidPermissionsBoundary", error.ErrorId);
            Assert.Equal("PermissionsBoundary", error.ParameterName);
            Assert.StartsWith($"-PermissionsBoundary '{requested}' is not a managed policy ARN of partition aws", error.Message);
        }
    }
}
