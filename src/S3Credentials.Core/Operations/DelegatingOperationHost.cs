using System;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// An <see cref="IOperationHost"/> made of functions. It lets a host provide one without implementing the
    /// interface itself: the PowerShell cmdlet assembly must not declare a type that implements an S3Credentials.Core
    /// interface, because PowerShell loads all of its types before the module initializer makes Core loadable.
    /// </summary>
    public sealed class DelegatingOperationHost : IOperationHost
    {
        private readonly Action<string> _verbose;
        private readonly Action<string> _warning;
        private readonly Action<string, string, int> _progress;
        private readonly Func<string, string, bool> _shouldProcess;

        public DelegatingOperationHost(Action<string> verbose, Action<string> warning, Action<string, string, int> progress,
            Func<string, string, bool> shouldProcess, bool isWhatIf)
        {
            _verbose = verbose ?? throw new ArgumentNullException(nameof(verbose));
            _warning = warning ?? throw new ArgumentNullException(nameof(warning));
            _progress = progress ?? throw new ArgumentNullException(nameof(progress));
            _shouldProcess = shouldProcess ?? throw new ArgumentNullException(nameof(shouldProcess));
            IsWhatIf = isWhatIf;
        }

        public bool IsWhatIf { get; }

        /// <summary>A host that approves every step without asking and shows nothing: for Core calls made without a cmdlet.</summary>
        public static IOperationHost Approving { get; } = new DelegatingOperationHost(_ => { }, _ => { }, (a, s, p) => { }, (t, a) => true, false);

        public void Verbose(string message) => _verbose(message);

        public void Warning(string message) => _warning(message);

        public void Progress(string activity, string status, int percentComplete) => _progress(activity, status, percentComplete);

        public bool ShouldProcess(string target, string action) => _shouldProcess(target, action);
    }
}
