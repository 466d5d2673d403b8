using System;
using System.Threading.Tasks;
using S3Credentials.Core.Credentials;
using Xunit;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// Base of tests that talk to moto: a clean moto and a clean AWS environment for each test,
    /// and sessions whose every request is recorded.
    /// </summary>
    [Collection(MotoCollection.Name)]
    public abstract class MotoTestBase : IDisposable
    {
        /// <summary>Keys moto accepts while auth mode is off.</summary>
        public const string TestAccessKey = "AKIAIOSFODNN7EXAMPLE";
        public const string TestSecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

        protected MotoTestBase(MotoServer moto)
        {
            Moto = moto;
            moto.Reset();
            Environment = new EnvironmentScope();
        }

        protected MotoServer Moto { get; }
        protected EnvironmentScope Environment { get; }
        protected RecordingHttpClientFactory Recorder { get; } = new RecordingHttpClientFactory();

        /// <summary>Options pointing IAM, STS and S3 at moto, with the given keys (the test keys by default).</summary>
        protected SessionOptions MotoOptions(string accessKey = TestAccessKey, string secretKey = TestSecretKey, string sessionToken = null, string region = "us-east-1")
            => new SessionOptions
            {
                AccessKey = accessKey,
                SecretKey = secretKey,
                SessionToken = sessionToken,
                Region = region,
                EndpointUrl = Moto.Endpoint,
                IamEndpointUrl = Moto.Endpoint,
                StsEndpointUrl = Moto.Endpoint,
                HttpClientFactory = Recorder,
            };

        protected AwsSession MotoSession(string accessKey = TestAccessKey, string secretKey = TestSecretKey, string sessionToken = null, string region = "us-east-1")
            => SessionResolver.Resolve(MotoOptions(accessKey, secretKey, sessionToken, region));

        protected static async Task<TException> ThrowsAsync<TException>(Func<Task> action) where TException : Exception
            => await Assert.ThrowsAsync<TException>(action);

        public virtual void Dispose() => Environment.Dispose();
    }
}
