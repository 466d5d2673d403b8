using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Util;

namespace S3Credentials.Core.AwsProtocol
{
    /// <summary>
    /// A client of an AWS REST-JSON service (the SSO portal, SSO OIDC): the operation is the HTTP method and path, its
    /// input goes in query parameters, headers and a JSON body, its answer is a JSON document. Errors carry their code in
    /// the x-amzn-ErrorType header or the body's __type (SSO OIDC also answers OAuth-style: error, error_description).
    /// One generic marshaller and one generic unmarshaller: each operation is a few lines in the service's client.
    /// </summary>
    public abstract class RestJsonServiceClient : OwnServiceClient
    {
        private readonly RestJsonRequestMarshaller _marshaller;
        private readonly RestJsonResponseUnmarshaller _unmarshaller;

        protected RestJsonServiceClient(AWSCredentials credentials, OwnServiceConfig config) : base(credentials, config)
        {
            _marshaller = new RestJsonRequestMarshaller(config.Service);
            _unmarshaller = new RestJsonResponseUnmarshaller(CreateException);
        }

        /// <summary>
        /// Sends one request and returns the JSON it was answered with (a JsonElement of kind Undefined when the answer
        /// has no body). <paramref name="jsonBody"/>, when not null, is serialized with System.Text.Json (null members
        /// left out). Unsigned requests carry no credentials.
        /// </summary>
        internal async Task<JsonElement> SendAsync(string httpMethod, string path, IDictionary<string, string> query, IDictionary<string, string> headers,
            object jsonBody, bool unsigned, CancellationToken cancellationToken)
        {
            var request = new RestJsonRequest(httpMethod, path, query, headers, jsonBody, unsigned);
            var options = new InvokeOptions { RequestMarshaller = _marshaller, ResponseUnmarshaller = _unmarshaller };
            var response = await InvokeAsync<RestJsonResponse>(request, options, cancellationToken).ConfigureAwait(false);
            return response.Json;
        }
    }

    internal sealed class RestJsonRequest : OwnRequest
    {
        private static readonly IDictionary<string, string> None = new Dictionary<string, string>(0);

        public RestJsonRequest(string httpMethod, string path, IDictionary<string, string> query, IDictionary<string, string> headers, object jsonBody, bool unsigned)
            : base(unsigned)
        {
            HttpMethod = httpMethod ?? throw new ArgumentNullException(nameof(httpMethod));
            Path = path ?? throw new ArgumentNullException(nameof(path));
            Query = query ?? None;
            Headers = headers ?? None;
            JsonBody = jsonBody;
        }

        public string HttpMethod { get; }
        public string Path { get; }
        public IDictionary<string, string> Query { get; }
        public IDictionary<string, string> Headers { get; }
        public object JsonBody { get; }
    }

