using System;
using System.Linq;
using System.Reflection;
using S3Credentials.Core.Models;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Module
{
    /// <summary>
    /// Export-S3Credential and ConvertTo-S3CredentialText as PowerShell would bind them: New-S3Credential's output goes
    /// in by property name, permanent credentials (no token, no expiry) included.
    /// </summary>
    public sealed class HandOffCmdletTests
    {
        private static readonly string[] PipedProperties = { "AccessKeyId", "SecretAccessKey", "SessionToken", "Region", "Expiration" };

        [Theory]
        [InlineData("Export-S3Credential")]
        [InlineData("ConvertTo-S3CredentialText")]
        public void New_S3Credential_output_binds_by_property_name_even_without_token_or_expiry(string name)
        {
            var cmdlet = CmdletMetadata.Shared.FindCmdlet(name);
            Assert.NotNull(cmdlet);
            foreach (var property in PipedProperties)
            {
                var parameter = cmdlet.FindParameter(property);
                Assert.NotNull(parameter);
                var set = Assert.Single(parameter.Sets);
                Assert.True(set.ValueFromPipelineByPropertyName, $"{name} -{property} must take its value by property name.");
                Assert.False(set.ValueFromPipeline);
                Assert.Equal(property is "AccessKeyId" or "SecretAccessKey", set.Mandatory);
                // The same type as S3Credential's property, so that binding never needs a conversion that can fail.
                Assert.Equal(typeof(S3Credential).GetProperty(property).PropertyType.FullName, parameter.TypeName);
                // Permanent credentials have a null SessionToken and Expiration: no validation may refuse null.
                if (!set.Mandatory)
                    Assert.DoesNotContain(cmdlet.Type.GetProperty(property).GetCustomAttributesData(), a => a.AttributeType.Name.StartsWith("Validate", StringComparison.Ordinal));
            }
        }

        [Fact]
        public void Export_S3Credential_asks_before_writing_and_names_its_profile_first()
        {
            var export = CmdletMetadata.Shared.FindCmdlet("Export-S3Credential");
            Assert.True(export.SupportsShouldProcess);
            Assert.Equal("Medium", export.ConfirmImpact);
            Assert.Equal(new[] { "S3Credentials.Core.Models.ExportedCredentialProfile" }, export.OutputTypes.Select(o => o.TypeName));
            Assert.Equal(0, export.FindParameter("ProfileName").Sets.Single().Position);
            Assert.True(export.FindParameter("ProfileName").Sets.Single().Mandatory);
            Assert.Equal(1, export.FindParameter("Path").Sets.Single().Position);
            Assert.True(export.FindParameter("Force").IsSwitch);
            Assert.True(export.FindParameter("PassThru").IsSwitch);
            Assert.False(CmdletMetadata.DerivesFrom(export.Type, CmdletMetadata.ModuleBaseClassName), "Export-S3Credential calls no AWS service: it takes no credential parameters.");
        }

        [Fact]
        public void ConvertTo_S3CredentialText_returns_strings_in_the_formats_of_the_core()
        {
            var convert = CmdletMetadata.Shared.FindCmdlet("ConvertTo-S3CredentialText");
            Assert.False(convert.SupportsShouldProcess);
            Assert.Equal(new[] { "System.String" }, convert.OutputTypes.Select(o => o.TypeName));
            var format = convert.FindParameter("Format");
            Assert.Equal("S3Credentials.Core.Models.CredentialTextFormat", format.TypeName);
            Assert.True(format.Sets.Single().Mandatory);
            Assert.Equal(0, format.Sets.Single().Position);
            Assert.Equal(Enum.GetNames(typeof(S3Credentials.Core.Models.CredentialTextFormat)), format.Type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name));
            Assert.False(CmdletMetadata.DerivesFrom(convert.Type, CmdletMetadata.ModuleBaseClassName));
        }
    }
}
