using System;

namespace S3Credentials.Core.Operations.Objects
{
    /// <summary>
    /// An S3 failure of one object (or one bucket listing) as the user meets it: which action on which key was refused.
    /// AccessDenied is how people find out what scoped credentials may do, so that message names the IAM action.
    /// </summary>
    internal static class ObjectFailure
    {
        public static Exception Of(Exception exception, string action, string bucketName, string key, string prefix = null)
        {
            if (exception is OperationCanceledException || exception is S3CredentialsException)
                return exception;
            var description = ErrorDescription.Describe(exception);
            var what = key != null ? $"'{key}' in bucket '{bucketName}'"
                : string.IsNullOrEmpty(prefix) ? $"bucket '{bucketName}'" : $"bucket '{bucketName}' under prefix '{prefix}'";
            var message = description.Kind == FailureKind.PermissionDenied
                ? $"Access denied: {action} on {what} was refused; these credentials may not do that. {description.Message}"
                : $"{action} on {what} failed: {description.Message}";
            return new S3CredentialsException(description.ErrorId, description.Kind, message, inner: exception);
        }
    }
}
