using Amazon.Runtime;
using S3Credentials.Core;
using S3Credentials.Core.Credentials;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Credentials
{
    /// <summary>AWS.Tools' $StoredAWSCredentials and $StoredAWSRegion, read by reflection and ranked after -ProfileName.</summary>
    [Collection(MotoCollection.Name)]
    public sealed class ShellDefaultsTests : System.IDisposable
    {
        private const string Secret = "SECRETsecretSECRETsecretSECRET0000000001";
        private readonly EnvironmentScope _env = new EnvironmentScope();

        public void Dispose() => _env.Dispose();

        // Shapes like AWS.Tools' own types, from another assembly as far as the module can tell.
        public sealed class FakeImmutable { public string AccessKey { get; set; } public string SecretKey { get; set; } public string Token { get; set; } }
        public sealed class FakeCredentials { public FakeImmutable GetCredentials() => new FakeImmutable { AccessKey = "AKIASHELLDEFAULT0001", SecretKey = Secret, Token = "shell-token" }; }
        public sealed class FakePSCredentials { public string Name => "stored"; public FakeCredentials Credentials { get; } = new FakeCredentials(); }
        public sealed class FakeRegion { public string SystemName => "ap-northeast-1"; }

        [Fact]
        public void Reads_AWS_Tools_objects_by_shape_and_SDK_credentials_too()
        {
            var fromWrapper = ShellDefaults.ReadCredentials(new FakePSCredentials());
            Assert.Equal(("AKIASHELLDEFAULT0001", Secret, "shell-token"), (fromWrapper.AccessKeyId, fromWrapper.SecretAccessKey, fromWrapper.SessionToken));
            Assert.Equal("AKIASDKBASIC00000001", ShellDefaults.ReadCredentials(new BasicAWSCredentials("AKIASDKBASIC00000001", Secret)).AccessKeyId);
            Assert.Null(ShellDefaults.ReadCredentials("not credentials"));
            Assert.Null(ShellDefaults.ReadCredentials(null));
            Assert.Equal("ap-northeast-1", ShellDefaults.ReadRegion(new FakeRegion()));
            Assert.Equal("eu-west-3", ShellDefaults.ReadRegion(" eu-west-3 "));
        }

        public sealed class FailingCredentials { public FakeImmutable GetCredentials() => throw new System.InvalidOperationException("the role cannot be assumed"); }

        [Fact]
        public void An_SDK_credentials_object_given_as_a_parameter_is_read_by_reflection_and_a_failing_one_is_a_named_error()
        {
            var values = ShellDefaults.ReadSdkCredentials(new SessionAWSCredentials("ASIASDKSESSION000001", Secret, "sdk-token"), "Credential");
            Assert.Equal(("ASIASDKSESSION000001", Secret, "sdk-token"), (values.AccessKeyId, values.SecretAccessKey, values.SessionToken));
            Assert.Equal("AKIASHELLDEFAULT0001", ShellDefaults.ReadSdkCredentials(new FakeCredentials(), "Credential").AccessKeyId);
            Assert.Null(ShellDefaults.ReadSdkCredentials(new System.Collections.Hashtable { ["AccessKeyId"] = "x" }, "Credential"));
            Assert.Null(ShellDefaults.ReadSdkCredentials("not credentials", "Credential"));

            var error = Assert.Throws<S3CredentialsException>(() => ShellDefaults.ReadSdkCredentials(new FailingCredentials(), "Credential"));
            Assert.Equal(("CredentialObjectFailed", "Credential", FailureKind.AuthenticationError), (error.ErrorId, error.ParameterName, error.Kind));
            Assert.Equal("-Credential (" + typeof(FailingCredentials).FullName + ") cannot give credentials: InvalidOperationException: the role cannot be assumed", error.Message);
            // The shell default is optional: the same failure there reads as no default.
            Assert.Null(ShellDefaults.ReadCredentials(new FailingCredentials()));
        }

        [Fact]
        public void Shell_defaults_beat_the_environment()
        {
            _env.Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001").Set("AWS_SECRET_ACCESS_KEY", Secret).Set("AWS_REGION", "us-west-2");
            var session = SessionResolver.Resolve(new SessionOptions
            {
                ShellDefaultCredentials = ShellDefaults.ReadCredentials(new FakePSCredentials()),
                ShellDefaultRegion = "ap-northeast-1",
            });
            Assert.Equal(CredentialSource.ShellDefault, session.CredentialSource);
            Assert.Equal("AKIASHELLDEFAULT0001", session.Credentials.GetCredentials().AccessKey);
            Assert.Equal(("ap-northeast-1", "ShellDefault"), (session.Region, session.RegionSource));
        }

        [Fact]
        public void ProfileName_and_Region_parameters_beat_the_shell_defaults()
        {
            _env.WriteCredentials($"[named]\naws_access_key_id = AKIANAMEDPROFILE0001\naws_secret_access_key = {Secret}\n");
            var session = SessionResolver.Resolve(new SessionOptions
            {
                ProfileName = "named",
                Region = "eu-central-1",
                ShellDefaultCredentials = ShellDefaults.ReadCredentials(new FakePSCredentials()),
                ShellDefaultRegion = "ap-northeast-1",
            });
            Assert.Equal("AKIANAMEDPROFILE0001", session.Credentials.GetCredentials().AccessKey);
            Assert.Equal("eu-central-1", session.Region);
        }
    }
}
