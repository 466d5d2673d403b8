using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;

namespace S3Credentials.Core.Operations.HandOff
{
    /// <summary>What New-S3PresignedUrl was asked for.</summary>
    public sealed class PresignedUrlRequest
    {
        public string BucketName { get; set; }
        public string Key { get; set; }
        public PresignedUrlMethod Method { get; set; } = PresignedUrlMethod.Get;
        /// <summary>How long the URL stays valid; null for <see cref="PresignedUrlOperation.DefaultExpiry"/>.</summary>
        public TimeSpan? Expires { get; set; }
        /// <summary>PUT: the Content-Type the upload must send (it is signed); GET: the Content-Type S3 answers with (response-content-type).</summary>
        public string ContentType { get; set; }

        /// <summary>Checks everything that can be checked without AWS, naming the parameter and the rule.</summary>
        public void Validate()
        {
            AwsNames.ValidateBucketName(BucketName);
            ValidateKey(Key);
            if (Expires is TimeSpan expires)
                DurationParser.EnsureWithin(expires, PresignedUrlOperation.MinimumExpiry, PresignedUrlOperation.MaximumExpiry, "a SigV4 presigned URL", "Expires");
            if (!Enum.IsDefined(typeof(PresignedUrlMethod), Method))
                throw S3CredentialsException.InvalidParameter("PresignedUrlMethodInvalid", "Method", $"-Method {Method} is not Get or Put.");
            if (ContentType != null)
            {
                if (ContentType.Length == 0 || ContentType.Any(char.IsControl) || ContentType.IndexOf('/') <= 0 || ContentType.Length > 255)
                    throw S3CredentialsException.InvalidParameter("ContentTypeInvalid", "ContentType",
                        $"-ContentType '{ContentType}' is not a media type: use type/subtype such as text/csv or application/json, at most 255 characters, without control characters.");
            }
        }

        /// <summary>An object key: 1 to 1,024 bytes of UTF-8, no control characters, no leading '/'.</summary>
        public static void ValidateKey(string key, string parameterName = "Key")
        {
            if (string.IsNullOrEmpty(key))
                throw S3CredentialsException.InvalidParameter("KeyEmpty", parameterName, $"-{parameterName} is empty: give the object's key, such as 'reports/2026.csv'.");
            for (var i = 0; i < key.Length; i++)
                if (char.IsControl(key[i]))
                    throw S3CredentialsException.InvalidParameter("KeyControlCharacter", parameterName,
                        $"-{parameterName} contains a control character (U+{(int)key[i]:X4} at position {i + 1}); this module does not sign URLs for such keys.");
            if (key[0] == '/')
                throw S3CredentialsException.InvalidParameter("KeyLeadingSlash", parameterName,
                    $"-{parameterName} '{key}' must not start with '/': S3 keys are written without one ('reports/2026.csv', not '/reports/2026.csv').");
            var bytes = Encoding.UTF8.GetByteCount(key);
            if (bytes > S3Names.MaxPrefixBytes)
                throw S3CredentialsException.InvalidParameter("KeyTooLong", parameterName, $"-{parameterName} is {bytes} bytes of UTF-8; S3 keys are at most {S3Names.MaxPrefixBytes} bytes.");
        }
    }

    /// <summary>
    /// New-S3PresignedUrl: a SigV4 presigned URL made locally by the SDK (no AWS call). With temporary credentials the
    /// URL carries their session token (X-Amz-Security-Token) and stops working when they expire, so an expiry beyond
    /// the credentials' known expiration is cut to it, with a warning. It changes nothing, so it asks no ShouldProcess
    /// question and makes its URL under -WhatIf too.
    /// </summary>
    public static class PresignedUrlOperation
    {
        public static readonly TimeSpan DefaultExpiry = TimeSpan.FromHours(1);
        public static readonly TimeSpan MinimumExpiry = TimeSpan.FromSeconds(1);
        /// <summary>SigV4 query-string authentication allows at most 7 days (X-Amz-Expires 604800).</summary>
        public static readonly TimeSpan MaximumExpiry = TimeSpan.FromDays(7);

