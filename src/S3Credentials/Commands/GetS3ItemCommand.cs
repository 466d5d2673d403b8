using System.Management.Automation;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.Objects;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Lists the objects of a bucket: all of them, those under -Prefix, or those whose keys match * ? patterns, with size,
    /// last modified, ETag and URL (s3-credentials' list-bucket and its --urls). Objects are written page by page as S3
    /// lists them. The noun is S3Item because AWS.Tools.S3 owns Get-S3Object.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "S3Item")]
    [OutputType(typeof(S3Item))]
    public sealed class GetS3ItemCommand : S3ItemSelectionCmdlet
    {
        protected override void ProcessRecord()
        {
            var session = Session;
            var selection = new S3ItemSelection(BucketName, Key, Prefix);
            StreamItemResults<string, S3Item>((host, emit, token) => ItemListOperation.RunAsync(session, selection, emit, host, token), target: BucketName);
        }
    }
}
