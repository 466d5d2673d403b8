using System;
using System.Management.Automation;
using S3Credentials.Core;

namespace S3Credentials
{
    /// <summary>Builds PowerShell error records from the core library's error descriptions.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(Exception exception, object target)
        {
            var description = ErrorDescription.Describe(exception);
            var reported = new S3CredentialsCmdletException(description.Message, description.ParameterName, description.AwsErrorCode, description.RequestId, exception);
            return new ErrorRecord(reported, description.ErrorId, Category(description.Kind), target);
        }

        /// <summary>
        /// Runs a cmdlet's checks or work; a refusal from the core library (S3CredentialsException) ends the cmdlet with
        /// its error record for the target. The cmdlets' one catch-and-throw, for work outside RunOperation.
        /// </summary>
        public static void TerminateOnFailure(this Cmdlet cmdlet, object target, Action work)
            => cmdlet.TerminateOnFailure(target, () => { work(); return true; });

        /// <inheritdoc cref="TerminateOnFailure(Cmdlet, object, Action)"/>
        public static T TerminateOnFailure<T>(this Cmdlet cmdlet, object target, Func<T> work)
        {
            try
            {
                return work();
            }
            catch (S3CredentialsException e)
            {
                cmdlet.ThrowTerminatingError(From(e, target));
                throw; // not reached
            }
        }

        /// <summary>Runs one input's work; a refusal from the core library is that input's non-terminating error, and the pipeline goes on.</summary>
        public static void WriteErrorOnFailure(this Cmdlet cmdlet, object target, Action work)
        {
            try
            {
                work();
            }
            catch (S3CredentialsException e)
            {
                cmdlet.WriteError(From(e, target));
            }
        }

        public static ErrorCategory Category(FailureKind kind)
        {
            switch (kind)
            {
                case FailureKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case FailureKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case FailureKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case FailureKind.ResourceExists: return ErrorCategory.ResourceExists;
                case FailureKind.AuthenticationError: return ErrorCategory.AuthenticationError;
                case FailureKind.LimitsExceeded: return ErrorCategory.LimitsExceeded;
                case FailureKind.ResourceBusy: return ErrorCategory.ResourceBusy;
                case FailureKind.ConnectionError: return ErrorCategory.ConnectionError;
                case FailureKind.OperationStopped: return ErrorCategory.OperationStopped;
                default: return ErrorCategory.InvalidOperation;
            }
        }
    }

    /// <summary>The exception inside this module's error records: the message is the user-facing one.</summary>
    public sealed class S3CredentialsCmdletException : Exception
    {
        public S3CredentialsCmdletException(string message, string parameterName, string awsErrorCode, string requestId, Exception inner)
            : base(message, inner)
        {
            ParameterName = parameterName;
            AwsErrorCode = awsErrorCode;
            RequestId = requestId;
        }

        /// <summary>The parameter at fault, for bad input.</summary>
        public string ParameterName { get; }
        /// <summary>AWS's error code, for errors AWS answered with.</summary>
        public string AwsErrorCode { get; }
        public string RequestId { get; }
    }
}
