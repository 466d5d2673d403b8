using System;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;
using Amazon.RuntimeDependencies;
using Amazon.SecurityToken;
using Amazon.SSO;
using Amazon.SSOOIDC;

namespace S3Credentials.Core.Credentials
{
    /// <summary>
    /// Makes AWSSDK.Core use this module's own STS, SSO and SSOOIDC clients for role, web-identity and SSO credentials.
    /// Left to itself, AWSSDK.Core takes the first assembly named AWSSDK.SecurityToken (or AWSSDK.SSO...) loaded in the
    /// process; in a PowerShell session that is often AWS.Tools' copy, whose client is not of this SDK's types, and a
    /// role profile then fails with "Assembly AWSSDK.SecurityToken could not be found or loaded".
    /// <list type="bullet">
    /// <item>SSO, SSOOIDC, and STS for web identity and SAML: factories in this SDK's GlobalRuntimeDependencyRegistry
    /// (one per AWSSDK.Core copy, so AWS.Tools' is untouched). These clients are unsigned, as the SDK's own are.</item>
    /// <item>AssumeRole (role_arn profiles): the registry's context does not carry the source credentials the call must
    /// be signed with, so <see cref="UseOwnStsClient"/> swaps the SDK's AssumeRoleAWSCredentials for one that makes the
    /// same call through this SDK's STS client.</item>
    /// </list>
    /// </summary>
    public static class OwnSdkClients
    {
        private static readonly object Gate = new object();
        private static bool _registered;

        /// <summary>Registers the factories once per process (per copy of AWSSDK.Core).</summary>
        public static void Register()
        {
            lock (Gate)
            {
                if (_registered) return;
                var registry = GlobalRuntimeDependencyRegistry.Instance;
                registry.RegisterSecurityTokenServiceClient(context =>
                {
                    // Unsigned, for AssumeRoleWithWebIdentity and SAML (this SDK version labels web identity's request
                    // "AssumeRoleAWSCredentials" too, so the action cannot tell them apart). A real AssumeRole never gets
                    // here: UseOwnStsClient replaces those credentials, and an unsigned AssumeRole would be refused, not
                    // answered for the wrong identity.
                    var data = context.SecurityTokenServiceClientContextData;
                    var config = new AmazonSecurityTokenServiceConfig { RegionEndpoint = data?.Region ?? Amazon.RegionEndpoint.USEast1 };
                    if (data?.ProxySettings != null) config.SetWebProxy(data.ProxySettings);
                    return new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), config);
                });
                registry.RegisterSSOClient(context =>
                {
                    var data = context.SSOClientContextData;
                    var config = new AmazonSSOConfig { RegionEndpoint = data?.Region };
                    if (data?.ProxySettings != null) config.SetWebProxy(data.ProxySettings);
                    return new AmazonSSOClient(new AnonymousAWSCredentials(), config);
                });
                registry.RegisterSSOOIDCClient(context =>
                {
                    var data = context.SSOOIDCClientContextData;
                    var config = new AmazonSSOOIDCConfig { RegionEndpoint = data?.Region };
                    if (data?.ProxySettings != null) config.SetWebProxy(data.ProxySettings);
                    return new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), config);
                });
                _registered = true;
            }
        }

        /// <summary>
        /// The same credentials, with every AssumeRoleAWSCredentials in the chain (a role profile, and a role profile
        /// whose source_profile is a role profile) replaced by one that calls STS through this SDK's client.
        /// </summary>
        public static AWSCredentials UseOwnStsClient(AWSCredentials credentials)
        {
            if (!(credentials is AssumeRoleAWSCredentials role) || credentials is OwnStsAssumeRoleCredentials)
                return credentials;
            return new OwnStsAssumeRoleCredentials(UseOwnStsClient(role.SourceCredentials), role.RoleArn, role.RoleSessionName, role.Options);
        }

        /// <summary>AssumeRoleAWSCredentials whose STS call goes through this SDK's AmazonSecurityTokenServiceClient.</summary>
        private sealed class OwnStsAssumeRoleCredentials : AssumeRoleAWSCredentials
        {
            private static readonly Amazon.RegionEndpoint DefaultStsRegion = Amazon.RegionEndpoint.USEast1;

            public OwnStsAssumeRoleCredentials(AWSCredentials sourceCredentials, string roleArn, string roleSessionName, AssumeRoleAWSCredentialsOptions options)
                : base(sourceCredentials, roleArn, roleSessionName, options ?? new AssumeRoleAWSCredentialsOptions())
            {
            }

            protected override CredentialsRefreshState GenerateNewCredentials()
                => GenerateNewCredentialsAsync().GetAwaiter().GetResult();

            protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
            {
                // As the SDK does: the region from the environment or profile, else us-east-1; the endpoint from the
                // STS config, which honours AWS_ENDPOINT_URL_STS and a profile's endpoint_url.
                var config = new AmazonSecurityTokenServiceConfig { RegionEndpoint = Amazon.Runtime.FallbackRegionFactory.GetRegionEndpoint() ?? DefaultStsRegion };
                if (Options?.ProxySettings != null) config.SetWebProxy(Options.ProxySettings);
                using (var client = new AmazonSecurityTokenServiceClient(SourceCredentials, config))
                {
                    var credentials = await ((ICoreAmazonSTS)client)
                        .CredentialsFromAssumeRoleAuthenticationAsync(RoleArn, RoleSessionName, Options).ConfigureAwait(false);
                    return new CredentialsRefreshState(credentials, credentials.Expiration);
                }
            }
        }
    }
}
