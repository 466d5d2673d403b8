using S3Credentials.Core.Aws;
using S3Credentials.Core.AwsProtocol;

namespace S3Credentials.Core.Iam
{
    /// <summary>
    /// ClientConfig for IAM (Query protocol, API 2010-05-08). IAM is global: the partition chooses the endpoint and the
    /// region requests are signed for, also when ServiceURL points elsewhere. ServiceId "IAM" makes AWS_ENDPOINT_URL_IAM work.
    /// </summary>
    public sealed class IamClientConfig : OwnServiceConfig
    {
        /// <summary>IAM's global endpoint in the partition of the (signing) region.</summary>
        public static readonly ServiceDefinition Definition = new ServiceDefinition("IAM", "iam", "2010-05-08",
            region => AwsPartition.ForRegion(region).IamEndpoint);

        public IamClientConfig() : this(AwsPartition.Aws) { }

        public IamClientConfig(AwsPartition partition)
            : base(Definition, (partition ?? AwsPartition.Aws).IamSigningRegion)
        {
            Partition = partition ?? AwsPartition.Aws;
        }

        /// <summary>The partition whose IAM this client talks to.</summary>
        public AwsPartition Partition { get; }
    }
}
