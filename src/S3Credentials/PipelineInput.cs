using System.Management.Automation;

namespace S3Credentials
{
    /// <summary>
    /// Tells "nothing piped at all" from "an empty pipeline". Cmdlets that gather names default to every user, role
    /// or bucket when none is given; that default must hold only when the cmdlet is not fed by a pipeline.
    /// <c>Get-S3User 'nomatch*' | Get-S3UserPolicy</c> and <c>@() | Get-S3BucketDetail</c> yield nothing.
    /// </summary>
    internal static class PipelineInput
    {
        /// <summary>
        /// True when the cmdlet stands after a pipe (<see cref="InvocationInfo.ExpectingInput"/>) and received no name
        /// from it: it then writes nothing. Names bound on the command line of a cmdlet fed by an empty pipeline do not
        /// count either, as with Get-Item (ProcessRecord never runs).
        /// </summary>
        public static bool YieldedNothing(PSCmdlet cmdlet, int namesReceived)
        {
            if (!cmdlet.MyInvocation.ExpectingInput || namesReceived > 0)
                return false;
            cmdlet.WriteVerbose("The pipeline gave no names, so there is nothing to do (without a pipeline, no names means all).");
            return true;
        }
    }
}
