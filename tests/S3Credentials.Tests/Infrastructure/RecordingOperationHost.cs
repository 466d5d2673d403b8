namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// A host that says yes to everything and records what it was told: the test double of the cmdlets' host, shared with
    /// the benchmark (bench/S3Credentials.Bench links this file). Its namespace is the interface's, as when it lived in Core.
    /// </summary>
    public sealed class RecordingOperationHost : IOperationHost
    {
        private readonly object _gate = new object();
        public System.Collections.Generic.List<string> VerboseMessages { get; } = new System.Collections.Generic.List<string>();
        public System.Collections.Generic.List<string> Warnings { get; } = new System.Collections.Generic.List<string>();
        public System.Collections.Generic.List<(string Target, string Action)> Confirmations { get; } = new System.Collections.Generic.List<(string, string)>();

        /// <summary>Answer given to ShouldProcess; by default yes.</summary>
        public System.Func<string, string, bool> Answer { get; set; } = (target, action) => true;
        public bool IsWhatIf { get; set; }

        /// <summary>What OutputStopped says: a test sets it as Select-Object -First would.</summary>
        public System.Func<bool> IsOutputStopped { get; set; } = () => false;
        public bool OutputStopped => IsOutputStopped();

        public System.Collections.Generic.List<(string Activity, string Status, int Percent)> ProgressReports { get; } = new System.Collections.Generic.List<(string, string, int)>();

        public void Verbose(string message) { lock (_gate) VerboseMessages.Add(message); }
        public void Progress(string activity, string status, int percentComplete) { lock (_gate) ProgressReports.Add((activity, status, percentComplete)); }
        public void Warning(string message) { lock (_gate) Warnings.Add(message); }

        public bool ShouldProcess(string target, string action)
        {
            lock (_gate) Confirmations.Add((target, action));
            return !IsWhatIf && Answer(target, action);
        }
    }
}