    /// <summary>What the SDK's generated REST-JSON marshallers make of an operation: method, path, x-amz-api-version, query, headers, body.</summary>
    internal sealed class RestJsonRequestMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        private static readonly JsonSerializerOptions BodyOptions = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        };

        private readonly ServiceDefinition _service;

        public RestJsonRequestMarshaller(ServiceDefinition service) { _service = service; }

        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var rest = (RestJsonRequest)input;
            IRequest request = new DefaultRequest(rest, _service.ServiceId);
            request.HttpMethod = rest.HttpMethod;
            request.ResourcePath = rest.Path;
            request.Headers[HeaderKeys.XAmzApiVersion] = _service.ApiVersion;
            foreach (var header in rest.Headers)
                if (header.Value != null)
                    request.Headers[header.Key] = header.Value;
            foreach (var parameter in rest.Query)
                if (parameter.Value != null)
                    request.Parameters[parameter.Key] = parameter.Value;
            request.UseQueryString = request.Parameters.Count > 0;
            if (rest.JsonBody != null)
            {
                request.Headers[HeaderKeys.ContentTypeHeader] = "application/json";
                request.Content = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(rest.JsonBody, rest.JsonBody.GetType(), BodyOptions));
            }
            return request;
        }
    }

    internal sealed class RestJsonResponse : AmazonWebServiceResponse
    {
        public JsonElement Json { get; set; }
    }

    /// <summary>
    /// Reads any JSON answer into a JsonElement; errors become the service's exception. Neither the answer's body nor
    /// what the request sent ever goes into an exception's message: both can hold tokens and keys.
    /// </summary>
    internal sealed class RestJsonResponseUnmarshaller : JsonResponseUnmarshaller
    {
        private const string ErrorTypeHeader = "x-amzn-ErrorType";
        private readonly ServiceExceptionFactory _createException;

        public RestJsonResponseUnmarshaller(ServiceExceptionFactory createException) { _createException = createException; }

        public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext context)
            => new RestJsonResponse { Json = Parse(ReadBody(context)) ?? default };

        public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
        {
            JsonElement? body = null;
            try
            {
                body = Parse(ReadBody(context));
            }
            catch (InvalidDataException)
            {
                // An error answer that is not JSON (a proxy's page, say): the status code and header still tell what happened.
            }

            var error = body?.ValueKind == JsonValueKind.Object ? body.Value : default;
            var code = BeforeColon(context.ResponseData.GetHeaderValue(ErrorTypeHeader))
                       ?? AfterHash(error.Text("__type"))
                       ?? error.Text("code") ?? error.Text("Code")
                       ?? error.Text("error");
            var message = error.Text("message") ?? error.Text("Message") ?? error.Text("error_description")
                          ?? string.Format(CultureInfo.InvariantCulture, "The service answered HTTP {0} ({1}).", (int)statusCode, statusCode);
            var errorType = (int)statusCode >= 500 ? ErrorType.Receiver : (int)statusCode >= 400 ? ErrorType.Sender : ErrorType.Unknown;
            return _createException(message, innerException, errorType, code, context.ResponseData.GetHeaderValue(HeaderKeys.RequestIdHeader), statusCode);
        }

        private static string ReadBody(JsonUnmarshallerContext context)
        {
            using (var reader = new StreamReader(context.Stream))
                return reader.ReadToEnd();
        }

        /// <summary>The document, or null for an empty body. Invalid JSON fails without quoting it.</summary>
        private static JsonElement? Parse(string raw)
        {
            if (string.IsNullOrWhiteSpace(raw)) return null;
            try
            {
                using (var document = JsonDocument.Parse(raw))
                    return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new InvalidDataException("The service's answer is not valid JSON.");
            }
        }

        /// <summary>"UnauthorizedException:http://internal.amazon.com/coral/..." is UnauthorizedException.</summary>
        private static string BeforeColon(string value)
        {
            if (string.IsNullOrEmpty(value)) return null;
            var colon = value.IndexOf(':');
            return colon < 0 ? value : value.Substring(0, colon);
        }

        /// <summary>"com.amazonaws.sso#UnauthorizedException" is UnauthorizedException.</summary>
        private static string AfterHash(string value)
            => string.IsNullOrEmpty(value) ? null : BeforeColon(value.Substring(value.IndexOf('#') + 1));
    }

    internal static class JsonElements
    {
        /// <summary>A member of an object, when it is one and has it; default (kind Undefined) otherwise.</summary>
        public static JsonElement Member(this JsonElement element, string name)
            => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

        /// <summary>A string member's value (numbers and booleans as their JSON text); null when absent or null.</summary>
        public static string Text(this JsonElement element, string name)
        {
            var value = element.Member(name);
            switch (value.ValueKind)
            {
                case JsonValueKind.String: return value.GetString();
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False: return value.GetRawText();
                default: return null;
            }
        }

        /// <summary>A whole-number member; null when absent or not a number.</summary>
        public static long? Int64(this JsonElement element, string name)
        {
            var value = element.Member(name);
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : (long?)null;
        }
    }
}
