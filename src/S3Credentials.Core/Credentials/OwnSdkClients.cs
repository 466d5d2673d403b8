using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;
using Amazon.RuntimeDependencies;
using S3Credentials.Core.Sso;
using S3Credentials.Core.Sts;

namespace S3Credentials.Core.Credentials
{
    /// <summary>
    /// Makes AWSSDK.Core use this module's own STS, SSO and SSOOIDC clients for role, web-identity and SSO credentials.
    /// Left to itself, AWSSDK.Core takes the first assembly named AWSSDK.SecurityToken (or AWSSDK.SSO...) loaded in the
    /// process; in a PowerShell session that is often AWS.Tools' copy, whose client is not of this SDK's types, and a
    /// role profile then fails with "Assembly AWSSDK.SecurityToken could not be found or loaded".
    /// <list type="bullet">
    /// <item>Role (role_arn) and web-identity credentials: <see cref="UseOwnStsClient"/> replaces the SDK's
    /// AssumeRoleAWSCredentials and AssumeRoleWithWebIdentityCredentials with ones that make the same STS call through
    /// the session's own <see cref="StsClient"/> (so -StsEndpointUrl, -Region and the session's HTTP settings apply
    /// too). That client is the module's own, on AWSSDK.Core's pipeline: the module ships no AWSSDK.SecurityToken, so
    /// the one another SDK copy in the process finds by name is always its own. The SDK's
    /// registry cannot be used for STS: its context does not carry the source credentials AssumeRole must be signed
    /// with, and on Windows PowerShell the registry may be shared with AWS.Tools.</item>
    /// <item>SSO and SSOOIDC: the module's own clients (<see cref="SsoPortalClient"/>, <see cref="SsoOidcClient"/>, on
    /// AWSSDK.Core's pipeline), handed out by factories in this SDK's GlobalRuntimeDependencyRegistry, so the assemblies
    /// AWSSDK.SSO and AWSSDK.SSOOIDC are never loaded: AWSSDK.Core (AWS.Tools' copy too) looks for those clients in the
    /// first assembly of that name in the whole process, and a copy of the module's, loaded first, would break
    /// AWS.Tools' own SSO profiles. The clients are unsigned and configured only by region and proxy, as the SDK would
    /// make them.</item>
    /// </list>
    /// </summary>
    public static class OwnSdkClients
    {
        private static readonly object Gate = new object();
        private static int _registrations;

        /// <summary>
        /// How many times the factories were put into AWSSDK.Core's registry in this process (per copy of the core): 0
        /// until a command first reads a profile (the only way to SSO credentials), then 1.
        /// </summary>
        public static int Registrations => Volatile.Read(ref _registrations);

        /// <summary>
        /// Registers the factories of the module's SSO and SSOOIDC clients, once per process (per copy of AWSSDK.Core),
        /// the first time it is called; later calls, from any thread, do nothing. Called by <see cref="SessionResolver"/>
        /// just before it makes credentials from a profile, so a command that never reads a profile (keys, -Credential,
        /// an auth file, the environment) and merely importing the module touch neither the registry nor the SDK.
        /// </summary>
        public static void Register()
        {
            if (Volatile.Read(ref _registrations) != 0) return;
            lock (Gate)
            {
                if (_registrations != 0) return;
                var registry = GlobalRuntimeDependencyRegistry.Instance;
                registry.RegisterSSOClient(context =>
                {
                    var data = context.SSOClientContextData;
                    return new SsoPortalClient(data?.Region?.SystemName, data?.ProxySettings);
                });
                registry.RegisterSSOOIDCClient(context =>
                {
                    var data = context.SSOOIDCClientContextData;
                    return new SsoOidcClient(data?.Region?.SystemName, data?.ProxySettings);
                });
                Volatile.Write(ref _registrations, _registrations + 1);
            }
        }

        /// <summary>
        /// The same credentials, with every AssumeRoleAWSCredentials in the chain (a role profile, and a role profile
        /// whose source_profile is a role profile) and any AssumeRoleWithWebIdentityCredentials replaced by ones that
        /// call STS through clients made by <paramref name="createStsClient"/> (given the credentials to sign with).
        /// </summary>
        public static AWSCredentials UseOwnStsClient(AWSCredentials credentials, Func<AWSCredentials, StsClient> createStsClient)
        {
            if (createStsClient == null) throw new ArgumentNullException(nameof(createStsClient));
            switch (credentials)
            {
                case OwnStsAssumeRoleCredentials _:
                case OwnStsWebIdentityCredentials _:
                    return credentials;
                case AssumeRoleAWSCredentials role:
                    return new OwnStsAssumeRoleCredentials(UseOwnStsClient(role.SourceCredentials, createStsClient),
                        role.RoleArn, role.RoleSessionName, role.Options, createStsClient);
                case AssumeRoleWithWebIdentityCredentials webIdentity:
                    return new OwnStsWebIdentityCredentials(webIdentity.WebIdentityTokenFile, webIdentity.RoleArn, webIdentity.RoleSessionName, createStsClient);
                default:
                    return credentials;
            }
        }

        /// <summary>AssumeRoleAWSCredentials whose STS call goes through the session's own STS client.</summary>
        private sealed class OwnStsAssumeRoleCredentials : AssumeRoleAWSCredentials
        {
            private readonly Func<AWSCredentials, StsClient> _createStsClient;

            public OwnStsAssumeRoleCredentials(AWSCredentials sourceCredentials, string roleArn, string roleSessionName,
                AssumeRoleAWSCredentialsOptions options, Func<AWSCredentials, StsClient> createStsClient)
                : base(sourceCredentials, roleArn, roleSessionName, options ?? new AssumeRoleAWSCredentialsOptions())
            {
                _createStsClient = createStsClient;
            }

            protected override CredentialsRefreshState GenerateNewCredentials()
                => GenerateNewCredentialsAsync().GetAwaiter().GetResult();

            protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
            {
                // The SDK's own call: external id, MFA (serial and token callback), duration, policy, tags and source
                // identity all come from Options.
                using (var client = _createStsClient(SourceCredentials))
                {
                    var credentials = await ((ICoreAmazonSTS)client)
                        .CredentialsFromAssumeRoleAuthenticationAsync(RoleArn, RoleSessionName, Options).ConfigureAwait(false);
                    return new CredentialsRefreshState(credentials, credentials.Expiration);
                }
            }
        }

        /// <summary>AssumeRoleWithWebIdentityCredentials whose (unsigned) STS call goes through the session's own STS client.</summary>
        private sealed class OwnStsWebIdentityCredentials : AssumeRoleWithWebIdentityCredentials
        {
            private readonly Func<AWSCredentials, StsClient> _createStsClient;

            public OwnStsWebIdentityCredentials(string webIdentityTokenFile, string roleArn, string roleSessionName,
                Func<AWSCredentials, StsClient> createStsClient)
                : base(webIdentityTokenFile, roleArn, roleSessionName)
            {
                _createStsClient = createStsClient;
            }

            protected override ICoreAmazonSTS CreateClient() => _createStsClient(new AnonymousAWSCredentials());
        }
    }
}
