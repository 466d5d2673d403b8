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
    /// The output types (S3Credentials.Models, beside the cmdlet assembly) are shared with PowerShell's default context,
    /// where PowerShell can name them; everything else (System.*, netstandard) comes from the default context too.
    /// </summary>
    public sealed class ModuleLoadContext : AssemblyLoadContext
    {
        /// <summary>The assembly the cmdlet assembly references; the entry into this context.</summary>
        public const string EntryAssemblyName = "S3Credentials.Core";

        /// <summary>The output types: one copy, in the default context, for PowerShell and for the core.</summary>
        public const string SharedAssemblyName = "S3Credentials.Models";

        private readonly string _moduleDirectory;
        private readonly string _dependencyDirectory;

        /// <param name="dependencyDirectory">The full path of the module's dependencies/ folder; the module folder is its parent.</param>
        public ModuleLoadContext(string dependencyDirectory) : base("S3Credentials", isCollectible: false)
        {
            _dependencyDirectory = dependencyDirectory ?? throw new ArgumentNullException(nameof(dependencyDirectory));
            _moduleDirectory = Path.GetDirectoryName(dependencyDirectory.TrimEnd(Path.DirectorySeparatorChar));
            // Last resort, after the default context: an assembly the framework does not have (Microsoft.Bcl.AsyncInterfaces
            // on some hosts) is taken from dependencies/ too.
            Resolving += (context, name) => LoadFrom(_dependencyDirectory, name);
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
            return IsPrivate(assemblyName.Name) ? LoadFrom(_dependencyDirectory, assemblyName) : null;
        }

        private Assembly LoadFrom(string directory, AssemblyName assemblyName)
        {
            var path = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
