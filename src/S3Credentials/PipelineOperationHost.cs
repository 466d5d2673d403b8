using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Operations;

namespace S3Credentials
{
    /// <summary>
    /// Runs a core operation on the thread pool while the pipeline thread serves its requests: PowerShell only
    /// allows WriteVerbose, WriteWarning and ShouldProcess on the pipeline thread, so the operation's calls are
    /// queued here and carried out by <see cref="Run{T}"/>'s loop.
    /// </summary>
    internal sealed class PipelineOperationHost : IOperationHost
    {
        private readonly PSCmdlet _cmdlet;
        private readonly BlockingCollection<Action> _requests = new BlockingCollection<Action>();
        private volatile bool _pipelineStopped;

        private readonly bool _skipConfirmation;
        private readonly CancellationTokenSource _cancelOnStop;

        /// <param name="skipConfirmation">-Force: say yes without asking, except under -WhatIf.</param>
        /// <param name="cancelOnStop">
        /// Cancelled when the pipeline stops taking output (Select-Object -First has what it wants, or Ctrl+C): a read
        /// that streams its results stops sending requests then.
        /// </param>
        public PipelineOperationHost(PSCmdlet cmdlet, bool isWhatIf, bool skipConfirmation = false, CancellationTokenSource cancelOnStop = null)
        {
            _cmdlet = cmdlet;
            IsWhatIf = isWhatIf;
            _skipConfirmation = skipConfirmation;
            _cancelOnStop = cancelOnStop;
        }

        /// <summary>
        /// Writes output on the pipeline thread, in the order asked, while the operation goes on. A write that throws (an
        /// error record under -ErrorAction Stop) stops the output like a stopped pipeline, and <see cref="Run{T}"/>
        /// throws it once the operation has ended. When the pipeline takes no more output (Select-Object -First has what
        /// it wants, or Ctrl+C), <paramref name="warningWhenStopped"/> (an error's text) still reaches the user as a
        /// warning through the host: a failure of an item finished after the stop is never silent.
        /// </summary>
        public void Output(Action write, Func<string> warningWhenStopped = null)
        {
            var posted = Post(() =>
            {
                // Only a pipeline that had already refused a write loses this error: a downstream stop is first met by a
                // WriteObject; an error's own write that throws is the error delivered (-ErrorAction Stop records it as
                // the pipeline's failure and throws PipelineStoppedException), which a warning would only repeat.
                var refusedBefore = _pipelineStopped;
                try
                {
                    write();
                }
                catch (PipelineStoppedException) when (warningWhenStopped != null && refusedBefore)
                {
                    WarnThroughHost(warningWhenStopped());
                    throw;
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    _outputFailure = _outputFailure ?? ExceptionDispatchInfo.Capture(e);
                    _pipelineStopped = true;
                    _cancelOnStop?.Cancel();
                }
            });
            if (!posted && _pipelineStopped && warningWhenStopped != null)
                Warning(warningWhenStopped());
        }

        private ExceptionDispatchInfo _outputFailure;

        /// <summary>True for the exception a write of output threw: it goes to PowerShell as it is.</summary>
        public bool IsOutputFailure(Exception e) => _outputFailure != null && e == _outputFailure.SourceException;

        public bool IsWhatIf { get; }

        /// <summary>
        /// True once a write to the pipeline was refused: by Select-Object -First (PowerShell records its
        /// StopUpstreamCommandsException and throws PipelineStoppedException at this command's writes, without calling
        /// StopProcessing), by Ctrl+C (which also calls StopProcessing, cancelling the operation's token), or by a failed
        /// write. Streams that change state start no new item from then on and finish the ones in flight.
        /// </summary>
        public bool OutputStopped => _pipelineStopped;

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
        /// Runs a core operation for a cmdlet without an AWS session (the profile file cmdlets), served on its pipeline
        /// thread; Ctrl+C (<paramref name="stop"/>) ends it as a stopped pipeline once its rollback is done. Refusals
        /// (S3CredentialsException) go to the caller, to become the cmdlet's error records.
        /// </summary>
        public static T RunFor<T>(PSCmdlet cmdlet, bool skipConfirmation, CancellationToken stop, Func<IOperationHost, CancellationToken, Task<T>> work)
            => new PipelineOperationHost(cmdlet, Confirmation.IsWhatIf(cmdlet), skipConfirmation).Run(host => work(host, stop), stop);

        /// <summary>
        /// <see cref="Run{T}(Func{IOperationHost, Task{T}})"/>, where the operation's cancellation by Ctrl+C
        /// (<paramref name="stop"/>) ends it as a stopped pipeline: the one way every cmdlet runs a core operation.
        /// </summary>
        public T Run<T>(Func<IOperationHost, Task<T>> work, CancellationToken stop)
        {
            try
            {
                return Run(work);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// Runs the work and serves its requests on the calling (pipeline) thread until it ends. When the pipeline
        /// stops (Ctrl+C) the loop keeps draining without writing, so the work's rollback always finishes first; only its
        /// warnings are still shown, through the host's UI.
        /// </summary>
        public T Run<T>(Func<IOperationHost, Task<T>> work)
        {
            var task = Task.Run(() => work(this));
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
                    _cancelOnStop?.Cancel();
                }
            }
            try
            {
                var result = task.GetAwaiter().GetResult();
                if (stopped != null) throw stopped;
                _outputFailure?.Throw();
                return result;
            }
            catch (Exception) when (stopped != null)
            {
                throw stopped;
            }
            catch (Exception e) when (_outputFailure != null && e != _outputFailure.SourceException)
            {
                // The operation ended because the write failed (cancelled): the write's failure is what the caller sees.
                _outputFailure.Throw();
                throw;
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
