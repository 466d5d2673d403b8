using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.Resilience
{
    /// <summary>Inputs far past the usual: 100 buckets in one call, 1,000 users and roles to list.</summary>
    public sealed class LongInputTests : NewCredentialTestBase
    {
        public LongInputTests(MotoServer moto) : base(moto) { }

        private static readonly string[] HundredBuckets = Enumerable.Range(0, 100).Select(i => $"long-input-bucket-{i:D3}").ToArray();

        [Fact]
        public async Task Hundred_buckets_for_a_user_is_a_policy_size_error_before_any_call()
        {
            await CreateBucketsAsync(HundredBuckets);

            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(Request(HundredBuckets)));

            Assert.Equal("InlinePoliciesTooLarge", error.ErrorId);
            Assert.Equal(FailureKind.LimitsExceeded, error.Kind);
            Assert.Equal("BucketName", error.ParameterName);
            Assert.StartsWith("The 100 inline policies built from -BucketName total ", error.Message);
            Assert.Contains("AWS allows at most 2,048 for all inline policies of one user or role together", error.Message);
            Assert.Contains("Ask for fewer buckets per call", error.Message);
            Assert.DoesNotContain("MalformedPolicyDocument", error.ToString());
            Assert.Empty(Recorder.Calls);
            Assert.Equal("", await IamInventoryAsync());
        }

        [Fact]
        public async Task Hundred_buckets_for_temporary_credentials_is_a_policy_size_error_before_any_call()
        {
            await CreateBucketsAsync(HundredBuckets);

            var error = await Assert.ThrowsAsync<S3CredentialsException>(() => CreateAsync(new NewCredentialRequest { BucketNames = HundredBuckets, Duration = TimeSpan.FromHours(1) }));

            Assert.Equal("PolicyTooLarge", error.ErrorId);
            Assert.Equal(FailureKind.LimitsExceeded, error.Kind);
            Assert.Equal("BucketName", error.ParameterName);
            Assert.StartsWith("The policy built from -BucketName is ", error.Message);
            Assert.Contains("AWS allows at most 2,048", error.Message);
            Assert.DoesNotContain("MalformedPolicyDocument", error.ToString());
            Assert.Empty(Recorder.Calls);
        }

        [Fact]
        public async Task A_thousand_roles_are_listed_page_by_page()
        {
            // moto pages ListRoles as AWS does (100 per page by default, with a Marker).
            using (var iam = Iam())
            {
                var setup = await BoundedConcurrency.MapAsync(Enumerable.Range(0, 1000).ToList(), 8, async (i, ct) =>
                {
                    await iam.CreateRoleAsync($"role-{i:D4}", TrustPolicies.ForPrincipal("arn:aws:iam::123456789012:user/a").ToJson(), cancellationToken: ct);
                    return 0;
                }, null, "setup", CancellationToken.None);
                // A role the set-up failed to make is a set-up failure, said as such (not a listing that lost a role).
                Assert.Empty(setup.Where(r => r.Error != null).Select(r => $"role-{r.Input:D4}: {r.Error}"));
            }

            var roles = await IamInspection.GetRolesAsync(MotoSession(), Array.Empty<string>(), false, 8, Host, CancellationToken.None);

            Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"role-{i:D4}"), roles.Select(r => r.Value.RoleName));
            var listings = Recorder.Calls.Where(c => c.Action == "ListRoles").ToList();
            Assert.Equal(10, listings.Count);
            Assert.True(Recorder.Calls.All(c => c.Action == "ListRoles"));
            Assert.DoesNotContain("Marker=", listings[0].Body);
            Assert.All(listings.Skip(1), c => Assert.Contains("Marker=", c.Body));
        }

        [Fact]
        public async Task A_thousand_users_are_listed_page_by_page()
        {
            // moto answers GetAccountAuthorizationDetails with every user and IsTruncated=false; AWS gives at most MaxItems (default 100) per page
            // with a Marker. The users are real in moto; the interceptor hands them out in AWS's pages (opaque markers).
            var names = Enumerable.Range(0, 1000).Select(i => $"user-{i:D4}").ToList();
            using (var iam = Iam())
            {
                var setup = await BoundedConcurrency.MapAsync(names, 8, async (name, ct) =>
                {
                    await iam.CreateUserAsync(name, cancellationToken: ct);
                    return 0;
                }, null, "setup", CancellationToken.None);
                Assert.Empty(setup.Where(r => r.Error != null).Select(r => $"{r.Input}: {r.Error}"));
            }
            List<IamUser> all;
            using (var iam = Iam())
                all = (await iam.ListUsersAsync()).Items.ToList();
            Assert.Equal(1000, all.Count);
            // AWS does not promise name order: hand them out shuffled (fixed seed) so the operation's own sorting is tested too.
            all = all.OrderBy(u => Fnv(u.UserName)).ToList();
            var markers = new List<string>();
            Recorder.Intercept("GetAccountAuthorizationDetails", (request, body) => AwsStyleUsersPage(all, body, markers));

            var results = await IamInspection.GetUsersAsync(MotoSession(), new[] { "user-0000", "user-*7", "user-0999" }, false, 8, Host, CancellationToken.None, includeAccessKeyCount: true);

            Assert.Equal(new[] { "user-0000" }.Concat(names.Where(n => n.EndsWith("7", StringComparison.Ordinal))).Concat(new[] { "user-0999" }), results.Select(r => r.Value.UserName));
            Assert.All(results, r => Assert.Null(r.Error));
            var listings = Recorder.Calls.Where(c => c.Action == "GetAccountAuthorizationDetails").ToList();
            Assert.Equal(10, listings.Count);
            Assert.All(listings, c => Assert.Equal("Intercepted", c.Injected));
            Assert.Equal(9, markers.Count); // every page but the last named the next, and each was asked for in turn
            Assert.Equal(102, Recorder.Count("ListAccessKeys")); // only the users that matched were read further
        }

        private static ulong Fnv(string text)
        {
            var hash = 14695981039346656037UL;
            foreach (var c in text) { hash ^= c; hash *= 1099511628211UL; }
            return hash;
        }

        /// <summary>One page of GetAccountAuthorizationDetails (Filter=User) as IAM gives it: MaxItems (default 100) users from Marker on, IsTruncated and the next Marker.</summary>
        private static HttpResponseMessage AwsStyleUsersPage(IReadOnlyList<IamUser> all, string body, List<string> markers)
        {
            var form = body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");
            var start = 0;
            if (form.TryGetValue("Marker", out var marker))
            {
                Assert.Equal(markers.Last(), marker); // the pager sends back exactly the marker it was given
                start = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(marker)).Split(':')[1]);
            }
            var size = form.TryGetValue("MaxItems", out var maxItems) ? int.Parse(maxItems) : 100;
            var page = all.Skip(start).Take(size).ToList();
            var truncated = start + size < all.Count;
            var next = truncated ? Convert.ToBase64String(Encoding.UTF8.GetBytes("page:" + (start + size))) : null;
            if (next != null) markers.Add(next);
            Assert.Equal("User", form["Filter.member.1"]);
            var xml = new StringBuilder("<GetAccountAuthorizationDetailsResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetAccountAuthorizationDetailsResult><UserDetailList>");
            foreach (var user in page)
                xml.Append("<member><Path>").Append(SecurityElement.Escape(user.Path)).Append("</Path><UserName>").Append(SecurityElement.Escape(user.UserName))
                    .Append("</UserName><UserId>").Append(user.UserId).Append("</UserId><Arn>").Append(SecurityElement.Escape(user.Arn))
                    .Append("</Arn><CreateDate>").Append(user.CreateDate.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ")).Append("</CreateDate></member>");
            xml.Append("</UserDetailList><GroupDetailList/><RoleDetailList/><Policies/><IsTruncated>").Append(truncated ? "true" : "false").Append("</IsTruncated>");
            if (next != null) xml.Append("<Marker>").Append(next).Append("</Marker>");
            xml.Append("</GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>paged</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(xml.ToString(), Encoding.UTF8, "text/xml") };
        }
    }
}
