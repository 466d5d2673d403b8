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
    /// <summary>The importable module folder out/S3Credentials as the build writes it: manifest, files, format views.</summary>
    public sealed class ModuleFolderTests
    {
        private const string FormatFileName = "S3Credentials.format.ps1xml";

        /// <summary>Manifest keys whose values are files that must ship in the module folder.</summary>
        private static readonly string[] FileNamingManifestKeys = { "RootModule", "RequiredAssemblies", "NestedModules", "FormatsToProcess", "TypesToProcess", "ScriptsToProcess", "FileList" };

        private static readonly Dictionary<string, object> Manifest = PowerShellDataFile.ReadHashtable(TestPaths.ManifestPath);
        private static CmdletMetadata Metadata => CmdletMetadata.Shared;
        private static string FolderManifestPath => Path.Combine(TestPaths.ModuleFolder, "S3Credentials.psd1");

        [Fact]
        public void Every_file_the_manifest_names_is_in_the_module_folder()
        {
            var named = FileNamingManifestKeys
                .Where(Manifest.ContainsKey)
                .SelectMany(key => Values(Manifest[key]).Select(value => (Key: key, File: FileName(value))))
                .ToList();

            Assert.Contains(named, n => n.Key == "RootModule" && n.File == CmdletMetadata.CmdletAssemblyFileName);
            Assert.Contains(named, n => n.Key == "FormatsToProcess" && n.File == FormatFileName);
            var missing = named.Where(n => !File.Exists(Path.Combine(TestPaths.ModuleFolder, n.File))).Select(n => $"{n.Key}: {n.File}").ToList();
            Assert.True(missing.Count == 0, "Named by the manifest but not in out/S3Credentials: " + string.Join(", ", missing));
        }

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
        public void The_MIT_licence_ships_in_the_module_folder_and_the_manifest_invents_no_web_address()
        {
            var licence = File.ReadAllText(Path.Combine(TestPaths.ModuleFolder, "LICENSE"));
            Assert.StartsWith("MIT License", licence);
            Assert.Equal(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "LICENSE")), licence);
            // No public home yet: no ProjectUri, LicenseUri or HelpInfoUri until there is one.
            var psData = (Dictionary<string, object>)((Dictionary<string, object>)Manifest["PrivateData"])["PSData"];
            Assert.DoesNotContain("ProjectUri", psData.Keys);
            Assert.DoesNotContain("LicenseUri", psData.Keys);
            Assert.DoesNotContain("HelpInfoUri", Manifest.Keys);
        }

        [Fact]
        public void The_manifest_declares_both_editions_and_the_oldest_supported_hosts()
        {
            Assert.Equal(new[] { "Core", "Desktop" }, Values(Manifest["CompatiblePSEditions"]).Cast<string>().OrderBy(e => e, StringComparer.Ordinal));
            Assert.Equal("5.1", Manifest["PowerShellVersion"]);
            Assert.Equal("4.7.2", Manifest["DotNetFrameworkVersion"]);
            Assert.True(Guid.TryParse(Manifest["GUID"] as string, out var guid) && guid != Guid.Empty, $"GUID '{Manifest["GUID"]}' is not a GUID.");
            Assert.Equal(CmdletMetadata.CmdletAssemblyFileName, Manifest["RootModule"]);
        }

        [Fact]
        public void The_module_version_is_the_assemblys()
        {
            var version = Metadata.CmdletAssemblyVersion;
            Assert.Equal($"{version.Major}.{version.Minor}.{version.Build}", Manifest["ModuleVersion"]);
        }

        [Fact]
        public void The_format_file_names_only_real_types_and_properties()
        {
            var views = FormatViews();
            Assert.NotEmpty(views);
            var problems = new List<string>();

            foreach (var typeName in FormatFile().Descendants("TypeName").Select(e => e.Value.Trim()).Distinct())
                if (Metadata.FindModuleType(typeName) == null)
                    problems.Add($"<TypeName>{typeName}</TypeName> is no public type of the module's assemblies.");

            foreach (var view in views)
            {
                foreach (var type in view.TypeNames.Select(Metadata.FindModuleType).Where(t => t != null))
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

        /// <summary>A manifest value as a list: one value, or the items of an array.</summary>
        private static IEnumerable<object> Values(object value) => value is List<object> list ? list : new[] { value };

        /// <summary>A file a manifest entry names: a path, or a module specification hashtable's ModuleName.</summary>
        private static string FileName(object entry)
            => entry is Dictionary<string, object> specification ? (string)specification["ModuleName"] : (string)entry;
    }
}
