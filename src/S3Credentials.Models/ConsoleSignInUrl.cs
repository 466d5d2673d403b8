using System;

namespace S3Credentials.Core.Models
{
    /// <summary>
    /// A sign-in link to the AWS Management Console (Get-S3ConsoleSignInUrl): opening it signs the browser in with the
    /// temporary credentials it was made from. Treat the URL like a password until it expires.
    /// </summary>
    public sealed class ConsoleSignInUrl
    {
        /// <summary>The federation endpoint's login URL: Action=login, Issuer, Destination and SigninToken.</summary>
        public string Url { get; set; }
        /// <summary>The console page the link opens.</summary>
        public string Destination { get; set; }
        public string Issuer { get; set; }
        /// <summary>The access key id of the temporary credentials the console session uses (never the secret).</summary>
        public string AccessKeyId { get; set; }
        /// <summary>The federated user's ARN when -FederateAs exchanged permanent credentials; null otherwise.</summary>
        public string FederatedUser { get; set; }
        /// <summary>The console session length asked for; null when AWS's default applies.</summary>
        public TimeSpan? SessionDuration { get; set; }
        /// <summary>When the link stops working (UTC): AWS's sign-in token is valid for 15 minutes after it is issued.</summary>
        public DateTime LinkExpires { get; set; }
    }
}
