using System;
using System.IO;
using System.Reflection;
using System.Runtime.ExceptionServices;
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
    /// dependencies/ when one of the module's assemblies asks for an assembly the framework cannot find. An AWSSDK.Core
    /// of another assembly version (AWS.Tools 4, AWSSDK 3.x = 3.3.0.0) loads beside ours; one of the same assembly
    /// version (4.0.0.0) is shared.</item>
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
        private static string _moduleDirectory;
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
                    _moduleDirectory = Path.GetFullPath(moduleDirectory);
                    _dependencyDirectory = Path.GetFullPath(dependencyDirectory);
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
                }
                else
                {
                    var problem = UnsupportedRuntime(Environment.Version);
                    if (problem != null) throw new PlatformNotSupportedException(problem);
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
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
        }

        /// <summary>
        /// Null when this .NET can load S3Credentials.Isolation.dll (built for .NET 8, as PowerShell 7.4 is), else why
        /// not: PowerShell 7.0 to 7.3 run on .NET Core 3.1 to .NET 7.
        /// </summary>
        internal static string UnsupportedRuntime(Version runtime)
            => runtime.Major >= 8
                ? null
                : $"S3Credentials needs PowerShell 7.4 or later (.NET 8 or later) or Windows PowerShell 5.1; this PowerShell runs on .NET {runtime}.";

        /// <summary>
        /// .NET Framework: an assembly it could not find, asked for by one of this module's own assemblies, from the
        /// module folder (S3Credentials.Models) or dependencies/ (the rest). Requests of other modules are not answered.
        /// </summary>
        private static Assembly ResolveFromModuleFolder(object sender, ResolveEventArgs args)
        {
            var requester = args.RequestingAssembly?.Location;
            if (string.IsNullOrEmpty(requester) || !IsInside(Path.GetDirectoryName(requester), _moduleDirectory))
                return null;
            var fileName = new AssemblyName(args.Name).Name + ".dll";
            foreach (var folder in new[] { _dependencyDirectory, _moduleDirectory })
            {
                var path = Path.Combine(folder, fileName);
                if (File.Exists(path)) return Assembly.LoadFrom(path);
            }
            return null;
        }

        private static bool IsInside(string folder, string moduleDirectory)
            => folder != null && (folder + Path.DirectorySeparatorChar).StartsWith(moduleDirectory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.OrdinalIgnoreCase);
    }
}
