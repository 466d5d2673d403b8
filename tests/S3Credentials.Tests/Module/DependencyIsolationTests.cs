using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Versioning;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Module
{
    /// <summary>
    /// How the module folder keeps its AWS SDK to itself (read from the built files; CoexistenceTests runs it):
    /// PowerShell sees S3Credentials.dll, S3Credentials.Models.dll (the output types) and S3Credentials.Isolation.dll;
    /// S3Credentials.Core and the SDK are in
    /// dependencies/, reached through the cmdlet assembly's reference to S3Credentials.Core, which the module initializer
    /// resolves into a private AssemblyLoadContext on PowerShell 7.
    /// </summary>
    public sealed class DependencyIsolationTests
    {
        private const string CoreAssemblyName = "S3Credentials.Core";
        private const string IsolationAssemblyName = "S3Credentials.Isolation";
        private const string InitializerInterface = CmdletMetadata.PowerShellNamespace + ".IModuleAssemblyInitializer";

        private static CmdletMetadata Metadata => CmdletMetadata.Shared;
        private static string DependencyFolder => Path.Combine(TestPaths.ModuleFolder, "dependencies");

        /// <summary>The assemblies that live in the private context: the core and the AWS SDK.</summary>
        private static bool IsPrivate(Assembly assembly) => IsPrivate(assembly.GetName().Name);

        private static bool IsPrivate(string name)
            => name == CoreAssemblyName || name.StartsWith("AWSSDK.", StringComparison.Ordinal);

        [Fact]
        public void PowerShell_sees_the_cmdlet_and_isolation_assemblies_and_the_rest_is_in_dependencies()
        {
            var top = Directory.GetFiles(TestPaths.ModuleFolder, "*.dll").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[] { "S3Credentials.Isolation.dll", "S3Credentials.Models.dll", "S3Credentials.dll" }, top);

            var dependencies = Directory.GetFiles(DependencyFolder, "*.dll").Select(Path.GetFileNameWithoutExtension).ToList();
            foreach (var expected in new[] { CoreAssemblyName, "AWSSDK.Core", "AWSSDK.S3", "AWSSDK.SecurityToken", "AWSSDK.SSO", "AWSSDK.SSOOIDC" })
                Assert.Contains(expected, dependencies);
        }

        [Fact]
        public void The_cmdlet_assembly_reaches_the_AWS_SDK_only_through_S3Credentials_Core()
        {
            var references = Metadata.CmdletAssembly.GetReferencedAssemblies().Select(r => r.Name).ToList();
            Assert.Contains(CoreAssemblyName, references);
            Assert.DoesNotContain(references, r => r.StartsWith("AWSSDK.", StringComparison.Ordinal));
            Assert.DoesNotContain(IsolationAssemblyName, references);
        }

        [Fact]
        public void The_isolation_assembly_targets_NET_8_and_needs_nothing_but_the_framework()
        {
            var isolation = Metadata.ModuleAssemblies.Single(a => a.GetName().Name == IsolationAssemblyName);
            Assert.Equal(Path.GetFullPath(TestPaths.ModuleFolder).TrimEnd(Path.DirectorySeparatorChar), Path.GetDirectoryName(isolation.Location));

            // PowerShell 7.4 runs on .NET 8: a later target would not load there.
            var framework = isolation.GetCustomAttributesData().Single(a => a.AttributeType.FullName == typeof(TargetFrameworkAttribute).FullName);
            Assert.Equal(".NETCoreApp,Version=v8.0", framework.ConstructorArguments[0].Value);

            var references = isolation.GetReferencedAssemblies().Select(r => r.Name).ToList();
            Assert.Contains("System.Runtime.Loader", references);
            Assert.All(references, r => Assert.True(r.StartsWith("System", StringComparison.Ordinal) || r == "netstandard", $"S3Credentials.Isolation references {r}."));
        }

        [Fact]
        public void The_output_types_assembly_needs_nothing_but_netstandard()
        {
            var models = Metadata.ModuleAssemblies.Single(a => a.GetName().Name == "S3Credentials.Models");
            Assert.Equal(new[] { "netstandard" }, models.GetReferencedAssemblies().Select(r => r.Name));
            Assert.All(models.GetExportedTypes(), t => Assert.Equal("S3Credentials.Core.Models", t.Namespace));
        }

        [Fact]
        public void The_module_has_one_initializer_and_it_is_public_sealed_and_constructible()
        {
            var initializers = Metadata.CmdletAssembly.GetTypes()
                .Where(t => t.GetInterfaces().Any(i => i.FullName == InitializerInterface))
                .ToList();

            var initializer = Assert.Single(initializers);
            Assert.True(initializer.IsPublic && initializer.IsSealed && !initializer.IsAbstract, $"{initializer.FullName} must be public and sealed.");
            Assert.NotNull(initializer.GetConstructor(Type.EmptyTypes));
        }

        /// <summary>
        /// PowerShell loads every type of the cmdlet assembly before it calls the initializer. Loading a type loads its
        /// base types, its interfaces and the value types of its fields (for their size): none of them may come from
        /// S3Credentials.Core or the SDK, or the import fails before the private context exists. Reference-type fields,
        /// properties, parameters and method bodies are resolved later, when a cmdlet first runs.
        /// </summary>
        [Fact]
        public void Nothing_PowerShell_loads_before_the_initializer_comes_from_the_core_or_the_SDK()
        {
            var problems = new List<string>();
            foreach (var type in Metadata.CmdletAssembly.GetTypes())
            {
                for (var baseType = type.BaseType; baseType != null; baseType = baseType.BaseType)
                    if (Mentions(baseType, out var found))
                        problems.Add($"{type.FullName} derives from {baseType.FullName} ({found}).");
                foreach (var contract in type.GetInterfaces().Where(i => Mentions(i, out _)))
                    problems.Add($"{type.FullName} implements {contract.FullName}.");
                foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                    if (field.FieldType.IsValueType && Mentions(field.FieldType, out var found))
                        problems.Add($"{type.FullName}.{field.Name} is a value of {field.FieldType} ({found}).");
            }
            Assert.True(problems.Count == 0, "Loaded before the module initializer runs:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }

        /// <summary>True when the type, its element type or any generic argument is defined in the core or the SDK.</summary>
        private static bool Mentions(Type type, out string assembly)
        {
            assembly = null;
            if (type.IsGenericParameter) return false;
            if (type.HasElementType) return Mentions(type.GetElementType(), out assembly);
            if (IsPrivate(type.Assembly))
            {
                assembly = type.Assembly.GetName().Name;
                return true;
            }
            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes)
                if (Mentions(argument, out assembly))
                    return true;
            return false;
        }
    }
}
