namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// The host of Core calls made without a cmdlet (the library's synchronous profile-file methods, an upload or download
    /// given no host): approves every step without asking and shows nothing.
    /// </summary>
    public sealed class ApprovingOperationHost : IOperationHost
    {
        private ApprovingOperationHost() { }

        public static IOperationHost Instance { get; } = new ApprovingOperationHost();

        public bool IsWhatIf => false;

        public bool OutputStopped => false;

        public void Verbose(string message) { }

        public void Warning(string message) { }

        public void Progress(string activity, string status, int percentComplete) { }

        public bool ShouldProcess(string target, string action) => true;
    }
}
