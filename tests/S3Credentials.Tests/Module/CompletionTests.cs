using System;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3.Model;
using S3Credentials.Core.Completion;
using S3Credentials.Core.Operations;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.Module
{
    public sealed class CompletionTests : NewCredentialTestBase
    {
        public CompletionTests(MotoServer moto) : base(moto) { }

        [Theory]
        [InlineData("BucketName", "S3Credentials.BucketNameCompleter")]
        [InlineData("UserName", "S3Credentials.UserNameCompleter")]
        [InlineData("RoleName", "S3Credentials.RoleNameCompleter")]
        [InlineData("ProfileName", "S3Credentials.ProfileNameCompleter")]
        [InlineData("Region", "S3Credentials.RegionCompleter")]
        [InlineData("BucketRegion", "S3Credentials.RegionCompleter")]
        public void Every_parameter_of_that_name_has_its_completer(string parameterName, string completer)
        {
            var metadata = CmdletMetadata.Shared;
            var parameters = metadata.Cmdlets.SelectMany(c => c.Type.GetProperties().Where(p => p.Name == parameterName).Select(p => (Cmdlet: c.Verb + "-" + c.Noun, Property: p))).ToList();
            Assert.NotEmpty(parameters);
            foreach (var (cmdlet, property) in parameters)
                Assert.Equal(OwnCompleters.TryGetValue((cmdlet, parameterName), out var own) ? own : completer, CompleterOf(cmdlet, property));
        }

        /// <summary>Parameters whose values come from elsewhere than other parameters of the same name.</summary>
        private static readonly System.Collections.Generic.Dictionary<(string Cmdlet, string Parameter), string> OwnCompleters = new()
        {
            // Only the profiles Register-S3CredentialProfile wrote may be unregistered without -Force.
            [("Unregister-S3CredentialProfile", "ProfileName")] = "S3Credentials.RegisteredProfileNameCompleter",
        };

        private static string CompleterOf(string cmdlet, PropertyInfo property)
        {
            var attribute = property.GetCustomAttributesData().SingleOrDefault(a => a.AttributeType.Name == "ArgumentCompleterAttribute");
            Assert.True(attribute != null, $"{cmdlet} -{property.Name} has no [ArgumentCompleter]");
            return ((Type)attribute.ConstructorArguments[0].Value).FullName;
        }

        [Theory]
        [InlineData("Duration")]
        [InlineData("Expires")]
        [InlineData("SessionDuration")]
        public void Every_duration_parameter_is_a_TimeSpan_bound_and_completed_by_the_duration_classes(string parameterName)
        {
            var parameters = CmdletMetadata.Shared.Cmdlets.SelectMany(c => c.Type.GetProperties().Where(p => p.Name == parameterName).Select(p => (Cmdlet: c.Verb + "-" + c.Noun, Property: p))).ToList();
            Assert.NotEmpty(parameters);
            foreach (var (cmdlet, property) in parameters)
            {
                Assert.Equal("System.TimeSpan", property.PropertyType.FullName);
                Assert.Equal("S3Credentials.DurationCompleter", CompleterOf(cmdlet, property));
                Assert.Contains(property.GetCustomAttributesData(), a => a.AttributeType.FullName == "S3Credentials.DurationTransformationAttribute");
            }
        }

        [Fact]
        public void Durations_offered_are_shortest_first_and_within_what_each_parameter_allows()
        {
            Assert.Equal(new[] { "15m", "30m", "1h", "2h", "4h", "8h", "12h" }, CompletionSource.Durations("Duration"));
            Assert.Equal(new[] { "15m", "30m", "1h", "2h", "4h", "8h", "12h", "24h", "36h" }, CompletionSource.Durations("Duration", federationToken: true));
            Assert.Equal(new[] { "15m", "30m", "1h", "2h", "4h", "8h", "12h" }, CompletionSource.Durations("SessionDuration"));
            Assert.Equal(new[] { "5m", "15m", "30m", "1h", "4h", "12h", "1d", "7d" }, CompletionSource.Durations("Expires"));
            Assert.Equal(new[] { "15m", "1h", "12h" }, CompletionSource.StartingWith(CompletionSource.Durations("Duration"), "1"));
            Assert.All(CompletionSource.Durations("Expires"), d => Assert.InRange(DurationParser.Parse(d), TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)));
        }

        [Fact]
        public void Profile_names_come_from_both_shared_files()
        {
            Environment.WriteCredentials("[alpha]\naws_access_key_id = A\n\n[ default ]\n");
            Environment.WriteConfig("[profile beta]\nregion = eu-west-1\n[sso-session corp]\nsso_region = us-east-1\n[default]\nregion = us-east-1\n");
            Assert.Equal(new[] { "alpha", "beta", "default" }, CompletionSource.ProfileNames());
            Assert.Equal(new[] { "beta" }, CompletionSource.Matching(CompletionSource.ProfileNames(), "B"));
        }

        [Fact]
        public void Regions_come_from_the_SDK()
        {
            var regions = CompletionSource.RegionNames();
            Assert.Contains("us-east-1", regions);
            Assert.Contains("cn-north-1", regions);
            Assert.Contains("us-gov-west-1", regions);
            Assert.All(CompletionSource.Matching(regions, "eu-w"), r => Assert.StartsWith("eu-west-", r));
        }

        [Fact]
        public async Task Bucket_names_are_listed_once_and_cached()
        {
            await CreateBucketsAsync("logs-2026", "logs-2027", "photos");
            var session = MotoSession();
            Assert.Equal(new[] { "logs-2026", "logs-2027" }, CompletionSource.Matching(CompletionSource.BucketNames(session), "logs"));
            Assert.Equal(new[] { "photos" }, CompletionSource.Matching(CompletionSource.BucketNames(session), "p"));
            Assert.Equal(1, Recorder.Count("ListBuckets"));
        }

        [Fact]
        public async Task User_and_role_names_come_from_IAM()
        {
            using (var iam = Iam())
            {
                await iam.CreateUserAsync("completion-user");
                await iam.CreateRoleAsync("completion-role", S3Credentials.Core.Operations.NewCredential.TrustPolicies.ForPrincipal("arn:aws:iam::123456789012:user/a").ToJson());
            }
            Assert.Equal(new[] { "completion-user" }, CompletionSource.UserNames(MotoSession()));
            Assert.Equal(new[] { "completion-role" }, CompletionSource.RoleNames(MotoSession()));
        }

        [Fact]
        public void An_unreachable_endpoint_gives_no_completions_quickly()
        {
            var options = MotoOptions();
            options.EndpointUrl = "http://127.0.0.1:9"; // discard port: nothing listens
            var session = S3Credentials.Core.Credentials.SessionResolver.Resolve(options);
            var started = DateTime.UtcNow;
            Assert.Empty(CompletionSource.BucketNames(session));
            Assert.True(DateTime.UtcNow - started < session.State.CompletionLookupTimeout + TimeSpan.FromSeconds(5));
        }
    }
}
