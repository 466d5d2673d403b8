using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// AWS's console federation endpoint, faked in-process on a <see cref="FakeHttpEndpoint"/>. By default it answers
    /// Action=getSigninToken like AWS: 200 and {"SigninToken": ...} when Session is JSON holding exactly sessionId,
    /// sessionKey and sessionToken, 400 otherwise. Every request is recorded.
    /// </summary>
    public sealed class FakeFederationEndpoint : IDisposable
    {
        private readonly FakeHttpEndpoint _endpoint;

        public FakeFederationEndpoint(string signInToken = "abc")
        {
            SignInToken = signInToken;
            _endpoint = new FakeHttpEndpoint(request => (Respond ?? DefaultAnswer)(request));
        }

        public int Port => _endpoint.Port;
        /// <summary>The URL to pass as -FederationEndpoint.</summary>
        public string Url => _endpoint.BaseUrl + "/federation";
        public string SignInToken { get; set; }
        public IReadOnlyList<FakeHttpRequest> Requests => _endpoint.Requests;

        /// <summary>Replaces the default answer: given the request, the status code and body to send.</summary>
        public Func<FakeHttpRequest, (int Status, string Body)> Respond { get; set; }

        /// <summary>The Session parameter of a getSigninToken request, parsed; null when it is not a JSON object.</summary>
        public static Dictionary<string, string> SessionOf(FakeHttpRequest request)
        {
            if (!request.Query.TryGetValue("Session", out var session)) return null;
            try
            {
                using var document = JsonDocument.Parse(session);
                if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
                return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private (int, string) DefaultAnswer(FakeHttpRequest request)
        {
            if (request.Path != "/federation" || request.Query.GetValueOrDefault("Action") != "getSigninToken")
                return (400, "unknown action");
            var session = SessionOf(request);
            var keys = new[] { "sessionId", "sessionKey", "sessionToken" };
            if (session == null || !session.Keys.OrderBy(k => k, StringComparer.Ordinal).SequenceEqual(keys.OrderBy(k => k, StringComparer.Ordinal)) || session.Values.Any(string.IsNullOrEmpty))
                return (400, "Session must hold sessionId, sessionKey and sessionToken");
            return (200, JsonSerializer.Serialize(new { SigninToken = SignInToken }));
        }

        public void Dispose() => _endpoint.Dispose();
    }
}
