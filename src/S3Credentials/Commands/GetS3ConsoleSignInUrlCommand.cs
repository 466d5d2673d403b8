using System;
using System.Management.Automation;
using S3Credentials.Core;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.HandOff;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Makes a sign-in link to the AWS Management Console from temporary credentials (AWS's federation endpoint,
    /// getSigninToken then login). Permanent credentials are exchanged with STS GetFederationToken when -FederateAs
    /// names the federated user. The link is a secret until it expires: it is output, never written to verbose.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "S3ConsoleSignInUrl")]
    [OutputType(typeof(ConsoleSignInUrl))]
    public sealed class GetS3ConsoleSignInUrlCommand : S3CredentialsCmdlet
    {
        /// <summary>The console page to open. Default: the console home of the region's partition.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; }

        /// <summary>Your sign-in page's URL or name; the console sends the user there when the session ends. Default: S3Credentials.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Issuer { get; set; }

        /// <summary>How long the console session lasts: 15m to 12h (a TimeSpan, whole seconds (900), or 15m / 1h / 1h30m / 900s).</summary>
        [Parameter]
        [DurationTransformation]
        [ArgumentCompleter(typeof(DurationCompleter))]
        public TimeSpan SessionDuration { get; set; }

        /// <summary>The federation endpoint. Default: the region's partition's (https://signin.aws.amazon.com/federation).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string FederationEndpoint { get; set; }

        /// <summary>With permanent credentials: the federated user to get temporary credentials for (STS GetFederationToken).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string FederateAs { get; set; }

        protected override void EndProcessing()
        {
            var request = new ConsoleSignInRequest
            {
                Destination = Destination,
                Issuer = Issuer,
                SessionDuration = MyInvocation.BoundParameters.ContainsKey(nameof(SessionDuration)) ? SessionDuration : (TimeSpan?)null,
                FederationEndpoint = FederationEndpoint,
                FederateAs = FederateAs,
            };
            this.TerminateOnFailure(null, request.Validate);
            var session = Session;
            WriteObject(RunOperation((host, token) => new ConsoleSignInOperation(session, host).RunAsync(request, token)));
        }
    }
}
