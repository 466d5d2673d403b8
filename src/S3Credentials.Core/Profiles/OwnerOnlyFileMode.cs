using System;
using System.ComponentModel;
using System.Reflection;
using System.Runtime.InteropServices;

namespace S3Credentials.Core.Profiles
{
    /// <summary>
    /// Makes a file readable and writable by its owner only (mode 0600) on Linux and macOS. Uses File.SetUnixFileMode
    /// where the runtime has it (.NET 7 and later, so PowerShell 7.4+), else chmod from the C library. Nothing to do on
    /// Windows, where a file in the user's profile folder inherits an ACL that only the user (and administrators) can read.
    /// </summary>
    internal static class OwnerOnlyFileMode
    {
        /// <summary>rw------- (octal 600).</summary>
        public const int OwnerReadWrite = 0x180;

        private static readonly Lazy<MethodInfo> SetUnixFileModeMethod = new Lazy<MethodInfo>(() =>
        {
            var modeType = typeof(System.IO.File).Assembly.GetType("System.IO.UnixFileMode", throwOnError: false);
            return modeType == null ? null : typeof(System.IO.File).GetMethod("SetUnixFileMode", new[] { typeof(string), modeType });
        });

        public static bool Applies => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static void Set(string path)
        {
            if (!Applies) return;
            if (!TrySetWithFileApi(path, OwnerReadWrite))
                SetWithChmod(path, OwnerReadWrite);
        }

        /// <summary>File.SetUnixFileMode through reflection; false when the runtime does not have it.</summary>
        internal static bool TrySetWithFileApi(string path, int mode)
        {
            var method = SetUnixFileModeMethod.Value;
            if (method == null) return false;
            try
            {
                method.Invoke(null, new[] { path, Enum.ToObject(method.GetParameters()[1].ParameterType, mode) });
                return true;
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw; // not reached
            }
        }

        /// <summary>chmod(2) from the C library.</summary>
        internal static void SetWithChmod(string path, int mode)
        {
            if (chmod(path, mode) != 0)
            {
                var error = Marshal.GetLastWin32Error();
                throw new System.IO.IOException($"Could not set the mode of '{path}' to {Convert.ToString(mode, 8)}: {new Win32Exception(error).Message} (errno {error}).");
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int chmod([MarshalAs(UnmanagedType.LPStr)] string path, int mode);
    }
}
