namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// What an operation may ask of whoever runs it: to narrate (verbose, warning), to report progress,
    /// and to confirm each change (ShouldProcess). The cmdlets implement it on the pipeline thread;
    /// tests implement it directly. Messages must never contain a secret key or session token.
    /// </summary>
    public interface IOperationHost
    {
        void Verbose(string message);
        void Warning(string message);

        /// <summary>Progress of a long operation; a negative percentage means it is complete.</summary>
        void Progress(string activity, string status, int percentComplete);

        /// <summary>Asks whether to make one change; false skips it (-WhatIf, or the user said no to -Confirm).</summary>
        bool ShouldProcess(string target, string action);

        /// <summary>True when -WhatIf was given: operations read the real state and describe the plan, changing nothing.</summary>
        bool IsWhatIf { get; }
    }

    /// <summary>A host that says yes to everything and records what it was told (for tests and scripts).</summary>
    public sealed class RecordingOperationHost : IOperationHost
    {
        private readonly object _gate = new object();
        public System.Collections.Generic.List<string> VerboseMessages { get; } = new System.Collections.Generic.List<string>();
        public System.Collections.Generic.List<string> Warnings { get; } = new System.Collections.Generic.List<string>();
        public System.Collections.Generic.List<(string Target, string Action)> Confirmations { get; } = new System.Collections.Generic.List<(string, string)>();

        /// <summary>Answer given to ShouldProcess; by default yes.</summary>
        public System.Func<string, string, bool> Answer { get; set; } = (target, action) => true;
        public bool IsWhatIf { get; set; }

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
