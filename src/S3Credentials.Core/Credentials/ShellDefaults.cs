using System;
using System.Reflection;

namespace S3Credentials.Core.Credentials
{
    /// <summary>
    /// Reads AWS.Tools' shell defaults ($StoredAWSCredentials from Set-AWSCredential, $StoredAWSRegion from
    /// Set-DefaultAWSRegion) by reflection only: AWS.Tools may have loaded another AWSSDK.Core, whose types are not
    /// this module's, so nothing is cast to an SDK type. Anything unexpected reads as "no default".
    /// </summary>
    public static class ShellDefaults
    {
        /// <summary>Keys from an AWS.Tools credential object (AWSPSCredentials with .Credentials, or AWSCredentials itself).</summary>
        public static CredentialValues ReadCredentials(object stored)
        {
            if (stored == null) return null;
            try
            {
                var values = ReadSdkCredentials(stored);
                return values == null || string.IsNullOrEmpty(values.AccessKeyId) || string.IsNullOrEmpty(values.SecretAccessKey) ? null : values;
            }
            catch (Exception e) when (e is TargetInvocationException || e is MemberAccessException || e is InvalidCastException || e is AmbiguousMatchException)
            {
                return null;
            }
        }

        /// <summary>
        /// Keys from an AWSCredentials object of any AWSSDK.Core copy (what AWS.Tools' Get-AWSCredential and
        /// New-AWSCredential return) or AWS.Tools' AWSPSCredentials wrapper: GetCredentials() called by reflection.
        /// Null when the object has no GetCredentials(); a failure of GetCredentials itself (a role or SSO profile that
        /// cannot give keys) comes out as the TargetInvocationException reflection throws.
        /// </summary>
        public static CredentialValues ReadSdkCredentials(object value)
        {
            var (credentials, getCredentials) = SdkCredentialsMethod(value);
            if (getCredentials == null) return null;
            var immutable = getCredentials.Invoke(credentials, null);
            if (immutable == null) return null;
            return new CredentialValues(Property(immutable, "AccessKey") as string, Property(immutable, "SecretKey") as string, Property(immutable, "Token") as string);
        }

        /// <summary>True when <see cref="ReadSdkCredentials"/> would read the object (it has a GetCredentials()); nothing is called.</summary>
        public static bool IsSdkCredentials(object value) => SdkCredentialsMethod(value).GetCredentials != null;

        /// <summary>The public GetCredentials() of the object, or of its Credentials property (AWS.Tools' wrapper); null when neither has one.</summary>
        private static (object Target, MethodInfo GetCredentials) SdkCredentialsMethod(object value)
        {
            if (value == null) return (null, null);
            var credentials = Property(value, "Credentials") ?? value;
            return (credentials, credentials.GetType().GetMethod("GetCredentials", BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null));
        }

        /// <summary>
        /// <see cref="ReadSdkCredentials"/> for a parameter: null when the value is no SDK credentials object, else its
        /// keys; an object that fails to give keys is the error CredentialObjectFailed naming the parameter.
        /// </summary>
        public static CredentialValues ReadSdkCredentials(object value, string parameterName)
        {
            try
            {
                return ReadSdkCredentials(value);
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                throw new S3CredentialsException("CredentialObjectFailed", FailureKind.AuthenticationError,
                    $"-{parameterName} ({value.GetType().FullName}) cannot give credentials: {e.InnerException.GetType().Name}: {e.InnerException.Message}", parameterName, e.InnerException);
            }
        }

        /// <summary>A region name from $StoredAWSRegion (a string, or an object whose SystemName or Region is one).</summary>
        public static string ReadRegion(object stored)
        {
            if (stored == null) return null;
            if (stored is string text) return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
            return (Property(stored, "SystemName") ?? Property(stored, "Region")) as string;
        }

        private static object Property(object target, string name)
            => target.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(target);
    }
}
