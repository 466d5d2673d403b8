using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using S3Credentials.Core.Aws;

namespace S3Credentials.Core.Credentials
{
    /// <summary>
    /// The one place that decides which credentials, region and endpoints a command uses.
    /// Credentials, first match wins: explicit keys &gt; -Credential &gt; -AuthFile &gt; -ProfileName &gt;
    /// AWS.Tools' $StoredAWSCredentials &gt; environment keys &gt; AWS_PROFILE &gt; the default profile &gt; web identity &gt;
    /// container &gt; instance metadata.
    /// Region: -Region &gt; $StoredAWSRegion &gt; AWS_REGION / AWS_DEFAULT_REGION &gt; the profile's region &gt; us-east-1.
    /// All input is checked before anything is sent to AWS.
    /// </summary>
    public static class SessionResolver
    {
        public const string DefaultRegion = "us-east-1";
        private static readonly Regex RegionPattern = new Regex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant);

        /// <summary>What an S3-compatible store may call a region (Cloudflare R2: auto; Backblaze B2: us-west-004): lowercase words joined by hyphens.</summary>
        private static readonly Regex StoreRegionPattern = new Regex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant);

        public static AwsSession Resolve(SessionOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var env = options.Environment ?? EnvironmentVariables.FromProcess();
            Validate(options, env);
            try
            {
                return ResolveValid(options, env);
            }
            catch (InvalidDataException e)
            {
                // AWSSDK.Core's own message quotes the broken line, which may hold a secret.
                throw MalformedProfileFile(e, options.ProfileLocation);
            }
        }

        private static readonly Regex SdkIniError = new Regex(@"^Line (\d+):<.*> in file (.+?) does not contain", RegexOptions.Singleline | RegexOptions.CultureInvariant);

        /// <summary>
        /// CredentialsFileMalformed for a shared credentials or config file AWSSDK.Core could not parse: which file and
        /// which line, never the line itself.
        /// </summary>
        internal static S3CredentialsException MalformedProfileFile(InvalidDataException error, string profileLocation)
        {
            var match = SdkIniError.Match(error.Message ?? "");
            var file = match.Success ? match.Groups[2].Value : null;
            var isProfileLocation = !string.IsNullOrEmpty(profileLocation)
                && (file == null || string.Equals(FullPathOrNull(file), FullPathOrNull(profileLocation), StringComparison.Ordinal));
            var message = match.Success
                ? $"The shared credentials or config file '{file}'{(isProfileLocation ? " (-ProfileLocation)" : "")} cannot be read: line {match.Groups[1].Value} is neither a [section] header, a key = value line nor a comment. Correct or remove that line."
                : $"A shared credentials or config file ({(isProfileLocation ? "'" + profileLocation + "' (-ProfileLocation)" : DescribeDefaultFiles())}) cannot be read: it is not valid INI.";
            return new S3CredentialsException("CredentialsFileMalformed", FailureKind.InvalidArgument, message, isProfileLocation ? "ProfileLocation" : null);
        }

        private static AwsSession ResolveValid(SessionOptions options, EnvironmentVariables env)
        {
            CredentialProfileStoreChain profileStore = null;
            CredentialProfileStoreChain ProfileStore() => profileStore ?? (profileStore = new CredentialProfileStoreChain(CredentialsFileLocation(options.ProfileLocation, env)));

            // -ProfileName is never given with another explicit source (Validate): a named profile must exist, a typo never falls through.
            CredentialProfile namedProfile = null;
            if (!string.IsNullOrEmpty(options.ProfileName))
                namedProfile = FindProfile(ProfileStore(), options.ProfileName, "ProfileName", options.ProfileLocation, env);

            var session = new AwsSession { HttpClientFactory = options.HttpClientFactory, State = options.State ?? new S3CredentialsState() };
            CredentialProfile regionProfile = namedProfile;

            if (!string.IsNullOrEmpty(options.AccessKey))
            {
                session.Credentials = ToAwsCredentials(new CredentialValues(options.AccessKey, options.SecretKey, options.SessionToken));
                session.CredentialSource = CredentialSource.Parameters;
            }
            else if (options.Credential != null)
            {
                session.Credentials = ToAwsCredentials(options.Credential);
                session.CredentialSource = CredentialSource.CredentialObject;
                session.CredentialExpiration = options.Credential.Expiration;
            }
            else if (!string.IsNullOrEmpty(options.AuthFile))
            {
                var values = AuthFileReader.Read(options.AuthFile);
                AwsNames.CheckKeys(values, "AuthFileMalformed", "AuthFile", $"The {{0}} in the auth file '{Path.GetFullPath(options.AuthFile)}' (-AuthFile)");
                session.Credentials = ToAwsCredentials(values);
                session.CredentialSource = CredentialSource.AuthFile;
                session.CredentialExpiration = values.Expiration;
                session.AuthFile = Path.GetFullPath(options.AuthFile);
            }
            else if (namedProfile != null)
            {
                session.Credentials = ProfileCredentials(ProfileStore(), namedProfile, "ProfileName");
                session.CredentialSource = CredentialSource.Profile;
                session.ProfileName = namedProfile.Name;
            }
            else if (options.ShellDefaultCredentials != null && !string.IsNullOrEmpty(options.ShellDefaultCredentials.AccessKeyId))
            {
                AwsNames.CheckKeys(options.ShellDefaultCredentials, "ShellDefaultCredentialsInvalid", null, "The {0} of $StoredAWSCredentials (AWS.Tools' Set-AWSCredential)");
                session.Credentials = ToAwsCredentials(options.ShellDefaultCredentials);
                session.CredentialSource = CredentialSource.ShellDefault;
            }
            else if (TryEnvironmentCredentials(env, out var environmentCredentials))
            {
                session.Credentials = environmentCredentials;
                session.CredentialSource = CredentialSource.Environment;
            }
            else
            {
                var envProfile = env["AWS_PROFILE"];
                if (!string.IsNullOrEmpty(envProfile))
                {
                    var profile = FindProfile(ProfileStore(), envProfile, "AWS_PROFILE", options.ProfileLocation, env);
                    session.Credentials = ProfileCredentials(ProfileStore(), profile, "AWS_PROFILE");
                    session.CredentialSource = CredentialSource.Profile;
                    session.ProfileName = profile.Name;
                    regionProfile = profile;
                }
                else if (ProfileStore().TryGetProfile("default", out var defaultProfile) && defaultProfile.CanCreateAWSCredentials)
                {
                    session.Credentials = ProfileCredentials(ProfileStore(), defaultProfile, "default profile");
                    session.CredentialSource = CredentialSource.Profile;
                    session.ProfileName = defaultProfile.Name;
                    regionProfile = defaultProfile;
                }
                else
                {
                    AmbientCredentials(session, env);
                }
            }

            // Credentials from keys or the environment: the region may still come from AWS_PROFILE or the default profile.
            ResolveRegion(options, regionProfile ?? AmbientProfile(ProfileStore(), env), session, env);
            session.S3EndpointUrl = EndpointFor(options.EndpointUrl, "S3", env);
            session.IamEndpointUrl = EndpointFor(options.IamEndpointUrl, "IAM", env);
            session.StsEndpointUrl = EndpointFor(options.StsEndpointUrl, "STS", env);
            // Role and web-identity credentials call STS through this session's own client (see OwnSdkClients).
            session.Credentials = OwnSdkClients.UseOwnStsClient(session.Credentials, credentials => session.CreateOwnStsClient(credentials));
            return session;
        }

        /// <summary>The profile AWS_PROFILE names, else the default profile; null when it does not exist.</summary>
        private static CredentialProfile AmbientProfile(CredentialProfileStoreChain store, EnvironmentVariables env)
        {
            var envProfile = env["AWS_PROFILE"];
            return store.TryGetProfile(string.IsNullOrEmpty(envProfile) ? "default" : envProfile, out var profile) ? profile : null;
        }

        /// <summary>Checks every option that can be checked without AWS; throws naming the parameter and the rule.</summary>
        public static void Validate(SessionOptions options) => Validate(options, options.Environment ?? EnvironmentVariables.FromProcess());

        private static void Validate(SessionOptions options, EnvironmentVariables env)
        {
            var hasKeys = !string.IsNullOrEmpty(options.AccessKey) || !string.IsNullOrEmpty(options.SecretKey);
            if (!string.IsNullOrEmpty(options.AccessKey) && string.IsNullOrEmpty(options.SecretKey))
                throw S3CredentialsException.InvalidParameter("SecretKeyMissing", "SecretKey", "-AccessKey was given without -SecretKey: give both, or neither.");
            if (string.IsNullOrEmpty(options.AccessKey) && !string.IsNullOrEmpty(options.SecretKey))
                throw S3CredentialsException.InvalidParameter("AccessKeyMissing", "AccessKey", "-SecretKey was given without -AccessKey: give both, or neither.");
            if (!string.IsNullOrEmpty(options.SessionToken) && !hasKeys)
                throw S3CredentialsException.InvalidParameter("SessionTokenWithoutKeys", "SessionToken", "-SessionToken needs -AccessKey and -SecretKey.");
            if (options.ProfileName != null && options.ProfileName.Trim().Length == 0)
                throw S3CredentialsException.InvalidParameter("ProfileNameEmpty", "ProfileName", "-ProfileName must not be empty.");

            // Two ways of passing credentials at once would leave one silently unused: refuse any pair.
            var given = new List<(string Parameter, string Shown)>();
            if (hasKeys) given.Add(("AccessKey", "-AccessKey/-SecretKey"));
            if (options.Credential != null) given.Add(("Credential", "-Credential"));
            if (!string.IsNullOrEmpty(options.AuthFile)) given.Add(("AuthFile", "-AuthFile"));
            if (!string.IsNullOrEmpty(options.ProfileName)) given.Add(("ProfileName", "-ProfileName"));
            if (given.Count > 1)
            {
                var shown = given.Select(g => g.Shown).ToList();
                var which = string.Join(", ", shown.Take(shown.Count - 1)) + " and " + shown[shown.Count - 1];
                throw S3CredentialsException.InvalidParameter("ConflictingCredentialParameters", given[1].Parameter,
                    $"{which} were {(given.Count == 2 ? "both" : "all")} given: use only one way of passing credentials.");
            }

            if (hasKeys)
            {
                AwsNames.CheckKey(options.AccessKey, "AccessKeyInvalid", "AccessKey", "-AccessKey");
                AwsNames.CheckKey(options.SecretKey, "SecretKeyInvalid", "SecretKey", "-SecretKey");
                if (!string.IsNullOrEmpty(options.SessionToken))
                    AwsNames.CheckKey(options.SessionToken, "SessionTokenInvalid", "SessionToken", "-SessionToken");
            }

            if (options.Credential != null)
            {
                if (string.IsNullOrEmpty(options.Credential.AccessKeyId))
                    throw S3CredentialsException.InvalidParameter("CredentialMissingAccessKeyId", "Credential", "-Credential must have an AccessKeyId property (or be an AWSCredentials object, or a PSCredential whose user name is the access key id).");
                if (string.IsNullOrEmpty(options.Credential.SecretAccessKey))
                    throw S3CredentialsException.InvalidParameter("CredentialMissingSecretAccessKey", "Credential", "-Credential must have a SecretAccessKey property (or be an AWSCredentials object, or a PSCredential whose password is the secret access key).");
                AwsNames.CheckKeys(options.Credential, "CredentialInvalid{0}", "Credential", "-Credential's {0}");
            }

            if (!string.IsNullOrEmpty(options.ProfileLocation) && !File.Exists(FullPathOrNull(options.ProfileLocation)))
                throw new S3CredentialsException("ProfileLocationNotFound", FailureKind.ObjectNotFound, $"-ProfileLocation '{options.ProfileLocation}' does not exist.", "ProfileLocation");

            if (!string.IsNullOrEmpty(options.Region))
                ValidateKnownRegion(options.Region, "Region", "-Region", HasCustomS3Endpoint(options, env));
            ValidateEndpoint(options.EndpointUrl, "EndpointUrl");
            ValidateEndpoint(options.IamEndpointUrl, "IamEndpointUrl");
            ValidateEndpoint(options.StsEndpointUrl, "StsEndpointUrl");
        }

        /// <summary>
        /// The region a command that calls no AWS uses (for the partition of the ARNs it writes), by the same precedence as
        /// <see cref="Resolve"/>: -Region (checked), $StoredAWSRegion, AWS_REGION, AWS_DEFAULT_REGION, the region of
        /// -ProfileName's profile (else AWS_PROFILE's or the default profile), else us-east-1. No credentials are read.
        /// </summary>
        public static string OfflineRegion(SessionOptions options, string parameterName = "Region")
        {
            var env = options.Environment ?? EnvironmentVariables.FromProcess();
            if (!string.IsNullOrEmpty(options.Region))
            {
                ValidateKnownRegion(options.Region, parameterName, "-" + parameterName, customS3Endpoint: false);
                return options.Region;
            }
            try
            {
                var store = new CredentialProfileStoreChain(CredentialsFileLocation(options.ProfileLocation, env));
                var profile = !string.IsNullOrEmpty(options.ProfileName) && store.TryGetProfile(options.ProfileName, out var named) ? named : AmbientProfile(store, env);
                var session = new AwsSession();
                ResolveRegion(new SessionOptions { ShellDefaultRegion = options.ShellDefaultRegion, Environment = env }, profile, session, env);
                return session.Region;
            }
            catch (InvalidDataException e)
            {
                throw MalformedProfileFile(e, options.ProfileLocation);
            }
        }

        /// <summary>True for a name shaped like an AWS region (us-east-1, cn-north-1, us-gov-west-1).</summary>
        internal static bool IsRegionName(string region) => region != null && RegionPattern.IsMatch(region);

        internal static void ValidateRegion(string region, string parameterName, string displayName)
        {
            if (!RegionPattern.IsMatch(region))
                throw S3CredentialsException.InvalidParameter("RegionInvalid", parameterName, $"{displayName} '{region}' is not a region name such as us-east-1, eu-west-2 or cn-north-1.");
        }

        /// <summary>
        /// A region requests are sent to: shaped like a region, and a region of aws, aws-cn or aws-us-gov that the shipped SDK
        /// knows (<see cref="AwsRegions"/>), so us-nowhere-9 fails here rather than after a user was made. With a custom S3
        /// endpoint (an S3-compatible store or an emulator, which may name its regions as it likes: R2's auto) lowercase
        /// words joined by hyphens are enough.
        /// </summary>
        internal static void ValidateKnownRegion(string region, string parameterName, string displayName, bool customS3Endpoint)
        {
            if (customS3Endpoint && region.Length <= 32 && StoreRegionPattern.IsMatch(region))
                return; // the store names its regions as it likes, such as R2's auto
            ValidateRegion(region, parameterName, displayName);
            if (!customS3Endpoint && !AwsRegions.IsKnown(region))
                throw AwsRegions.Unknown("RegionUnknown", parameterName, displayName, region);
        }

        /// <summary>True when S3 requests go to an endpoint of the user's (-EndpointUrl, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL).</summary>
        private static bool HasCustomS3Endpoint(SessionOptions options, EnvironmentVariables env) => EndpointFor(options.EndpointUrl, "S3", env) != null;

        private static void ValidateEndpoint(string url, string parameterName)
        {
            if (string.IsNullOrEmpty(url)) return;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw S3CredentialsException.InvalidParameter("EndpointUrlInvalid", parameterName, $"-{parameterName} '{url}' is not an absolute http:// or https:// URL.");
        }

        private static string FullPathOrNull(string path) => string.IsNullOrEmpty(path) ? null : Path.GetFullPath(path);

        /// <summary>
        /// The shared credentials file to read: -ProfileLocation, else AWS_SHARED_CREDENTIALS_FILE as it is now.
        /// AWSSDK.Core reads that variable only once per process, so a change made later in a PowerShell session
        /// would otherwise be ignored. Null (the SDK's own choice, which on Windows also reads the SDK's encrypted
        /// store) when it is the SDK's default anyway.
        /// </summary>
        internal static string CredentialsFileLocation(string profileLocation, EnvironmentVariables env = null)
        {
            var path = FullPathOrNull(profileLocation);
            if (path == null)
            {
                var fromEnvironment = (env ?? EnvironmentVariables.FromProcess())["AWS_SHARED_CREDENTIALS_FILE"];
                path = string.IsNullOrEmpty(fromEnvironment) ? null : FullPathOrNull(fromEnvironment);
            }
            if (path == null || string.Equals(path, SharedCredentialsFile.DefaultFilePath, StringComparison.Ordinal))
                return null;
            return path;
        }

        private static AWSCredentials ToAwsCredentials(CredentialValues values)
            => values.SessionToken == null
                ? (AWSCredentials)new BasicAWSCredentials(values.AccessKeyId, values.SecretAccessKey)
                : new SessionAWSCredentials(values.AccessKeyId, values.SecretAccessKey, values.SessionToken);

        private static CredentialProfile FindProfile(CredentialProfileStoreChain store, string name, string origin, string profileLocation, EnvironmentVariables env)
        {
            if (store.TryGetProfile(name, out var profile))
                return profile;
            var where = string.IsNullOrEmpty(profileLocation)
                ? "the shared credentials and config files (" + DescribeDefaultFiles(env) + ")"
                : "'" + profileLocation + "'";
            var parameter = origin == "ProfileName" ? "ProfileName" : null;
            var named = origin == "ProfileName" ? "-ProfileName" : origin;
            throw new S3CredentialsException("ProfileNotFound", FailureKind.ObjectNotFound, $"The profile '{name}' ({named}) was not found in {where}.", parameter);
        }

        /// <summary>
        /// The shared credentials and config files in use, named without reading them: AWS_SHARED_CREDENTIALS_FILE and
        /// AWS_CONFIG_FILE as the SDK honours them, else the files in ~/.aws (the SDK's own ConfigFilePath ignores
        /// AWS_CONFIG_FILE when the credentials file is given, so it is not asked).
        /// </summary>
        private static string DescribeDefaultFiles(EnvironmentVariables env = null)
        {
            env = env ?? EnvironmentVariables.FromProcess();
            var credentials = CredentialsFileLocation(null, env) ?? SharedCredentialsFile.DefaultFilePath;
            var config = env["AWS_CONFIG_FILE"];
            config = string.IsNullOrEmpty(config)
                ? Path.Combine(Path.GetDirectoryName(SharedCredentialsFile.DefaultFilePath) ?? "", "config")
                : Path.GetFullPath(config);
            return credentials + ", " + config;
        }

        private static AWSCredentials ProfileCredentials(CredentialProfileStoreChain store, CredentialProfile profile, string origin)
        {
            if (!profile.CanCreateAWSCredentials)
                throw new S3CredentialsException("ProfileHasNoCredentials", FailureKind.InvalidArgument,
                    $"The profile '{profile.Name}' ({origin}) holds no credentials: it needs keys, role_arn with source_profile, credential_process or SSO settings.",
                    origin == "ProfileName" ? "ProfileName" : null);
            var keys = profile.Options;
            if (!string.IsNullOrEmpty(keys.AccessKey))
                AwsNames.CheckKeys(new CredentialValues(keys.AccessKey, keys.SecretKey, keys.Token), "ProfileCredentialsInvalid", origin == "ProfileName" ? "ProfileName" : null,
                    $"The {{0}} of the profile '{profile.Name}' ({(origin == "ProfileName" ? "-ProfileName" : origin)})");
            // A profile may hold SSO credentials (or a role whose source is one): they need the SSO and SSOOIDC clients,
            // this module's own, never the first of that name AWSSDK.Core finds in the process (AWS.Tools' in a shared
            // PowerShell session). Registered here, the first time a profile is read, not when the module is loaded.
            // Role and web identity: see ResolveValid.
            OwnSdkClients.Register();
            try
            {
                return profile.GetAWSCredentials(store);
            }
            catch (Exception e) when (!(e is S3CredentialsException) && !(e is InvalidDataException))
            {
                throw new S3CredentialsException("ProfileCredentialsFailed", FailureKind.AuthenticationError,
                    $"The profile '{profile.Name}' ({origin}) cannot give credentials: {e.GetType().Name}: {e.Message}",
                    origin == "ProfileName" ? "ProfileName" : null);
            }
        }

        private static bool TryEnvironmentCredentials(EnvironmentVariables env, out AWSCredentials credentials)
        {
            credentials = null;
            var accessKey = env["AWS_ACCESS_KEY_ID"];
            var secret = env["AWS_SECRET_ACCESS_KEY"];
            if (string.IsNullOrEmpty(accessKey) && string.IsNullOrEmpty(secret))
                return false;
            if (string.IsNullOrEmpty(accessKey))
                throw new S3CredentialsException("EnvironmentAccessKeyMissing", FailureKind.InvalidArgument, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both, or neither.");
            if (string.IsNullOrEmpty(secret))
                throw new S3CredentialsException("EnvironmentSecretKeyMissing", FailureKind.InvalidArgument, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or neither.");
            var token = env["AWS_SESSION_TOKEN"];
            if (string.IsNullOrEmpty(token))
                token = env["AWS_SECURITY_TOKEN"];
            AwsNames.CheckKey(accessKey, "EnvironmentCredentialsInvalid", null, "AWS_ACCESS_KEY_ID");
            AwsNames.CheckKey(secret, "EnvironmentCredentialsInvalid", null, "AWS_SECRET_ACCESS_KEY");
            if (!string.IsNullOrEmpty(token))
                AwsNames.CheckKey(token, "EnvironmentCredentialsInvalid", null, "AWS_SESSION_TOKEN");
            credentials = ToAwsCredentials(new CredentialValues(accessKey, secret, token));
            return true;
        }

        private static void AmbientCredentials(AwsSession session, EnvironmentVariables env)
        {
            if (!string.IsNullOrEmpty(env["AWS_WEB_IDENTITY_TOKEN_FILE"]) && !string.IsNullOrEmpty(env["AWS_ROLE_ARN"]))
            {
                session.Credentials = AssumeRoleWithWebIdentityCredentials.FromEnvironmentVariables();
                session.CredentialSource = CredentialSource.WebIdentity;
                return;
            }
            if (!string.IsNullOrEmpty(env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) || !string.IsNullOrEmpty(env["AWS_CONTAINER_CREDENTIALS_FULL_URI"]))
            {
                session.Credentials = new GenericContainerCredentials();
                session.CredentialSource = CredentialSource.Container;
                return;
            }
            if (env.IsTrue("AWS_EC2_METADATA_DISABLED"))
                throw NoCredentials();
            try
            {
                // Asks the instance metadata service for the instance's role; fails off EC2.
                session.Credentials = new InstanceProfileAWSCredentials();
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                throw NoCredentials();
            }
            session.CredentialSource = CredentialSource.InstanceProfile;
        }

        internal static S3CredentialsException NoCredentials()
            => new S3CredentialsException("NoCredentials", FailureKind.AuthenticationError,
                "No AWS credentials were found: pass -AccessKey/-SecretKey, -Credential, -AuthFile or -ProfileName, set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or create a default profile.");

        private static void ResolveRegion(SessionOptions options, CredentialProfile profile, AwsSession session, EnvironmentVariables env)
        {
            if (!string.IsNullOrEmpty(options.Region))
            {
                session.Region = options.Region;
                session.RegionSource = "Parameter";
                return;
            }
            if (!string.IsNullOrEmpty(options.ShellDefaultRegion) && RegionPattern.IsMatch(options.ShellDefaultRegion))
            {
                session.Region = options.ShellDefaultRegion;
                session.RegionSource = "ShellDefault";
                return;
            }
            foreach (var variable in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
            {
                var value = env[variable];
                if (!string.IsNullOrEmpty(value))
                {
                    ValidateKnownRegion(value, null, variable, HasCustomS3Endpoint(options, env));
                    session.Region = value;
                    session.RegionSource = "Environment:" + variable;
                    return;
                }
            }
            if (profile?.Region != null)
            {
                ValidateKnownRegion(profile.Region.SystemName, null, $"The region of profile '{profile.Name}'", HasCustomS3Endpoint(options, env));
                session.Region = profile.Region.SystemName;
                session.RegionSource = "Profile:" + profile.Name;
                return;
            }
            session.Region = DefaultRegion;
            session.RegionSource = "Default";
        }

        private static string EndpointFor(string explicitUrl, string serviceId, EnvironmentVariables env)
        {
            if (!string.IsNullOrEmpty(explicitUrl))
                return explicitUrl;
            if (env.IsTrue("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))
                return null;
            var value = env["AWS_ENDPOINT_URL_" + serviceId];
            if (string.IsNullOrEmpty(value))
                value = env["AWS_ENDPOINT_URL"];
            return string.IsNullOrEmpty(value) ? null : value;
        }
    }
}
