using System.Collections.Generic;
using System;
using System.IO;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Operations;
using Amazon.Runtime.CredentialManagement;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;

namespace S3Credentials.Core.Profiles
{
    /// <summary>
    /// Writes credentials as a named profile into a shared credentials file (Export-S3Credential). Only that profile's
    /// section changes; every other byte of the file stays as it was (<see cref="IniSectionEditor"/>). Writers take
    /// an exclusive lock next to the file (<see cref="CredentialsFileLock"/>) and read the file again inside it, so
    /// concurrent writers in other threads or processes never lose each other's profiles. The new file is written to a
    /// temporary file in the same folder, flushed to disk, made mode 0600 on Linux and macOS, and renamed over the old
    /// one, so a reader sees the old file or the new one, never half of one. No message holds a secret.
    /// </summary>
    public sealed class SharedCredentialsFileWriter
    {
        public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(10);
        private const int ReplaceAttempts = 5;
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public SharedCredentialsFileWriter(TimeSpan? lockTimeout = null)
        {
            LockTimeout = lockTimeout ?? DefaultLockTimeout;
        }

        /// <summary>How long a writer waits for the lock before it gives up with CredentialsFileLocked.</summary>
        public TimeSpan LockTimeout { get; }

        /// <summary>
        /// The file to write: <paramref name="path"/> as a full path, else AWS_SHARED_CREDENTIALS_FILE as it is now, else
        /// the SDK's default (~/.aws/credentials) — the same file the module's cmdlets read profiles from.
        /// </summary>
        public static string ResolvePath(string path, string parameterName = "Path")
        {
            if (path != null && path.Trim().Length == 0)
                throw S3CredentialsException.InvalidParameter("PathEmpty", parameterName, $"-{parameterName} must name a file.");
            string fullPath;
            try
            {
                fullPath = path != null ? Path.GetFullPath(path) : SessionResolver.CredentialsFileLocation(null) ?? SharedCredentialsFile.DefaultFilePath;
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw path != null
                    ? S3CredentialsException.InvalidParameter("PathInvalid", parameterName, $"-{parameterName} '{path}' is not a valid path.")
                    : new S3CredentialsException("PathInvalid", FailureKind.InvalidArgument, $"AWS_SHARED_CREDENTIALS_FILE '{Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE")}' is not a valid path.");
            }
            if (Directory.Exists(fullPath))
                throw S3CredentialsException.InvalidParameter("PathIsFolder", parameterName, $"'{fullPath}' is a folder; -{parameterName} must name the credentials file itself.");
            return fullPath;
        }

        /// <summary>
        /// Writes <paramref name="credential"/> as the profile <paramref name="profileName"/>. An existing profile of
        /// that name is replaced only with <paramref name="force"/>; otherwise ProfileExists (ResourceExists) is thrown
        /// and the file is left alone. The folder is created when missing.
        /// </summary>
        public ExportedCredentialProfile Write(string path, string profileName, ProfileCredential credential, bool force, CancellationToken cancellationToken = default)
            => WriteAsync(path, profileName, credential, force, ApprovingOperationHost.Instance, cancellationToken).GetAwaiter().GetResult();

        /// <summary>
        /// Export-S3Credential: <see cref="Write"/> as one step (<see cref="ProfileFileStep"/>) asked as "Write the temporary
        /// (permanent) credentials of access key ID" on "profile 'NAME' in PATH". Null under -WhatIf or when declined.
        /// </summary>
        public Task<ExportedCredentialProfile> WriteAsync(string path, string profileName, ProfileCredential credential, bool force, IOperationHost host, CancellationToken cancellationToken)
        {
            if (credential == null) throw new ArgumentNullException(nameof(credential));
            var section = CredentialText.IniSectionLines(credential, profileName);
            var resolved = ResolvePath(path);
            var target = FollowLinks(resolved);
            var replaced = false;
            return ProfileFileStep.RunAsync(host, $"profile '{profileName}' in {resolved}",
                $"Write the {(credential.IsTemporary ? "temporary" : "permanent")} credentials of access key {credential.AccessKeyId}",
                ct =>
                {
                    replaced = WriteSection(target, profileName, section, force, ct, out var edit);
                    return edit;
                },
                () => new ExportedCredentialProfile
                {
                    ProfileName = profileName,
                    Path = target,
                    Action = replaced ? "Replaced" : "Added",
                    AccessKeyId = credential.AccessKeyId,
                    Kind = credential.IsTemporary ? "Temporary" : "Permanent",
                    Expiration = credential.Expiration,
                    Region = credential.Region,
                },
                cancellationToken);
        }

