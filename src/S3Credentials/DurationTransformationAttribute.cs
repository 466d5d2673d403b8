using System.Management.Automation;
using S3Credentials.Core;
using S3Credentials.Core.Operations;

namespace S3Credentials
{
    /// <summary>
    /// Binds every duration parameter (-Duration, -Expires, -SessionDuration) as a TimeSpan: a TimeSpan as it is,
    /// a number as seconds, text such as 15m, 1h30m, 7d, 900s or 00:15:00 through <see cref="DurationParser"/>, so the
    /// forms and the error text live in one place. A value that is not a duration fails binding
    /// (ParameterArgumentTransformationError, naming the parameter) before the cmdlet runs. Only method bodies name
    /// S3Credentials.Core's types: see <see cref="DependencyLoader"/>.
    /// </summary>
    public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            try
            {
                return DurationParser.From(value);
            }
            catch (S3CredentialsException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message, e);
            }
        }
    }
}
