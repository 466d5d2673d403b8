namespace S3Credentials.Core.Policies
{
    /// <summary>The Effect element of an IAM policy statement.</summary>
    public enum PolicyEffect
    {
        Allow,
        Deny,
    }
}