        public static async Task<S3PresignedUrl> CreateAsync(AwsSession session, PresignedUrlRequest request, IOperationHost host, CancellationToken cancellationToken)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (host == null) throw new ArgumentNullException(nameof(host));
            request.Validate();
            cancellationToken.ThrowIfCancellationRequested();

            var duration = request.Expires ?? DefaultExpiry;
            var (keys, credentialExpiration) = await session.GetCredentialsWithExpirationAsync().ConfigureAwait(false);
            var method = request.Method == PresignedUrlMethod.Put ? "PUT" : "GET";
            var target = $"s3://{request.BucketName}/{request.Key}";
            string url;
            DateTime expires;
            using (var s3 = session.CreateS3Client())
            {
                var presign = new GetPreSignedUrlRequest
                {
                    BucketName = request.BucketName,
                    Key = request.Key,
                    Verb = request.Method == PresignedUrlMethod.Put ? HttpVerb.PUT : HttpVerb.GET,
                };
                if (session.S3EndpointUrl != null && session.S3EndpointUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                    presign.Protocol = Protocol.HTTP;
                if (request.ContentType != null)
                {
                    if (request.Method == PresignedUrlMethod.Put)
                        presign.ContentType = request.ContentType;
                    else
                        presign.ResponseHeaderOverrides.ContentType = request.ContentType;
                }

                // The SDK turns Expires into X-Amz-Expires from its clock-skew corrected time for the endpoint: count from
                // the same clock, so that -Expires 5m gives exactly 300 seconds.
                var endpoint = s3.Config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(presign)).URL;
                var now = CorrectClockSkew.GetCorrectedUtcNowForEndpoint(endpoint);
                expires = now + duration;
                if (credentialExpiration is DateTime limit)
                {
                    if (limit < now + MinimumExpiry)
                        throw new S3CredentialsException("CredentialsExpired", FailureKind.AuthenticationError,
                            $"The credentials (access key {keys.AccessKey}) expired at {limit:u}: a URL signed with them would not work. Use credentials that are still valid.");
                    if (expires > limit)
                    {
                        host.Warning($"-Expires {DurationParser.Describe(duration)} outlasts the credentials (access key {keys.AccessKey}), which expire at {limit:u}: "
                            + $"a presigned URL stops working when its credentials do, so this one expires then, in {DescribeRemaining(limit - now)}.");
                        expires = limit;
                    }
                }

                presign.Expires = expires;
                url = await s3.GetPreSignedURLAsync(presign).ConfigureAwait(false);
            }

            var validUntil = ReadExpiry(url) ?? WholeSeconds(expires);
            host.Verbose($"Signed a {method} URL for {target} with access key {keys.AccessKey}{(keys.UseToken ? " and its session token" : "")}; it is valid until {validUntil:u}.");
            return new S3PresignedUrl
            {
                Url = url,
                BucketName = request.BucketName,
                Key = request.Key,
                Method = method,
                Expires = validUntil,
                ContentType = request.ContentType,
            };
        }

        /// <summary>When a SigV4 presigned URL stops working: its X-Amz-Date plus X-Amz-Expires seconds (UTC); null when it holds neither.</summary>
        public static DateTime? ReadExpiry(string url)
        {
            var query = new Uri(url).Query.TrimStart('?');
            string date = null, seconds = null;
            foreach (var pair in query.Split('&'))
            {
                var equals = pair.IndexOf('=');
                if (equals <= 0) continue;
                var name = Uri.UnescapeDataString(pair.Substring(0, equals));
                var value = Uri.UnescapeDataString(pair.Substring(equals + 1));
                if (name == "X-Amz-Date") date = value;
                else if (name == "X-Amz-Expires") seconds = value;
            }
            if (date == null || seconds == null
                || !DateTime.TryParseExact(date, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt)
                || !long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var validFor))
                return null;
            return signedAt.AddSeconds(validFor);
        }

        /// <summary>A time left, for messages: whole seconds under two minutes, whole minutes above.</summary>
        internal static string DescribeRemaining(TimeSpan remaining)
            => remaining < TimeSpan.FromMinutes(2)
                ? $"{Math.Max(0, Math.Floor(remaining.TotalSeconds)):0} seconds"
                : $"{Math.Floor(remaining.TotalMinutes):0} minutes";

        private static DateTime WholeSeconds(DateTime time) => new DateTime(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }
}
