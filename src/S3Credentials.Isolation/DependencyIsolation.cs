using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace S3Credentials.Isolation
{
    /// <summary>
    /// Called (by reflection) from the cmdlet assembly's module initializer on PowerShell 7, with the module's
    /// dependencies/ folder: when the default context cannot find S3Credentials.Core (it is not beside the cmdlet
    /// assembly but in dependencies/), the one <see cref="ModuleLoadContext"/> of the process supplies it, and with it
    /// the module's own AWS SDK.
    /// Idempotent: importing the module again, or in another runspace, reuses the same context. Nothing is undone on
    /// Remove-Module: .NET cannot unload the assemblies, and the handler answers only for S3Credentials.Core.
    /// </summary>
    public static class DependencyIsolation
    {
        private static readonly object Gate = new object();
        private static ModuleLoadContext _context;
        private static bool _installed;

        /// <summary>The process's private context, or null before <see cref="Install"/>.</summary>
        public static ModuleLoadContext Context => _context;

        public static void Install(string dependencyDirectory)
        {
            if (string.IsNullOrEmpty(dependencyDirectory)) throw new ArgumentException("The dependencies folder is required.", nameof(dependencyDirectory));
            if (!Directory.Exists(dependencyDirectory)) throw new DirectoryNotFoundException($"The module's dependencies folder '{dependencyDirectory}' does not exist.");

            lock (Gate)
            {
                if (_context == null)
                {
                    var dependencies = Path.GetFullPath(dependencyDirectory);
                    _context = new ModuleLoadContext(Path.GetDirectoryName(dependencies.TrimEnd(Path.DirectorySeparatorChar)), dependencies);
                }
                else if (!string.Equals(_context.DependencyDirectory, Path.GetFullPath(dependencyDirectory), StringComparison.Ordinal))
                    throw new InvalidOperationException(
                        $"S3Credentials is already loaded from '{_context.DependencyDirectory}'; a second copy from '{dependencyDirectory}' cannot be loaded into the same process.");

                if (!_installed)
                {
                    AssemblyLoadContext.Default.Resolving += ResolveEntryAssembly;
                    _installed = true;
                }
            }
        }

        /// <summary>The default context asks for what it cannot find: S3Credentials.Core (from the private context) and,
        /// should PowerShell not have found it beside the cmdlet assembly, S3Credentials.Models.</summary>
        private static Assembly ResolveEntryAssembly(AssemblyLoadContext defaultContext, AssemblyName name)
        {
            if (string.Equals(name.Name, ModuleLoadContext.EntryAssemblyName, StringComparison.OrdinalIgnoreCase))
                return _context.LoadFromAssemblyName(name);
            if (string.Equals(name.Name, ModuleLoadContext.SharedAssemblyName, StringComparison.OrdinalIgnoreCase))
                return _context.LoadShared();
            return null;
        }
    }
}
