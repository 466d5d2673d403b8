using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace S3Credentials.Core.Policies
{
    /// <summary>
    /// IAM and STS policy size limits, checked before any call. Sizes are counted as IAM counts them: characters
    /// without whitespace outside strings (<see cref="PolicyDocument.CompactLength"/>). STS additionally limits the
    /// packed (compressed) size of session policies, which cannot be computed offline; AWS reports it as
    /// PackedPolicyTooLarge.
    /// </summary>
    public static class PolicySize
    {
        /// <summary>IAM: all inline policies of one user together (aggregate, not per policy).</summary>
        public const int UserInlinePoliciesLimit = 2048;
        /// <summary>STS AssumeRole: the plaintext session policy (Policy parameter).</summary>
        public const int SessionPolicyLimit = 2048;
        /// <summary>IAM: a role trust policy (default quota; it can be raised to 4,096).</summary>
        public const int RoleTrustPolicyLimit = 2048;
        /// <summary>IAM: one customer-managed policy.</summary>
        public const int ManagedPolicyLimit = 6144;
        /// <summary>IAM: all inline policies of one role together.</summary>
        public const int RoleInlinePoliciesLimit = 10240;
        /// <summary>S3: a bucket policy is at most 20 KB.</summary>
        public const int BucketPolicyLimit = 20480;

        /// <summary>What to do when a session policy is too large.</summary>
        public const string SessionPolicyAdvice = "Ask for fewer buckets per call or use shorter prefixes.";

        /// <summary>What to do when a user's inline policies are too large.</summary>
        public const string UserPolicyAdvice = "Ask for fewer buckets per call or use shorter prefixes; for permanent credentials you can instead attach a customer-managed policy (up to 6,144 characters).";

        /// <summary>Throws when <paramref name="document"/> is larger than <paramref name="limit"/>.</summary>
        /// <param name="parameterName">The parameter the policy was built from (for example BucketName or Policy).</param>
        /// <param name="whatToDo">A sentence telling the user how to make it fit (see <see cref="SessionPolicyAdvice"/>).</param>
        /// <exception cref="S3CredentialsException">PolicyTooLarge, kind LimitsExceeded.</exception>
        public static void EnsureFits(PolicyDocument document, int limit, string parameterName, string whatToDo)
        {
            if (document == null) throw new ArgumentNullException(nameof(document));
            var size = document.CompactLength;
            if (size > limit)
                throw new S3CredentialsException("PolicyTooLarge", FailureKind.LimitsExceeded,
                    $"The policy built from -{parameterName} is {Format(size)} characters without whitespace; AWS allows at most {Format(limit)}. {whatToDo}",
                    parameterName);
        }

        /// <summary>
        /// Throws when several policies together pass <paramref name="limit"/>: IAM limits the sum of all of a user's
        /// inline policies (2,048) and of a role's (10,240), not each one.
        /// </summary>
        /// <param name="alreadyUsed">Characters taken by inline policies the principal keeps (for an existing user).</param>
        /// <exception cref="S3CredentialsException">InlinePoliciesTooLarge, kind LimitsExceeded.</exception>
        public static void EnsureFitTogether(IEnumerable<PolicyDocument> documents, int limit, string parameterName, string whatToDo, int alreadyUsed = 0)
        {
            var list = (documents ?? throw new ArgumentNullException(nameof(documents))).ToList();
            var total = alreadyUsed + TotalCompactLength(list);
            if (total <= limit)
                return;
            var kept = alreadyUsed > 0 ? $" (including {Format(alreadyUsed)} in inline policies already there)" : "";
            throw new S3CredentialsException("InlinePoliciesTooLarge", FailureKind.LimitsExceeded,
                $"The {list.Count} inline policies built from -{parameterName} total {Format(total)} characters without whitespace{kept}; "
                + $"AWS allows at most {Format(limit)} for all inline policies of one user or role together. {whatToDo}",
                parameterName);
        }

        /// <summary>The sum of the documents' sizes as IAM counts them.</summary>
        public static int TotalCompactLength(IEnumerable<PolicyDocument> documents)
            => (documents ?? throw new ArgumentNullException(nameof(documents))).Sum(d => d.CompactLength);

        private static string Format(int number) => number.ToString("N0", CultureInfo.InvariantCulture);
    }
}
