using S3Credentials.Core.Aws;
using S3Credentials.Core.AwsProtocol;

namespace S3Credentials.Core.Sts
{
    /// <summary>
    /// ClientConfig for STS (Query protocol, API 2011-06-15): the regional endpoint sts.REGION.DNS-SUFFIX, as AWSSDK.Core 4
    /// uses by default. ServiceId "STS" makes AWS_ENDPOINT_URL_STS and a profile's sts endpoint_url work.
    /// </summary>
    public sealed class StsClientConfig : OwnServiceConfig
    {
        public static readonly ServiceDefinition Definition = new ServiceDefinition("STS", "sts", "2011-06-15",
            region => "https://sts." + region + "." + AwsPartition.ForRegion(region).DnsSuffix);

        public StsClientConfig(string region) : base(Definition, region) { }
    }
}
