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

        /// <summary>
        /// The assemblies nobody can load before the initializer runs: everything in dependencies/ (the core, the AWS SDK,
        /// and on Windows PowerShell also System.Text.Json and the other helpers .NET Framework does not have).
        /// </summary>
        private static bool IsUnreachableBeforeInitializer(Assembly assembly)
            => string.Equals(Path.GetDirectoryName(assembly.Location), Path.GetFullPath(DependencyFolder), StringComparison.Ordinal);

        [Fact]
        public void PowerShell_sees_the_cmdlet_and_isolation_assemblies_and_the_rest_is_in_dependencies()
        {
            var top = Directory.GetFiles(TestPaths.ModuleFolder, "*.dll").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[] { "S3Credentials.Isolation.dll", "S3Credentials.Models.dll", "S3Credentials.dll" }, top);

            var dependencies = Directory.GetFiles(DependencyFolder, "*.dll").Select(Path.GetFileNameWithoutExtension).ToList();
            foreach (var expected in new[] { CoreAssemblyName, "AWSSDK.Core", "AWSSDK.S3" })
                Assert.Contains(expected, dependencies);
        }

        /// <summary>
        /// AWSSDK.Core, every copy of it in the process (AWS.Tools' too), finds the clients for role, web-identity and SSO
        /// credentials by taking the first loaded assembly of these names. The module ships none and calls STS, the SSO
        /// portal and SSO OIDC through its own clients, so AWS.Tools always finds its own.
        /// </summary>
        private static readonly string[] AssembliesTheSdkFindsByName = { "AWSSDK.SecurityToken", "AWSSDK.SSO", "AWSSDK.SSOOIDC" };

        [Fact]
        public void The_module_ships_and_references_no_assembly_AWSSDK_Core_looks_up_by_name()
        {
            Assert.All(AssembliesTheSdkFindsByName, name =>
                Assert.False(File.Exists(Path.Combine(DependencyFolder, name + ".dll")), $"dependencies/ holds {name}.dll."));
            var core = Metadata.Context.LoadFromAssemblyPath(Path.Combine(DependencyFolder, CoreAssemblyName + ".dll"));
            var references = core.GetReferencedAssemblies().Select(r => r.Name).ToList();
            Assert.Contains("AWSSDK.Core", references);
            Assert.Empty(references.Intersect(AssembliesTheSdkFindsByName));
            // Nor does the build the tests use, which the test project's own references to those packages (the other
            // SDK of the coexistence tests) could otherwise hide.
            Assert.Empty(typeof(S3Credentials.Core.Sts.StsClient).Assembly.GetReferencedAssemblies().Select(r => r.Name).Intersect(AssembliesTheSdkFindsByName));
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

        private const string ModelsAssemblyName = "S3Credentials.Models";
        private const string OperationHostTypeName = "S3Credentials.Core.Operations.IOperationHost";

        private static Assembly ModelsAssembly => Metadata.ModuleAssemblies.Single(a => a.GetName().Name == ModelsAssemblyName);

        /// <summary>
        /// S3Credentials.Models is loaded into PowerShell's default context and shared with the private one, on Windows
        /// PowerShell 5.1 too (netstandard2.0): it may reference neither the AWS SDK nor PowerShell. It holds the output
        /// types and the enums the parameters take, in the namespace users name them by, and the operations' host contract.
        /// </summary>
        [Fact]
        public void The_shared_types_assembly_needs_nothing_but_netstandard_and_holds_the_models_and_the_operation_host()
        {
            Assert.Equal(new[] { "netstandard" }, ModelsAssembly.GetReferencedAssemblies().Select(r => r.Name));
            var framework = ModelsAssembly.GetCustomAttributesData().Single(a => a.AttributeType.FullName == typeof(TargetFrameworkAttribute).FullName);
            Assert.Equal(".NETStandard,Version=v2.0", framework.ConstructorArguments[0].Value);

            var exported = ModelsAssembly.GetExportedTypes();
            Assert.All(exported.Where(t => t.FullName != OperationHostTypeName), t => Assert.Equal("S3Credentials.Core.Models", t.Namespace));
            var enums = exported.Where(t => t.IsEnum).Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[] { "AccessLevel", "CredentialTextFormat", "PresignedUrlMethod", "TemporaryCredentialMethod" }, enums);
            Assert.True(exported.Single(t => t.FullName == OperationHostTypeName).IsInterface);
        }

        /// <summary>
        /// PowerShell names a parameter's type (help, Get-Command, [type] casts) only when it is in its default context: an
        /// enum a cmdlet takes comes from the framework, PowerShell or S3Credentials.Models, never from S3Credentials.Core.
        /// </summary>
        [Fact]
        public void Every_enum_a_cmdlet_parameter_takes_comes_from_S3Credentials_Models_or_the_framework()
        {
            var problems = new List<string>();
            foreach (var cmdlet in Metadata.Cmdlets)
                foreach (var parameter in cmdlet.Parameters)
                {
                    var type = parameter.Type.HasElementType ? parameter.Type.GetElementType() : parameter.Type;
                    if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1")
                        type = type.GetGenericArguments()[0];
                    var assembly = type.Assembly.GetName().Name;
                    if (type.IsEnum && assembly != ModelsAssemblyName && assembly != "System.Runtime" && assembly != "netstandard"
                        && !assembly.StartsWith("System.", StringComparison.Ordinal))
                        problems.Add($"{cmdlet.Name} -{parameter.Name}: {type.FullName} from {assembly}");
                }
            Assert.True(problems.Count == 0, "Enums PowerShell cannot name:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
            Assert.Equal(ModelsAssemblyName, Metadata.FindCmdlet("New-S3Credential").FindParameter("Access").Type.Assembly.GetName().Name);
        }

        /// <summary>The cmdlets serve operations through their own host: it implements the shared contract itself.</summary>
        [Fact]
        public void The_cmdlets_pipeline_host_implements_the_operation_host_contract_of_S3Credentials_Models()
        {
            var host = Metadata.CmdletAssembly.GetType("S3Credentials.PipelineOperationHost", throwOnError: true);
            var contract = Assert.Single(host.GetInterfaces(), i => i.FullName == OperationHostTypeName);
            Assert.Equal(ModelsAssemblyName, contract.Assembly.GetName().Name);
        }

        [Theory]
        [InlineData(3, false)] // PowerShell 7.0 and 7.1
        [InlineData(7, false)] // PowerShell 7.3
        [InlineData(8, true)]  // PowerShell 7.4
        [InlineData(10, true)]
        public void On_PowerShell_7_only_NET_8_or_later_is_accepted_and_the_refusal_says_what_is_needed(int major, bool accepted)
        {
            // DependencyLoader touches nothing of PowerShell, so the built cmdlet assembly can run it here.
            var loader = Assembly.LoadFrom(Path.Combine(TestPaths.ModuleFolder, CmdletMetadata.CmdletAssemblyFileName))
                .GetType("S3Credentials.DependencyLoader", throwOnError: true);
            var problem = (string)loader.GetMethod("UnsupportedRuntime", BindingFlags.NonPublic | BindingFlags.Static)
                .Invoke(null, new object[] { new Version(major, 0) });

            if (accepted)
                Assert.Null(problem);
            else
                Assert.Equal($"S3Credentials needs PowerShell 7.4 or later (.NET 8 or later) or Windows PowerShell 5.1; this PowerShell runs on .NET {major}.0.", problem);
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
        /// dependencies/, or the import fails before the initializer has made it loadable. Reference-type fields,
        /// properties, parameters and method bodies are resolved later, when a cmdlet first runs.
        /// </summary>
        [Fact]
        public void Nothing_PowerShell_loads_before_the_initializer_comes_from_the_dependencies_folder()
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

        /// <summary>True when the type, its element type or any generic argument is defined in dependencies/.</summary>
        private static bool Mentions(Type type, out string assembly)
        {
            assembly = null;
            if (type.IsGenericParameter) return false;
            if (type.HasElementType) return Mentions(type.GetElementType(), out assembly);
            if (IsUnreachableBeforeInitializer(type.Assembly))
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
