using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3.Model;
using S3Credentials.Core;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations;
using S3Credentials.Core.Operations.Objects;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.Objects
{
    /// <summary>Get-, Save-, Write- and Remove-S3Item's operations against moto.</summary>
    public sealed class ObjectOperationsTests : NewCredentialTestBase, IDisposable
    {
        private const string Bucket = "objects-bucket";
        private readonly string _folder = Directory.CreateTempSubdirectory("s3items-").FullName;

        public ObjectOperationsTests(MotoServer moto) : base(moto) { }

        public override void Dispose()
        {
            Directory.Delete(_folder, recursive: true);
            base.Dispose();
        }

        /// <summary>Runs an item operation and gathers what it hands on.</summary>
        private static async Task<List<ItemResult<string, T>>> Collect<T>(Func<Action<ItemResult<string, T>>, Task> run)
        {
            var results = new List<ItemResult<string, T>>();
            await run(r => { lock (results) results.Add(r); });
            return results;
        }

        private async Task PutAsync(params string[] keys)
        {
            using var s3 = SetupSession().CreateS3Client();
            foreach (var key in keys)
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "content of " + key });
        }

        private async Task<List<string>> KeysAsync()
        {
            using var s3 = SetupSession().CreateS3Client();
            var keys = new List<string>();
            string token = null;
            do
            {
                var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, ContinuationToken = token });
                keys.AddRange((page.S3Objects ?? new List<S3Object>()).Select(o => o.Key));
                token = page.IsTruncated == true ? page.NextContinuationToken : null;
            } while (token != null);
            return keys;
        }

        private Task<List<ItemResult<string, S3Item>>> ListAsync(AwsSession session, params string[] keys)
            => Collect<S3Item>(emit => ItemListOperation.RunAsync(session, new S3ItemSelection(Bucket, keys), emit, Host, CancellationToken.None));

        private Task<List<ItemResult<string, S3ItemTransfer>>> SaveAsync(AwsSession session, string destination, params string[] keys)
            => Collect<S3ItemTransfer>(emit => DownloadOperation.RunAsync(session, new[] { new S3ItemSelection(Bucket, keys) }, destination, 4, emit, Host, CancellationToken.None));

        private Task<List<ItemResult<string, S3ItemTransfer>>> UploadAsync(AwsSession session, UploadRequest request, CancellationToken token = default)
            => Collect<S3ItemTransfer>(emit => UploadOperation.RunAsync(session, request, emit, Host, token));

        private Task<List<ItemResult<string, S3ItemRemoval>>> RemoveAsync(AwsSession session, params string[] keys)
            => Collect<S3ItemRemoval>(emit => RemoveItemOperation.RunAsync(session, new[] { new S3ItemSelection(Bucket, keys) }, emit, Host, CancellationToken.None));

        [Fact]
        public async Task A_pattern_lists_only_the_matching_keys_under_its_literal_head_with_size_ETag_and_URL()
        {
            await CreateBucketsAsync(Bucket);
            await PutAsync("logs/2026-01.txt", "logs/2026-02.txt", "logs/2025-12.txt", "other/2026-01.txt");

            var results = await ListAsync(MotoSession(), "logs/2026-*");

            Assert.All(results, r => Assert.Null(r.Error));
            Assert.Equal(new[] { "logs/2026-01.txt", "logs/2026-02.txt" }, results.Select(r => r.Value.Key));
            var first = results[0].Value;
            Assert.Equal("content of logs/2026-01.txt".Length, first.Size);
            Assert.Equal(Convert.ToHexString(MD5.HashData(System.Text.Encoding.UTF8.GetBytes("content of logs/2026-01.txt"))).ToLowerInvariant(), first.ETag);
            Assert.Equal($"{Moto.Endpoint}/{Bucket}/logs/2026-01.txt", first.Url);
            Assert.Equal(DateTimeKind.Utc, first.LastModified.Value.Kind);
            var listing = Assert.Single(Recorder.Calls, c => c.Action == "ListObjectsV2");
            Assert.Contains("prefix=logs%2F2026-", listing.Url);
        }

        [Fact]
        public async Task A_key_without_wildcards_that_matches_nothing_is_a_KeyNotFound_error_and_the_others_still_come()
        {
            await CreateBucketsAsync(Bucket);
            await PutAsync("a.txt");

            var results = await ListAsync(MotoSession(), "a.txt", "missing.txt");

            Assert.Equal("a.txt", results[0].Value.Key);
            var missing = Assert.IsType<S3CredentialsException>(results[1].Error);
            Assert.Equal("KeyNotFound", missing.ErrorId);
            Assert.Contains("'missing.txt'", missing.Message);
        }

        [Fact]
        public async Task The_public_URL_of_a_key_escapes_each_segment_and_names_the_region()
        {
            var session = SessionResolver.Resolve(new SessionOptions { AccessKey = TestAccessKey, SecretKey = TestSecretKey, Region = "eu-west-1" });
            Assert.Equal("https://photos.s3.eu-west-1.amazonaws.com/in/a%20b%2Bc.jpg", S3ItemSelection.UrlOf(session, "photos", "in/a b+c.jpg"));
        }

        [Fact]
        public async Task A_bad_bucket_name_or_key_is_refused_before_any_request()
        {
            var bad = await Assert.ThrowsAsync<S3CredentialsException>(() => ListAsync(MotoSession(), "/leading-slash"));
            Assert.Equal("Key", bad.ParameterName);
            var badBucket = await Assert.ThrowsAsync<S3CredentialsException>(() => UploadAsync(MotoSession(), new UploadRequest { BucketName = "Bad_Bucket!", Sources = new[] { UploadSource.Text("x", "x") } }));
            Assert.Equal("BucketName", badBucket.ParameterName);
            Assert.Empty(Recorder.Calls);
        }

        [Fact]
        public async Task A_folder_uploads_recursively_with_keys_relative_to_it_and_content_types_from_extensions()
        {
            await CreateBucketsAsync(Bucket);
            var source = Directory.CreateDirectory(Path.Combine(_folder, "site"));
            File.WriteAllText(Path.Combine(source.FullName, "index.html"), "<p>hi</p>");
            Directory.CreateDirectory(Path.Combine(source.FullName, "css"));
            File.WriteAllText(Path.Combine(source.FullName, "css", "main.css"), "p{}");
            File.WriteAllText(Path.Combine(source.FullName, "data.unknownext"), "?");

            var sources = UploadSource.FromPaths(new[] { source.FullName }, "www/", recurse: true);
            var results = await UploadAsync(MotoSession(), new UploadRequest { BucketName = Bucket, Sources = sources });

            Assert.All(results, r => Assert.Null(r.Error));
            Assert.Equal(new[] { "www/css/main.css", "www/data.unknownext", "www/index.html" }, (await KeysAsync()).OrderBy(k => k, StringComparer.Ordinal));
            using var s3 = SetupSession().CreateS3Client();
            Assert.Equal("text/html", (await s3.GetObjectMetadataAsync(Bucket, "www/index.html")).Headers.ContentType);
            Assert.Equal("text/css", (await s3.GetObjectMetadataAsync(Bucket, "www/css/main.css")).Headers.ContentType);
            Assert.Equal("application/octet-stream", (await s3.GetObjectMetadataAsync(Bucket, "www/data.unknownext")).Headers.ContentType);
        }

        [Fact]
        public void A_folder_without_Recurse_is_refused_naming_the_parameter()
        {
            var error = Assert.Throws<S3CredentialsException>(() => UploadSource.FromPaths(new[] { _folder }, null, recurse: false));
            Assert.Equal("Recurse", error.ParameterName);
        }

        [Fact]
        public async Task A_file_larger_than_the_part_size_goes_in_parts_and_comes_back_byte_for_byte()
        {
            await CreateBucketsAsync(Bucket);
            var file = Path.Combine(_folder, "big.bin");
            var bytes = RandomNumberGenerator.GetBytes(12 * 1024 * 1024 + 5);
            File.WriteAllBytes(file, bytes);

            var uploaded = Assert.Single(await UploadAsync(MotoSession(), new UploadRequest
            {
                BucketName = Bucket,
                Sources = new[] { UploadSource.File(file, "big.bin") },
                PartSize = UploadRequest.MinimumPartSize,
            }));

            Assert.Null(uploaded.Error);
            Assert.Equal(3, uploaded.Value.Parts);
            Assert.EndsWith("-3", uploaded.Value.ETag);
            Assert.Equal(3, Recorder.Calls.Count(c => c.Action == "PutObject" && c.Url.Contains("partNumber=")));
            var target = Path.Combine(_folder, "back.bin");
            var saved = Assert.Single(await SaveAsync(MotoSession(), target, "big.bin"));
            Assert.Equal(target, saved.Value.Path);
            Assert.Equal(bytes, File.ReadAllBytes(target));
            Assert.Contains(Host.ProgressReports, p => p.Activity == UploadOperation.Activity && p.Percent >= 0);
        }

        [Fact]
        public async Task A_multipart_upload_stopped_midway_is_aborted_and_leaves_no_incomplete_upload_and_no_object()
        {
            await CreateBucketsAsync(Bucket);
            var file = Path.Combine(_folder, "stopped.bin");
            File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(20 * 1024 * 1024));
            using var stop = new CancellationTokenSource();
            Recorder.CancelAtNth("PutObject", 2, stop, inFlight: true);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => UploadAsync(MotoSession(), new UploadRequest
            {
                BucketName = Bucket,
                Sources = new[] { UploadSource.File(file, "stopped.bin") },
                PartSize = UploadRequest.MinimumPartSize,
                PartConcurrency = 1,
            }, stop.Token));

            using var s3 = SetupSession().CreateS3Client();
            var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket });
            Assert.Empty(uploads.MultipartUploads ?? new List<MultipartUpload>());
            Assert.Empty(await KeysAsync());
            Assert.Equal(1, Recorder.Count("DeleteObject")); // AbortMultipartUpload is a DELETE on the key
            Assert.Contains(Host.VerboseMessages, m => m.Contains("aborted after the stop"));
        }

        [Fact]
        public async Task Keys_become_paths_under_the_folder_and_a_key_leading_outside_it_is_refused_by_name()
        {
            await CreateBucketsAsync(Bucket);
            await PutAsync("in/a.txt", "in/deep/b.txt", "in/../../escape.txt", "in/folder-marker/");
            var destination = Path.Combine(_folder, "download");

            var results = await SaveAsync(MotoSession(), destination, "in/*");

            Assert.Equal(new[] { "in/a.txt", "in/deep/b.txt" }, results.Where(r => r.Error == null).Select(r => r.Value.Key).OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal("content of in/deep/b.txt", File.ReadAllText(Path.Combine(destination, "in", "deep", "b.txt")));
            var refused = Assert.Single(results, r => r.Error != null);
            Assert.Equal("in/../../escape.txt", refused.Input);
            Assert.Equal("UnsafeKey", ((S3CredentialsException)refused.Error).ErrorId);
            Assert.False(File.Exists(Path.Combine(_folder, "escape.txt")));
            Assert.Empty(Directory.GetFiles(_folder, "*.partial", SearchOption.AllDirectories));
        }

        [Theory]
        [InlineData("../x")]
        [InlineData("a/../../x")]
        [InlineData("a/./b")]
        [InlineData("a\\..\\..\\x")]
        public void Target_paths_refuse_dot_segments(string key)
        {
            var error = Assert.Throws<S3CredentialsException>(() => DownloadOperation.TargetPath(_folder, key));
            Assert.Equal("UnsafeKey", error.ErrorId);
        }

        [Fact]
        public async Task Removing_more_than_a_thousand_keys_takes_one_DeleteObjects_request_per_thousand_and_counts_them()
        {
            await CreateBucketsAsync(Bucket);
            var keys = Enumerable.Range(0, 1005).Select(i => $"many/{i:D4}").ToArray();
            using (var s3 = SetupSession().CreateS3Client())
                await TransferProgressTests.ForEach(keys, key => s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "x" }));
            await PutAsync("keep.txt");

            var removal = Assert.Single(await RemoveAsync(MotoSession(), "many/*"));

            Assert.Null(removal.Error);
            Assert.Equal(1005, removal.Value.DeletedCount);
            Assert.Equal(0, removal.Value.FailedCount);
            Assert.Equal(2, Recorder.Count("DeleteObjects"));
            Assert.Equal(new[] { "keep.txt" }, await KeysAsync());
        }

        [Fact]
        public async Task Upload_under_WhatIf_asks_each_object_as_a_real_run_does_and_uploads_nothing()
        {
            await CreateBucketsAsync(Bucket);
            var request = new UploadRequest { BucketName = Bucket, Sources = new[] { UploadSource.Text("one", "w/a.txt"), UploadSource.Text("two", "w/b.txt") } };
            Host.IsWhatIf = true;
            Assert.Empty(await UploadAsync(MotoSession(), request));
            var shown = Host.Confirmations.OrderBy(c => c.Target, StringComparer.Ordinal).ToList();
            Assert.Equal(new[] { ("s3://objects-bucket/w/a.txt", "Upload content"), ("s3://objects-bucket/w/b.txt", "Upload content") }, shown);
            Assert.Equal(0, Recorder.Count("PutObject"));
            Assert.Empty(await KeysAsync());

            Host.IsWhatIf = false;
            Host.Confirmations.Clear();
            Assert.All(await UploadAsync(MotoSession(), request), r => Assert.Null(r.Error));
            Assert.Equal(shown, Host.Confirmations.OrderBy(c => c.Target, StringComparer.Ordinal));
            Assert.Equal(new[] { "w/a.txt", "w/b.txt" }, (await KeysAsync()).OrderBy(k => k, StringComparer.Ordinal));
        }

        [Fact]
        public async Task An_object_declined_at_Confirm_is_not_uploaded_and_the_others_are()
        {
            await CreateBucketsAsync(Bucket);
            Host.Answer = (target, action) => !target.EndsWith("/no.txt", StringComparison.Ordinal);
            var results = await UploadAsync(MotoSession(), new UploadRequest { BucketName = Bucket, Sources = new[] { UploadSource.Text("1", "yes.txt"), UploadSource.Text("2", "no.txt") } });
            Assert.Equal("yes.txt", Assert.Single(results).Value.Key);
            Assert.Equal(new[] { "yes.txt" }, await KeysAsync());
        }

        [Fact]
        public async Task An_object_that_fails_is_its_own_error_and_the_objects_uploaded_before_it_stay_since_an_upload_has_no_undo()
        {
            await CreateBucketsAsync(Bucket);
            var good = Path.Combine(_folder, "good.txt");
            var gone = Path.Combine(_folder, "gone.txt");
            File.WriteAllText(good, "good");
            File.WriteAllText(gone, "gone");
            var request = new UploadRequest { BucketName = Bucket, ThrottleLimit = 1, Sources = new[] { UploadSource.File(good, "good.txt"), UploadSource.File(gone, "gone.txt") } };
            // The file disappears between the question and the upload: that object's step fails.
            Host.Answer = (target, action) => { if (target.EndsWith("/gone.txt", StringComparison.Ordinal)) File.Delete(gone); return true; };

            var results = await UploadAsync(MotoSession(), request);

            Assert.Null(Assert.Single(results, r => r.Input == "good.txt").Error);
            Assert.NotNull(Assert.Single(results, r => r.Input == "gone.txt").Error);
            Assert.Equal(new[] { "good.txt" }, await KeysAsync());
            Assert.Empty(Host.Warnings);
        }

        [Fact]
        public async Task Save_under_WhatIf_asks_each_file_as_a_real_run_does_and_writes_nothing()
        {
            await CreateBucketsAsync(Bucket);
            await PutAsync("in/a.txt", "in/b.txt");
            var destination = Path.Combine(_folder, "what-if");
            Host.IsWhatIf = true;
            Assert.Empty(await SaveAsync(MotoSession(), destination, "in/*"));
            var shown = Host.Confirmations.OrderBy(c => c.Target, StringComparer.Ordinal).ToList();
            Assert.Equal(new[] { (Path.Combine(destination, "in", "a.txt"), "Save s3://objects-bucket/in/a.txt"), (Path.Combine(destination, "in", "b.txt"), "Save s3://objects-bucket/in/b.txt") }, shown);
            Assert.False(Directory.Exists(destination));

            Host.IsWhatIf = false;
            Host.Confirmations.Clear();
            Assert.All(await SaveAsync(MotoSession(), destination, "in/*"), r => Assert.Null(r.Error));
            Assert.Equal(shown, Host.Confirmations.OrderBy(c => c.Target, StringComparer.Ordinal));
            Assert.Equal("content of in/b.txt", File.ReadAllText(Path.Combine(destination, "in", "b.txt")));
        }

        [Fact]
        public async Task Under_WhatIf_nothing_is_deleted_and_every_key_is_named()
        {
            await CreateBucketsAsync(Bucket);
            await PutAsync("a.txt", "b.txt");
            Host.IsWhatIf = true;

            Assert.Empty(await RemoveAsync(MotoSession(), "*"));

            Assert.Equal(new[] { "s3://objects-bucket/a.txt", "s3://objects-bucket/b.txt" }, Host.Confirmations.Select(c => c.Target));
            Assert.Equal(0, Recorder.Count("DeleteObjects"));
            Assert.Equal(2, (await KeysAsync()).Count);
        }

        [Fact]
        public async Task Exact_keys_with_no_object_are_KeyNotFound_errors_never_asked_about_nor_counted_as_deleted_at_one_listing_each()
        {
            await CreateBucketsAsync(Bucket);
            await PutAsync("a.txt", "a.txt.bak");
            Recorder.Clear();

            var results = await RemoveAsync(MotoSession(), "nosuch.txt", "a.txt", "nosuch2.txt");

            Assert.Equal(new[] { "nosuch.txt", "nosuch2.txt" }, results.Where(r => r.Error != null).Select(r => r.Input));
            Assert.All(results.Where(r => r.Error != null), r => Assert.Equal("KeyNotFound", Assert.IsType<S3CredentialsException>(r.Error).ErrorId));
            Assert.Contains("No object 'nosuch.txt' in bucket 'objects-bucket'", results[0].Error.Message);
            var removal = Assert.Single(results, r => r.Error == null).Value;
            Assert.Equal(1, removal.DeletedCount);
            Assert.Equal(new[] { "a.txt" }, removal.Deleted);
            Assert.Equal(new[] { "s3://objects-bucket/a.txt" }, Host.Confirmations.Select(c => c.Target));
            Assert.Equal(3, Recorder.Count("ListObjectsV2"));
            Assert.Equal(1, Recorder.Count("DeleteObjects"));
            Assert.Equal(new[] { "a.txt.bak" }, await KeysAsync());
        }

        [Fact]
        public async Task Under_WhatIf_an_exact_key_with_no_object_is_KeyNotFound_and_not_shown_as_a_deletion()
        {
            await CreateBucketsAsync(Bucket);
            await PutAsync("a.txt");
            Host.IsWhatIf = true;

            var results = await RemoveAsync(MotoSession(), "a.txt", "nosuch.txt");

            Assert.Equal("KeyNotFound", Assert.IsType<S3CredentialsException>(Assert.Single(results).Error).ErrorId);
            Assert.Equal(new[] { "s3://objects-bucket/a.txt" }, Host.Confirmations.Select(c => c.Target));
            Assert.Equal(0, Recorder.Count("DeleteObjects"));
        }

        [Fact]
        public async Task Deletions_have_no_undo_a_stop_part_way_names_what_is_left_in_a_warning()
        {
            await CreateBucketsAsync(Bucket);
            await PutAsync("a.txt", "b.txt");
            using var stop = new CancellationTokenSource();
            Recorder.CancelAtNth("DeleteObjects", 1, stop, inFlight: false);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Collect<S3ItemRemoval>(emit =>
                RemoveItemOperation.RunAsync(MotoSession(), new[] { new S3ItemSelection(Bucket, new[] { "*" }) }, emit, Host, stop.Token)));

            var warning = Assert.Single(Host.Warnings);
            Assert.Contains("'objects-bucket' was stopped part-way: 0 of 2 object(s) deleted", warning);
            Assert.Equal(2, (await KeysAsync()).Count);
            Assert.Equal(0, Recorder.Count("DeleteObject"));
        }

        [Fact]
        public async Task A_key_already_gone_when_its_batch_is_sent_counts_as_deleted()
        {
            await CreateBucketsAsync(Bucket);
            await PutAsync("a.txt", "b.txt");
            // A store that reports a key deleted meanwhile (by another client) as NoSuchKey: gone is what was wanted.
            Recorder.FailNth("DeleteObjects", 1, _ => new System.Net.Http.HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new System.Net.Http.StringContent("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Deleted><Key>a.txt</Key></Deleted><Error><Key>b.txt</Key><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error></DeleteResult>", System.Text.Encoding.UTF8, "application/xml"),
            });

            var removal = Assert.Single(await RemoveAsync(MotoSession(), "*"));

            Assert.Null(removal.Error);
            Assert.Equal(2, removal.Value.DeletedCount);
            Assert.Equal(0, removal.Value.FailedCount);
        }

        /// <summary>Read-only credentials for in/ made by New-S3Credential's operation, with moto judging every request.</summary>
        private async Task<AwsSession> ScopedAsync(S3Credentials.Core.Models.AccessLevel access)
        {
            var admin = await AdminSessionAsync();
            await CreateBucketsAsync(Bucket);
            await PutAsync("in/a.txt", "in/b.txt", "out/c.txt");
            Moto.SetAuthEnforced(true);
            var credential = await CreateAsync(new S3Credentials.Core.Operations.NewCredential.NewCredentialRequest { BucketNames = new[] { Bucket }, Access = access, Prefixes = new[] { "in/" } }, admin);
            Recorder.Clear();
            return MotoSession(credential.AccessKeyId, credential.SecretAccessKey);
        }

        [Fact]
        public async Task Read_only_credentials_for_a_prefix_list_and_save_inside_it_and_get_AccessDenied_per_object_naming_the_action_and_key()
        {
            var session = await ScopedAsync(S3Credentials.Core.Models.AccessLevel.ReadOnly);

            var listed = await ListAsync(session, "in/*");
            Assert.Equal(new[] { "in/a.txt", "in/b.txt" }, listed.Select(r => r.Value.Key));
            var outside = Assert.Single(await ListAsync(session, "out/*"));
            Assert.Equal(FailureKind.PermissionDenied, ((S3CredentialsException)outside.Error).Kind);
            Assert.Contains("s3:ListBucket on bucket 'objects-bucket' under prefix 'out/'", outside.Error.Message);

            var saved = await SaveAsync(session, Path.Combine(_folder, "scoped"), "in/a.txt", "out/c.txt");
            Assert.Equal("in/a.txt", Assert.Single(saved, r => r.Error == null).Value.Key);
            var denied = Assert.Single(saved, r => r.Error != null);
            Assert.Equal("out/c.txt", denied.Input);
            Assert.Contains("Access denied: s3:GetObject on 'out/c.txt' in bucket 'objects-bucket' was refused", denied.Error.Message);
            Assert.Equal("Aws.AccessDenied", ((S3CredentialsException)denied.Error).ErrorId);

            var written = Assert.Single(await UploadAsync(session, new UploadRequest { BucketName = Bucket, Sources = new[] { UploadSource.Text("x", "in/new.txt") } }));
            Assert.Contains("s3:PutObject on 'in/new.txt'", written.Error.Message);
            Assert.Equal(FailureKind.PermissionDenied, ((S3CredentialsException)written.Error).Kind);

            var removed = await RemoveAsync(session, "in/a.txt");
            Assert.Contains("s3:DeleteObject on 'in/a.txt'", Assert.Single(removed, r => r.Error != null).Error.Message);
            Assert.Equal(0, Assert.Single(removed, r => r.Error == null).Value.DeletedCount);
        }

        [Fact]
        public async Task Read_write_credentials_for_a_prefix_delete_inside_it_and_get_AccessDenied_for_the_key_outside()
        {
            var session = await ScopedAsync(S3Credentials.Core.Models.AccessLevel.ReadWrite);

            var results = await RemoveAsync(session, "in/a.txt", "out/c.txt");

            var summary = Assert.Single(results, r => r.Error == null).Value;
            Assert.Equal(new[] { "in/a.txt" }, summary.Deleted);
            Assert.Equal(1, summary.FailedCount);
            var denied = Assert.Single(results, r => r.Error != null);
            Assert.Equal("out/c.txt", denied.Input);
            Assert.Contains("s3:DeleteObject on 'out/c.txt'", denied.Error.Message);
            Moto.SetAuthEnforced(false);
            Assert.Equal(new[] { "in/b.txt", "out/c.txt" }, await KeysAsync());
        }
    }

    internal static class TransferProgressTests
    {
        public static async Task ForEach(IEnumerable<string> items, Func<string, Task> work)
        {
            using var gate = new SemaphoreSlim(16);
            await Task.WhenAll(items.Select(async item =>
            {
                await gate.WaitAsync();
                try { await work(item); } finally { gate.Release(); }
            }));
        }
    }
}
