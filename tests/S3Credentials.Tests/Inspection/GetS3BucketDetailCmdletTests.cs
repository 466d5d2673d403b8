using System.Linq;
using System.Reflection;
using S3Credentials.Core.Operations;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Inspection
{
    /// <summary>Get-S3BucketDetail as PowerShell would see it, read from the built module folder (see ModuleMetadataTests).</summary>
    public sealed class GetS3BucketDetailCmdletTests
    {
        private static CmdletDescription Cmdlet
            => CmdletMetadata.Shared.FindCmdlet("Get-S3BucketDetail") ?? throw new Xunit.Sdk.XunitException("Get-S3BucketDetail is not in out/S3Credentials/S3Credentials.dll.");

        [Fact]
        public void Is_a_read_only_cmdlet_on_the_modules_base_class_that_outputs_S3BucketDetail()
        {
            var cmdlet = Cmdlet;
            Assert.Equal("S3Credentials.Commands.GetS3BucketDetailCommand", cmdlet.TypeName);
            Assert.True(CmdletMetadata.DerivesFrom(cmdlet.Type, CmdletMetadata.ModuleBaseClassName));
            Assert.False(cmdlet.SupportsShouldProcess);
            Assert.Equal(new[] { "S3Credentials.Core.Models.S3BucketDetail" }, cmdlet.OutputTypes.Select(o => o.TypeName));
            Assert.Equal(new[] { "BucketName", "ThrottleLimit" },
                cmdlet.Parameters.Where(p => p.DeclaringTypeName == cmdlet.TypeName).Select(p => p.Name).OrderBy(n => n));
        }

        [Fact]
        public void BucketName_is_optional_positional_takes_the_pipeline_and_wildcards()
        {
            var bucketName = Cmdlet.FindParameter("BucketName");
            Assert.Equal("String[]", bucketName.TypeDisplayName);
            Assert.True(bucketName.SupportsWildcards);
            Assert.Contains("Name", bucketName.Aliases);
            var set = Assert.Single(bucketName.Sets);
            Assert.False(set.Mandatory);
            Assert.Equal(0, set.Position);
            Assert.True(set.ValueFromPipeline);
            Assert.True(set.ValueFromPipelineByPropertyName);
        }

        [Fact]
        public void ThrottleLimit_is_validated_from_1_to_the_operations_maximum()
        {
            var property = Cmdlet.Type.GetProperty("ThrottleLimit", BindingFlags.Public | BindingFlags.Instance);
            Assert.Equal("System.Int32", property.PropertyType.FullName);
            // The one -ThrottleLimit rule every cmdlet binds with (1 to BoundedConcurrency.MaxLimit), tested in BoundedConcurrencyTests.
            Assert.Single(property.GetCustomAttributesData(), a => a.AttributeType.Name == "ValidateThrottleLimitAttribute");
            Assert.Equal(BoundedConcurrency.MaxLimit, BucketDetailOperation.MaxThrottleLimit);
            Assert.Equal(64, BucketDetailOperation.MaxThrottleLimit);
            Assert.Equal(16, BucketDetailOperation.DefaultThrottleLimit);
        }
    }
}
