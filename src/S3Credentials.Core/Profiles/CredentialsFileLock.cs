using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace S3Credentials.Core.Profiles
{
    /// <summary>
    /// An exclusive lock on a lock file next to the credentials file (credentials.lock), held by every writer of this
    /// module while it reads, edits and replaces the file, so that writers in other threads and other processes never
    /// lose each other's profiles. It is a real operating-system lock: a FileStream opened with FileShare.None, which
    /// .NET takes with flock(2) on Linux and macOS and with a sharing mode on Windows. The operating system releases it
    /// when a process ends, so a crashed writer never leaves a stale lock. Waiting is bounded: short, growing pauses up
    /// to a timeout, after which the caller gets a clear error.
    /// </summary>
    /// <remarks>
    /// On Windows the lock file is deleted on close (no one can open it while it is held). On Linux and macOS it stays,
    /// empty: deleting a flock-ed file lets one writer lock the deleted file while another creates and locks a new one.
    /// </remarks>
    internal sealed class CredentialsFileLock : IDisposable
    {
        private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(5);
        private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(250);
        private static readonly ThreadLocal<Random> Jitter = new ThreadLocal<Random>(() => new Random(Guid.NewGuid().GetHashCode()));
        private readonly FileStream _stream;

        private CredentialsFileLock(FileStream stream, string path)
        {
            _stream = stream;
            Path = path;
        }

        public string Path { get; }

        public static string LockPathFor(string credentialsFile)
            => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(credentialsFile), System.IO.Path.GetFileName(credentialsFile) + ".lock");

        public static CredentialsFileLock Acquire(string lockPath, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            var started = DateTime.UtcNow;
            var pause = FirstPause;
            var attempts = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                attempts++;
                try
                {
                    var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1,
                        windows ? FileOptions.DeleteOnClose : FileOptions.None);
                    if (!windows && stream.Length == 0 && attempts == 1)
                        TryMakeOwnerOnly(lockPath);
                    return new CredentialsFileLock(stream, lockPath);
                }
                catch (IOException e) when (IsHeldByAnother(e, lockPath))
                {
                    // held by another writer: wait and try again
                }
                catch (UnauthorizedAccessException) when (windows && File.Exists(lockPath))
                {
                    // Windows refuses to open a file whose deletion is pending: the holder is just letting go.
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw new S3CredentialsException("CredentialsFileLockFailed", FailureKind.PermissionDenied,
                        $"The lock file '{lockPath}' could not be created or opened: {e.Message}", "Path", e);
                }
                var waited = DateTime.UtcNow - started;
                if (waited >= timeout)
                    throw new S3CredentialsException("CredentialsFileLocked", FailureKind.ResourceBusy,
                        $"Another writer has held the lock '{lockPath}' for more than {timeout.TotalSeconds:0.#} seconds ({attempts} attempts); try again when it has finished.");
                var sleep = TimeSpan.FromTicks(Math.Min((long)(pause.Ticks * (0.5 + Jitter.Value.NextDouble())), (timeout - waited).Ticks));
                if (sleep > TimeSpan.Zero && cancellationToken.WaitHandle.WaitOne(sleep))
                    cancellationToken.ThrowIfCancellationRequested();
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }

        /// <summary>A sharing violation (the lock is held) as opposed to a missing folder or a full disk.</summary>
        private static bool IsHeldByAnother(IOException e, string lockPath)
            => !(e is DirectoryNotFoundException) && !(e is PathTooLongException) && !(e is FileNotFoundException) && File.Exists(lockPath);

        private static void TryMakeOwnerOnly(string path)
        {
            try { OwnerOnlyFileMode.Set(path); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is DllNotFoundException || e is EntryPointNotFoundException) { }
        }

        public void Dispose() => _stream.Dispose();
    }
}
