using System;

namespace S3Credentials.Core
{
    /// <summary>What kind of failure an error is; the cmdlet layer maps it to a PowerShell ErrorCategory.</summary>
    public enum FailureKind
    {
        InvalidArgument,
        ObjectNotFound,
        PermissionDenied,
        ResourceExists,
        InvalidOperation,
        AuthenticationError,
        LimitsExceeded,
        ConnectionError,
        OperationStopped,
        /// <summary>Something is held by another writer for longer than the module waits.</summary>
        ResourceBusy,
    }

    /// <summary>
    /// An error the module reports on purpose: it has a stable ErrorId, a kind, and (for bad input)
    /// the name of the parameter at fault. Messages never contain secret keys or session tokens.
    /// </summary>
    public class S3CredentialsException : Exception
    {
        public S3CredentialsException(string errorId, FailureKind kind, string message, string parameterName = null, Exception inner = null)
            : base(message, inner)
        {
            ErrorId = errorId ?? throw new ArgumentNullException(nameof(errorId));
            Kind = kind;
            ParameterName = parameterName;
        }

        /// <summary>Stable identifier, used as the PowerShell ErrorId (for example "ProfileNotFound").</summary>
        public string ErrorId { get; }

        public FailureKind Kind { get; }

        /// <summary>The cmdlet parameter at fault, without the dash (for example "ProfileName"), when bad input caused the error.</summary>
        public string ParameterName { get; }

        /// <summary>Bad input: names the parameter and the rule it broke.</summary>
        public static S3CredentialsException InvalidParameter(string errorId, string parameterName, string message)
            => new S3CredentialsException(errorId, FailureKind.InvalidArgument, message, parameterName);
    }
}
