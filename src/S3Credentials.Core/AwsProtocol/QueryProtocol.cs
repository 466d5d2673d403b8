using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Util;

namespace S3Credentials.Core.AwsProtocol
{
    /// <summary>
    /// A client of an AWS Query-protocol service (IAM, STS): form-encoded POST of Action, Version and the operation's
    /// parameters; XML answers; errors as &lt;ErrorResponse&gt;&lt;Error&gt;&lt;Type/&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;.
    /// One generic marshaller and one generic unmarshaller: each operation is a few lines in the service's client.
    /// </summary>
    public abstract class QueryServiceClient : OwnServiceClient
    {
        private readonly QueryRequestMarshaller _marshaller;
        private readonly QueryXmlResponseUnmarshaller _unmarshaller;

        protected QueryServiceClient(AWSCredentials credentials, OwnServiceConfig config) : base(credentials, config)
        {
            _marshaller = new QueryRequestMarshaller(config.Service);
            _unmarshaller = new QueryXmlResponseUnmarshaller(CreateException);
        }

        /// <summary>Sends one action and returns its &lt;ActionResult&gt; element (the root element when there is none).</summary>
        internal async Task<XElement> SendAsync(string action, IDictionary<string, string> parameters, CancellationToken cancellationToken, bool unsigned = false)
        {
            var options = new InvokeOptions { RequestMarshaller = _marshaller, ResponseUnmarshaller = _unmarshaller };
            QueryXmlResponse response;
            try
            {
                // The total time cap is the pipeline's (TotalTimeCapHandler); it fails as AwsConnectionException itself.
                response = await InvokeAsync<QueryXmlResponse>(new QueryRequest(action, parameters, unsigned), options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && !(e is AmazonServiceException) && !(e is AwsConnectionException) && Operations.FailureClassification.IsUncertain(e))
            {
                // Every attempt failed without an answer: named with its action.
                throw new AwsConnectionException(Config.ServiceId, action, Config.MaxErrorRetry + 1, e);
            }
            var root = response.Xml.Root;
            return root?.Child(action + "Result") ?? root ?? new XElement(action + "Result");
        }

        /// <summary>Query parameters from name/value pairs; pairs whose value is null are left out.</summary>
        internal static SortedDictionary<string, string> Params(params string[] namesAndValues)
        {
            var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < namesAndValues.Length; i += 2)
                if (namesAndValues[i + 1] != null)
                    parameters[namesAndValues[i]] = namesAndValues[i + 1];
            return parameters;
        }

        /// <summary>A list of pairs as Query members: NAME.member.N.Key and NAME.member.N.Value, N from 1.</summary>
        internal static void AddMembers(IDictionary<string, string> parameters, string name, IEnumerable<KeyValuePair<string, string>> pairs)
        {
            if (pairs == null) return;
            var index = 0;
            foreach (var pair in pairs)
            {
                index++;
                parameters[name + ".member." + index + ".Key"] = pair.Key;
                parameters[name + ".member." + index + ".Value"] = pair.Value ?? "";
            }
        }

        /// <summary>
        /// A list of strings as Query members: NAME.member.N, N from 1, or NAME.member.N.FIELD when each member is a
        /// structure of one field (STS's PolicyArns.member.N.arn).
        /// </summary>
        internal static void AddMembers(IDictionary<string, string> parameters, string name, IEnumerable<string> values, string field = null)
        {
            if (values == null) return;
            var index = 0;
            foreach (var value in values)
                parameters[name + ".member." + (++index) + (field == null ? "" : "." + field)] = value;
        }
    }

    internal sealed class QueryRequest : OwnRequest
    {
        public QueryRequest(string action, IDictionary<string, string> parameters, bool unsigned) : base(unsigned)
        {
            Action = action ?? throw new ArgumentNullException(nameof(action));
            Parameters = parameters ?? new Dictionary<string, string>();
        }

        public string Action { get; }
        public IDictionary<string, string> Parameters { get; }
    }

    internal sealed class QueryRequestMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        private readonly ServiceDefinition _service;

        public QueryRequestMarshaller(ServiceDefinition service) { _service = service; }

        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var query = (QueryRequest)input;
            IRequest request = new DefaultRequest(query, _service.ServiceId);
            request.HttpMethod = "POST";
            request.ResourcePath = "/";
            request.Parameters.Add("Action", query.Action);
            request.Parameters.Add("Version", _service.ApiVersion);
            foreach (var parameter in query.Parameters)
                request.Parameters[parameter.Key] = parameter.Value;
            request.ContentStream = AWSSDKUtils.WriteParametersToPooledStream(request);
            return request;
        }
    }

    internal sealed class QueryXmlResponse : AmazonWebServiceResponse
    {
        public XDocument Xml { get; set; }
    }

    /// <summary>Reads any XML answer into an XDocument; errors become the service's exception.</summary>
    internal sealed class QueryXmlResponseUnmarshaller : XmlResponseUnmarshaller
    {
        private readonly ServiceExceptionFactory _createException;

        public QueryXmlResponseUnmarshaller(ServiceExceptionFactory createException) { _createException = createException; }

        public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext context)
        {
            string raw;
            using (var reader = new StreamReader(context.Stream))
                raw = reader.ReadToEnd();
            var document = string.IsNullOrWhiteSpace(raw) ? new XDocument() : XDocument.Parse(raw);
            return new QueryXmlResponse
            {
                Xml = document,
                ResponseMetadata = new ResponseMetadata { RequestId = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value },
            };
        }

        public override AmazonServiceException UnmarshallException(XmlUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
        {
            var error = XmlErrorResponseUnmarshaller.GetInstance().Unmarshall(context);
            return _createException(error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
        }
    }

    internal static class XmlElements
    {
        public static XElement Child(this XElement parent, string localName)
            => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

        public static string Text(this XElement parent, string localName) => parent.Child(localName)?.Value;

        /// <summary>An ISO 8601 timestamp of an answer, as UTC; default when there is none.</summary>
        public static DateTime ParseDate(string value)
            => string.IsNullOrEmpty(value) ? default : DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }
}
