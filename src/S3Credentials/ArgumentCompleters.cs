using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using S3Credentials.Core.Completion;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Profiles;

namespace S3Credentials
{
    /// <summary>Base of the completers that ask AWS: the session is resolved from the parameters typed so far.</summary>
    public abstract class AwsNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            AwsSession session;
            try
            {
                session = SessionResolver.Resolve(S3CredentialsCmdlet.BuildSessionOptions(fakeBoundParameters));
            }
            catch (Exception)
            {
                return Enumerable.Empty<CompletionResult>();
            }
            return CompletionSource.Matching(Names(session), wordToComplete).Select(ToResult).ToList();
        }

        protected abstract IEnumerable<string> Names(AwsSession session);

        internal static CompletionResult ToResult(string name)
        {
            var text = name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ',', ';', '(', ')', '{', '}', '@', '#' }) >= 0 ? "'" + name.Replace("'", "''") + "'" : name;
            return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
        }
    }

    /// <summary>Completes -BucketName from ListBuckets (cached briefly).</summary>
    public sealed class BucketNameCompleter : AwsNameCompleter
    {
        protected override IEnumerable<string> Names(AwsSession session) => CompletionSource.BucketNames(session);
    }

    /// <summary>
    /// Completes -Key with the keys of the bucket already typed (-BucketName), level by level like paths: objects and
    /// folders directly under the folder typed so far (ListObjectsV2 with delimiter "/", cached briefly). Nothing, and no
    /// error, without a bucket or when the listing fails.
    /// </summary>
    public sealed class KeyCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var bucket = fakeBoundParameters != null && fakeBoundParameters.Contains("BucketName") ? fakeBoundParameters["BucketName"] as string : null;
            if (string.IsNullOrEmpty(bucket)) return Enumerable.Empty<CompletionResult>();
            try
            {
                var session = SessionResolver.Resolve(S3CredentialsCmdlet.BuildSessionOptions(fakeBoundParameters));
                return CompletionSource.KeyNames(session, bucket, wordToComplete).Select(AwsNameCompleter.ToResult).ToList();
            }
            catch (Exception)
            {
                return Enumerable.Empty<CompletionResult>(); // completion must never throw at the prompt
            }
        }
    }

    /// <summary>Completes -UserName from ListUsers (cached briefly).</summary>
    public sealed class UserNameCompleter : AwsNameCompleter
    {
        protected override IEnumerable<string> Names(AwsSession session) => CompletionSource.UserNames(session);
    }

    /// <summary>Completes -RoleName from ListRoles (cached briefly).</summary>
    public sealed class RoleNameCompleter : AwsNameCompleter
    {
        protected override IEnumerable<string> Names(AwsSession session) => CompletionSource.RoleNames(session);
    }

    /// <summary>Completes -ProfileName from the shared credentials and config files.</summary>
    public sealed class ProfileNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var location = fakeBoundParameters != null && fakeBoundParameters.Contains("ProfileLocation") ? Convert.ToString(fakeBoundParameters["ProfileLocation"]) : null;
            return CompletionSource.Matching(CompletionSource.ProfileNames(location), wordToComplete).Select(AwsNameCompleter.ToResult).ToList();
        }
    }

    /// <summary>
    /// Completes Unregister-S3CredentialProfile's -ProfileName with only the profiles Register-S3CredentialProfile wrote
    /// into the config file (-Path as typed so far, else AWS_CONFIG_FILE, else ~/.aws/config).
    /// </summary>
    public sealed class RegisteredProfileNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var path = fakeBoundParameters != null && fakeBoundParameters.Contains("Path") ? Convert.ToString(fakeBoundParameters["Path"]) : null;
            return CompletionSource.Matching(CredentialProcessProfile.RegisteredProfileNames(ResolvePath(path)), wordToComplete).Select(AwsNameCompleter.ToResult).ToList();
        }

        /// <summary>A relative -Path is relative to PowerShell's current folder, which is not the process's.</summary>
        private static string ResolvePath(string path)
        {
            if (string.IsNullOrEmpty(path) || System.IO.Path.IsPathRooted(path)) return path;
            try
            {
                var location = System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath;
                return location == null ? path : System.IO.Path.Combine(location, path);
            }
            catch (Exception)
            {
                return path; // completion must never throw at the prompt
            }
        }
    }

    /// <summary>Completes -Region and -BucketRegion from the SDK's region list.</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
            => CompletionSource.Matching(CompletionSource.RegionNames(), wordToComplete).Select(AwsNameCompleter.ToResult).ToList();
    }

    /// <summary>
    /// Completes the duration parameters with the values worth offering for each (-Expires up to 7d; -Duration and
    /// -SessionDuration 15m to 12h, to 36h with -Method FederationToken), shortest first.
    /// </summary>
    public sealed class DurationCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var method = fakeBoundParameters != null && fakeBoundParameters.Contains("Method") ? Convert.ToString(fakeBoundParameters["Method"]) : null;
            var federationToken = string.Equals(method, "FederationToken", StringComparison.OrdinalIgnoreCase);
            return CompletionSource.StartingWith(CompletionSource.Durations(parameterName, federationToken), wordToComplete)
                .Select(d => new CompletionResult(d, d, CompletionResultType.ParameterValue, S3Credentials.Core.Operations.DurationParser.Parse(d, parameterName).ToString()))
                .ToList();
        }
    }
}
