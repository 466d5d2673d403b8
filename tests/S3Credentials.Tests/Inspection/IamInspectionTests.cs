using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.Inspection
{
    public sealed class IamInspectionTests : NewCredentialTestBase
    {
        private const string Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::b/*\"]}]}";

        public IamInspectionTests(MotoServer moto) : base(moto) { }

        private async Task CreateUsersAsync(int count, int policiesEach)
        {
            using var iam = Iam();
            await BoundedConcurrency.MapAsync(Enumerable.Range(0, count).ToList(), 8, async (i, ct) =>
            {
                var name = $"user-{i:D3}";
                await iam.CreateUserAsync(name, cancellationToken: ct);
                for (var p = 0; p < policiesEach; p++)
                    await iam.PutUserPolicyAsync(name, $"policy-{p}", Policy.Replace("b/*", $"b/{name}/{p}/*"), ct);
                return 0;
            }, null, "setup", CancellationToken.None);
        }

        [Fact]
        public async Task Get_users_reads_the_account_in_one_call_and_no_call_per_user_unless_the_key_count_is_asked_for()
        {
            await CreateUsersAsync(120, 0);
            var results = await IamInspection.GetUsersAsync(MotoSession(), Array.Empty<string>(), false, 8, Host, CancellationToken.None);
            Assert.Equal(Enumerable.Range(0, 120).Select(i => $"user-{i:D3}"), results.Select(r => r.Value.UserName));
            Assert.All(results, r => Assert.Null(r.Error));
            Assert.All(results, r => Assert.Null(r.Value.AccessKeyCount));
            // Tags come with the account's details: no ListUsers, no ListUserTags, no ListAccessKeys.
            Assert.Equal(new[] { "GetAccountAuthorizationDetails" }, Recorder.Calls.Select(c => c.Action));
            Assert.Contains("Filter.member.1=User", Recorder.Calls[0].Body);
        }

        [Fact]
        public async Task Get_users_with_the_key_count_reads_each_users_keys_within_the_bound_in_order()
        {
            await CreateUsersAsync(120, 0);
            using (var iam = Iam())
                await iam.CreateAccessKeyAsync("user-007");
            var results = await IamInspection.GetUsersAsync(MotoSession(), Array.Empty<string>(), false, 8, Host, CancellationToken.None, includeAccessKeyCount: true);
            Assert.Equal(Enumerable.Range(0, 120).Select(i => $"user-{i:D3}"), results.Select(r => r.Value.UserName));
            Assert.Equal(Enumerable.Range(0, 120).Select(i => (int?)(i == 7 ? 1 : 0)), results.Select(r => r.Value.AccessKeyCount));
            Assert.Equal(new[] { ("GetAccountAuthorizationDetails", 1), ("ListAccessKeys", 120) }, Recorder.CountsByAction().OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
            Assert.Equal("GetAccountAuthorizationDetails", Recorder.Calls[0].Action);
            Assert.Equal(8, Recorder.MaxInFlight);
            Assert.Contains(Host.ProgressReports, p => p.Status == "60 of 120");
        }

        [Fact]
        public async Task Managed_shows_only_users_this_module_created_with_their_key_count()
        {
            await CreateUsersAsync(3, 0);
            await CreateBucketsAsync("managed-bucket");
            var credential = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "managed-bucket" }, NoWait = true });
            var results = await IamInspection.GetUsersAsync(MotoSession(), Array.Empty<string>(), true, 8, Host, CancellationToken.None, includeAccessKeyCount: true);
            var user = Assert.Single(results).Value;
            Assert.Equal(credential.UserName, user.UserName);
            Assert.True(user.IsManaged);
            Assert.Equal(1, user.AccessKeyCount);
            Assert.Equal("/s3credentials/", user.Path);
            Assert.Contains("S3CredentialsManaged=true", user.Tags);
        }

        [Fact]
        public async Task Wildcards_select_and_a_missing_exact_name_is_its_own_error()
        {
            await CreateUsersAsync(12, 0);
            var results = await IamInspection.GetUsersAsync(MotoSession(), new[] { "user-00?", "USER-011", "nobody" }, false, 8, Host, CancellationToken.None);
            Assert.Equal(new[] { "user-000", "user-001", "user-002", "user-003", "user-004", "user-005", "user-006", "user-007", "user-008", "user-009", "user-011" },
                results.Where(r => r.Error == null).Select(r => r.Value.UserName));
            var missing = Assert.IsType<S3CredentialsException>(results.Single(r => r.Error != null).Error);
            Assert.Equal("UserNotFound", missing.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, missing.Kind);
        }

        [Fact]
        public async Task User_policies_come_one_per_policy_in_user_order_with_documents()
        {
            await CreateUsersAsync(120, 2);
            const string managedArn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
            using (var iam = Iam())
                foreach (var name in new[] { "user-000", "user-001", "user-002" })
                    await iam.AttachUserPolicyAsync(name, managedArn);

            var results = await IamInspection.GetUserPoliciesAsync(MotoSession(), Array.Empty<string>(), 8, Host, CancellationToken.None);
            var policies = results.SelectMany(r => r.Value).ToList();
            Assert.Equal(243, policies.Count);
            Assert.Equal(new[] { "user-000/policy-0/Inline", "user-000/policy-1/Inline", "user-000/AmazonS3ReadOnlyAccess/Attached" },
                policies.Take(3).Select(p => $"{p.UserName}/{p.PolicyName}/{p.Kind}"));
            Assert.Contains("arn:aws:s3:::b/user-119/1/*", policies.Last().PolicyDocument);
            Assert.Contains("s3:Get", policies[2].PolicyDocument);
            Assert.Equal(managedArn, policies[2].PolicyArn);

            // Inline documents and attachments come with the account's details; only the managed document is read, once.
            Assert.Equal(new[] { "GetAccountAuthorizationDetails", "GetPolicy", "GetPolicyVersion" }, Recorder.Calls.Select(c => c.Action));
        }

        [Fact]
        public async Task Exact_user_names_need_no_listing_and_a_missing_one_is_an_error()
        {
            await CreateUsersAsync(2, 1);
            var results = await IamInspection.GetUserPoliciesAsync(MotoSession(), new[] { "user-001", "ghost" }, 8, Host, CancellationToken.None);
            Assert.Equal("policy-0", Assert.Single(results[0].Value).PolicyName);
            Assert.Equal("UserNotFound", Assert.IsType<S3CredentialsException>(results[1].Error).ErrorId);
            Assert.Equal(0, Recorder.Count("ListUsers") + Recorder.Count("GetAccountAuthorizationDetails"));
            // Per user, the two listings at once, then the documents: 2 + 1 for user-001, and ghost's failing listings.
            Assert.Equal(new[] { ("GetUserPolicy", 1), ("ListAttachedUserPolicies", 2), ("ListUserPolicies", 2) }, Recorder.CountsByAction().OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
        }

        [Fact]
        public async Task More_exact_names_than_are_read_one_by_one_are_read_from_the_account_and_a_missing_one_is_still_an_error()
        {
            await CreateUsersAsync(IamInspection.OneByOneUpTo + 2, 1);
            var names = Enumerable.Range(0, IamInspection.OneByOneUpTo + 2).Select(i => $"user-{i:D3}").Reverse().Append("ghost").ToList();
            var results = await IamInspection.GetUserPoliciesAsync(MotoSession(), names, 8, Host, CancellationToken.None);
            Assert.Equal(names.Take(names.Count - 1).OrderBy(n => n), results.Where(r => r.Error == null).Select(r => Assert.Single(r.Value).UserName));
            Assert.Equal(("ghost", "UserNotFound"), (results.Last().Input, Assert.IsType<S3CredentialsException>(results.Last().Error).ErrorId));
            Assert.Equal(new[] { "GetAccountAuthorizationDetails" }, Recorder.Calls.Select(c => c.Action));
        }

        [Fact]
        public async Task Names_that_can_match_no_IAM_name_are_each_an_error_and_alone_send_no_request()
        {
            var impossible = new[] { "bad name!", "role/with/slash", new string('x', 65), "" };
            var users = await IamInspection.GetUsersAsync(MotoSession(), impossible, false, 8, Host, CancellationToken.None);
            var policies = await IamInspection.GetUserPoliciesAsync(MotoSession(), impossible, 8, Host, CancellationToken.None);
            var roles = await IamInspection.GetRolesAsync(MotoSession(), impossible, true, 8, Host, CancellationToken.None);
            Assert.Empty(Recorder.Calls);
            foreach (var errors in new[] { users.Select(r => r.Error), policies.Select(r => r.Error), roles.Select(r => r.Error) })
                Assert.Equal(new[] { "Characters", "Characters", "Length", "Length" },
                    errors.Cast<S3CredentialsException>().Select(e => e.ErrorId.Replace("InvalidUserName", "").Replace("InvalidRoleName", "")));
            Assert.All(users, r => Assert.Equal("UserName", ((S3CredentialsException)r.Error).ParameterName));
            Assert.All(roles, r => Assert.Equal("RoleName", ((S3CredentialsException)r.Error).ParameterName));
            Assert.Contains("-UserName 'bad name!' can match no valid IAM user name: use only letters, digits and + = , . @ _ -, and the wildcards * and ?.",
                users[0].Error.Message);
        }

        [Fact]
        public async Task Wildcards_and_64_characters_besides_the_stars_are_valid_and_an_invalid_name_beside_them_is_reported_first()
        {
            await CreateUsersAsync(3, 0);
            var results = await IamInspection.GetUsersAsync(MotoSession(), new[] { "user-00?", "bad name!", "*" + new string('x', 64) + "*" }, false, 8, Host, CancellationToken.None);
            Assert.Equal("InvalidUserNameCharacters", Assert.IsType<S3CredentialsException>(results[0].Error).ErrorId);
            Assert.Equal(new[] { "user-000", "user-001", "user-002" }, results.Skip(1).Select(r => r.Value.UserName));
            Assert.Equal(1, Recorder.Count("GetAccountAuthorizationDetails"));
        }

        [Fact]
        public async Task Roles_are_paginated_and_detail_reads_their_policies()
        {
            using (var iam = Iam())
                await BoundedConcurrency.MapAsync(Enumerable.Range(0, 120).ToList(), 8, async (i, ct) =>
                {
                    await iam.CreateRoleAsync($"role-{i:D3}", TrustPolicies.ForPrincipal("arn:aws:iam::123456789012:user/a").ToJson(), cancellationToken: ct);
                    return 0;
                }, null, "setup", CancellationToken.None);
            using (var iam = Iam())
            {
                await iam.PutRolePolicyAsync("role-007", "inline-one", Policy);
                await iam.AttachRolePolicyAsync("role-007", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
            }

            var all = await IamInspection.GetRolesAsync(MotoSession(), Array.Empty<string>(), false, 8, Host, CancellationToken.None);
            Assert.Equal(120, all.Count);
            Assert.Equal(2, Recorder.Count("ListRoles"));
            Assert.Null(all[7].Value.PolicyDocuments);

            Recorder.Clear();
            var detailed = await IamInspection.GetRolesAsync(MotoSession(), new[] { "role-00*" }, true, 3, Host, CancellationToken.None);
            Assert.Equal(10, detailed.Count);
            var role = detailed.Single(r => r.Value.RoleName == "role-007").Value;
            Assert.Equal("inline-one", role.InlinePolicyNames);
            Assert.Equal("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", role.AttachedPolicyArns);
            Assert.StartsWith("{\"inline-one\":{\"Version\":\"2012-10-17\"", role.PolicyDocuments);
            Assert.Contains("\"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\":{", role.PolicyDocuments);
            Assert.True(TrustPolicies.Trusts(role.AssumeRolePolicyDocument, "arn:aws:iam::123456789012:user/a"));
            // The listing (for description and maximum session) and the account's role details at once, then the managed document.
            Assert.Equal(new[] { ("GetAccountAuthorizationDetails", 1), ("GetPolicy", 1), ("GetPolicyVersion", 1), ("ListRoles", 2) },
                Recorder.CountsByAction().OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
            Assert.Contains("Filter.member.1=Role", Recorder.Calls.Single(c => c.Action == "GetAccountAuthorizationDetails").Body);
            Assert.Equal(2, Recorder.MaxInFlight);

            Recorder.Clear();
            var one = Assert.Single(await IamInspection.GetRolesAsync(MotoSession(), new[] { "role-007" }, true, 8, Host, CancellationToken.None)).Value;
            Assert.Equal((role.InlinePolicyNames, role.AttachedPolicyArns, role.PolicyDocuments), (one.InlinePolicyNames, one.AttachedPolicyArns, one.PolicyDocuments));
            Assert.Equal(new[] { ("GetPolicy", 1), ("GetPolicyVersion", 1), ("GetRolePolicy", 1), ("ListAttachedRolePolicies", 1), ("ListRolePolicies", 1), ("ListRoles", 2) },
                Recorder.CountsByAction().OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
        }

        [Fact]
        public async Task When_GetAccountAuthorizationDetails_is_denied_users_policies_keys_and_roles_come_from_the_list_calls_the_same_as_with_it()
        {
            await CreateUsersAsync(12, 2);
            await CreateBucketsAsync("fallback-bucket");
            var managed = await CreateAsync(new NewCredentialRequest { BucketNames = new[] { "fallback-bucket" }, NoWait = true });
            using (var iam = Iam())
            {
                await iam.AttachUserPolicyAsync("user-003", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
                await iam.TagUserAsync("user-005", new[] { new IamTag("team", "data") });
                await iam.CreateAccessKeyAsync("user-005");
                await iam.CreateRoleAsync("fallback-role", TrustPolicies.ForPrincipal("arn:aws:iam::123456789012:user/a").ToJson());
                await iam.PutRolePolicyAsync("fallback-role", "inline-one", Policy);
                await iam.AttachRolePolicyAsync("fallback-role", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
                await iam.CreateUserAsync("reader");
                await iam.PutUserPolicyAsync("reader", "all-but-the-account-read", "{\"Version\":\"2012-10-17\",\"Statement\":[" +
                    "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}," +
                    "{\"Effect\":\"Deny\",\"Action\":\"iam:GetAccountAuthorizationDetails\",\"Resource\":\"*\"}]}");
            }
            string readerKey, readerSecret;
            using (var iam = Iam())
            {
                var key = await iam.CreateAccessKeyAsync("reader");
                (readerKey, readerSecret) = (key.AccessKeyId, key.SecretAccessKey);
            }
            var admin = await AdminSessionAsync();
            Moto.SetAuthEnforced(true);
            try
            {
                var patterns = new[] { "user-*", "s3.*" };
                var now = DateTime.UtcNow;
                async Task<string[]> ReadAll(Core.Credentials.AwsSession session, RecordingOperationHost host) => new[]
                {
                    Json(await IamInspection.GetUsersAsync(session, patterns, false, 8, host, CancellationToken.None)),
                    Json(await IamInspection.GetUsersAsync(session, Array.Empty<string>(), true, 8, host, CancellationToken.None, includeAccessKeyCount: true)),
                    Json(await IamInspection.GetUserPoliciesAsync(session, patterns, 8, host, CancellationToken.None)),
                    Json(await AccessKeyInspection.GetAccessKeysAsync(session, patterns, false, null, now, 8, host, CancellationToken.None)),
                    Json(await IamInspection.GetRolesAsync(session, new[] { "fallback-*" }, true, 8, host, CancellationToken.None)),
                };

                var withDetails = await ReadAll(admin, new RecordingOperationHost());
                Assert.Contains("\"Tags\":\"team=data\"", withDetails[0]);
                Assert.Contains(managed.UserName, withDetails[1]);
                Assert.Contains("AmazonS3ReadOnlyAccess", withDetails[2]);
                Assert.Contains("user-005", withDetails[3]);
                Assert.Contains("inline-one", withDetails[4]);
                Assert.DoesNotContain("\"Error\":{", string.Concat(withDetails));
                Assert.Equal(0, Recorder.Calls.Count(c => c.Action == "GetAccountAuthorizationDetails" && c.Status != HttpStatusCode.OK));

                Recorder.Reset();
                var host = new RecordingOperationHost();
                var fromLists = await ReadAll(MotoSession(readerKey, readerSecret), host);

                for (var i = 0; i < withDetails.Length; i++)
                    Assert.Equal(withDetails[i], fromLists[i]);
                // Each read asked once, was refused, and said so once in a Verbose line; the list calls took its place.
                Assert.All(Recorder.Calls.Where(c => c.Action == "GetAccountAuthorizationDetails"), c => Assert.Equal(HttpStatusCode.Forbidden, c.Status));
                Assert.Equal(5, Recorder.Count("GetAccountAuthorizationDetails"));
                Assert.Equal(5, host.VerboseMessages.Count(m => m.StartsWith("iam:GetAccountAuthorizationDetails was refused (AccessDenied)")));
                Assert.Empty(host.Warnings);
                Assert.Equal(4, Recorder.Count("ListUsers"));
                Assert.Contains(Recorder.Calls, c => c.Action == "ListUserTags");
                Assert.Contains(Recorder.Calls, c => c.Action == "GetUserPolicy");
                Assert.Contains(Recorder.Calls, c => c.Action == "ListRolePolicies");
                Assert.InRange(Recorder.MaxInFlight, 2, 8);
            }
            finally
            {
                Moto.SetAuthEnforced(false);
            }
        }

        /// <summary>Results as JSON, values and errors (by id), in order.</summary>
        private static string Json<T>(System.Collections.Generic.IReadOnlyList<ItemResult<string, T>> results)
            => System.Text.Json.JsonSerializer.Serialize(results.Select(r => new { r.Input, r.Value, Error = r.Error == null ? null : new { Id = (r.Error as S3CredentialsException)?.ErrorId ?? r.Error.GetType().Name } }));
    }

    public sealed class RemoveUserTests : NewCredentialTestBase
    {
        public RemoveUserTests(MotoServer moto) : base(moto) { }

        private async Task CreateLoadedUserAsync(string name)
        {
            using var iam = Iam();
            await iam.CreateUserAsync(name);
            await iam.CreateAccessKeyAsync(name);
            await iam.CreateAccessKeyAsync(name);
            await iam.PutUserPolicyAsync(name, "one", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}");
            await iam.PutUserPolicyAsync(name, "two", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}]}");
            await iam.AttachUserPolicyAsync(name, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
            var client = (IamClient)iam;
            try { await client.SendAsync("CreateGroup", new System.Collections.Generic.Dictionary<string, string> { ["GroupName"] = "readers" }, default); }
            catch (IamServiceException e) when (e.ErrorCode == "EntityAlreadyExists") { }
            await client.SendAsync("AddUserToGroup", new System.Collections.Generic.Dictionary<string, string> { ["GroupName"] = "readers", ["UserName"] = name }, default);
            await client.SendAsync("CreateLoginProfile", new System.Collections.Generic.Dictionary<string, string> { ["UserName"] = name, ["Password"] = "Correct-Horse-9" }, default);
        }

        [Fact]
        public async Task Removes_keys_policies_attachments_groups_login_profile_and_the_user()
        {
            await CreateLoadedUserAsync("loaded");
            var results = await RemoveUserOperation.RunAsync(MotoSession(), new[] { "loaded" }, 8, Host, CancellationToken.None);
            var removed = Assert.Single(results).Value;
            Assert.Equal((2, 2, 1, 1, true), (removed.AccessKeysDeleted, removed.InlinePoliciesDeleted, removed.PoliciesDetached, removed.GroupsLeft, removed.LoginProfileDeleted));
            Assert.Equal("", await IamInventoryAsync());
            Assert.Contains(("loaded", RemoveUserOperation.ConfirmAction), Host.Confirmations);
        }

        [Fact]
        public async Task WhatIf_removes_nothing()
        {
            await CreateLoadedUserAsync("kept");
            Host.IsWhatIf = true;
            var results = await RemoveUserOperation.RunAsync(MotoSession(), new[] { "kept" }, 8, Host, CancellationToken.None);
            Assert.Empty(results);
            Assert.Empty(Recorder.Calls);
            Assert.Contains("user kept", await IamInventoryAsync());
        }

        [Fact]
        public async Task Declined_users_are_kept_and_one_failing_user_does_not_stop_the_others()
        {
            using (var iam = Iam())
                for (var i = 0; i < 20; i++)
                    await iam.CreateUserAsync($"bulk-{i:D2}");
            Host.Answer = (target, action) => target != "bulk-03";
            Recorder.FailNth("DeleteUser", 5, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Conflict, "DeleteConflict", "Cannot delete entity, must remove MFA device first."));

            var names = Enumerable.Range(0, 20).Select(i => $"bulk-{i:D2}").ToList();
            var results = await RemoveUserOperation.RunAsync(MotoSession(), names, 4, Host, CancellationToken.None);

            Assert.Equal(19, results.Count);
            var failed = Assert.Single(results, r => r.Error != null);
            Assert.Equal("UserStillHasAttachments", Assert.IsType<S3CredentialsException>(failed.Error).ErrorId);
            var remaining = await IamInventoryAsync();
            Assert.Equal(new[] { "user bulk-03", "user " + failed.Input }.OrderBy(x => x), remaining.Split('\n').OrderBy(x => x));
            Assert.InRange(Recorder.MaxInFlight, 2, 4);
        }

        [Fact]
        public async Task An_impossible_name_is_its_own_error_and_is_never_asked_about()
        {
            using (var iam = Iam()) await iam.CreateUserAsync("valid-user");
            var results = await RemoveUserOperation.RunAsync(MotoSession(), new[] { "s3.*", "valid-user" }, 8, Host, CancellationToken.None);
            Assert.Equal(2, results.Count);
            Assert.Equal("UserName", Assert.IsType<S3CredentialsException>(results.Single(r => r.Input == "s3.*").Error).ParameterName);
            Assert.Null(results.Single(r => r.Input == "valid-user").Error);
            Assert.DoesNotContain(Host.Confirmations, c => c.Target == "s3.*");
        }

        [Fact]
        public async Task A_listing_that_fails_removes_nothing_and_a_removal_that_fails_says_what_was_already_removed()
        {
            using (var iam = Iam())
            {
                await iam.CreateUserAsync("half");
                await iam.CreateAccessKeyAsync("half");
                await iam.PutUserPolicyAsync("half", "inline", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}");
            }
            // The listings all come before any removal: one refused leaves the user as it was.
            Recorder.FailNth("ListUserPolicies", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "not allowed"));
            var listed = await RemoveUserOperation.RunAsync(MotoSession(), new[] { "half" }, 8, Host, CancellationToken.None);
            var listingError = Assert.IsType<IamServiceException>(Assert.Single(listed).Error);
            Assert.Equal("AccessDenied", listingError.ErrorCode);
            Assert.Equal(0, Recorder.Count("DeleteAccessKey"));
            var inventory = await IamInventoryAsync();
            Assert.Contains("policy half/inline", inventory);
            Assert.Contains("key half/", inventory);

            // A removal refused while the others of its round go through: the error names what is gone.
            Recorder.Reset();
            Recorder.FailNth("DeleteUserPolicy", 1, _ => RecordingHttpClientFactory.QueryError(HttpStatusCode.Forbidden, "AccessDenied", "not allowed"));
            var results = await RemoveUserOperation.RunAsync(MotoSession(), new[] { "half" }, 8, Host, CancellationToken.None);
            var error = Assert.IsType<S3CredentialsException>(Assert.Single(results).Error);
            Assert.Equal("UserPartlyRemoved", error.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, error.Kind);
            Assert.Contains("1 key(s), 0 inline", error.Message);
            Assert.Equal(0, Recorder.Count("DeleteUser"));
        }

        [Fact]
        public async Task Each_user_takes_three_rounds_its_listings_together_then_its_removals_together_then_DeleteUser()
        {
            await CreateLoadedUserAsync("rounds");
            Recorder.Latency = TimeSpan.FromMilliseconds(150);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var spans = new System.Collections.Generic.List<(string Action, TimeSpan Start, TimeSpan End)>();
            Recorder.Observer = request =>
            {
                var action = RecordingHttpClientFactory.Classify(request, request.Content?.ReadAsStringAsync().GetAwaiter().GetResult() ?? "").Action;
                var start = clock.Elapsed;
                return new Ending(() => { lock (spans) spans.Add((action, start, clock.Elapsed)); });
            };

            var results = await RemoveUserOperation.RunAsync(MotoSession(), new[] { "rounds" }, 16, Host, CancellationToken.None);

            Assert.Null(Assert.Single(results).Error);
            Assert.Equal("", await IamInventoryAsync());
            var listings = spans.Where(s => s.Action.StartsWith("List")).ToList();
            var removals = spans.Where(s => !s.Action.StartsWith("List") && s.Action != "DeleteUser").ToList();
            var deleteUser = Assert.Single(spans, s => s.Action == "DeleteUser");
            Assert.Equal(new[] { "ListAccessKeys", "ListAttachedUserPolicies", "ListGroupsForUser", "ListUserPolicies" }, listings.Select(s => s.Action).OrderBy(a => a));
            Assert.Equal(new[] { "DeleteAccessKey", "DeleteAccessKey", "DeleteLoginProfile", "DeleteUserPolicy", "DeleteUserPolicy", "DetachUserPolicy", "RemoveUserFromGroup" },
                removals.Select(s => s.Action).OrderBy(a => a));
            // Within a round every request is in flight before any of them ends; a round starts when the one before has ended.
            Assert.True(listings.Max(s => s.Start) < listings.Min(s => s.End), "the listings were not sent together");
            Assert.True(removals.Max(s => s.Start) < removals.Min(s => s.End), "the removals were not sent together");
            Assert.True(listings.Max(s => s.End) <= removals.Min(s => s.Start), "a removal started before the listings had ended");
            Assert.True(removals.Max(s => s.End) <= deleteUser.Start, "DeleteUser started before the removals had ended");
        }

        [Fact]
        public async Task Removing_500_users_keeps_the_requests_in_flight_at_the_limit_and_never_above_it_with_results_in_input_order()
        {
            var names = Enumerable.Range(0, 500).Select(i => $"many-{i:D3}").ToList();
            using (var iam = Iam())
                await BoundedConcurrency.MapAsync(names, 8, async (name, ct) => await iam.CreateUserAsync(name, cancellationToken: ct), null, "setup", CancellationToken.None);
            var shuffled = names.OrderBy(n => n.GetHashCode()).ToList();

            var results = await RemoveUserOperation.RunAsync(MotoSession(), shuffled, 8, Host, CancellationToken.None);

            Assert.Equal(shuffled, results.Select(r => r.Input));
            Assert.All(results, r => Assert.Null(r.Error));
            Assert.Equal("", await IamInventoryAsync());
            // Per user: four listings, the login profile, the user.
            Assert.Equal(500 * 6, Recorder.Calls.Count);
            Assert.Equal(8, Recorder.MaxInFlight);
        }

        private sealed class Ending : IDisposable
        {
            private readonly Action _end;
            public Ending(Action end) => _end = end;
            public void Dispose() => _end();
        }

        [Fact]
        public async Task A_user_that_does_not_exist_is_its_own_error()
        {
            var results = await RemoveUserOperation.RunAsync(MotoSession(), new[] { "ghost" }, 8, Host, CancellationToken.None);
            Assert.Equal("UserNotFound", Assert.IsType<S3CredentialsException>(Assert.Single(results).Error).ErrorId);
        }
    }
}
