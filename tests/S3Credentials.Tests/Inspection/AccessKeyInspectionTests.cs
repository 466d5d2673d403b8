using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3.Model;
using S3Credentials.Core;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.Inspection
{
    public sealed class AccessKeyInspectionTests : NewCredentialTestBase
    {
        public AccessKeyInspectionTests(MotoServer moto) : base(moto) { }

        private static readonly AccessKeyFilter NoFilter = new AccessKeyFilter();

        private async Task<IamAccessKey[]> CreateUserWithKeysAsync(string name, int keys)
        {
            using var iam = Iam();
            await iam.CreateUserAsync(name);
            var created = new IamAccessKey[keys];
            for (var i = 0; i < keys; i++)
                created[i] = await iam.CreateAccessKeyAsync(name);
            return created;
        }

        /// <summary>Lists the buckets with the key, as a holder of it would: moto records the use for any request signed with a key it issued.</summary>
        private async Task UseKeyAsync(IamAccessKey key)
        {
            var options = MotoOptions(key.AccessKeyId, key.SecretAccessKey);
            options.HttpClientFactory = null;
            using var s3 = Core.Credentials.SessionResolver.Resolve(options).CreateS3Client();
            await s3.ListBucketsAsync(new ListBucketsRequest());
        }

        [Fact]
        public async Task Each_key_comes_with_its_last_use_and_a_key_never_used_has_none()
        {
            var keys = await CreateUserWithKeysAsync("holder", 2);
            await UseKeyAsync(keys[0]);
            var now = DateTime.UtcNow;

            var results = await AccessKeyInspection.GetAccessKeysAsync(MotoSession(), new[] { "holder" }, false, NoFilter, now, 8, Host, CancellationToken.None);

            var found = Assert.Single(results).Value;
            Assert.Equal(keys.Select(k => k.AccessKeyId).OrderBy(k => k), found.Select(k => k.AccessKeyId).OrderBy(k => k));
            var used = found.Single(k => k.AccessKeyId == keys[0].AccessKeyId);
            Assert.InRange(used.LastUsedDate.Value, now.AddMinutes(-5), now.AddMinutes(1));
            Assert.Equal(DateTimeKind.Utc, used.LastUsedDate.Value.Kind);
            Assert.Equal("s3", used.LastUsedService);
            Assert.Equal("us-east-1", used.LastUsedRegion);
            var unused = found.Single(k => k.AccessKeyId == keys[1].AccessKeyId);
            Assert.Null(unused.LastUsedDate);
            Assert.Null(unused.LastUsedService);
            Assert.Null(unused.LastUsedRegion);
            Assert.All(found, k => Assert.Equal(("holder", "Active", 0, false), (k.UserName, k.Status, k.Age, k.IsManaged)));
            // An exact name needs no listing: its keys and tags at once, then each key's last use at once; the key with the
            // earlier id first when created in the same second.
            Assert.Equal(new[] { "ListAccessKeys", "ListUserTags" }, Recorder.Calls.Take(2).Select(c => c.Action).OrderBy(a => a));
            Assert.Equal(new[] { "GetAccessKeyLastUsed", "GetAccessKeyLastUsed" }, Recorder.Calls.Skip(2).Select(c => c.Action));
            Assert.Equal(found.Select(k => k.AccessKeyId).OrderBy(k => k), Recorder.Calls.Where(c => c.Action == "GetAccessKeyLastUsed").Select(c => WebUtility.UrlDecode(c.Body.Split('&').Single(p => p.StartsWith("AccessKeyId=", StringComparison.Ordinal)).Substring(12))).OrderBy(k => k));
            Assert.Equal(found.Select(k => k.AccessKeyId), found.OrderBy(k => k.CreateDate).ThenBy(k => k.AccessKeyId, StringComparer.Ordinal).Select(k => k.AccessKeyId));
        }

        [Fact]
        public async Task Users_are_chosen_as_get_s3user_chooses_them_and_managed_keeps_the_modules_users()
        {
            await CreateUserWithKeysAsync("plain-one", 1);
            await CreateUserWithKeysAsync("plain-two", 1);
            await CreateUserWithKeysAsync("keyless", 0);
            await CreateBucketsAsync("keys-bucket");
            var credential = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "keys-bucket" }, NoWait = true }, SetupSession());
            Recorder.Clear();

            var all = await AccessKeyInspection.GetAccessKeysAsync(MotoSession(), Array.Empty<string>(), false, NoFilter, DateTime.UtcNow, 8, Host, CancellationToken.None);
            Assert.Equal(new[] { "keyless", "plain-one", "plain-two", credential.UserName }, all.Select(r => r.Input));
            Assert.Empty(all[0].Value);
            Assert.Equal(new[] { false, false, true }, all.Skip(1).Select(r => Assert.Single(r.Value).IsManaged));
            Assert.Equal(credential.AccessKeyId, all[3].Value[0].AccessKeyId);
            // Tags come with the account's details: one call, then each user's keys.
            Assert.Equal(new[] { ("GetAccessKeyLastUsed", 3), ("GetAccountAuthorizationDetails", 1), ("ListAccessKeys", 4) }, Recorder.CountsByAction().OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));

            Recorder.Clear();
            var managed = await AccessKeyInspection.GetAccessKeysAsync(MotoSession(), Array.Empty<string>(), true, NoFilter, DateTime.UtcNow, 8, Host, CancellationToken.None);
            Assert.Equal(credential.UserName, Assert.Single(Assert.Single(managed).Value).UserName);
            Assert.Equal(1, Recorder.Count("ListAccessKeys")); // the others are left out before their keys are read

            var chosen = await AccessKeyInspection.GetAccessKeysAsync(MotoSession(), new[] { "PLAIN-*", "ghost" }, false, NoFilter, DateTime.UtcNow, 8, Host, CancellationToken.None);
            Assert.Equal(new[] { "plain-one", "plain-two" }, chosen.Where(r => r.Error == null).SelectMany(r => r.Value).Select(k => k.UserName));
            var missing = Assert.IsType<S3CredentialsException>(chosen.Last().Error);
            Assert.Equal(("ghost", "UserNotFound", FailureKind.ObjectNotFound), (chosen.Last().Input, missing.ErrorId, missing.Kind));

            var notManaged = await AccessKeyInspection.GetAccessKeysAsync(MotoSession(), new[] { "plain-one" }, true, NoFilter, DateTime.UtcNow, 8, Host, CancellationToken.None);
            Assert.Contains("was not made by this module (-Managed)", Assert.Single(notManaged).Error.Message);
        }

        [Fact]
        public async Task Keys_are_read_with_at_most_the_limit_of_requests_in_flight_in_user_order()
        {
            using (var iam = Iam())
                await BoundedConcurrency.MapAsync(Enumerable.Range(0, 30).ToList(), 8, async (i, ct) =>
                {
                    await iam.CreateUserAsync($"user-{i:D2}", cancellationToken: ct);
                    await iam.CreateAccessKeyAsync($"user-{i:D2}", ct);
                    await iam.CreateAccessKeyAsync($"user-{i:D2}", ct);
                    return 0;
                }, null, "setup", CancellationToken.None);
            Recorder.Latency = TimeSpan.FromMilliseconds(20);

            var results = await AccessKeyInspection.GetAccessKeysAsync(MotoSession(), new[] { "user-*" }, false, NoFilter, DateTime.UtcNow, 3, Host, CancellationToken.None);

            Assert.Equal(Enumerable.Range(0, 30).Select(i => $"user-{i:D2}"), results.Select(r => r.Input));
            Assert.All(results, r => Assert.Equal(2, r.Value.Count));
            Assert.Equal(new[] { ("GetAccessKeyLastUsed", 60), ("GetAccountAuthorizationDetails", 1), ("ListAccessKeys", 30) },
                Recorder.CountsByAction().OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
            Assert.Equal(3, Recorder.MaxInFlight);
            Assert.Contains(Host.ProgressReports, p => p.Status == "15 of 30");
        }

        [Fact]
        public async Task A_user_that_fails_is_that_users_error_and_the_others_are_still_read()
        {
            await CreateUserWithKeysAsync("alpha", 1);
            var bravosKey = Assert.Single(await CreateUserWithKeysAsync("bravo", 1)).AccessKeyId;
            await CreateUserWithKeysAsync("charlie", 1);
            // Refused by key, not by position: users are read ahead of the one being written, in any order.
            Recorder.Intercept("GetAccessKeyLastUsed", (_, body) => body.Contains(bravosKey)
                ? RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "not allowed to see bravo's keys")
                : null);

            var results = await AccessKeyInspection.GetAccessKeysAsync(MotoSession(), new[] { "alpha", "bravo", "charlie", "ghost" }, false, NoFilter, DateTime.UtcNow, 1, Host, CancellationToken.None);

            Assert.Equal(new[] { "alpha", "bravo", "charlie", "ghost" }, results.Select(r => r.Input));
            Assert.Equal("alpha", Assert.Single(results[0].Value).UserName);
            Assert.Equal("AccessDenied", Assert.IsType<IamServiceException>(results[1].Error).ErrorCode);
            Assert.Null(results[1].Value);
            Assert.Equal("charlie", Assert.Single(results[2].Value).UserName);
            var ghost = Assert.IsType<S3CredentialsException>(results[3].Error);
            Assert.Equal(("UserNotFound", "UserName"), (ghost.ErrorId, ghost.ParameterName));
        }

        [Fact]
        public async Task OlderThan_is_checked_before_asking_for_the_last_use_and_age_counts_whole_days()
        {
            await CreateUserWithKeysAsync("aging", 2);
            var tenDaysOn = DateTime.UtcNow.AddDays(10);

            var young = await AccessKeyInspection.GetAccessKeysAsync(MotoSession(), new[] { "aging" }, false, new AccessKeyFilter { OlderThan = TimeSpan.FromDays(30) }, tenDaysOn, 8, Host, CancellationToken.None);
            Assert.Empty(Assert.Single(young).Value);
            Assert.Equal(new[] { "ListAccessKeys", "ListUserTags" }, Recorder.Calls.Select(c => c.Action).OrderBy(a => a));

            var old = await AccessKeyInspection.GetAccessKeysAsync(MotoSession(), new[] { "aging" }, false, new AccessKeyFilter { OlderThan = TimeSpan.FromDays(9), UnusedFor = TimeSpan.FromDays(9) }, tenDaysOn, 8, Host, CancellationToken.None);
            Assert.Equal(new[] { 10, 10 }, Assert.Single(old).Value.Select(k => k.Age));
        }

        // The filters against fixed clock values: created 2026-01-01, now 2026-06-01 (151 days on).
        [Theory]
        [InlineData(null, null, null, true)]
        [InlineData(null, 90, null, true)] // never used, created 151 days ago
        [InlineData(null, 151, null, false)] // exactly that long: not longer
        [InlineData("2026-05-20", 90, null, false)] // used 12 days ago
        [InlineData("2026-02-01", 90, null, true)] // used 120 days ago
        [InlineData("2026-03-03", 90, null, false)] // used exactly 90 days ago: not longer ago than 90 days
        [InlineData("2026-03-02", 90, null, true)]
        [InlineData(null, null, 200, false)]
        [InlineData(null, null, 150, true)]
        [InlineData("2026-02-01", 90, 200, false)] // both must hold
        [InlineData("2026-02-01", 90, 100, true)]
        public void Filters_keep_keys_unused_and_created_longer_ago_than_the_span(string lastUsed, int? unusedDays, int? olderDays, bool kept)
        {
            var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            var now = new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
            var used = lastUsed == null ? (DateTime?)null : DateTime.SpecifyKind(DateTime.Parse(lastUsed, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
            var filter = new AccessKeyFilter
            {
                UnusedFor = unusedDays == null ? (TimeSpan?)null : TimeSpan.FromDays(unusedDays.Value),
                OlderThan = olderDays == null ? (TimeSpan?)null : TimeSpan.FromDays(olderDays.Value),
            };
            Assert.Equal(kept, filter.KeepsCreated(created, now) && filter.KeepsLastUsed(created, used, now));
        }

        [Theory]
        [InlineData("90", 90 * 24.0)]
        [InlineData(" 90d ", 90 * 24.0)]
        [InlineData("0", 0.0)]
        [InlineData("90.00:00:00", 90 * 24.0)]
        [InlineData("1.12:00:00", 36.0)]
        [InlineData("P30D", 30 * 24.0)]
        public void Days_are_read_as_a_number_of_days_or_a_timespan(string text, double hours)
            => Assert.Equal(TimeSpan.FromHours(hours), DurationParser.ParseDays(text, "UnusedFor"));

        [Theory]
        [InlineData("ninety")]
        [InlineData("-5")]
        [InlineData("-1.00:00:00")]
        [InlineData("90x")]
        [InlineData("")]
        public void Anything_else_is_a_DaysInvalid_error_naming_the_parameter(string text)
        {
            var error = Assert.Throws<S3CredentialsException>(() => DurationParser.ParseDays(text, "OlderThan"));
            Assert.Equal(("DaysInvalid", "OlderThan"), (error.ErrorId, error.ParameterName));
        }

        [Fact]
        public async Task IAMs_answer_for_a_global_service_has_a_date_and_no_region()
        {
            // The AWS shape: a key last used with IAM (not regional) has Region N/A; a key never used has no date and N/A for both.
            Recorder.Intercept("GetAccessKeyLastUsed", (request, body) => new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body.Contains("AKIAUSEDWITHIAM00000")
                    ? "<GetAccessKeyLastUsedResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetAccessKeyLastUsedResult><AccessKeyLastUsed><LastUsedDate>2026-11-02T08:31:00Z</LastUsedDate><ServiceName>iam</ServiceName><Region>N/A</Region></AccessKeyLastUsed><UserName>deploy</UserName></GetAccessKeyLastUsedResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetAccessKeyLastUsedResponse>"
                    : "<GetAccessKeyLastUsedResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetAccessKeyLastUsedResult><AccessKeyLastUsed><ServiceName>N/A</ServiceName><Region>N/A</Region></AccessKeyLastUsed><UserName>deploy</UserName></GetAccessKeyLastUsedResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></GetAccessKeyLastUsedResponse>",
                    Encoding.UTF8, "text/xml"),
            });
            using var iam = MotoSession().CreateIamClient();
            var used = await iam.GetAccessKeyLastUsedAsync("AKIAUSEDWITHIAM00000");
            Assert.Equal(("deploy", new DateTime(2026, 11, 2, 8, 31, 0, DateTimeKind.Utc), "iam", (string)null), (used.UserName, used.LastUsedDate.Value, used.ServiceName, used.Region));
            var never = await iam.GetAccessKeyLastUsedAsync("AKIANEVERUSED0000000");
            Assert.Equal(((DateTime?)null, (string)null, (string)null), (never.LastUsedDate, never.ServiceName, never.Region));
        }
    }
}
