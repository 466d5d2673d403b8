using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Iam
{
    public sealed class IamClientTests : MotoTestBase
    {
        private const string Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::b/a+b %*\"]}]}";
        private const string Trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/alice\"},\"Action\":\"sts:AssumeRole\"}]}";
        private readonly IIamClient _iam;

        public IamClientTests(MotoServer moto) : base(moto) => _iam = MotoSession().CreateIamClient();

        public override void Dispose()
        {
            _iam.Dispose();
            base.Dispose();
        }

        [Fact]
        public async Task Users_are_created_read_tagged_listed_and_deleted()
        {
            var created = await _iam.CreateUserAsync("alice", "/s3credentials/", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", new[] { new IamTag("made-by", "S3Credentials") });
            Assert.Equal("alice", created.UserName);
            Assert.Equal("arn:aws:iam::123456789012:user/s3credentials/alice", created.Arn);
            Assert.Equal("/s3credentials/", created.Path);
            Assert.False(string.IsNullOrEmpty(created.UserId));
            Assert.InRange(created.CreateDate, DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddMinutes(10));

            var read = await _iam.GetUserAsync("alice");
            Assert.Equal(created.UserId, read.UserId);
            // moto does not keep users' permissions boundaries: check the request carried it.
            Assert.Contains("PermissionsBoundary=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAmazonS3ReadOnlyAccess", Recorder.Calls.Single(c => c.Action == "CreateUser").Body);

            await _iam.TagUserAsync("alice", new[] { new IamTag("team", "data") });
            var tags = await IamPager.CollectAsync((m, ct) => _iam.ListUserTagsAsync("alice", m, ct));
            Assert.Equal(new[] { "made-by=S3Credentials", "team=data" }, tags.Select(t => t.Key + "=" + t.Value).OrderBy(x => x));

            var users = await IamPager.CollectAsync((m, ct) => _iam.ListUsersAsync(m, cancellationToken: ct));
            Assert.Equal(new[] { "alice" }, users.Select(u => u.UserName));

            await _iam.DeleteUserAsync("alice");
            var missing = await Assert.ThrowsAsync<IamServiceException>(() => _iam.GetUserAsync("alice"));
            Assert.Equal("NoSuchEntity", missing.ErrorCode);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.False(string.IsNullOrEmpty(missing.RequestId));
        }

        [Fact]
        public async Task Creating_an_existing_user_is_a_typed_EntityAlreadyExists_error()
        {
            await _iam.CreateUserAsync("bob");
            var error = await Assert.ThrowsAsync<IamServiceException>(() => _iam.CreateUserAsync("bob"));
            Assert.Equal("EntityAlreadyExists", error.ErrorCode);
            Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        }

        [Fact]
        public async Task Pager_follows_Marker_until_IsTruncated_is_false()
        {
            // moto paginates ListRoles (it never truncates ListUsers).
            for (var i = 0; i < 7; i++)
                await _iam.CreateRoleAsync($"role{i:D2}", Trust);
            Recorder.Clear();
            var roles = await IamPager.CollectAsync((m, ct) => _iam.ListRolesAsync(m, maxItems: 3, cancellationToken: ct));
            Assert.Equal(Enumerable.Range(0, 7).Select(i => $"role{i:D2}"), roles.Select(r => r.RoleName).OrderBy(n => n));
            Assert.Equal(3, Recorder.Count("ListRoles"));
            Assert.Contains("Marker=", Recorder.Calls.Last().Body);
        }

        [Fact]
        public async Task Documented_response_fields_are_read_from_AWS_shaped_XML()
        {
            // The GetUser example of the IAM API reference, with a permissions boundary and tags (moto keeps neither for users).
            Recorder.FailNth("GetUser", 1, _ => new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(@"<GetUserResponse xmlns=""https://iam.amazonaws.com/doc/2010-05-08/"">
  <GetUserResult><User>
    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId><Path>/division_abc/subdivision_xyz/</Path><UserName>Bob</UserName>
    <Arn>arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob</Arn><CreateDate>2013-10-02T17:01:44Z</CreateDate>
    <PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>arn:aws:iam::aws:policy/AmazonS3FullAccess</PermissionsBoundaryArn></PermissionsBoundary>
    <Tags><member><Key>made-by</Key><Value>S3Credentials</Value></member></Tags>
  </User></GetUserResult>
  <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>
</GetUserResponse>", System.Text.Encoding.UTF8, "text/xml"),
            });
            var user = await _iam.GetUserAsync("Bob");
            Assert.Equal("AIDACKCEVSQ6C2EXAMPLE", user.UserId);
            Assert.Equal("/division_abc/subdivision_xyz/", user.Path);
            Assert.Equal(new DateTime(2013, 10, 2, 17, 1, 44, DateTimeKind.Utc), user.CreateDate);
            Assert.Equal(DateTimeKind.Utc, user.CreateDate.Kind);
            Assert.Equal("arn:aws:iam::aws:policy/AmazonS3FullAccess", user.PermissionsBoundaryArn);
            Assert.Equal("made-by=S3Credentials", string.Join(",", user.Tags.Select(t => t.Key + "=" + t.Value)));
        }

        [Fact]
        public async Task Account_details_give_users_with_tags_decoded_inline_documents_attached_policies_and_groups()
        {
            await _iam.CreateUserAsync("carol", "/s3credentials/", tags: new[] { new IamTag("team", "data") });
            await _iam.PutUserPolicyAsync("carol", "inline", Policy);
            await _iam.AttachUserPolicyAsync("carol", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
            await _iam.CreateRoleAsync("reader", Trust);
            await _iam.PutRolePolicyAsync("reader", "role-inline", Policy);

            var users = await IamPager.CollectAsync((m, ct) => _iam.GetUserDetailsAsync(m, cancellationToken: ct));
            var carol = Assert.Single(users);
            Assert.Equal(("carol", "/s3credentials/", "team=data"), (carol.User.UserName, carol.User.Path, string.Join(",", carol.User.Tags.Select(t => t.Key + "=" + t.Value))));
            Assert.Equal(("carol", "inline", Policy), (carol.InlinePolicies[0].OwnerName, carol.InlinePolicies[0].PolicyName, carol.InlinePolicies[0].PolicyDocument));
            Assert.Equal("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", Assert.Single(carol.AttachedPolicies).PolicyArn);
            Assert.Empty(carol.GroupNames);

            var role = Assert.Single(await IamPager.CollectAsync((m, ct) => _iam.GetRoleDetailsAsync(m, cancellationToken: ct)));
            Assert.Equal(("reader", Trust, "role-inline", Policy), (role.Role.RoleName, role.Role.AssumeRolePolicyDocument, role.InlinePolicies[0].PolicyName, role.InlinePolicies[0].PolicyDocument));
            Assert.Contains("Filter.member.1=Role", Recorder.Calls.Last().Body);
        }

        [Fact]
        public async Task Account_details_are_read_from_AWS_shaped_XML_with_URL_encoded_documents_and_a_marker()
        {
            Recorder.FailNth("GetAccountAuthorizationDetails", 1, _ => new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(@"<GetAccountAuthorizationDetailsResponse xmlns=""https://iam.amazonaws.com/doc/2010-05-08/"">
  <GetAccountAuthorizationDetailsResult>
    <IsTruncated>true</IsTruncated><Marker>EXAMPLEkakv9BCuUNFDtxWSyfzetYwEx2ADc8dnzfvERF5S6YMvXKx41t6gCl/eeaCX3Jo94/bKqezEAg8TEVS99EKFLxm3jtbpl25FDWEXAMPLE</Marker>
    <UserDetailList><member>
      <GroupList><member>Admins</member></GroupList>
      <AttachedManagedPolicies/>
      <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId><Path>/</Path><UserName>Alice</UserName>
      <Arn>arn:aws:iam::123456789012:user/Alice</Arn><CreateDate>2013-10-14T18:32:24Z</CreateDate>
      <UserPolicyList><member><PolicyName>DenyBillingAndIAMPolicy</PolicyName>
        <PolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Deny%22%2C%22Action%22%3A%5B%22aws-portal%3A*%22%2C%22iam%3A*%22%5D%2C%22Resource%22%3A%22*%22%7D%7D</PolicyDocument>
      </member></UserPolicyList>
    </member></UserDetailList>
    <GroupDetailList/><RoleDetailList/><Policies/>
  </GetAccountAuthorizationDetailsResult>
  <ResponseMetadata><RequestId>92e79ae7-7399-11e4-8c85-4b53eEXAMPLE</RequestId></ResponseMetadata>
</GetAccountAuthorizationDetailsResponse>", System.Text.Encoding.UTF8, "text/xml"),
            });
            var page = await _iam.GetUserDetailsAsync(maxItems: 1);
            var alice = Assert.Single(page.Items);
            Assert.True(page.IsTruncated);
            Assert.StartsWith("EXAMPLEkakv9", page.Marker);
            Assert.Equal(new[] { "Admins" }, alice.GroupNames);
            Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":[\"aws-portal:*\",\"iam:*\"],\"Resource\":\"*\"}}", alice.InlinePolicies[0].PolicyDocument);
            Assert.Equal(new DateTime(2013, 10, 14, 18, 32, 24, DateTimeKind.Utc), alice.User.CreateDate);
            Assert.Contains("MaxItems=1", Recorder.Calls.Single().Body);
        }

        [Fact]
        public async Task Error_responses_become_IamServiceException_with_code_request_id_and_status()
        {
            Recorder.FailNth("ListUsers", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "User is not authorized to perform: iam:ListUsers"));
            var error = await Assert.ThrowsAsync<IamServiceException>(() => _iam.ListUsersAsync());
            Assert.Equal("AccessDenied", error.ErrorCode);
            Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
            Assert.StartsWith("injected-", error.RequestId);
            Assert.Equal(Amazon.Runtime.ErrorType.Sender, error.ErrorType);
            Assert.Contains("iam:ListUsers", error.Message);
        }

        [Fact]
        public async Task Pager_stops_on_a_repeated_marker()
        {
            var pages = 0;
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => IamPager.CollectAsync<string>((marker, ct) =>
            {
                pages++;
                return Task.FromResult(new IamPage<string>(new[] { "x" }, true, "same"));
            }));
            Assert.Contains("same Marker", error.Message);
            Assert.Equal(2, pages);
        }

        [Fact]
        public async Task Inline_user_policies_round_trip_their_document()
        {
            await _iam.CreateUserAsync("carol");
            await _iam.PutUserPolicyAsync("carol", "p1", Policy);
            await _iam.PutUserPolicyAsync("carol", "p2", Policy);
            var names = await IamPager.CollectAsync((m, ct) => _iam.ListUserPoliciesAsync("carol", m, ct));
            Assert.Equal(new[] { "p1", "p2" }, names.OrderBy(n => n));

            var policy = await _iam.GetUserPolicyAsync("carol", "p1");
            Assert.Equal("carol", policy.OwnerName);
            Assert.Equal("p1", policy.PolicyName);
            AssertSameJson(Policy, policy.PolicyDocument);

            await _iam.DeleteUserPolicyAsync("carol", "p1");
            Assert.Equal(new[] { "p2" }, (await _iam.ListUserPoliciesAsync("carol")).Items);
        }

        [Fact]
        public async Task Managed_policies_are_created_attached_read_listed_detached_and_deleted()
        {
            await _iam.CreateUserAsync("dave");
            var managed = await _iam.CreatePolicyAsync("s3-extra", Policy, "extra access", tags: new[] { new IamTag("made-by", "S3Credentials") });
            Assert.Equal("arn:aws:iam::123456789012:policy/s3-extra", managed.Arn);
            await _iam.AttachUserPolicyAsync("dave", managed.Arn);

            var attached = (await _iam.ListAttachedUserPoliciesAsync("dave")).Items;
            Assert.Equal(new[] { ("s3-extra", managed.Arn) }, attached.Select(a => (a.PolicyName, a.PolicyArn)));

            var read = await _iam.GetPolicyAsync(managed.Arn);
            Assert.Equal("v1", read.DefaultVersionId);
            Assert.Equal(1, read.AttachmentCount);
            var version = await _iam.GetPolicyVersionAsync(managed.Arn, read.DefaultVersionId);
            Assert.True(version.IsDefaultVersion);
            AssertSameJson(Policy, version.Document);

            await _iam.DetachUserPolicyAsync("dave", managed.Arn);
            Assert.Empty((await _iam.ListAttachedUserPoliciesAsync("dave")).Items);
            await _iam.DeletePolicyAsync(managed.Arn);
            var gone = await Assert.ThrowsAsync<IamServiceException>(() => _iam.GetPolicyAsync(managed.Arn));
            Assert.Equal("NoSuchEntity", gone.ErrorCode);
        }

        [Fact]
        public async Task Groups_and_login_profiles_can_be_removed_from_a_user()
        {
            await _iam.CreateUserAsync("erin");
            await RawIamAsync("CreateGroup", ("GroupName", "readers"));
            await RawIamAsync("AddUserToGroup", ("GroupName", "readers"), ("UserName", "erin"));
            await RawIamAsync("CreateLoginProfile", ("UserName", "erin"), ("Password", "Correct-Horse-9"));

            var groups = (await _iam.ListGroupsForUserAsync("erin")).Items;
            Assert.Equal(new[] { "readers" }, groups.Select(g => g.GroupName));
            Assert.Equal("arn:aws:iam::123456789012:group/readers", groups[0].Arn);

            await _iam.RemoveUserFromGroupAsync("readers", "erin");
            Assert.Empty((await _iam.ListGroupsForUserAsync("erin")).Items);

            await _iam.DeleteLoginProfileAsync("erin");
            var noProfile = await Assert.ThrowsAsync<IamServiceException>(() => _iam.DeleteLoginProfileAsync("erin"));
            Assert.Equal("NoSuchEntity", noProfile.ErrorCode);
            await _iam.DeleteUserAsync("erin");
        }

        [Fact]
        public async Task Access_keys_are_created_listed_deactivated_and_deleted()
        {
            await _iam.CreateUserAsync("frank");
            var key = await _iam.CreateAccessKeyAsync("frank");
            Assert.Equal("frank", key.UserName);
            Assert.Equal("Active", key.Status);
            Assert.Matches("^AKIA[A-Z0-9]{16}$", key.AccessKeyId);
            Assert.False(string.IsNullOrEmpty(key.SecretAccessKey));

            var listed = (await _iam.ListAccessKeysAsync("frank")).Items.Single();
            Assert.Equal(key.AccessKeyId, listed.AccessKeyId);
            Assert.Null(listed.SecretAccessKey);

            await _iam.UpdateAccessKeyAsync("frank", key.AccessKeyId, "Inactive");
            Assert.Equal("Inactive", (await _iam.ListAccessKeysAsync("frank")).Items.Single().Status);

            await _iam.DeleteAccessKeyAsync("frank", key.AccessKeyId);
            Assert.Empty((await _iam.ListAccessKeysAsync("frank")).Items);
        }

        [Fact]
        public async Task Roles_are_created_read_tagged_updated_listed_and_deleted()
        {
            var role = await _iam.CreateRoleAsync("s3-role", Trust, "for tests", 43200, "/s3credentials/", new[] { new IamTag("made-by", "S3Credentials") });
            Assert.Equal("arn:aws:iam::123456789012:role/s3credentials/s3-role", role.Arn);
            Assert.Equal(43200, role.MaxSessionDuration);

            var read = await _iam.GetRoleAsync("s3-role");
            AssertSameJson(Trust, read.AssumeRolePolicyDocument);
            Assert.Equal("for tests", read.Description);
            Assert.Contains(read.Tags, t => t.Key == "made-by" && t.Value == "S3Credentials");

            await _iam.TagRoleAsync("s3-role", new[] { new IamTag("team", "data") });
            await _iam.UpdateRoleAsync("s3-role", maxSessionDuration: 3600, description: "shorter");
            var newTrust = Trust.Replace("user/alice", "user/bob");
            await _iam.UpdateAssumeRolePolicyAsync("s3-role", newTrust);
            read = await _iam.GetRoleAsync("s3-role");
            Assert.Equal(3600, read.MaxSessionDuration);
            Assert.Equal("shorter", read.Description);
            AssertSameJson(newTrust, read.AssumeRolePolicyDocument);
            Assert.Contains(read.Tags, t => t.Key == "team" && t.Value == "data");

            var roles = await IamPager.CollectAsync((m, ct) => _iam.ListRolesAsync(m, "/s3credentials/", cancellationToken: ct));
            Assert.Equal(new[] { "s3-role" }, roles.Select(r => r.RoleName));

            await _iam.DeleteRoleAsync("s3-role");
            var gone = await Assert.ThrowsAsync<IamServiceException>(() => _iam.GetRoleAsync("s3-role"));
            Assert.Equal("NoSuchEntity", gone.ErrorCode);
        }

        [Fact]
        public async Task Role_policies_inline_and_attached_round_trip()
        {
            await _iam.CreateRoleAsync("r", Trust);
            await _iam.PutRolePolicyAsync("r", "inline", Policy);
            Assert.Equal(new[] { "inline" }, (await _iam.ListRolePoliciesAsync("r")).Items);
            var inline = await _iam.GetRolePolicyAsync("r", "inline");
            Assert.Equal("r", inline.OwnerName);
            AssertSameJson(Policy, inline.PolicyDocument);

            const string s3Full = "arn:aws:iam::aws:policy/AmazonS3FullAccess";
            await _iam.AttachRolePolicyAsync("r", s3Full);
            Assert.Equal(new[] { s3Full }, (await _iam.ListAttachedRolePoliciesAsync("r")).Items.Select(p => p.PolicyArn));
            var managed = await _iam.GetPolicyAsync(s3Full);
            Assert.Equal("AmazonS3FullAccess", managed.PolicyName);
            var document = await _iam.GetPolicyVersionAsync(s3Full, managed.DefaultVersionId);
            Assert.Contains("s3:*", document.Document);

            await _iam.DetachRolePolicyAsync("r", s3Full);
            await _iam.DeleteRolePolicyAsync("r", "inline");
            Assert.Empty((await _iam.ListAttachedRolePoliciesAsync("r")).Items);
            Assert.Empty((await _iam.ListRolePoliciesAsync("r")).Items);
        }

        [Fact]
        public async Task Requests_are_form_encoded_posts_with_action_and_version()
        {
            await _iam.CreateUserAsync("gina", tags: new[] { new IamTag("k", "v w") });
            var call = Recorder.Calls.Single(c => c.Action == "CreateUser");
            Assert.Equal("iam", call.Service);
            Assert.Equal("POST", call.Method);
            Assert.Contains("Version=2010-05-08", call.Body);
            Assert.Contains("Tags.member.1.Key=k", call.Body);
            Assert.Contains("Tags.member.1.Value=v%20w", call.Body);
        }

        [Theory]
        [InlineData("us-east-1", "aws", "https://iam.amazonaws.com", "us-east-1")]
        [InlineData("eu-west-3", "aws", "https://iam.amazonaws.com", "us-east-1")]
        [InlineData("cn-northwest-1", "aws-cn", "https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1")]
        [InlineData("us-gov-east-1", "aws-us-gov", "https://iam.us-gov.amazonaws.com", "us-gov-west-1")]
        public async Task Endpoint_and_signing_region_follow_the_partition(string region, string partition, string endpoint, string signingRegion)
        {
            var session = MotoSession(region: region);
            Assert.Equal(partition, session.Partition.Name);
            Assert.Equal(endpoint, session.Partition.IamEndpoint);
            var config = new IamClientConfig(session.Partition);
            Assert.Equal(endpoint, config.EndpointProvider.ResolveEndpoint(new S3Credentials.Core.AwsProtocol.OwnEndpointParameters { Region = config.RegionEndpoint.SystemName }).URL);

            // The request really is signed for the partition's IAM signing region, even with the endpoint overridden.
            using var iam = session.CreateIamClient();
            await iam.ListUsersAsync();
            Assert.Contains("/" + signingRegion + "/iam/aws4_request", Recorder.Calls.Single(c => c.Action == "ListUsers").CredentialScope);
        }

        private async Task RawIamAsync(string action, params (string Name, string Value)[] parameters)
        {
            var client = (IamClient)_iam;
            var dictionary = parameters.ToDictionary(p => p.Name, p => p.Value);
            await client.SendAsync(action, dictionary, default);
        }

        private static void AssertSameJson(string expected, string actual)
        {
            using var e = JsonDocument.Parse(expected);
            using var a = JsonDocument.Parse(actual);
            Assert.Equal(JsonSerializer.Serialize(e.RootElement), JsonSerializer.Serialize(a.RootElement));
        }
    }
}
