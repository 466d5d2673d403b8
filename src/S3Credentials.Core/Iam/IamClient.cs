using System;
using System.Collections.Generic;
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

namespace S3Credentials.Core.Iam
{
    /// <summary>
    /// IAM over AWSSDK.Core's pipeline (credential resolution, SigV4, retries, endpoint overrides come from the SDK).
    /// One generic Query marshaller and one generic XML unmarshaller; each operation is a few lines in IamClient.Operations.cs.
    /// </summary>
    public sealed partial class IamClient : AmazonServiceClient, IIamClient
    {
        private static readonly IServiceMetadata Metadata = new IamServiceMetadata();

        public IamClient(AWSCredentials credentials, IamClientConfig config) : base(credentials, config) { }

        protected override IServiceMetadata ServiceMetadata => Metadata;

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            // As the generated clients do: endpoint and auth-scheme resolution run right after marshalling.
            pipeline.RemoveHandler<Amazon.Runtime.Internal.EndpointResolver>();
            pipeline.AddHandlerAfter<Amazon.Runtime.Internal.Marshaller>(new IamEndpointResolver());
            pipeline.AddHandlerAfter<Amazon.Runtime.Internal.Marshaller>(new IamAuthSchemeHandler());
        }

        /// <summary>Sends one IAM action and returns its &lt;ActionResult&gt; element (the root element when there is none).</summary>
        internal async Task<XElement> SendAsync(string action, IDictionary<string, string> parameters, CancellationToken cancellationToken)
        {
            var options = new InvokeOptions
            {
                RequestMarshaller = IamQueryRequestMarshaller.Instance,
                ResponseUnmarshaller = IamXmlResponseUnmarshaller.Instance,
            };
            var response = await InvokeAsync<IamXmlResponse>(new IamQueryRequest(action, parameters), options, cancellationToken).ConfigureAwait(false);
            var root = response.Xml.Root;
            return root?.Child(action + "Result") ?? root ?? new XElement(action + "Result");
        }
    }

    /// <summary>InvokeAsync takes an AmazonWebServiceRequest; the marshaller turns it into the HTTP request.</summary>
    internal sealed class IamQueryRequest : AmazonWebServiceRequest
    {
        public IamQueryRequest(string action, IDictionary<string, string> parameters)
        {
            Action = action ?? throw new ArgumentNullException(nameof(action));
            Parameters = parameters ?? new Dictionary<string, string>();
        }

        public string Action { get; }
        public IDictionary<string, string> Parameters { get; }
    }

    /// <summary>Form-encoded POST: Action, Version and the operation's parameters.</summary>
    internal sealed class IamQueryRequestMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        public const string ApiVersion = "2010-05-08";
        public static IamQueryRequestMarshaller Instance { get; } = new IamQueryRequestMarshaller();

        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var query = (IamQueryRequest)input;
            IRequest request = new DefaultRequest(query, "Amazon.IdentityManagement");
            request.HttpMethod = "POST";
            request.ResourcePath = "/";
            request.Parameters.Add("Action", query.Action);
            request.Parameters.Add("Version", ApiVersion);
            foreach (var parameter in query.Parameters)
                request.Parameters[parameter.Key] = parameter.Value;
            request.ContentStream = AWSSDKUtils.WriteParametersToPooledStream(request);
            return request;
        }
    }

    internal sealed class IamXmlResponse : AmazonWebServiceResponse
    {
        public XDocument Xml { get; set; }
    }

    /// <summary>Reads any IAM XML response into an XDocument; errors become <see cref="IamServiceException"/>.</summary>
    internal sealed class IamXmlResponseUnmarshaller : XmlResponseUnmarshaller
    {
        public static IamXmlResponseUnmarshaller Instance { get; } = new IamXmlResponseUnmarshaller();

        public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext context)
        {
            string raw;
            using (var reader = new StreamReader(context.Stream))
                raw = reader.ReadToEnd();
            var document = string.IsNullOrWhiteSpace(raw) ? new XDocument() : XDocument.Parse(raw);
            return new IamXmlResponse
            {
                Xml = document,
                ResponseMetadata = new ResponseMetadata { RequestId = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value },
            };
        }

        public override AmazonServiceException UnmarshallException(XmlUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
        {
            // <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
            var error = XmlErrorResponseUnmarshaller.GetInstance().Unmarshall(context);
            return new IamServiceException(error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
        }
    }

    /// <summary>An error IAM answered with: ErrorCode (such as NoSuchEntity), RequestId and StatusCode come from the response.</summary>
    public sealed class IamServiceException : AmazonServiceException
    {
        public IamServiceException(string message, Exception innerException, ErrorType errorType, string errorCode, string requestId, HttpStatusCode statusCode)
            : base(message, innerException, errorType, errorCode, requestId, statusCode) { }
    }
}
