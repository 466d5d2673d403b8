using System.IO;
using System.Management.Automation;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.Objects;

namespace S3Credentials.Commands
{
    /// <summary>
    /// Downloads objects to a file or a folder (s3-credentials' get-object and get-objects): keys become relative paths
    /// under the folder and never lead outside it. Takes Get-S3Item's output. Save is the verb PowerShell uses for
    /// bringing something down to disk (Save-Module, Save-Help); AWS.Tools.S3 owns Read-S3Object.
    /// </summary>
    [Cmdlet(VerbsData.Save, "S3Item", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(S3ItemTransfer))]
    public sealed class SaveS3ItemCommand : S3ItemSelectionCmdlet
    {
        /// <summary>The folder to save into (made when missing), or the file for one key. Default: the current location.</summary>
        [Parameter(Position = 2)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; } = ".";

        /// <summary>How many objects are downloaded at once.</summary>
        [Parameter]
        [ValidateThrottleLimit]
        public int ThrottleLimit { get; set; } = DownloadOperation.DefaultThrottleLimit;

        protected override void EndProcessing()
        {
            if (Selections.Count == 0) return;
            var session = Session;
            var destination = GetUnresolvedProviderPathFromPSPath(Destination);
            if (Destination.EndsWith("/") || Destination.EndsWith("\\"))
                destination = destination.TrimEnd('/', '\\') + Path.DirectorySeparatorChar;
            var selections = Selections.ToArray();
            var limit = ThrottleLimit;
            StreamItemResults<string, S3ItemTransfer>((host, emit, token) => DownloadOperation.RunAsync(session, selections, destination, limit, emit, host, token), target: Destination, finishInFlight: true);
        }
    }
}
