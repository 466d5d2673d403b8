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
        private static readonly ConditionalWeakTable<Runspace, StrongBox<object>> PerRunspace =
            new ConditionalWeakTable<Runspace, StrongBox<object>>();
        private static readonly StrongBox<object> NoRunspace = new StrongBox<object>();

        internal static S3CredentialsState Current
        {
            get
            {
                var box = BoxOfThisRunspace();
                lock (box)
                    return (S3CredentialsState)(box.Value ?? (box.Value = new S3CredentialsState()));
            }
        }

        /// <summary>
        /// Forgets this runspace's state on a new import; the first command or completer makes a fresh one. Nothing here
        /// names a type of S3Credentials.Core (the boxes hold object), so importing the module loads neither the core nor
        /// the AWS SDK (ColdStart.Tests.ps1).
        /// </summary>
        internal static void Begin()
        {
            var box = BoxOfThisRunspace();
            lock (box)
                box.Value = null;
        }

        private static StrongBox<object> BoxOfThisRunspace()
        {
            var runspace = Runspace.DefaultRunspace;
            return runspace == null ? NoRunspace : PerRunspace.GetValue(runspace, _ => new StrongBox<object>());
        }
    }
}
