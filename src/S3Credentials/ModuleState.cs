using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using S3Credentials.Core;

namespace S3Credentials
{
    /// <summary>
    /// The <see cref="S3CredentialsState"/> of each module session: one per runspace that imported the module, made afresh
    /// each time the module is imported there (<see cref="ModuleInitializer"/>), so Remove-Module and Import-Module start
    /// with empty caches and a runspace importing the module does not empty another runspace's caches. Handed to every
    /// command and completer through <see cref="S3CredentialsCmdlet.BuildSessionOptions(System.Func{string, object}, System.Func{string, object}, System.Management.Automation.PathIntrinsics)"/>.
    /// A caller with no runspace on its thread (a test host invoking a cmdlet directly) shares one state of its own.
    /// </summary>
    internal static class ModuleState
    {
        private static readonly ConditionalWeakTable<Runspace, StrongBox<S3CredentialsState>> PerRunspace =
            new ConditionalWeakTable<Runspace, StrongBox<S3CredentialsState>>();
        private static readonly StrongBox<S3CredentialsState> NoRunspace = new StrongBox<S3CredentialsState>();

        internal static S3CredentialsState Current
        {
            get
            {
                var box = BoxOfThisRunspace();
                lock (box)
                    return box.Value ?? (box.Value = new S3CredentialsState());
            }
        }

        /// <summary>
        /// A fresh state for a new import in this runspace. Not inlined: the initializer must not need S3Credentials.Core
        /// before <see cref="DependencyLoader.Install()"/> has made it loadable.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static void Begin()
        {
            var box = BoxOfThisRunspace();
            lock (box)
                box.Value = new S3CredentialsState();
        }

        private static StrongBox<S3CredentialsState> BoxOfThisRunspace()
        {
            var runspace = Runspace.DefaultRunspace;
            return runspace == null ? NoRunspace : PerRunspace.GetValue(runspace, _ => new StrongBox<S3CredentialsState>());
        }
    }
}
