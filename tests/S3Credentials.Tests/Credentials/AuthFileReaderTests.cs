using System.IO;
using S3Credentials.Core;
using S3Credentials.Core.Credentials;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Credentials
{
    [Collection(S3Credentials.Tests.Infrastructure.MotoCollection.Name)] // changes the process environment (EnvironmentScope)
    public sealed class AuthFileReaderTests : System.IDisposable
    {
        private const string Secret = "SECRETsecretSECRETsecretSECRET0000000001";
        private const string Token = "TOKENtokenTOKENtokenTOKENtoken000000001";
        private readonly EnvironmentScope _env = new EnvironmentScope();

        public void Dispose() => _env.Dispose();

        [Fact]
        public void Reads_s3_credentials_JSON_with_a_session_token()
        {
            var values = AuthFileReader.Read(_env.WriteFile("a.json", $"{{\n  \"AccessKeyId\": \"ASIAEXAMPLE000000001\",\n  \"SecretAccessKey\": \"{Secret}\",\n  \"SessionToken\": \"{Token}\",\n  \"Expiration\": \"2026-11-22 10:00:00+00:00\"\n}}"));
            Assert.Equal(("ASIAEXAMPLE000000001", Secret, Token), (values.AccessKeyId, values.SecretAccessKey, values.SessionToken));
        }

        [Fact]
        public void Reads_the_Credentials_object_of_aws_sts_output()
        {
            var values = AuthFileReader.Read(_env.WriteFile("sts.json", $"{{\"Credentials\":{{\"AccessKeyId\":\"ASIAEXAMPLE000000002\",\"SecretAccessKey\":\"{Secret}\",\"SessionToken\":\"{Token}\"}},\"AssumedRoleUser\":{{}}}}"));
            Assert.Equal("ASIAEXAMPLE000000002", values.AccessKeyId);
            Assert.Equal(Token, values.SessionToken);
        }

        [Fact]
        public void Reads_the_first_INI_section_holding_a_key()
        {
            var values = AuthFileReader.Read(_env.WriteFile("a.ini", $"# comment\n[other]\nregion = eu-west-1\n\n[s3]\naws_access_key_id = AKIAEXAMPLE000000003\naws_secret_access_key = {Secret}\n\n[later]\naws_access_key_id = AKIAEXAMPLE000000004\naws_secret_access_key = x\n"));
            Assert.Equal("AKIAEXAMPLE000000003", values.AccessKeyId);
            Assert.Equal(Secret, values.SecretAccessKey);
            Assert.Null(values.SessionToken);
        }

        [Theory]
        [InlineData("", "it is empty")]
        [InlineData("{\"AccessKeyId\": \"AKIAEXAMPLE000000001\", \"SecretAccessKey\": \"" + Secret + "\"", "not valid JSON")]
        [InlineData("{\"AccessKeyId\": \"AKIAEXAMPLE000000001\"}", "no SecretAccessKey")]
        [InlineData("{\"SecretAccessKey\": \"" + Secret + "\"}", "no AccessKeyId")]
        [InlineData("[\"" + Secret + "\"]", "neither JSON")]
        [InlineData("{\"AccessKeyId\": 12, \"SecretAccessKey\": \"" + Secret + "\"}", "AccessKeyId is not a string")]
        [InlineData("[default]\naws_access_key_id = AKIAEXAMPLE000000001\n", "no aws_secret_access_key")]
        [InlineData("[default]\naws_access_key_id = AKIAEXAMPLE000000001\n" + Secret + "\n", "line 3")]
        [InlineData("aws_secret_access_key = " + Secret + "\n", "before any [section]")]
        [InlineData("[default]\nregion = eu-west-1\n", "neither JSON")]
        public void Malformed_files_are_named_with_the_problem_and_never_echoed(string content, string problem)
        {
            var path = _env.WriteFile("bad-auth", content);
            var error = Assert.Throws<S3CredentialsException>(() => AuthFileReader.Read(path));
            Assert.Equal("AuthFileMalformed", error.ErrorId);
            Assert.Equal("AuthFile", error.ParameterName);
            Assert.Contains(Path.GetFullPath(path), error.Message);
            Assert.Contains(problem, error.Message);
            SessionResolverTests.AssertNoSecret(error);
        }

        [Fact]
        public void A_missing_file_is_ObjectNotFound()
        {
            var error = Assert.Throws<S3CredentialsException>(() => AuthFileReader.Read(Path.Combine(_env.Folder, "none.json")));
            Assert.Equal("AuthFileNotFound", error.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, error.Kind);
        }

        [Fact]
        public void A_bad_auth_file_stops_resolution_before_any_AWS_call()
        {
            var path = _env.WriteFile("bad.json", "{");
            var error = Assert.Throws<S3CredentialsException>(() => SessionResolver.Resolve(new SessionOptions { AuthFile = path }));
            Assert.Equal("AuthFileMalformed", error.ErrorId);
        }
    }
}
