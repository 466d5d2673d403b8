using System.Runtime.CompilerServices;
using System.Threading;
using S3Credentials.Core;

namespace S3Credentials
{
    /// <summary>
    /// The one <see cref="S3CredentialsState"/> of this module session: made afresh each time the module is imported
    /// (<see cref="ModuleInitializer"/>), so Remove-Module and Import-Module start with empty caches, and handed to every
    /// command and completer through <see cref="S3CredentialsCmdlet.BuildSessionOptions(System.Func{string, object}, System.Func{string, object}, System.Management.Automation.PathIntrinsics)"/>.
    /// A host that runs cmdlets without importing the module (a test) gets one on first use.
    /// </summary>
    internal static class ModuleState
    {
        private static S3CredentialsState _current;

        internal static S3CredentialsState Current
            => Volatile.Read(ref _current) ?? Interlocked.CompareExchange(ref _current, new S3CredentialsState(), null) ?? _current;

        /// <summary>
        /// A fresh state for a new import. Not inlined: the initializer must not need S3Credentials.Core before
        /// <see cref="DependencyLoader.Install()"/> has made it loadable.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static void Begin() => Volatile.Write(ref _current, new S3CredentialsState());
    }
}
