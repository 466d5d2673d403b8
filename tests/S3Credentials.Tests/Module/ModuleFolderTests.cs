using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Module
{
    /// <summary>
    /// The importable module folder out/S3Credentials as the build writes it: files, format views. What the manifest says
    /// (the files it names, the cmdlets it exports, editions, version) is read by PowerShell itself in
    /// tests/pester/ModuleManifest.Tests.ps1 (Test-ModuleManifest, Import-PowerShellDataFile).
    /// </summary>
    public sealed class ModuleFolderTests
    {
        private const string FormatFileName = "S3Credentials.format.ps1xml";

        private static CmdletMetadata Metadata => CmdletMetadata.Shared;
        private static string FolderManifestPath => Path.Combine(TestPaths.ModuleFolder, "S3Credentials.psd1");

        [Fact]
        public void The_module_folder_does_not_ship_PowerShell()
        {
            Assert.True(File.Exists(Path.Combine(TestPaths.ModuleFolder, CmdletMetadata.CmdletAssemblyFileName)));
            var powerShellCopies = Directory.GetFiles(TestPaths.ModuleFolder, "*", SearchOption.AllDirectories)
                .Where(path => string.Equals(Path.GetFileName(path), "System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase))
                .ToList();
            Assert.True(powerShellCopies.Count == 0, "PowerShell brings its own System.Management.Automation.dll; the module folder must not: " + string.Join(", ", powerShellCopies));
        }

        [Fact]
        public void Every_assembly_the_module_references_ships_in_the_folder()
        {
            // What PowerShell itself provides: the .NET Standard facade, .NET Framework's core and PowerShell.
            var providedByHost = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "netstandard", "mscorlib", "System.Management.Automation" };
            var shipped = new HashSet<string>(Metadata.ModuleAssemblies.Select(a => a.GetName().Name), StringComparer.OrdinalIgnoreCase);

            // S3Credentials.Isolation (PowerShell 7 only) needs .NET 8's own assemblies: DependencyIsolationTests checks it.
            var unresolved = Metadata.ModuleAssemblies
                .Where(assembly => assembly.GetName().Name != "S3Credentials.Isolation")
                .SelectMany(assembly => assembly.GetReferencedAssemblies().Select(reference => (Assembly: assembly.GetName().Name, Reference: reference.Name)))
                .Where(x => !shipped.Contains(x.Reference) && !providedByHost.Contains(x.Reference))
                .Select(x => $"{x.Assembly} -> {x.Reference}")
                .Distinct()
                .ToList();
            Assert.True(unresolved.Count == 0, "Referenced but not in out/S3Credentials or its dependencies/: " + string.Join(", ", unresolved));
        }

        [Theory]
        [InlineData("net8.0", ".NETCoreApp,Version=v8.0")]
        [InlineData("net10.0", ".NETCoreApp,Version=v10.0")]
        public void PowerShell_7s_builds_of_the_core_and_the_SDK_are_compiled_ReadyToRun_for_their_NET(string folder, string framework)
        {
            var directory = Path.Combine(TestPaths.ModuleFolder, "dependencies", folder);
            var names = Directory.GetFiles(directory, "*.dll").Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.Equal(new[] { "AWSSDK.Core", "AWSSDK.Extensions.Numerics", "AWSSDK.S3", "S3Credentials.Core", "System.IO.Hashing" }, names);
            foreach (var name in new[] { "S3Credentials.Core", "AWSSDK.Core", "AWSSDK.S3" })
            {
                var path = Path.Combine(directory, name + ".dll");
                using (var stream = File.OpenRead(path))
                using (var pe = new System.Reflection.PortableExecutable.PEReader(stream))
                {
                    // A ReadyToRun image carries a managed native header beside its IL.
                    Assert.True(pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size > 0, $"{folder}/{name}.dll is not compiled ReadyToRun.");
                }
                var runtime = Directory.GetFiles(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "*.dll");
                using (var context = new MetadataLoadContext(new PathAssemblyResolver(runtime.Append(path))))
                {
                    var target = (string)context.LoadFromAssemblyPath(path).GetCustomAttributesData()
                        .Single(a => a.AttributeType.FullName == typeof(System.Runtime.Versioning.TargetFrameworkAttribute).FullName).ConstructorArguments[0].Value;
                    Assert.Equal(framework, target);
                }
            }
            // The output types stay one copy, beside the cmdlet assembly, where PowerShell sees them.
            Assert.False(File.Exists(Path.Combine(directory, "S3Credentials.Models.dll")));
        }

        [Fact]
        public void The_module_folders_manifest_is_the_repositorys()
        {
            Assert.Equal(File.ReadAllText(TestPaths.ManifestPath), File.ReadAllText(FolderManifestPath));
        }

        [Fact]
        public void The_format_file_names_only_real_types_and_properties()
        {
            var views = FormatViews();
            Assert.NotEmpty(views);
            var problems = new List<string>();

            // A variant's type name (TYPE#VARIANT, as Get-Process -IncludeUserName's objects carry) is checked as its TYPE.
            static string TypeOf(string typeName) => typeName.Split('#')[0];
            foreach (var typeName in FormatFile().Descendants("TypeName").Select(e => e.Value.Trim()).Distinct())
                if (Metadata.FindModuleType(TypeOf(typeName)) == null)
                    problems.Add($"<TypeName>{typeName}</TypeName> is no public type of the module's assemblies.");

            foreach (var view in views)
            {
                foreach (var type in view.TypeNames.Select(TypeOf).Select(Metadata.FindModuleType).Where(t => t != null))
                {
                    var properties = new HashSet<string>(type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
                    foreach (var property in view.PropertyNames.Where(p => !properties.Contains(p)))
                        problems.Add($"View '{view.Name}': {type.FullName} has no property {property}.");
                }
            }
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        [Fact]
        public void Every_output_type_of_every_cmdlet_has_a_view()
        {
            var viewed = new HashSet<string>(FormatViews().SelectMany(v => v.TypeNames), StringComparer.OrdinalIgnoreCase);
            var outputTypes = Metadata.Cmdlets.SelectMany(c => c.OutputTypes.Select(o => (Cmdlet: c.Name, Type: o.Type?.FullName ?? o.TypeName)))
                .Where(o => !PowerShellConventions.PowerShellNativeOutputTypes.Contains(o.Type))
                .ToList();

            Assert.NotEmpty(outputTypes);
            var unviewed = outputTypes.Where(o => !viewed.Contains(o.Type)).Select(o => $"{o.Cmdlet} outputs {o.Type}").ToList();
            Assert.True(unviewed.Count == 0, $"No view in {FormatFileName}: " + string.Join(", ", unviewed));
        }

        private static XDocument FormatFile() => XDocument.Load(Path.Combine(TestPaths.ModuleFolder, FormatFileName));

        private static List<FormatView> FormatViews()
            => FormatFile().Root.Elements("ViewDefinitions").Elements("View")
                .Select(view => new FormatView(
                    (string)view.Element("Name"),
                    view.Elements("ViewSelectedBy").Elements("TypeName").Select(t => t.Value.Trim()).ToList(),
                    view.Descendants("PropertyName").Select(p => p.Value.Trim()).Distinct().ToList()))
                .ToList();

        private sealed record FormatView(string Name, IReadOnlyList<string> TypeNames, IReadOnlyList<string> PropertyNames);

    }
}
