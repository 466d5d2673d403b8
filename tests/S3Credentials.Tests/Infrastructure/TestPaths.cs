using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace S3Credentials.Tests.Infrastructure
{
    public static class TestPaths
    {
        /// <summary>The repository root, recorded at build time.</summary>
        public static string RepoRoot { get; } = Path.GetFullPath(typeof(TestPaths).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value);

        /// <summary>The module folder MSBuild writes when the cmdlet project is built.</summary>
        public static string ModuleFolder => Path.Combine(RepoRoot, "out", "S3Credentials");

        /// <summary>docs/: one platyPS-layout page per cmdlet (Verb-Noun.md) and the about_ topics.</summary>
        public static string DocsFolder => Path.Combine(RepoRoot, "docs");

        /// <summary>The module folder's help culture folder, which the build fills from docs/.</summary>
        public static string ModuleHelpFolder => Path.Combine(ModuleFolder, "en-US");

        public static string ManifestPath => Path.Combine(RepoRoot, "S3Credentials.psd1");

        public static string PowerShellReferenceAssembly => Path.Combine(AppContext.BaseDirectory, "psref", "System.Management.Automation.dll");
    }
}
