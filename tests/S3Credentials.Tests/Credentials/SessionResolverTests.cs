using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Amazon.Runtime;
using S3Credentials.Core;
using S3Credentials.Core.Credentials;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Credentials
{
    /// <summary>
    /// The precedence table of README.md, step by step: each test sets up every source of lower rank too,
    /// so it fails if a lower source wins. Keys are distinct per source so the winner is visible.
    /// </summary>
    [Collection(MotoCollection.Name)]
    public sealed class SessionResolverTests : IDisposable
    {
        private const string ParameterKey = "AKIAPARAMETERS00001";
        private const string ObjectKey = "AKIACREDENTIALOBJ001";
        private const string AuthFileKey = "AKIAAUTHFILE00000001";
        private const string NamedProfileKey = "AKIANAMEDPROFILE0001";
        private const string EnvironmentKey = "AKIAENVIRONMENT00001";
        private const string EnvProfileKey = "AKIAENVPROFILE000001";
        private const string DefaultProfileKey = "AKIADEFAULTPROFILE01";
        private const string Secret = "SECRETsecretSECRETsecretSECRET0000000001";
        private const string Token = "TOKENtokenTOKENtokenTOKENtoken000000001";

        private readonly EnvironmentScope _env = new EnvironmentScope();

        public void Dispose() => _env.Dispose();

        private string AuthFilePath => _env.WriteFile("auth.json", $"{{\"AccessKeyId\":\"{AuthFileKey}\",\"SecretAccessKey\":\"{Secret}\"}}");

        /// <summary>Every source of credentials at once; each test removes the ones ranked above the one it expects.</summary>
        private void AllSources(bool environmentKeys = true, bool envProfile = true)
        {
            _env.WriteCredentials(
                $"[named]\naws_access_key_id = {NamedProfileKey}\naws_secret_access_key = {Secret}\n\n" +
                $"[envprofile]\naws_access_key_id = {EnvProfileKey}\naws_secret_access_key = {Secret}\n\n" +
                $"[default]\naws_access_key_id = {DefaultProfileKey}\naws_secret_access_key = {Secret}\n");
            _env.WriteConfig("[default]\nregion = eu-west-1\n\n[profile named]\nregion = ap-southeast-2\n\n[profile envprofile]\nregion = ca-central-1\n");
            if (environmentKeys)
            {
                _env.Set("AWS_ACCESS_KEY_ID", EnvironmentKey).Set("AWS_SECRET_ACCESS_KEY", Secret);
            }
            if (envProfile)
                _env.Set("AWS_PROFILE", "envprofile");
        }

        private static string AccessKeyOf(AwsSession session) => session.Credentials.GetCredentials().AccessKey;

        [Fact]
        public void Explicit_keys_win_over_every_other_source()
        {
            AllSources();
            var session = SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret });
            Assert.Equal(ParameterKey, AccessKeyOf(session));
            Assert.Equal(CredentialSource.Parameters, session.CredentialSource);
            Assert.IsType<BasicAWSCredentials>(session.Credentials);
        }

        [Fact]
        public void Explicit_keys_with_a_session_token_make_session_credentials()
        {
            var session = SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret, SessionToken = Token });
            var credentials = session.Credentials.GetCredentials();
            Assert.Equal(Token, credentials.Token);
            Assert.True(credentials.UseToken);
        }

        [Fact]
        public void Credential_object_comes_next()
        {
            AllSources();
            var session = SessionResolver.Resolve(new SessionOptions { Credential = new CredentialValues(ObjectKey, Secret, Token) });
            Assert.Equal(ObjectKey, AccessKeyOf(session));
            Assert.Equal(Token, session.Credentials.GetCredentials().Token);
            Assert.Equal(CredentialSource.CredentialObject, session.CredentialSource);
        }

        [Fact]
        public void Auth_file_comes_next()
        {
            AllSources();
            var path = AuthFilePath;
            var session = SessionResolver.Resolve(new SessionOptions { AuthFile = path });
            Assert.Equal(AuthFileKey, AccessKeyOf(session));
            Assert.Equal(CredentialSource.AuthFile, session.CredentialSource);
            Assert.Equal(Path.GetFullPath(path), session.AuthFile);
        }

        [Fact]
        public void Named_profile_comes_next_and_supplies_its_region()
        {
            AllSources();
            var session = SessionResolver.Resolve(new SessionOptions { ProfileName = "named" });
            Assert.Equal(NamedProfileKey, AccessKeyOf(session));
            Assert.Equal(CredentialSource.Profile, session.CredentialSource);
            Assert.Equal("named", session.ProfileName);
            Assert.Equal("ap-southeast-2", session.Region);
            Assert.Equal("Profile:named", session.RegionSource);
        }

        [Fact]
        public void Environment_keys_come_next()
        {
            AllSources();
            var session = SessionResolver.Resolve(new SessionOptions());
            Assert.Equal(EnvironmentKey, AccessKeyOf(session));
            Assert.Equal(CredentialSource.Environment, session.CredentialSource);
            Assert.False(session.Credentials.GetCredentials().UseToken);
        }

        [Theory]
        [InlineData("AWS_SESSION_TOKEN")]
        [InlineData("AWS_SECURITY_TOKEN")]
        public void Environment_keys_carry_the_session_token(string variable)
        {
            _env.Set("AWS_ACCESS_KEY_ID", EnvironmentKey).Set("AWS_SECRET_ACCESS_KEY", Secret).Set(variable, Token);
            var session = SessionResolver.Resolve(new SessionOptions());
            Assert.Equal(Token, session.Credentials.GetCredentials().Token);
        }

        [Fact]
        public void AWS_PROFILE_comes_next_and_supplies_its_region()
        {
            AllSources(environmentKeys: false);
            var session = SessionResolver.Resolve(new SessionOptions());
            Assert.Equal(EnvProfileKey, AccessKeyOf(session));
            Assert.Equal("envprofile", session.ProfileName);
            Assert.Equal("ca-central-1", session.Region);
        }

        [Fact]
        public void Default_profile_comes_next()
        {
            AllSources(environmentKeys: false, envProfile: false);
            var session = SessionResolver.Resolve(new SessionOptions());
            Assert.Equal(DefaultProfileKey, AccessKeyOf(session));
            Assert.Equal("default", session.ProfileName);
            Assert.Equal("eu-west-1", session.Region);
            Assert.Equal("Profile:default", session.RegionSource);
        }

        [Fact]
        public void Web_identity_comes_after_the_profiles()
        {
            var tokenFile = _env.WriteFile("token", "header.payload.signature");
            _env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile).Set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web");
            var session = SessionResolver.Resolve(new SessionOptions());
            Assert.Equal(CredentialSource.WebIdentity, session.CredentialSource);
            Assert.IsAssignableFrom<AssumeRoleWithWebIdentityCredentials>(session.Credentials);
        }

        [Fact]
        public void Container_credentials_come_after_web_identity()
        {
            _env.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/creds");
            var session = SessionResolver.Resolve(new SessionOptions());
            Assert.Equal(CredentialSource.Container, session.CredentialSource);
            Assert.IsType<GenericContainerCredentials>(session.Credentials);
        }

        [Fact]
        public void No_source_at_all_is_a_clear_error()
        {
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions()));
            Assert.Equal("NoCredentials", error.ErrorId);
            Assert.Equal(FailureKind.AuthenticationError, error.Kind);
            Assert.Contains("-ProfileName", error.Message);
        }

        [Fact]
        public void Default_profile_with_only_a_region_is_skipped_for_credentials_but_gives_the_region()
        {
            _env.WriteConfig("[default]\nregion = sa-east-1\n");
            _env.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/creds");
            var session = SessionResolver.Resolve(new SessionOptions());
            Assert.Equal(CredentialSource.Container, session.CredentialSource);
            Assert.Equal("sa-east-1", session.Region);
        }

        // ---- Region ----

        [Fact]
        public void Region_parameter_beats_environment_and_profile()
        {
            AllSources();
            _env.Set("AWS_REGION", "us-west-1").Set("AWS_DEFAULT_REGION", "us-west-2");
            var session = SessionResolver.Resolve(new SessionOptions { ProfileName = "named", Region = "eu-north-1" });
            Assert.Equal("eu-north-1", session.Region);
            Assert.Equal("Parameter", session.RegionSource);
        }

        [Fact]
        public void AWS_REGION_beats_AWS_DEFAULT_REGION_and_profile()
        {
            AllSources();
            _env.Set("AWS_REGION", "us-west-1").Set("AWS_DEFAULT_REGION", "us-west-2");
            var session = SessionResolver.Resolve(new SessionOptions { ProfileName = "named" });
            Assert.Equal("us-west-1", session.Region);
            Assert.Equal("Environment:AWS_REGION", session.RegionSource);
        }

        [Fact]
        public void AWS_DEFAULT_REGION_beats_profile()
        {
            AllSources();
            _env.Set("AWS_DEFAULT_REGION", "us-west-2");
            var session = SessionResolver.Resolve(new SessionOptions { ProfileName = "named" });
            Assert.Equal("us-west-2", session.Region);
            Assert.Equal("Environment:AWS_DEFAULT_REGION", session.RegionSource);
        }

        [Fact]
        public void Explicit_keys_take_the_region_of_the_default_profile()
        {
            AllSources(environmentKeys: false, envProfile: false);
            var session = SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret });
            Assert.Equal("eu-west-1", session.Region);
        }

        [Fact]
        public void Without_any_region_us_east_1_is_used()
        {
            var session = SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret });
            Assert.Equal("us-east-1", session.Region);
            Assert.Equal("Default", session.RegionSource);
            Assert.Equal("aws", session.Partition.Name);
        }

        [Theory]
        [InlineData("cn-north-1", "aws-cn")]
        [InlineData("us-gov-west-1", "aws-us-gov")]
        [InlineData("eu-central-1", "aws")]
        public void Partition_follows_the_region(string region, string partition)
        {
            var session = SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret, Region = region });
            Assert.Equal(partition, session.Partition.Name);
        }

        // ---- Endpoints ----

        [Fact]
        public void Endpoint_parameters_are_per_service()
        {
            var session = SessionResolver.Resolve(new SessionOptions
            {
                AccessKey = ParameterKey, SecretKey = Secret,
                EndpointUrl = "http://127.0.0.1:9000", IamEndpointUrl = "http://127.0.0.1:9001", StsEndpointUrl = "http://127.0.0.1:9002",
            });
            Assert.Equal(("http://127.0.0.1:9000", "http://127.0.0.1:9001", "http://127.0.0.1:9002"), (session.S3EndpointUrl, session.IamEndpointUrl, session.StsEndpointUrl));
        }

        [Fact]
        public void SDK_endpoint_variables_are_honoured_per_service_then_globally()
        {
            _env.Set("AWS_ENDPOINT_URL", "http://127.0.0.1:9100").Set("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9101");
            var session = SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret });
            Assert.Equal("http://127.0.0.1:9101", session.S3EndpointUrl);
            Assert.Equal("http://127.0.0.1:9100", session.IamEndpointUrl);
            Assert.Equal("http://127.0.0.1:9100", session.StsEndpointUrl);
            _env.Set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
            session = SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret });
            Assert.Null(session.S3EndpointUrl);
        }

        // ---- Errors: each names the parameter and the rule, none leaks a secret ----

        public static IEnumerable<object[]> BadInputs()
        {
            yield return Case("SecretKeyMissing", "SecretKey", o => o.AccessKey = ParameterKey);
            yield return Case("AccessKeyMissing", "AccessKey", o => o.SecretKey = Secret);
            yield return Case("SessionTokenWithoutKeys", "SessionToken", o => o.SessionToken = Token);
            yield return Case("AccessKeyInvalid", "AccessKey", o => { o.AccessKey = "AKIA not a key"; o.SecretKey = Secret; });
            yield return Case("ConflictingCredentialParameters", "AuthFile", o => { o.AccessKey = ParameterKey; o.SecretKey = Secret; o.AuthFile = "/nonexistent/auth.json"; });
            yield return Case("ConflictingCredentialParameters", "Credential", o => { o.AccessKey = ParameterKey; o.SecretKey = Secret; o.Credential = new CredentialValues(ObjectKey, Secret, Token); });
            yield return Case("ConflictingCredentialParameters", "ProfileName", o => { o.Credential = new CredentialValues(ObjectKey, Secret, Token); o.ProfileName = "named"; });
            yield return Case("ConflictingCredentialParameters", "ProfileName", o => { o.AuthFile = "/nonexistent/auth.json"; o.ProfileName = "named"; });
            yield return Case("ConflictingCredentialParameters", "AuthFile", o => { o.Credential = new CredentialValues(ObjectKey, Secret, Token); o.AuthFile = "/nonexistent/auth.json"; });
            yield return Case("SecretKeyInvalid", "SecretKey", o => { o.AccessKey = ParameterKey; o.SecretKey = Secret + "\n"; });
            yield return Case("SessionTokenInvalid", "SessionToken", o => { o.AccessKey = ParameterKey; o.SecretKey = Secret; o.SessionToken = Token + " x"; });
            yield return Case("AccessKeyInvalid", "AccessKey", o => { o.AccessKey = " "; o.SecretKey = Secret; });
            yield return Case("CredentialInvalidAccessKeyId", "Credential", o => o.Credential = new CredentialValues("AKIA\u0001", Secret, Token));
            yield return Case("CredentialInvalidSecretAccessKey", "Credential", o => o.Credential = new CredentialValues(ObjectKey, Secret + "\t", Token));
            yield return Case("CredentialInvalidSessionToken", "Credential", o => o.Credential = new CredentialValues(ObjectKey, Secret, "\u00e9" + Token));
            yield return Case("CredentialMissingSecretAccessKey", "Credential", o => o.Credential = new CredentialValues(ObjectKey, null, Token));
            yield return Case("CredentialMissingAccessKeyId", "Credential", o => o.Credential = new CredentialValues(null, Secret, Token));
            yield return Case("RegionInvalid", "Region", o => { o.AccessKey = ParameterKey; o.SecretKey = Secret; o.Region = "Europe"; });
            yield return Case("RegionUnknown", "Region", o => { o.AccessKey = ParameterKey; o.SecretKey = Secret; o.Region = "us-nowhere-9"; });
            yield return Case("RegionUnknown", "Region", o => { o.AccessKey = ParameterKey; o.SecretKey = Secret; o.Region = "us-iso-east-1"; });
            yield return Case("RegionInvalid", "Region", o => { o.AccessKey = ParameterKey; o.SecretKey = Secret; o.Region = "Garage Store"; o.EndpointUrl = "http://127.0.0.1:3900"; });
            yield return Case("EndpointUrlInvalid", "EndpointUrl", o => { o.AccessKey = ParameterKey; o.SecretKey = Secret; o.EndpointUrl = "localhost:9000"; });
            yield return Case("EndpointUrlInvalid", "IamEndpointUrl", o => { o.AccessKey = ParameterKey; o.SecretKey = Secret; o.IamEndpointUrl = "ftp://x"; });
            yield return Case("EndpointUrlInvalid", "StsEndpointUrl", o => { o.AccessKey = ParameterKey; o.SecretKey = Secret; o.StsEndpointUrl = "/relative"; });
            yield return Case("ProfileLocationNotFound", "ProfileLocation", o => o.ProfileLocation = "/nonexistent/credentials");
            yield return Case("ProfileNameEmpty", "ProfileName", o => o.ProfileName = "  ");
        }

        private static object[] Case(string errorId, string parameter, Action<SessionOptions> set)
        {
            var options = new SessionOptions();
            set(options);
            return new object[] { errorId, parameter, options };
        }

        [Theory]
        [MemberData(nameof(BadInputs))]
        public void Bad_input_is_refused_naming_the_parameter_without_leaking_secrets(string errorId, string parameter, SessionOptions options)
        {
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(options));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(parameter, error.ParameterName);
            Assert.Contains("-" + parameter, error.Message);
            AssertNoSecret(error);
        }

        [Fact]
        public void A_named_profile_that_does_not_exist_never_falls_through_to_default()
        {
            AllSources();
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { ProfileName = "typo" }));
            Assert.Equal("ProfileNotFound", error.ErrorId);
            Assert.Equal("ProfileName", error.ParameterName);
            Assert.Equal(FailureKind.ObjectNotFound, error.Kind);
            Assert.Contains("'typo'", error.Message);
            Assert.Contains(_env.CredentialsFile, error.Message);
            AssertNoSecret(error);
        }

        [Fact]
        public void A_credentials_file_named_later_in_the_session_is_read()
        {
            // AWSSDK.Core reads AWS_SHARED_CREDENTIALS_FILE once per process; the resolver reads it every time.
            var other = _env.WriteFile("other-credentials", $"[later]\naws_access_key_id = {NamedProfileKey}\naws_secret_access_key = {Secret}\n");
            _env.Set("AWS_SHARED_CREDENTIALS_FILE", other);
            var session = SessionResolver.Resolve(new SessionOptions { ProfileName = "later" });
            Assert.Equal(NamedProfileKey, AccessKeyOf(session));
        }

        [Fact]
        public void ProfileLocation_names_the_credentials_file()
        {
            var other = _env.WriteFile("located", $"[here]\naws_access_key_id = {NamedProfileKey}\naws_secret_access_key = {Secret}\n");
            var session = SessionResolver.Resolve(new SessionOptions { ProfileName = "here", ProfileLocation = other });
            Assert.Equal(NamedProfileKey, AccessKeyOf(session));
            Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { ProfileName = "here" }));
        }

        [Fact]
        public void A_named_profile_given_with_keys_is_refused_as_a_second_source_not_ignored()
        {
            AllSources();
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret, ProfileName = "named" }));
            Assert.Equal("ConflictingCredentialParameters", error.ErrorId);
            Assert.Equal("ProfileName", error.ParameterName);
            Assert.Contains("-AccessKey/-SecretKey and -ProfileName were both given", error.Message);
        }

        [Fact]
        public void Three_sources_at_once_are_all_named()
        {
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions
            {
                Credential = new CredentialValues(ObjectKey, Secret), AuthFile = "/nonexistent/auth.json", ProfileName = "named",
            }));
            Assert.Equal("ConflictingCredentialParameters", error.ErrorId);
            Assert.Equal("AuthFile", error.ParameterName);
            Assert.Contains("-Credential, -AuthFile and -ProfileName were all given", error.Message);
        }

        [Fact]
        public void A_missing_profile_names_the_config_file_AWS_CONFIG_FILE_points_to_not_the_one_in_the_credentials_files_folder()
        {
            AllSources();
            var elsewhere = Path.Combine(EnvironmentScope.RunHome, "elsewhere", "my-config");
            _env.Set("AWS_CONFIG_FILE", elsewhere);
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { ProfileName = "typo" }));
            Assert.Equal("ProfileNotFound", error.ErrorId);
            Assert.Contains("(" + _env.CredentialsFile + ", " + elsewhere + ")", error.Message);
        }

        [Fact]
        public void An_AWS_PROFILE_that_does_not_exist_is_an_error_too()
        {
            AllSources(environmentKeys: false);
            _env.Set("AWS_PROFILE", "typo");
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions()));
            Assert.Equal("ProfileNotFound", error.ErrorId);
            Assert.Contains("AWS_PROFILE", error.Message);
        }

        [Fact]
        public void A_profile_without_credentials_is_an_error_when_named()
        {
            _env.WriteConfig("[profile regiononly]\nregion = eu-west-1\n");
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { ProfileName = "regiononly" }));
            Assert.Equal("ProfileHasNoCredentials", error.ErrorId);
            Assert.Equal("ProfileName", error.ParameterName);
        }

        [Theory]
        [InlineData("AWS_ACCESS_KEY_ID", "EnvironmentSecretKeyMissing")]
        [InlineData("AWS_SECRET_ACCESS_KEY", "EnvironmentAccessKeyMissing")]
        public void Half_of_the_environment_keys_is_an_error(string variable, string errorId)
        {
            _env.Set(variable, variable == "AWS_ACCESS_KEY_ID" ? EnvironmentKey : Secret);
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions()));
            Assert.Equal(errorId, error.ErrorId);
            AssertNoSecret(error);
        }

        [Fact]
        public void A_bad_AWS_REGION_is_named_in_the_error()
        {
            _env.Set("AWS_REGION", "moon-base-alpha");
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret }));
            Assert.Equal("RegionInvalid", error.ErrorId);
            Assert.Contains("AWS_REGION", error.Message);
        }

        [Fact]
        public void A_region_shaped_name_no_partition_knows_is_refused_unless_S3_goes_to_an_endpoint_of_the_users()
        {
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret, Region = "us-nowhere-9" }));
            Assert.Equal("RegionUnknown", error.ErrorId);
            Assert.Equal("Region", error.ParameterName);
            Assert.Contains("-Region 'us-nowhere-9'", error.Message);
            Assert.Contains("-EndpointUrl", error.Message);
            // An S3-compatible store names its regions as it likes: with its endpoint, the shape is enough.
            var session = SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret, Region = "us-nowhere-9", EndpointUrl = "http://127.0.0.1:9000" });
            Assert.Equal("us-nowhere-9", session.Region);
            _env.Set("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000");
            Assert.Equal("us-nowhere-9", SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret, Region = "us-nowhere-9" }).Region);
            // Only S3's endpoint counts: an IAM endpoint of one's own still sends S3 requests to AWS.
            _env.Set("AWS_ENDPOINT_URL_S3", null);
            error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret, Region = "us-nowhere-9", IamEndpointUrl = "http://127.0.0.1:9000" }));
            Assert.Equal("RegionUnknown", error.ErrorId);
            _env.Set("AWS_REGION", "eu-nowhere-1");
            error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret }));
            Assert.Equal("RegionUnknown", error.ErrorId);
            Assert.Contains("AWS_REGION 'eu-nowhere-1'", error.Message);
        }

        [Theory]
        [InlineData("auto")]          // Cloudflare R2
        [InlineData("us-west-004")]   // Backblaze B2
        [InlineData("garage")]        // Garage
        public void An_S3_compatible_stores_own_region_name_is_taken_with_its_endpoint_and_refused_without(string region)
        {
            var session = SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret, Region = region, EndpointUrl = "https://account.r2.example.com" });
            Assert.Equal(region, session.Region);
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret, Region = region }));
            Assert.Contains(error.ErrorId, new[] { "RegionInvalid", "RegionUnknown" });
            Assert.Equal("Region", error.ParameterName);
            // Still no spaces, capitals or punctuation, with an endpoint or not.
            Assert.Equal("RegionInvalid", Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret, Region = "Auto!", EndpointUrl = "https://account.r2.example.com" })).ErrorId);
        }

        [Fact]
        public void Every_region_the_completer_offers_is_accepted_and_the_three_partitions_are_there()
        {
            var regions = S3Credentials.Core.Aws.AwsRegions.All;
            Assert.Contains("us-east-1", regions);
            Assert.Contains("cn-northwest-1", regions);
            Assert.Contains("us-gov-east-1", regions);
            Assert.DoesNotContain("us-east-1-regional", regions);
            Assert.DoesNotContain(regions, r => r.StartsWith("us-iso", StringComparison.Ordinal));
            Assert.Equal(regions, S3Credentials.Core.Completion.CompletionSource.RegionNames());
            foreach (var region in regions)
                Assert.Equal(region, SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret, Region = region }).Region);
        }

        // ---- Broken shared files ----

        [Fact]
        public void A_malformed_credentials_file_names_the_file_and_the_line_but_not_its_text()
        {
            _env.WriteCredentials($"[named]\naws_access_key_id = {NamedProfileKey}\naws_secret_access_key: {Secret}\n");
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { ProfileName = "named" }));
            Assert.Equal(("CredentialsFileMalformed", FailureKind.InvalidArgument), (error.ErrorId, error.Kind));
            Assert.Null(error.ParameterName);
            Assert.Equal($"The shared credentials or config file '{_env.CredentialsFile}' cannot be read: line 3 is neither a [section] header, a key = value line nor a comment. Correct or remove that line.", error.Message);
            Assert.Null(error.InnerException);
            AssertNoSecret(error);
        }

        [Fact]
        public void A_malformed_config_file_is_named_too_even_when_credentials_come_from_elsewhere()
        {
            _env.WriteConfig("[default]\nregion = eu-west-1\n\nthis line is " + Secret + "\n");
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { AccessKey = ParameterKey, SecretKey = Secret }));
            Assert.Equal("CredentialsFileMalformed", error.ErrorId);
            Assert.Contains($"'{_env.ConfigFile}' cannot be read: line 4 ", error.Message);
            AssertNoSecret(error);
        }

        [Fact]
        public void A_malformed_ProfileLocation_is_laid_at_that_parameter()
        {
            var file = _env.WriteFile("broken-credentials", $"[here]\naws_access_key_id = {NamedProfileKey}\n{Secret}\n");
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { ProfileName = "here", ProfileLocation = file }));
            Assert.Equal(("CredentialsFileMalformed", "ProfileLocation"), (error.ErrorId, error.ParameterName));
            Assert.Contains($"'{file}' (-ProfileLocation) cannot be read: line 3 ", error.Message);
            AssertNoSecret(error);
        }

        [Fact]
        public void An_SDK_message_of_another_shape_still_names_the_files_and_never_the_text()
        {
            var error = SessionResolver.MalformedProfileFile(new InvalidDataException("something about " + Secret), null);
            Assert.Equal("CredentialsFileMalformed", error.ErrorId);
            Assert.Contains(_env.CredentialsFile, error.Message);
            Assert.Contains(_env.ConfigFile, error.Message);
            AssertNoSecret(error);
        }

        // ---- One rule for keys from every source ----

        [Fact]
        public void An_S3_compatible_stores_keys_are_accepted_from_every_source()
        {
            // minioadmin is MinIO's default root user and password: short, lowercase, nothing like AKIA...
            Assert.Equal("minioadmin", AccessKeyOf(SessionResolver.Resolve(new SessionOptions { AccessKey = "minioadmin", SecretKey = "minioadmin" })));
            Assert.Equal("minioadmin", AccessKeyOf(SessionResolver.Resolve(new SessionOptions { Credential = new CredentialValues("minioadmin", "minioadmin") })));
            var authFile = _env.WriteFile("minio.json", "{\"AccessKeyId\":\"minioadmin\",\"SecretAccessKey\":\"minioadmin\"}");
            Assert.Equal("minioadmin", AccessKeyOf(SessionResolver.Resolve(new SessionOptions { AuthFile = authFile })));
            _env.WriteCredentials("[minio]\naws_access_key_id = minioadmin\naws_secret_access_key = minioadmin\n");
            Assert.Equal("minioadmin", AccessKeyOf(SessionResolver.Resolve(new SessionOptions { ProfileName = "minio" })));
            Assert.Equal("minioadmin", AccessKeyOf(SessionResolver.Resolve(new SessionOptions { ShellDefaultCredentials = new CredentialValues("minioadmin", "minioadmin") })));
            _env.Set("AWS_ACCESS_KEY_ID", "minio-user_1").Set("AWS_SECRET_ACCESS_KEY", "minioadmin");
            Assert.Equal("minio-user_1", AccessKeyOf(SessionResolver.Resolve(new SessionOptions())));
        }

        [Fact]
        public void A_key_that_can_never_be_one_is_refused_from_every_source_naming_where_it_came_from()
        {
            var badSecret = Secret + "\r";
            var authFile = _env.WriteFile("bad.json", "{\"AccessKeyId\":\"AKIA EXAMPLE\",\"SecretAccessKey\":\"" + Secret + "\"}");
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { AuthFile = authFile }));
            Assert.Equal(("AuthFileMalformed", "AuthFile"), (error.ErrorId, error.ParameterName));
            Assert.Contains("AccessKeyId in the auth file '" + authFile + "'", error.Message);
            Assert.Contains("character 5 is whitespace", error.Message);

            _env.WriteCredentials($"[bad]\naws_access_key_id = {NamedProfileKey}\naws_secret_access_key = SECRETsecret\u00e9\n");
            error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { ProfileName = "bad" }));
            Assert.Equal(("ProfileCredentialsInvalid", "ProfileName"), (error.ErrorId, error.ParameterName));
            Assert.Contains("SecretAccessKey of the profile 'bad' (-ProfileName)", error.Message);
            AssertNoSecret(error);

            error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { ShellDefaultCredentials = new CredentialValues(EnvironmentKey, badSecret) }));
            Assert.Equal("ShellDefaultCredentialsInvalid", error.ErrorId);
            Assert.Contains("$StoredAWSCredentials", error.Message);
            AssertNoSecret(error);

            _env.Set("AWS_ACCESS_KEY_ID", EnvironmentKey).Set("AWS_SECRET_ACCESS_KEY", badSecret);
            error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions()));
            Assert.Equal("EnvironmentCredentialsInvalid", error.ErrorId);
            Assert.Contains("AWS_SECRET_ACCESS_KEY must be printable ASCII", error.Message);
            AssertNoSecret(error);
        }

        internal static void AssertNoSecret(Exception error)
        {
            for (var e = error; e != null; e = e.InnerException)
            {
                Assert.DoesNotContain(Secret, e.Message);
                Assert.DoesNotContain(Token, e.Message);
                Assert.DoesNotContain("SECRETsecret", e.Message);
                Assert.DoesNotContain("TOKENtoken", e.Message);
            }
        }
    }
}
