using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace S3Credentials
{
    /// <summary>
    /// Where the module's dependencies come from. The cmdlet assembly sits alone (with S3Credentials.Isolation.dll) in
    /// the module folder; S3Credentials.Core and the AWS SDK are in dependencies/, where no host finds them by itself.
    /// <list type="bullet">
    /// <item>PowerShell 7: S3Credentials.Isolation.dll puts them in a private AssemblyLoadContext, so another AWSSDK.Core
    /// in the session (AWS.Tools) neither breaks this module nor is broken by it.</item>
    /// <item>Windows PowerShell 5.1 (.NET Framework has no load contexts): an AssemblyResolve handler loads them from
    /// dependencies/ when the framework asks for an assembly it cannot find. An AWSSDK.Core of another assembly version
    /// (AWS.Tools 4, AWSSDK 3.x = 3.3.0.0) loads beside ours; one of the same assembly version (4.0.0.0) is shared.</item>
    /// </list>
    /// Nothing here touches PowerShell's types, so a test host without PowerShell can call <see cref="Install(string)"/>.
    /// The cmdlet assembly must not need S3Credentials.Core before this runs: PowerShell reads every type of it
    /// before it calls the initializer (a metadata test holds that rule).
    /// </summary>
    internal static class DependencyLoader
    {
        internal const string DependencyFolderName = "dependencies";
        internal const string IsolationAssemblyFileName = "S3Credentials.Isolation.dll";
        private const string IsolationTypeName = "S3Credentials.Isolation.DependencyIsolation";

        private static readonly object Gate = new object();
        private static string _dependencyDirectory;
        private static bool _installed;

        /// <summary>True on .NET Framework (Windows PowerShell 5.1), false on .NET (PowerShell 7).</summary>
        internal static bool IsNetFramework
            => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        public static void Install() => Install(Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location));

        public static void Install(string moduleDirectory)
        {
            lock (Gate)
            {
                if (_installed) return;
                var dependencyDirectory = Path.Combine(moduleDirectory, DependencyFolderName);
                if (!Directory.Exists(dependencyDirectory))
                    throw new DirectoryNotFoundException($"The S3Credentials module folder '{moduleDirectory}' has no '{DependencyFolderName}' folder; reinstall the module.");

                if (IsNetFramework)
                {
                    _dependencyDirectory = dependencyDirectory;
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencyFolder;
                }
                else
                {
                    InstallLoadContext(moduleDirectory, dependencyDirectory);
                }
                _installed = true;
            }
        }

        private static void InstallLoadContext(string moduleDirectory, string dependencyDirectory)
        {
            var isolation = Assembly.LoadFrom(Path.Combine(moduleDirectory, IsolationAssemblyFileName));
            var install = isolation.GetType(IsolationTypeName, throwOnError: true).GetMethod("Install", new[] { typeof(string) });
            try
            {
                install.Invoke(null, new object[] { dependencyDirectory });
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                throw e.InnerException;
            }
        }

        /// <summary>.NET Framework: an assembly it could not find, taken from dependencies/ when a file of that name is there.</summary>
        private static Assembly ResolveFromDependencyFolder(object sender, ResolveEventArgs args)
        {
            var path = Path.Combine(_dependencyDirectory, new AssemblyName(args.Name).Name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
