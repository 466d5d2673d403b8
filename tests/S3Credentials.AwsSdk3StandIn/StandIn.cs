namespace Amazon.Runtime
{
    /// <summary>What the host simulator calls to show the other module's SDK still works after S3Credentials loaded.</summary>
    public static class StandIn
    {
        public static string Describe() => "AWSSDK.Core " + typeof(StandIn).Assembly.GetName().Version + " (AWS.Tools 4 stand-in)";
    }
}
