using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using S3Credentials.Core.Models;
using S3Credentials.Core.Operations.NewCredential;
using S3Credentials.Core.Policies;

namespace S3Credentials
{
    /// <summary>
    /// Turns the policy-shaping parameters New-S3Credential and Get-S3CredentialPolicy share into a request:
    /// an -Access, -Duration or -Method that was not given stays null, -Policy read, -Statement made JSON.
    /// </summary>
    internal static class CredentialRequestBinding
    {
        public static NewCredentialRequest Build(PSCmdlet cmdlet, IReadOnlyList<string> buckets, AccessLevel access, string[] prefix,
            TimeSpan duration, TemporaryCredentialMethod method, string policy, object[] statement)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            return new NewCredentialRequest
            {
                BucketNames = buckets,
                Access = bound.ContainsKey("Access") ? access : (AccessLevel?)null,
                Prefixes = prefix ?? Array.Empty<string>(),
                Duration = bound.ContainsKey("Duration") ? duration : (TimeSpan?)null,
                Method = bound.ContainsKey("Method") ? method : (TemporaryCredentialMethod?)null,
                Policy = policy == null ? null : PolicyInput.ReadPolicy(policy, cmdlet.GetUnresolvedProviderPathFromPSPath),
                Statements = (statement ?? Array.Empty<object>()).Select(s => PolicyInput.StatementJson(Unwrap(s))).ToList(),
            };
        }

        /// <summary>PowerShell wraps values in PSObject; the core library wants plain ones, also inside hashtables and arrays.</summary>
        public static object Unwrap(object value)
        {
            if (value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject))
                value = wrapped.BaseObject;
            switch (value)
            {
                case IDictionary dictionary:
                    var copy = new System.Collections.Specialized.OrderedDictionary();
                    foreach (DictionaryEntry entry in dictionary)
                        copy[Unwrap(entry.Key)] = Unwrap(entry.Value);
                    return copy;
                case string _:
                    return value;
                case IEnumerable list:
                    return list.Cast<object>().Select(Unwrap).ToList();
                default:
                    return value;
            }
        }
    }
}
