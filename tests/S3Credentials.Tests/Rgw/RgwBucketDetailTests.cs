using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3.Model;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Operations;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Rgw
{
    /// <summary>
    /// Get-S3BucketDetail's operation on Ceph RGW, an S3 other than AWS and moto: its ListBuckets gives no BucketRegion, so
    /// GetBucketLocation is sent for each bucket; GetBucketPolicyStatus goes only to the bucket with a policy; and with static
    /// websites off (the fixture's set-up) GetBucketWebsite is refused with MethodNotAllowed, which means no website.
    /// </summary>
    [Collection(CephRgwCollection.Name)]
    public sealed class RgwBucketDetailTests
    {
        private const string Plain = "detail-rgw-plain";
        private const string WithPolicy = "detail-rgw-policy";
        private const string WithCors = "detail-rgw-cors";

        private readonly CephRgw _rgw;

        public RgwBucketDetailTests(CephRgw rgw) => _rgw = rgw;

        [RgwFact]
        public async Task Every_bucket_is_read_with_its_policy_and_CORS_rules_the_region_from_GetBucketLocation_and_no_website()
        {
            using (var s3 = _rgw.Session().CreateS3Client())
            {
                foreach (var name in new[] { Plain, WithPolicy, WithCors })
                    await s3.PutBucketAsync(new PutBucketRequest { BucketName = name });
                await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest
                {
                    BucketName = WithPolicy,
                    Policy = $"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::{WithPolicy}/*\"}}]}}",
                });
                await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
                {
                    BucketName = WithCors,
                    Configuration = new CORSConfiguration { Rules = new List<CORSRule> { new CORSRule { AllowedMethods = new List<string> { "GET" }, AllowedOrigins = new List<string> { "*" } } } },
                });
            }
            var recorder = new RecordingHttpClientFactory();
            var options = _rgw.Options();
            options.HttpClientFactory = recorder;

            var results = await BucketDetailOperation.RunAsync(SessionResolver.Resolve(options), new[] { "detail-rgw-*" }, BucketDetailOperation.DefaultThrottleLimit,
                new RecordingOperationHost(), CancellationToken.None);

            Assert.Equal(new[] { WithCors, Plain, WithPolicy }, results.Select(r => r.Input));
            Assert.All(results, r => Assert.True(r.Error == null, r.Input + ": " + r.Error?.Message));
            var byName = results.ToDictionary(r => r.Input, r => r.Value);
            // RGW's GetBucketLocation names its zonegroup, "default" here; shown as RGW says it.
            Assert.All(byName.Values, d => Assert.Equal("default", d.Region));
            Assert.All(byName.Values, d => Assert.Contains(d.Grants, g => g.EndsWith(":FULL_CONTROL", StringComparison.Ordinal)));
            Assert.Contains(WithPolicy + "/*", byName[WithPolicy].BucketPolicy);
            Assert.Null(byName[Plain].BucketPolicy);
            Assert.Equal(1, byName[WithCors].CorsRuleCount);
            Assert.Equal(0, byName[Plain].CorsRuleCount);
            Assert.False(byName[Plain].HasWebsite);
            Assert.Equal(3, recorder.Count("GetBucketLocation"));
            Assert.Equal(1, recorder.Count("GetBucketPolicyStatus"));
        }
    }
}
