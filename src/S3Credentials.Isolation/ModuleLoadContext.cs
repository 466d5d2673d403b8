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
    /// Everything else (System.*, netstandard) comes from the default context, which is PowerShell's.
    /// </summary>
    public sealed class ModuleLoadContext : AssemblyLoadContext
    {
        /// <summary>The assembly the cmdlet assembly references; the entry into this context.</summary>
        public const string EntryAssemblyName = "S3Credentials.Core";

        private readonly string _dependencyDirectory;

        public ModuleLoadContext(string dependencyDirectory) : base("S3Credentials", isCollectible: false)
        {
            _dependencyDirectory = dependencyDirectory ?? throw new ArgumentNullException(nameof(dependencyDirectory));
            // Last resort, after the default context: an assembly the framework does not have (Microsoft.Bcl.AsyncInterfaces
            // on some hosts) is taken from dependencies/ too.
            Resolving += (context, name) => LoadShipped(name);
        }

        public string DependencyDirectory => _dependencyDirectory;

        /// <summary>True for the assemblies that must always be this module's own copy: its core and the AWS SDK.</summary>
        public static bool IsPrivate(string assemblyName)
            => string.Equals(assemblyName, EntryAssemblyName, StringComparison.OrdinalIgnoreCase)
               || (assemblyName != null && assemblyName.StartsWith("AWSSDK.", StringComparison.OrdinalIgnoreCase));

        protected override Assembly Load(AssemblyName assemblyName)
            => IsPrivate(assemblyName.Name) ? LoadShipped(assemblyName) : null;

        private Assembly LoadShipped(AssemblyName assemblyName)
        {
            var path = Path.Combine(_dependencyDirectory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
