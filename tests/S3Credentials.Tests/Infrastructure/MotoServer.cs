using System;
using S3Credentials.Moto;
using Xunit;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// A real moto_server on 127.0.0.1 and a free port, started once for the test run and stopped at its end.
    /// Fails at once, saying so, when no Python on this machine can import moto. Launching is shared with the
    /// benchmark: tests/moto/MotoProcess.cs.
    /// </summary>
    public sealed class MotoServer : IDisposable
    {
        public const string AccountId = MotoProcess.AccountId;
        private readonly MotoProcess _process;

        public MotoServer()
        {
            _process = new MotoProcess(TestPaths.RepoRoot, EnvironmentScope.OriginalHome);
        }

        public int Port => _process.Port;
        public string Endpoint => _process.Endpoint;

        /// <summary>Clears every bucket, user, role and key, and turns enforcement off.</summary>
        public void Reset() => _process.Reset();

        /// <summary>Turns moto's auth mode on (signatures and identity policies are checked) or off.</summary>
        public void SetAuthEnforced(bool enforced) => _process.SetAuthEnforced(enforced);

        public string RecentLog => _process.RecentLog;

        /// <summary>The first Python that can import moto: PATH first, then the pyenv shims and versions.</summary>
        public static string FindPython() => MotoProcess.FindPython(TestPaths.RepoRoot, EnvironmentScope.OriginalHome);

        public void Dispose() => _process.Dispose();
    }

    /// <summary>
    /// The tests that share the one moto server, or change the process's environment (EnvironmentScope: HOME, AWS_*),
    /// or both. They run one at a time, after the other test classes have run in parallel: those change nothing in the
    /// process, so reading it while they run is safe.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class MotoCollection : ICollectionFixture<MotoServer>
    {
        public const string Name = "moto";
    }
}
