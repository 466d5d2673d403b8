using System;
using System.Globalization;
using System.Threading.Tasks;
using S3Credentials.Core.Credentials;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Credentials
{
    /// <summary>
    /// The Expiration of temporary credentials handed over as an object (-Credential) or an auth file (-AuthFile): read when
    /// it is a date, ignored otherwise, and reported by the session; the SDK's own for credentials it refreshes.
    /// </summary>
    [Collection(MotoCollection.Name)]
    public sealed class CredentialExpirationTests : IDisposable
    {
        private const string Key = "ASIAIOSFODNN7EXAMPLE";
        private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        private readonly EnvironmentScope _env = new EnvironmentScope();

        public void Dispose() => _env.Dispose();

        private static readonly DateTime Noon = new DateTime(2026, 1, 31, 12, 0, 0, DateTimeKind.Utc);

        [Fact]
        public void Dates_in_every_form_AWS_tools_write_are_read_as_UTC()
        {
            Assert.Equal(Noon, CredentialValues.ParseExpiration(Noon));
            Assert.Equal(Noon, CredentialValues.ParseExpiration(Noon.ToLocalTime()));
            Assert.Equal(Noon, CredentialValues.ParseExpiration(new DateTime(2026, 1, 31, 12, 0, 0, DateTimeKind.Unspecified)));
            Assert.Equal(Noon, CredentialValues.ParseExpiration(new DateTimeOffset(2026, 1, 31, 14, 0, 0, TimeSpan.FromHours(2))));
            Assert.Equal(Noon, CredentialValues.ParseExpiration("2026-01-31T12:00:00Z"));
            Assert.Equal(Noon, CredentialValues.ParseExpiration("2026-01-31T12:00:00+00:00"));
            Assert.Equal(Noon, CredentialValues.ParseExpiration("2026-01-31T07:00:00-05:00"));
            Assert.Equal(Noon, CredentialValues.ParseExpiration("2026-01-31 12:00:00"));
            Assert.Equal(DateTimeKind.Utc, CredentialValues.ParseExpiration("2026-01-31T12:00:00Z").Value.Kind);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("tomorrow")]
        [InlineData(42)]
        public void Anything_else_is_no_expiration_and_no_error(object value)
        {
            Assert.Null(CredentialValues.ParseExpiration(value));
        }

        [Fact]
        public async Task A_credential_objects_expiration_is_the_sessions()
        {
            var session = SessionResolver.Resolve(new SessionOptions { Credential = new CredentialValues(Key, Secret, "token", Noon.ToLocalTime()), Region = "us-east-1" });

            Assert.Equal(Noon, session.CredentialExpiration);
            var (keys, expiration) = await session.GetCredentialsWithExpirationAsync();
            Assert.Equal(Key, keys.AccessKey);
            Assert.Equal(Noon, expiration);
        }

        [Fact]
        public async Task An_auth_files_expiration_is_read_from_s3_credentials_JSON_and_aws_sts_output()
        {
            var ours = _env.WriteFile("ours.json", $"{{\"AccessKeyId\":\"{Key}\",\"SecretAccessKey\":\"{Secret}\",\"SessionToken\":\"t\",\"Expiration\":\"2026-01-31T12:00:00Z\"}}");
            var sts = _env.WriteFile("sts.json", $"{{\"Credentials\":{{\"AccessKeyId\":\"{Key}\",\"SecretAccessKey\":\"{Secret}\",\"SessionToken\":\"t\",\"Expiration\":\"2026-01-31T12:00:00+00:00\"}}}}");
            var unreadable = _env.WriteFile("odd.json", $"{{\"AccessKeyId\":\"{Key}\",\"SecretAccessKey\":\"{Secret}\",\"Expiration\":\"/Date(1769860800000)/\"}}");

            Assert.Equal(Noon, AuthFileReader.Read(ours).Expiration);
            Assert.Equal(Noon, AuthFileReader.Read(sts).Expiration);
            Assert.Null(AuthFileReader.Read(unreadable).Expiration);
            var session = SessionResolver.Resolve(new SessionOptions { AuthFile = sts, Region = "us-east-1" });
            Assert.Equal(Noon, (await session.GetCredentialsWithExpirationAsync()).Expiration);
        }

        [Fact]
        public async Task Permanent_keys_have_no_expiration()
        {
            var session = SessionResolver.Resolve(new SessionOptions { AccessKey = "AKIAIOSFODNN7EXAMPLE", SecretKey = Secret, Region = "us-east-1" });
            Assert.Null(session.CredentialExpiration);
            Assert.Null((await session.GetCredentialsWithExpirationAsync()).Expiration);
        }
    }
}
