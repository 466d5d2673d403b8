using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace S3Credentials.Isolation
{
    /// <summary>
    /// The module's private load context on PowerShell 7. It loads S3Credentials.Core and the AWS SDK from the
    /// module's dependencies/ folder, so an AWSSDK.Core that another module (AWS.Tools) has loaded, of any version,
    /// is never used by this module, and this module's is never seen by the other.
    /// The output types, parameter enums and IOperationHost (S3Credentials.Models, beside the cmdlet assembly) are shared
    /// with PowerShell's default context, where PowerShell can name them and the cmdlets use them; everything else
    /// (System.*, netstandard) comes from the default context too.
    /// </summary>
    public sealed class ModuleLoadContext : AssemblyLoadContext
    {
        /// <summary>The assembly the cmdlet assembly references; the entry into this context.</summary>
        public const string EntryAssemblyName = "S3Credentials.Core";

        /// <summary>The output types: one copy, in the default context, for PowerShell and for the core.</summary>
        public const string SharedAssemblyName = "S3Credentials.Models";

        /// <summary>The .NET builds in dependencies/ (netN.0 folders, compiled ReadyToRun), newest first.</summary>
        internal static readonly int[] RuntimeBuilds = { 10, 8 };

        private readonly string _moduleDirectory;
        private readonly string _dependencyDirectory;
        private readonly string _runtimeDirectory;

        /// <param name="dependencyDirectory">The full path of the module's dependencies/ folder; the module folder is its parent.</param>
        public ModuleLoadContext(string dependencyDirectory) : base("S3Credentials", isCollectible: false)
        {
            _dependencyDirectory = dependencyDirectory ?? throw new ArgumentNullException(nameof(dependencyDirectory));
            _moduleDirectory = Path.GetDirectoryName(dependencyDirectory.TrimEnd(Path.DirectorySeparatorChar));
            _runtimeDirectory = RuntimeBuildDirectory(dependencyDirectory, Environment.Version.Major);
            // Last resort, after the default context: an assembly the framework does not have (Microsoft.Bcl.AsyncInterfaces
            // on some hosts) is taken from dependencies/ too.
            Resolving += (context, name) => LoadPrivate(name);
        }

        /// <summary>
        /// The folder of the build for this .NET: dependencies/netN.0 for the newest N not above the runtime's major version
        /// (its ReadyToRun code is used on .NET N only; on a later .NET it runs as IL); null when there is none (a module
        /// folder built without them), and then the netstandard2.0 build in dependencies/ is used.
        /// </summary>
        internal static string RuntimeBuildDirectory(string dependencyDirectory, int runtimeMajor)
        {
            foreach (var major in RuntimeBuilds)
            {
                var candidate = Path.Combine(dependencyDirectory, "net" + major + ".0");
                if (major <= runtimeMajor && File.Exists(Path.Combine(candidate, EntryAssemblyName + ".dll")))
                    return candidate;
            }
            return null;
        }


        public string DependencyDirectory => _dependencyDirectory;

        /// <summary>True for the assemblies that must always be this module's own copy: its core and the AWS SDK.</summary>
        private static bool IsPrivate(string assemblyName)
            => string.Equals(assemblyName, EntryAssemblyName, StringComparison.OrdinalIgnoreCase)
               || (assemblyName != null && assemblyName.StartsWith("AWSSDK.", StringComparison.OrdinalIgnoreCase));

        /// <summary>The default context's S3Credentials.Models, loaded from the module folder if it is not there yet.</summary>
        public Assembly LoadShared() => Default.LoadFromAssemblyPath(Path.Combine(_moduleDirectory, SharedAssemblyName + ".dll"));

        protected override Assembly Load(AssemblyName assemblyName)
        {
            if (string.Equals(assemblyName.Name, SharedAssemblyName, StringComparison.OrdinalIgnoreCase))
                return LoadShared();
            return IsPrivate(assemblyName.Name) ? LoadPrivate(assemblyName) : null;
        }

        private Assembly LoadPrivate(AssemblyName assemblyName)
            => (_runtimeDirectory == null ? null : LoadFrom(_runtimeDirectory, assemblyName)) ?? LoadFrom(_dependencyDirectory, assemblyName);

        private Assembly LoadFrom(string directory, AssemblyName assemblyName)
        {
            var path = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
