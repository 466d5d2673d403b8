using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// tests/moto/run_moto.py's third fix: in auth mode moto 5.2.1 answered every presigned URL (SigV4 in the query string)
    /// with HTTP 500; through the launcher it checks them as S3 does. Shown here with the SDK's own presigner.
    /// </summary>
    public sealed class MotoQueryAuthTests : NewCredentialTestBase
    {
        private static readonly HttpClient Http = new HttpClient();

        public MotoQueryAuthTests(MotoServer moto) : base(moto) { }

        private static string Presign(IAmazonS3 s3, string key, int seconds, HttpVerb verb = HttpVerb.GET)
            => s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = "query-auth", Key = key, Verb = verb, Protocol = Protocol.HTTP, Expires = DateTime.UtcNow.AddSeconds(seconds) }).GetAwaiter().GetResult();

        [Fact]
        public async Task In_auth_mode_moto_checks_the_signature_and_expiry_of_presigned_URLs()
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync("query-auth");
            Moto.SetAuthEnforced(true);
            using var s3 = admin.CreateS3Client();

            var put = await Http.PutAsync(Presign(s3, "a b/ü.txt", 60, HttpVerb.PUT), new StringContent("hello"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var url = Presign(s3, "a b/ü.txt", 60);
            var get = await Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal("hello", await get.Content.ReadAsStringAsync());

            var signature = url.Substring(url.IndexOf("X-Amz-Signature=", StringComparison.Ordinal) + "X-Amz-Signature=".Length, 64);
            var forged = await Http.GetAsync(url.Replace(signature, new string('0', 64)));
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
            Assert.Contains("SignatureDoesNotMatch", await forged.Content.ReadAsStringAsync());

            var shortLived = Presign(s3, "a b/ü.txt", 1);
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            var expired = await Http.GetAsync(shortLived);
            Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
            Assert.Contains("AccessDenied", await expired.Content.ReadAsStringAsync());

            var unknownKey = await Http.GetAsync(url.Replace("X-Amz-Credential=" + admin.Credentials.GetCredentials().AccessKey, "X-Amz-Credential=AKIAUNKNOWNKEY000001"));
            Assert.Equal(HttpStatusCode.Forbidden, unknownKey.StatusCode);
            Assert.Contains("InvalidAccessKeyId", await unknownKey.Content.ReadAsStringAsync());
        }
    }
}
