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
                var credentials = Property(stored, "Credentials") ?? stored;
                var getCredentials = credentials.GetType().GetMethod("GetCredentials", BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null);
                if (getCredentials == null) return null;
                var immutable = getCredentials.Invoke(credentials, null);
                if (immutable == null) return null;
                var accessKey = Property(immutable, "AccessKey") as string;
                var secretKey = Property(immutable, "SecretKey") as string;
                var token = Property(immutable, "Token") as string;
                if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey)) return null;
                return new CredentialValues(accessKey, secretKey, token);
            }
            catch (Exception e) when (e is TargetInvocationException || e is MemberAccessException || e is InvalidCastException || e is AmbiguousMatchException)
            {
                return null;
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
