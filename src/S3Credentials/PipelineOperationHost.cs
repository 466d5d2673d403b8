using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Operations;

namespace S3Credentials
{
    /// <summary>
    /// Runs a core operation on the thread pool while the pipeline thread serves its requests: PowerShell only
    /// allows WriteVerbose, WriteWarning and ShouldProcess on the pipeline thread, so the operation's calls are
    /// queued here and carried out by <see cref="Run{T}"/>'s loop.
    /// It hands the operation a <see cref="DelegatingOperationHost"/> over its methods instead of implementing
    /// IOperationHost: no type here may implement a Core interface (see DependencyLoader).
    /// </summary>
    internal sealed class PipelineOperationHost
    {
        private readonly PSCmdlet _cmdlet;
        private readonly BlockingCollection<Action> _requests = new BlockingCollection<Action>();
        private volatile bool _pipelineStopped;

        private readonly bool _skipConfirmation;

        /// <param name="skipConfirmation">-Force: say yes without asking, except under -WhatIf.</param>
        public PipelineOperationHost(PSCmdlet cmdlet, bool isWhatIf, bool skipConfirmation = false)
        {
            _cmdlet = cmdlet;
            IsWhatIf = isWhatIf;
            _skipConfirmation = skipConfirmation;
        }

        public bool IsWhatIf { get; }

        public void Verbose(string message) => Post(() => _cmdlet.WriteVerbose(message));

        /// <summary>
        /// Warnings name what could not be undone, so they must reach the user even after Ctrl+C, when the pipeline no
        /// longer takes them: then they go straight to the host's UI.
        /// </summary>
        public void Warning(string message) => Post(() =>
        {
            if (_pipelineStopped)
            {
                WarnThroughHost(message);
                return;
            }
            try
            {
                _cmdlet.WriteWarning(message);
            }
            catch (PipelineStoppedException)
            {
                WarnThroughHost(message);
                throw;
            }
        }, evenWhenStopped: true);

        private void WarnThroughHost(string message)
        {
            try
            {
                _cmdlet.Host?.UI?.WriteWarningLine(message);
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                // A host that cannot write either: nothing more can be done here.
            }
        }

        public void Progress(string activity, string status, int percentComplete)
            => Post(() => _cmdlet.WriteProgress(new ProgressRecord(1, activity, status)
            {
                PercentComplete = percentComplete < 0 ? 100 : percentComplete,
                RecordType = percentComplete < 0 ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            }));

        /// <summary>Runs an action of the cmdlet's (such as writing an object the operation found) on the pipeline thread, in order with the messages.</summary>
        public void Write(Action write) => Post(write);

        public bool ShouldProcess(string target, string action)
        {
            if (_pipelineStopped)
                return false;
            if (_skipConfirmation && !IsWhatIf)
                return true;
            var answer = new TaskCompletionSource<bool>();
            if (!Post(() =>
            {
                try { answer.SetResult(_cmdlet.ShouldProcess(target, action)); }
                catch (Exception e) { answer.SetException(e); }
            }))
                return false;
            return answer.Task.GetAwaiter().GetResult();
        }

        /// <summary>
        /// Runs the work and serves its requests on the calling (pipeline) thread until it ends. When the pipeline
        /// stops (Ctrl+C) the loop keeps draining without writing, so the work's rollback always finishes first; only its
        /// warnings are still shown, through the host's UI.
        /// </summary>
        public T Run<T>(Func<IOperationHost, Task<T>> work)
        {
            var operationHost = new DelegatingOperationHost(Verbose, Warning, Progress, ShouldProcess, IsWhatIf);
            var task = Task.Run(() => work(operationHost));
            task.ContinueWith(_ => _requests.CompleteAdding(), TaskScheduler.Default);
            PipelineStoppedException stopped = null;
            foreach (var request in _requests.GetConsumingEnumerable())
            {
                try
                {
                    request();
                }
                catch (PipelineStoppedException e)
                {
                    stopped = stopped ?? e;
                    _pipelineStopped = true;
                }
            }
            try
            {
                var result = task.GetAwaiter().GetResult();
                if (stopped != null) throw stopped;
                return result;
            }
            catch (Exception) when (stopped != null)
            {
                throw stopped;
            }
        }

        private bool Post(Action request, bool evenWhenStopped = false)
        {
            if (_pipelineStopped && !evenWhenStopped)
                return false;
            try
            {
                return _requests.TryAdd(request);
            }
            catch (InvalidOperationException)
            {
                return false; // the operation has already ended
            }
        }
    }
}
