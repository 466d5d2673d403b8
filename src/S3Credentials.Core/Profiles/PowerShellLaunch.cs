using System;
using System.IO;

namespace S3Credentials.Core.Profiles
{
    /// <summary>
    /// How another process starts "this PowerShell again" (for a credential_process command). PowerShell installed as an
    /// executable runs as pwsh or powershell.exe; installed as a .NET tool (dotnet tool install PowerShell) its process is
    /// the dotnet host running pwsh.dll from $PSHOME, so the process path alone would start dotnet with PowerShell's
    /// arguments, which can never run. Then the command is the host with pwsh.dll as its first argument.
    /// </summary>
    public sealed class PowerShellLaunch
    {
        private PowerShellLaunch(string executable, string entryAssembly)
        {
            Executable = executable;
            EntryAssembly = entryAssembly;
        }

        /// <summary>The program to start: pwsh, powershell.exe, or the dotnet host.</summary>
        public string Executable { get; }

        /// <summary>pwsh.dll when <see cref="Executable"/> is the dotnet host; null otherwise.</summary>
        public string EntryAssembly { get; }

        /// <summary>
        /// The PowerShell this process is: <paramref name="processPath"/> when it is pwsh or powershell itself; the dotnet
        /// host with $PSHOME/pwsh.dll when PowerShell runs as a .NET tool; else $PSHOME's pwsh executable.
        /// </summary>
        public static PowerShellLaunch ForRunningPowerShell(string processPath, string psHome)
        {
            var name = Path.GetFileNameWithoutExtension(processPath ?? "");
            if (IsPowerShellName(name))
                return new PowerShellLaunch(processPath, null);
            if (!string.IsNullOrEmpty(psHome))
            {
                var entryAssembly = Path.Combine(psHome, "pwsh.dll");
                if (string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase) && File.Exists(entryAssembly))
                    return new PowerShellLaunch(processPath, entryAssembly);
                foreach (var candidate in new[] { "pwsh", "pwsh.exe", "powershell.exe" })
                {
                    var executable = Path.Combine(psHome, candidate);
                    if (File.Exists(executable))
                        return new PowerShellLaunch(executable, null);
                }
            }
            throw new S3CredentialsException("PowerShellNotFound", FailureKind.InvalidArgument,
                $"Cannot tell how to start this PowerShell again (process '{processPath}', PSHOME '{psHome}'); name its executable with -PowerShellPath.", "PowerShellPath");
        }

        private static bool IsPowerShellName(string name)
            => string.Equals(name, "pwsh", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "powershell", StringComparison.OrdinalIgnoreCase);
    }
}
