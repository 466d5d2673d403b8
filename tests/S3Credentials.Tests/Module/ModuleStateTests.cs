using System;
using System.Linq;
using System.Threading.Tasks;
using S3Credentials.Core;
using S3Credentials.Core.Completion;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Tests.Infrastructure;
using S3Credentials.Tests.NewCredential;
using Xunit;

namespace S3Credentials.Tests.Module
{
    /// <summary>
    /// What the module remembers between commands (caller identities, completion names) lives in the
    /// <see cref="S3CredentialsState"/> the options hand on, one per module session, never in the process.
    /// </summary>
    public sealed class ModuleStateTests : NewCredentialTestBase
    {
        public ModuleStateTests(MotoServer moto) : base(moto) { }

        /// <summary>A key that does not name its account (moto's test key): AssumeRole needs the caller looked up.</summary>
        private const string KeyWithoutAccount = "AKIAIOSFODNN7OLDKEY2";

        private static NewCredentialRequest Temporary(string bucket)
            => new NewCredentialRequest { BucketNames = new[] { bucket }, Duration = TimeSpan.FromHours(1) };

        private AwsSession SessionOf(S3CredentialsState state)
        {
            var options = MotoOptions(KeyWithoutAccount, TestSecretKey);
            options.State = state;
            return SessionResolver.Resolve(options);
        }

        private int CallerLookups() => Recorder.Calls.Count(c => c.Action == "GetCallerIdentity");

        [Fact]
        public async Task Commands_of_one_module_session_ask_STS_for_the_caller_once_and_another_session_asks_again()
        {
            await CreateBucketsAsync("state-bucket");
            var one = new S3CredentialsState();
            await CreateAsync(Temporary("state-bucket"), SessionOf(one));
            await CreateAsync(Temporary("state-bucket"), SessionOf(one)); // a second command: resolved afresh, same module session
            Assert.Equal(1, CallerLookups());
            Assert.True(one.KnownCallers.ContainsKey(KeyWithoutAccount));

            var other = new S3CredentialsState();
            await CreateAsync(Temporary("state-bucket"), SessionOf(other));
            Assert.Equal(2, CallerLookups());
        }

        [Fact]
        public async Task A_library_caller_that_passes_no_state_gets_a_fresh_one_with_each_session()
        {
            await CreateBucketsAsync("state-bucket");
            var first = MotoSession(KeyWithoutAccount, TestSecretKey);
            var second = MotoSession(KeyWithoutAccount, TestSecretKey);
            Assert.NotSame(first.State, second.State);
            await CreateAsync(Temporary("state-bucket"), first);
            await CreateAsync(Temporary("state-bucket"), second);
            Assert.Equal(2, CallerLookups());
        }

        [Fact]
        public async Task Completion_names_cached_by_one_module_session_are_not_seen_by_another()
        {
            await CreateBucketsAsync("alpha-bucket");
            var one = new S3CredentialsState();
            Assert.Equal(new[] { "alpha-bucket" }, CompletionSource.BucketNames(SessionOf(one)));
            await CreateBucketsAsync("beta-bucket");

            // Within its cache lifetime the first session still offers what it read; a new session reads ListBuckets again.
            Assert.Equal(new[] { "alpha-bucket" }, CompletionSource.BucketNames(SessionOf(one)));
            Assert.Equal(new[] { "alpha-bucket", "beta-bucket" }, CompletionSource.BucketNames(SessionOf(new S3CredentialsState())).OrderBy(n => n));
            Assert.Equal(2, Recorder.Count("ListBuckets"));
        }

        [Fact]
        public async Task A_module_session_with_no_cache_lifetime_reads_the_names_every_time()
        {
            await CreateBucketsAsync("alpha-bucket");
            var state = new S3CredentialsState { CompletionCacheLifetime = TimeSpan.Zero };
            CompletionSource.BucketNames(SessionOf(state));
            await CreateBucketsAsync("beta-bucket");
            Assert.Contains("beta-bucket", CompletionSource.BucketNames(SessionOf(state)));
            Assert.Equal(2, Recorder.Count("ListBuckets"));
        }
    }
}
