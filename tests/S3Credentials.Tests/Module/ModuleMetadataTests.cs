using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Module
{
    /// <summary>
    /// The cmdlet assembly's shape, read from out/S3Credentials with MetadataLoadContext: what PowerShell would see on
    /// Import-Module, checked for every cmdlet the assembly holds (none is named here except to prove the reader works).
    /// </summary>
    public sealed class ModuleMetadataTests
    {
        /// <summary>Property types that every PowerShell host, ConvertTo-Json and Export-Csv render the same way.</summary>
        private static readonly ISet<string> PlainPropertyTypes = new HashSet<string>(StringComparer.Ordinal)
        {
            // NameList: a read-only list of strings whose ToString joins them, so a CSV cell shows the names (string[] shows
            // "System.String[]"); it is the only type of the module's own an output property may have.
            "System.String", "S3Credentials.Core.Models.NameList", "System.Boolean", "System.Int32", "System.Int64", "System.Double",
            "System.DateTime", "System.TimeSpan",
            "System.Nullable`1[System.Boolean]", "System.Nullable`1[System.Int32]", "System.Nullable`1[System.Int64]",
            "System.Nullable`1[System.Double]", "System.Nullable`1[System.DateTime]", "System.Nullable`1[System.TimeSpan]",
        };

        private static readonly string[] OutputTypeNamespaces = { "S3Credentials.Core.Models" };

        private static CmdletMetadata Metadata => CmdletMetadata.Shared;

        [Fact]
        public void The_metadata_reader_finds_the_cmdlets_and_their_inherited_parameters()
        {
            Assert.NotEmpty(Metadata.Cmdlets);

            var callerIdentity = Metadata.FindCmdlet("Get-S3CallerIdentity");
            Assert.NotNull(callerIdentity);
            Assert.Equal("S3Credentials.Commands.GetS3CallerIdentityCommand", callerIdentity.TypeName);
            Assert.Equal("Get", callerIdentity.Verb);
            Assert.Equal("S3CallerIdentity", callerIdentity.Noun);
            Assert.False(callerIdentity.SupportsShouldProcess);
            Assert.Equal("Medium", callerIdentity.ConfirmImpact);
            Assert.Equal(new[] { "S3Credentials.Core.Models.CallerIdentity" }, callerIdentity.OutputTypes.Select(o => o.TypeName));
            Assert.NotNull(callerIdentity.OutputTypes[0].Type);

            var accessKey = callerIdentity.FindParameter("AccessKey");
            Assert.NotNull(accessKey);
            Assert.Equal("System.String", accessKey.TypeName);
            Assert.Equal("String", accessKey.TypeDisplayName);
            Assert.Equal(CmdletMetadata.ModuleBaseClassName, accessKey.DeclaringTypeName);
            Assert.Equal(new[] { "AK" }, accessKey.Aliases);
            var set = Assert.Single(accessKey.Sets);
            Assert.Equal(CmdletMetadata.AllParameterSets, set.Name);
            Assert.False(set.Mandatory);
            Assert.Null(set.Position);
            Assert.False(set.ValueFromPipeline);
            Assert.False(accessKey.SupportsWildcards);
            Assert.Null(accessKey.ValidateSetValues);

            Assert.Equal("PSObject", callerIdentity.FindParameter("Credential").TypeDisplayName);
            Assert.Equal(new[] { "Profile", "StoredCredentials", "AWSProfileName" }, callerIdentity.FindParameter("ProfileName").Aliases);
        }

        /// <summary>AWS.Tools' names for the common credential parameters (AWSCredentialsArgumentsFull), by parameter.</summary>
        public static IEnumerable<object[]> AwsToolsAliases() => new[]
        {
            new object[] { "AccessKey", new[] { "AK" } },
            new object[] { "SecretKey", new[] { "SK", "SecretAccessKey" } },
            new object[] { "SessionToken", new[] { "ST" } },
            new object[] { "ProfileName", new[] { "Profile", "StoredCredentials", "AWSProfileName" } },
            new object[] { "ProfileLocation", new[] { "ProfilesLocation", "AWSProfilesLocation" } },
        };

        [Theory]
        [MemberData(nameof(AwsToolsAliases))]
        public void Every_cmdlet_that_talks_to_AWS_answers_to_AWS_Tools_names_for_its_credential_parameters(string parameter, string[] aliases)
        {
            var cmdlets = Metadata.Cmdlets.Where(c => c.Parameters.Any(p => p.Name == parameter && p.DeclaringTypeName == CmdletMetadata.ModuleBaseClassName)).ToList();
            Assert.True(cmdlets.Count >= 10, $"only {cmdlets.Count} cmdlets inherit -{parameter}");
            foreach (var cmdlet in cmdlets)
                Assert.Equal(aliases, cmdlet.FindParameter(parameter).Aliases);
        }

        [Fact]
        public void Every_concrete_cmdlet_class_has_a_Cmdlet_attribute()
        {
            Assert.Empty(Metadata.CmdletTypesWithoutCmdletAttribute);
        }

        [Fact]
        public void Cmdlet_classes_are_public_sealed_PSCmdlets()
        {
            AssertNoProblems(Metadata.Cmdlets.SelectMany(cmdlet => new[]
            {
                cmdlet.Type.IsPublic ? null : $"{cmdlet.TypeName} is not public.",
                cmdlet.Type.IsSealed ? null : $"{cmdlet.TypeName} is not sealed.",
                CmdletMetadata.DerivesFrom(cmdlet.Type, CmdletMetadata.PSCmdletClassName) ? null : $"{cmdlet.TypeName} does not derive from PSCmdlet.",
            }));
        }

        [Fact]
        public void Every_cmdlet_declares_its_output_type()
        {
            AssertNoProblems(Metadata.Cmdlets.Select(cmdlet => cmdlet.OutputTypes.Count > 0 ? null : $"{cmdlet.Name} has no [OutputType]."));
        }

        [Fact]
        public void State_changing_cmdlets_support_WhatIf_and_Confirm_and_cmdlets_that_delete_confirm_by_default()
        {
            AssertNoProblems(Metadata.Cmdlets.SelectMany(cmdlet => new[]
            {
                !PowerShellConventions.StateChangingVerbs.Contains(cmdlet.Verb) || PowerShellConventions.CmdletsThatChangeNothing.Contains(cmdlet.Name) || cmdlet.SupportsShouldProcess ? null
                    : $"{cmdlet.Name} changes state ('{cmdlet.Verb}') but does not declare SupportsShouldProcess = true.",
                !PowerShellConventions.CmdletsThatChangeNothing.Contains(cmdlet.Name) || !cmdlet.SupportsShouldProcess ? null
                    : $"{cmdlet.Name} changes nothing: it must not offer -WhatIf and -Confirm (SupportsShouldProcess).",
                !(cmdlet.Verb is "Remove" or "Unregister" || PowerShellConventions.CmdletsThatDelete.Contains(cmdlet.Name)) || cmdlet.ConfirmImpact == "High" ? null
                    : $"{cmdlet.Name} deletes things: it must declare ConfirmImpact = ConfirmImpact.High (it has {cmdlet.ConfirmImpact}).",
            }));
        }

        [Fact]
        public void No_cmdlet_shadows_an_AWS_Tools_S3_cmdlet()
        {
            AssertNoProblems(Metadata.Cmdlets.Select(cmdlet => PowerShellConventions.AwsToolsS3Cmdlets.Contains(cmdlet.Name)
                ? $"{cmdlet.Name} has the name of an AWS.Tools.S3 cmdlet." : null));
        }

        [Fact]
        public void Output_types_are_public_core_models_with_plain_properties()
        {
            var problems = new List<string>();
            foreach (var cmdlet in Metadata.Cmdlets)
            {
                foreach (var output in cmdlet.OutputTypes.Where(o => !PowerShellConventions.PowerShellNativeOutputTypes.Contains(o.TypeName)))
                {
                    var type = output.Type;
                    if (type == null)
                    {
                        problems.Add($"{cmdlet.Name}: [OutputType] names '{output.TypeName}', which is no public type of the module.");
                        continue;
                    }
                    if (!type.IsPublic || !type.IsClass)
                        problems.Add($"{cmdlet.Name}: {type.FullName} is not a public class.");
                    if (type.Assembly.GetName().Name != "S3Credentials.Models" || !OutputTypeNamespaces.Contains(type.Namespace))
                        problems.Add($"{cmdlet.Name}: {type.FullName} must live in S3Credentials.Core.Models of S3Credentials.Models.dll, the assembly PowerShell can see.");
                    foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
                        problems.Add($"{type.FullName}.{field.Name} is a public field: use a property.");
                    foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    {
                        var propertyType = property.PropertyType;
                        if (propertyType.IsEnum || (Nullable(propertyType)?.IsEnum ?? false))
                            problems.Add($"{type.FullName}.{property.Name} is an enum ({propertyType.FullName}): use a string so output serialises by name.");
                        else if (!PlainPropertyTypes.Contains(PlainTypeName(propertyType)))
                            problems.Add($"{type.FullName}.{property.Name} has type {propertyType.FullName}: output properties must be string, bool, int, long, double, DateTime, TimeSpan, their nullable forms, or NameList (not string[], which Export-Csv writes as System.String[]).");
                        if (property.GetGetMethod() == null)
                            problems.Add($"{type.FullName}.{property.Name} has no public getter.");
                    }
                }
            }
            AssertNoProblems(problems);
        }

        [Fact]
        public void Cmdlets_that_talk_to_AWS_have_every_common_parameter_from_the_base_class()
        {
            var awsCmdlets = Metadata.Cmdlets.Where(c => CmdletMetadata.DerivesFrom(c.Type, CmdletMetadata.ModuleBaseClassName)).ToList();
            Assert.NotEmpty(awsCmdlets);
            AssertNoProblems(awsCmdlets.SelectMany(cmdlet => PowerShellConventions.ModuleCommonParameters.Select(name =>
            {
                var parameter = cmdlet.FindParameter(name);
                if (parameter == null)
                    return $"{cmdlet.Name} lacks the common parameter -{name}.";
                if (parameter.DeclaringTypeName != CmdletMetadata.ModuleBaseClassName)
                    return $"{cmdlet.Name} redeclares -{name} instead of inheriting it from {CmdletMetadata.ModuleBaseClassName}.";
                if (!parameter.IsInAllSets || parameter.Sets.Any(s => s.Mandatory))
                    return $"{cmdlet.Name}: -{name} must be optional and in every parameter set.";
                return null;
            })));
        }

        [Fact]
        public void Parameter_metadata_is_valid_for_PowerShells_binder()
        {
            var problems = new List<string>();
            foreach (var cmdlet in Metadata.Cmdlets)
            {
                // Names and aliases share one namespace with PowerShell's common parameters; a clash fails every call.
                var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var common in PowerShellConventions.PowerShellCommonParameterAliases)
                {
                    owners[common.Key] = "PowerShell's -" + common.Key;
                    owners[common.Value] = "PowerShell's -" + common.Key;
                }
                foreach (var parameter in cmdlet.Parameters)
                {
                    foreach (var name in new[] { parameter.Name }.Concat(parameter.Aliases))
                    {
                        if (owners.TryGetValue(name, out var owner))
                            problems.Add($"{cmdlet.Name}: '{name}' of -{parameter.Name} is already taken by {owner}.");
                        else
                            owners[name] = "-" + parameter.Name;
                    }
                }

                var setNames = cmdlet.ParameterSetNames;
                if (cmdlet.DefaultParameterSetName != null && !setNames.Contains(cmdlet.DefaultParameterSetName, StringComparer.OrdinalIgnoreCase))
                    problems.Add($"{cmdlet.Name}: DefaultParameterSetName '{cmdlet.DefaultParameterSetName}' is not a parameter set of its parameters.");
                if (setNames.Count > 1 && cmdlet.DefaultParameterSetName == null)
                    problems.Add($"{cmdlet.Name} has several parameter sets but no DefaultParameterSetName.");

                foreach (var setName in setNames.DefaultIfEmpty(CmdletMetadata.AllParameterSets))
                {
                    var inSet = cmdlet.Parameters
                        .Select(p => (Parameter: p, Set: p.Sets.FirstOrDefault(s => string.Equals(s.Name, setName, StringComparison.OrdinalIgnoreCase))
                                                        ?? p.Sets.FirstOrDefault(s => s.Name == CmdletMetadata.AllParameterSets)))
                        .Where(x => x.Set != null)
                        .ToList();
                    foreach (var clash in inSet.Where(x => x.Set.Position != null).GroupBy(x => x.Set.Position).Where(g => g.Count() > 1))
                        problems.Add($"{cmdlet.Name}, set {setName}: position {clash.Key} is shared by {string.Join(", ", clash.Select(x => "-" + x.Parameter.Name))}.");
                    var byValue = inSet.Where(x => x.Set.ValueFromPipeline).Select(x => x.Parameter.Name).ToList();
                    if (byValue.Count > 1)
                        problems.Add($"{cmdlet.Name}, set {setName}: more than one parameter takes the whole pipeline object ({string.Join(", ", byValue)}).");
                }
            }
            AssertNoProblems(problems);
        }

        /// <summary>The full name, with a nullable's argument unqualified: System.Nullable`1[System.DateTime].</summary>
        private static string PlainTypeName(Type type)
            => Nullable(type) is Type underlying ? "System.Nullable`1[" + underlying.FullName + "]" : type.FullName;

        private static Type Nullable(Type type)
            => type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0] : null;

        private static void AssertNoProblems(IEnumerable<string> problems)
        {
            var found = problems.Where(p => p != null).ToList();
            Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
        }
    }
}
