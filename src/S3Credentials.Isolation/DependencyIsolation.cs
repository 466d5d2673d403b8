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
    /// Remove-Module: .NET cannot unload the assemblies, and the handler answers only for S3Credentials.Core and .Models.
    /// </summary>
    public static class DependencyIsolation
    {
        private static readonly object Gate = new object();
        private static ModuleLoadContext _context;

        /// <param name="dependencyDirectory">The module's dependencies/ folder (DependencyLoader has checked it exists).</param>
        public static void Install(string dependencyDirectory)
        {
            var dependencies = Path.GetFullPath(dependencyDirectory);
            lock (Gate)
            {
                if (_context == null)
                {
                    _context = new ModuleLoadContext(dependencies);
                    AssemblyLoadContext.Default.Resolving += ResolveEntryAssembly;
                }
                else if (!string.Equals(_context.DependencyDirectory, dependencies, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"S3Credentials is already loaded from '{_context.DependencyDirectory}'; a second copy from '{dependencyDirectory}' cannot be loaded into the same process.");
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
