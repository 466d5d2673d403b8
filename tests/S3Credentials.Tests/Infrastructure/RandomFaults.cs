using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// Decides, for <see cref="RecordingHttpClientFactory"/>, which requests are answered with a transient fault instead of
    /// reaching the server: a throttling error (IAM/STS "Throttling" 400 Query error, S3 "SlowDown" 503) or a dropped
    /// connection (HttpRequestException, as HttpClient raises for a reset connection; thrown before the request is sent,
    /// so the server never sees it).
    /// <para>
    /// Deterministic for a seed: each attempt's fate is a hash of the seed, the request's content (with server-made access
    /// key ids and GUIDs masked, so it does not change between runs), how many earlier calls had the same content, and the
    /// attempt number — not of the order in which concurrent requests arrive.
    /// </para>
    /// <para>
    /// Bounded: at most <see cref="MaxFaultsPerCall"/> faults for one SDK call (its attempts share one amz-sdk-invocation-id).
    /// By default that is the SDK's attempts minus one (read from the amz-sdk-request header), so the last attempt of every
    /// call always reaches the server: at a 20 % rate and the SDK's default 3 attempts, unbounded faults would fail
    /// 0.2³ = 0.8 % of calls outright, several per bulk test.
    /// </para>
    /// </summary>
    public sealed class RandomFaults
    {
        public enum Kind { None, Throttled, Dropped }

        /// <summary>What the decision sees of a request.</summary>
        public sealed record Request(string Service, string Action, string Method, string PathAndQuery, string Body, string InvocationId, int Attempt, int MaxAttempts);

        private static readonly Regex ServerMadeIds = new Regex("(AccessKeyId=)[^&]*|[0-9a-fA-F]{32}", RegexOptions.CultureInvariant);
        private readonly object _gate = new object();
        private readonly Dictionary<string, int> _faultsPerCall = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _callsPerContent = new Dictionary<string, List<string>>(StringComparer.Ordinal);

        public RandomFaults(double rate, int seed)
        {
            if (rate < 0 || rate > 1) throw new ArgumentOutOfRangeException(nameof(rate));
            Rate = rate;
            Seed = seed;
        }

        /// <summary>The chance that one attempt is faulted (while the call's fault budget lasts).</summary>
        public double Rate { get; }
        public int Seed { get; }

        /// <summary>At most this many faults for one SDK call; null: the SDK's attempts minus one, so its last attempt always goes through.</summary>
        public int? MaxFaultsPerCall { get; set; }

        /// <summary>Which kinds are injected; each faulted attempt gets one of them, chosen by the same hash.</summary>
        public Kind[] Kinds { get; set; } = { Kind.Throttled, Kind.Dropped };

        /// <summary>Only requests this accepts may be faulted; null: every request.</summary>
        public Func<Request, bool> Filter { get; set; }

        public Kind Decide(Request request)
        {
            if (Rate <= 0 || Kinds.Length == 0 || (Filter != null && !Filter(request)))
                return Kind.None;
            var call = request.InvocationId ?? Guid.NewGuid().ToString("N"); // without the header every request is its own call
            var budget = MaxFaultsPerCall ?? Math.Max(0, request.MaxAttempts - 1);
            var content = request.Service + "|" + request.Action + "|" + request.Method + "|" + ServerMadeIds.Replace(request.PathAndQuery + "|" + request.Body, "$1#");
            lock (_gate)
            {
                _faultsPerCall.TryGetValue(call, out var faulted);
                if (faulted >= budget)
                    return Kind.None;
                if (!_callsPerContent.TryGetValue(content, out var calls))
                    _callsPerContent[content] = calls = new List<string>();
                var occurrence = calls.IndexOf(call);
                if (occurrence < 0)
                {
                    calls.Add(call);
                    occurrence = calls.Count - 1;
                }
                var hash = Fnv1a($"{Seed}|{content}|{occurrence}|{request.Attempt}");
                var uniform = (hash >> 11) * (1.0 / (1UL << 53));
                if (uniform >= Rate)
                    return Kind.None;
                _faultsPerCall[call] = faulted + 1;
                return Kinds[(int)(hash % (ulong)Kinds.Length)];
            }
        }

        /// <summary>What HttpClient raises when the server resets the connection.</summary>
        public static HttpRequestException DroppedConnection()
            => new HttpRequestException("An error occurred while sending the request (injected: connection reset).", new IOException("Connection reset by peer (injected)."));

        private static ulong Fnv1a(string text)
        {
            var hash = 14695981039346656037UL;
            foreach (var b in Encoding.UTF8.GetBytes(text))
            {
                hash ^= b;
                hash *= 1099511628211UL;
            }
            // FNV's low bits mix poorly: finish with a 64-bit avalanche (splitmix64's).
            hash ^= hash >> 30; hash *= 0xbf58476d1ce4e5b9UL;
            hash ^= hash >> 27; hash *= 0x94d049bb133111ebUL;
            hash ^= hash >> 31;
            return hash;
        }
    }
}
