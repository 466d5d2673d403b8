using System.Threading.Tasks;
using Amazon.S3.Model;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Operations;
using S3Credentials.Moto;
using S3Credentials.Tests.Infrastructure;

namespace S3Credentials.Bench
{
    /// <summary>moto, the measured HTTP layer of the current run, and sessions for setting up (unmeasured) and for measuring.</summary>
    internal sealed class BenchContext
    {
        /// <summary>Keys moto accepts while auth mode is off.</summary>
        private const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
        private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

        public BenchContext(MotoProcess moto) => Moto = moto;

        public MotoProcess Moto { get; }

        /// <summary>The current run's HTTP layer: counts requests, adds the latency, caps concurrency for one-at-a-time runs.</summary>
        public RecordingHttpClientFactory Factory { get; set; }

        /// <summary>Says yes to every step, as -Confirm:$false does.</summary>
        public IOperationHost Host { get; } = new RecordingOperationHost();

        /// <summary>A session whose every request goes through <see cref="Factory"/>.</summary>
        public AwsSession Session(string accessKey = AccessKey, string secretKey = SecretKey) => SessionResolver.Resolve(Options(accessKey, secretKey, Factory));

        /// <summary>A session for setting moto up: no added latency, not counted.</summary>
        public AwsSession SetupSession() => SessionResolver.Resolve(Options(AccessKey, SecretKey, null));

        public async Task CreateBucketAsync(string name)
        {
            using var s3 = SetupSession().CreateS3Client();
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = name });
        }

        private SessionOptions Options(string accessKey, string secretKey, Amazon.Runtime.HttpClientFactory factory) => new SessionOptions
        {
            AccessKey = accessKey,
            SecretKey = secretKey,
            Region = "us-east-1",
            EndpointUrl = Moto.Endpoint,
            IamEndpointUrl = Moto.Endpoint,
            StsEndpointUrl = Moto.Endpoint,
            HttpClientFactory = factory,
        };
    }
}
