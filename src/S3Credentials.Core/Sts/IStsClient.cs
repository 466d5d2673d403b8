using System;
using System.Threading;
using System.Threading.Tasks;

namespace S3Credentials.Core.Sts
{
    /// <summary>
    /// The STS operations this product needs. <see cref="StsClient"/> implements them on AWSSDK.Core's pipeline, so the
    /// module never loads an assembly named AWSSDK.SecurityToken: AWSSDK.Core, also AWS.Tools' copy in the same session,
    /// takes the first assembly of that name in the process for its own role and web-identity credentials, and must find
    /// its own. This interface is the seam to swap in the official package. Errors are <see cref="StsServiceException"/>s.
    /// </summary>
    public interface IStsClient : IDisposable
    {
        Task<StsCallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken = default);
        Task<StsAssumedRole> AssumeRoleAsync(StsAssumeRoleRequest request, CancellationToken cancellationToken = default);
        /// <summary>Unsigned: the web identity token is the proof.</summary>
        Task<StsAssumedRole> AssumeRoleWithWebIdentityAsync(StsWebIdentityRequest request, CancellationToken cancellationToken = default);
        Task<StsFederationToken> GetFederationTokenAsync(string name, string policy, int? durationSeconds, CancellationToken cancellationToken = default);
    }
}