        /// <summary>
        /// Replaces (with <paramref name="force"/>) or appends the section <paramref name="sectionName"/> of the INI file
        /// <paramref name="target"/>, under the lock file, atomically, owner-only. True when it replaced one.
        /// </summary>
        internal bool WriteSection(string target, string sectionName, IReadOnlyList<string> sectionLines, bool force, CancellationToken cancellationToken)
            => WriteSection(target, sectionName, sectionLines, force, cancellationToken, out _);

        /// <inheritdoc cref="WriteSection(string, string, IReadOnlyList{string}, bool, CancellationToken)"/>
        /// <param name="edit">What was written over what: the undo of the write.</param>
        internal bool WriteSection(string target, string sectionName, IReadOnlyList<string> sectionLines, bool force, CancellationToken cancellationToken, out ProfileFileEdit edit)
        {
            var folder = Path.GetDirectoryName(target);
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new S3CredentialsException("CredentialsFolderNotCreated", FailureKind.PermissionDenied, $"The folder '{folder}' could not be created: {e.Message}", "Path", e);
            }
            using (CredentialsFileLock.Acquire(CredentialsFileLock.LockPathFor(target), LockTimeout, cancellationToken))
            {
                var existed = File.Exists(target);
                var text = ReadText(target);
                if (!force && IniSectionEditor.HasSection(text, sectionName))
                    throw new S3CredentialsException("ProfileExists", FailureKind.ResourceExists,
                        $"The profile '{ProfileOf(sectionName)}' already exists in '{target}'. Use -Force to replace it.", "ProfileName");
                var edited = StrictUtf8.GetBytes(IniSectionEditor.ReplaceOrAppend(text, sectionName, sectionLines, out var replaced));
                WriteAtomically(target, edited);
                edit = new ProfileFileEdit(this, target, existed ? StrictUtf8.GetBytes(text) : null, edited);
                return replaced;
            }
        }

        /// <summary>
        /// Removes the section <paramref name="sectionName"/> of the INI file <paramref name="target"/>; false when it had
        /// none. <paramref name="check"/>, when given, sees the file's text under the lock before anything is removed and
        /// may refuse by throwing.
        /// </summary>
        internal bool RemoveSection(string target, string sectionName, CancellationToken cancellationToken, Action<string> check = null)
            => RemoveSection(target, sectionName, cancellationToken, check, out _);

        /// <inheritdoc cref="RemoveSection(string, string, CancellationToken, Action{string})"/>
        /// <param name="edit">What was written over what (null when nothing was removed): the undo of the removal.</param>
        internal bool RemoveSection(string target, string sectionName, CancellationToken cancellationToken, Action<string> check, out ProfileFileEdit edit)
        {
            edit = null;
            if (!File.Exists(target)) return false;
            using (CredentialsFileLock.Acquire(CredentialsFileLock.LockPathFor(target), LockTimeout, cancellationToken))
            {
                var text = ReadText(target);
                if (check != null && IniSectionEditor.HasSection(text, sectionName))
                    check(text);
                var edited = IniSectionEditor.Remove(text, sectionName, out var removed);
                if (removed)
                {
                    var bytes = StrictUtf8.GetBytes(edited);
                    WriteAtomically(target, bytes);
                    edit = new ProfileFileEdit(this, target, StrictUtf8.GetBytes(text), bytes);
                }
                return removed;
            }
        }

        /// <summary>
        /// Puts back <paramref name="previous"/> (null: no file) under the lock, when the file still holds exactly
        /// <paramref name="written"/>; a file changed since by another writer is left as it is (CredentialsFileChanged).
        /// </summary>
        internal void Restore(string target, byte[] previous, byte[] written, CancellationToken cancellationToken)
        {
            using (CredentialsFileLock.Acquire(CredentialsFileLock.LockPathFor(target), LockTimeout, cancellationToken))
            {
                var now = File.Exists(target) ? File.ReadAllBytes(target) : null;
                if (now == null ? previous == null : previous != null && System.Linq.Enumerable.SequenceEqual(now, previous))
                    return; // already as it was
                if (now == null || !System.Linq.Enumerable.SequenceEqual(now, written))
                    throw new S3CredentialsException("CredentialsFileChanged", FailureKind.InvalidOperation,
                        $"The file '{target}' was changed by someone else after this command wrote it, so it was not put back.", "Path");
                if (previous == null)
                    File.Delete(target);
                else
                    WriteAtomically(target, previous);
            }
        }

        private static string ProfileOf(string sectionName) => sectionName.StartsWith("profile ", StringComparison.Ordinal) ? sectionName.Substring(8) : sectionName;

        /// <summary>The file's text, or "" when there is none. Refuses a file that is not UTF-8, which could not be rewritten byte for byte.</summary>
        private static string ReadText(string path)
        {
            byte[] bytes;
            try
            {
                if (!File.Exists(path)) return "";
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new S3CredentialsException("CredentialsFileUnreadable", FailureKind.PermissionDenied, $"The credentials file '{path}' cannot be read: {e.Message}", "Path", e);
            }
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new S3CredentialsException("CredentialsFileNotUtf8", FailureKind.InvalidOperation,
                    $"The credentials file '{path}' is not UTF-8 text, so it cannot be edited without changing other profiles; it was left as it is.", "Path");
            }
        }

        /// <summary>Writes a temporary file beside <paramref name="target"/>, flushes it to disk and renames it over the target.</summary>
        internal static void WriteAtomically(string target, byte[] bytes)
        {
            var temporary = Path.Combine(Path.GetDirectoryName(target), "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
                {
                    // Owner-only before the first secret byte is written.
                    OwnerOnlyFileMode.Set(temporary);
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(flushToDisk: true);
                }
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        if (File.Exists(target))
                            File.Replace(temporary, target, null, ignoreMetadataErrors: true);
                        else
                            File.Move(temporary, target);
                        return;
                    }
                    catch (IOException) when (attempt < ReplaceAttempts)
                    {
                        // Windows: a reader without FILE_SHARE_DELETE holds the file for a moment; or the file appeared after the check.
                        Thread.Sleep(20 * attempt);
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                throw new S3CredentialsException("CredentialsFileNotWritten", FailureKind.PermissionDenied, $"The credentials file '{target}' could not be written: {e.Message}", "Path", e);
            }
            finally
            {
                try { if (File.Exists(temporary)) File.Delete(temporary); }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
            }
        }

        private static readonly Lazy<MethodInfo> ResolveLinkTargetMethod = new Lazy<MethodInfo>(
            () => typeof(FileSystemInfo).GetMethod("ResolveLinkTarget", new[] { typeof(bool) }));

        /// <summary>
        /// The file a symbolic link finally points to, so that renaming the new file into place keeps the link (dotfile
        /// managers link ~/.aws/credentials). Needs .NET 6 or later; elsewhere the path is used as it is.
        /// </summary>
        internal static string FollowLinks(string path)
        {
            var method = ResolveLinkTargetMethod.Value;
            if (method == null) return path;
            try
            {
                return method.Invoke(new FileInfo(path), new object[] { true }) is FileSystemInfo final ? final.FullName : path;
            }
            catch (TargetInvocationException e) when (e.InnerException is IOException || e.InnerException is UnauthorizedAccessException)
            {
                return path;
            }
        }
    }
}
