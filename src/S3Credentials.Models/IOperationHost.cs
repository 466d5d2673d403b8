namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// What an operation may ask of whoever runs it: to narrate (verbose, warning), to report progress,
    /// and to confirm each change (ShouldProcess). The cmdlets implement it on the pipeline thread (PipelineOperationHost);
    /// Core calls made without a cmdlet use ApprovingOperationHost; tests implement it directly. Messages must never
    /// contain a secret key or session token.
    /// A recording test double, RecordingOperationHost, is in the test project (tests/S3Credentials.Tests/Infrastructure).
    /// </summary>
    /// <remarks>
    /// It lives in S3Credentials.Models, the assembly shared by PowerShell's default context and the module's private one,
    /// so the cmdlet assembly can implement it: PowerShell loads every type of that assembly, with its interfaces, before
    /// the module initializer has made S3Credentials.Core loadable. Its namespace stays the operations' own.
    /// </remarks>
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

        /// <summary>
        /// True once whoever runs the operation takes no more of its results (Select-Object -First has what it wants). It
        /// is not a stop: the operation's token is not cancelled, and an operation that changes state finishes the items
        /// already in flight, whole, and starts no new one (ShouldProcess says no from then on). Ctrl+C cancels the token.
        /// </summary>
        bool OutputStopped { get; }
    }
}
