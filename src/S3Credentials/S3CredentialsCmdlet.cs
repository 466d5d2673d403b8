using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Operations;

namespace S3Credentials
{
    /// <summary>
    /// The base of every cmdlet that talks to AWS: declares the common credential, region and endpoint
    /// parameters once and resolves them through the core library's one <see cref="SessionResolver"/>. The aliases are
    /// AWS.Tools' names for the same parameters (SecretAccessKey, StoredCredentials, AWSProfileName, ProfilesLocation,
    /// AWSProfilesLocation), so its command lines work here; its -AccessKey and -SessionToken have the same names already.
    /// </summary>
    public abstract class S3CredentialsCmdlet : PSCmdlet
    {

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private AwsSession _session;

        /// <summary>AWS access key id. Takes precedence over every other source of credentials.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [Alias("AK")]
        public string AccessKey { get; set; }

        /// <summary>AWS secret access key, with -AccessKey.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [Alias("SK", "SecretAccessKey")]
        public string SecretKey { get; set; }

        /// <summary>Session token of temporary credentials, with -AccessKey and -SecretKey.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [Alias("ST")]
        public string SessionToken { get; set; }

        /// <summary>
        /// An object or hashtable with AccessKeyId, SecretAccessKey and SessionToken properties (such as New-S3Credential's
        /// output), an AWSCredentials object (AWS.Tools' Get-AWSCredential), or a PSCredential (user name = access key id).
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public PSObject Credential { get; set; }

        /// <summary>An s3-credentials auth file: JSON with AccessKeyId/SecretAccessKey/SessionToken, or INI.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuthFile { get; set; }

        /// <summary>A profile in the shared credentials or config file (keys, role, SSO or credential_process).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [Alias("Profile", "StoredCredentials", "AWSProfileName")]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; }

        /// <summary>The shared credentials file to read profiles from, instead of ~/.aws/credentials.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [Alias("ProfilesLocation", "AWSProfilesLocation")]
        public string ProfileLocation { get; set; }

        /// <summary>The AWS region, such as us-east-1. Also decides the partition of every ARN written.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string Region { get; set; }

        /// <summary>The S3 endpoint, for an S3-compatible store or an emulator.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string EndpointUrl { get; set; }

        /// <summary>The IAM endpoint, when it is not AWS's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string IamEndpointUrl { get; set; }

        /// <summary>The STS endpoint, when it is not AWS's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string StsEndpointUrl { get; set; }

        /// <summary>Cancelled when the user presses Ctrl+C.</summary>
        protected CancellationToken StopToken => _stopping.Token;

        /// <summary>The resolved session; resolving it checks all common parameters and throws a terminating error on bad input.</summary>
        protected AwsSession Session
        {
            get
            {
                if (_session == null)
                {
                    try
                    {
                        _session = SessionResolver.Resolve(BuildSessionOptions());
                    }
                    catch (Exception e)
                    {
                        ThrowTerminatingError(ErrorRecords.From(e, null));
                    }
                    WriteVerbose($"Using credentials from the {_session.DescribeCredentialSource()}, region {_session.Region} ({_session.RegionSource}), partition {_session.Partition.Name}.");
                }
                return _session;
            }
        }

        /// <summary>Forgets the resolved session, for cmdlets whose credentials change per pipeline input.</summary>
        protected void ResetSession() => _session = null;

        internal SessionOptions BuildSessionOptions()
            => BuildSessionOptions(name => typeof(S3CredentialsCmdlet).GetProperty(name).GetValue(this), name => SessionState?.PSVariable.GetValue(name), SessionState?.Path);

        /// <summary>
        /// The one function that turns the common parameters into <see cref="SessionOptions"/>: for a running cmdlet (its
        /// properties), for the completers (the parameters typed so far) and for Get-S3CredentialPolicy's offline region.
        /// Reads the edge of the process once: the environment variables, and AWS.Tools' shell defaults from the variables.
        /// </summary>
        /// <param name="parameter">The value of a common parameter by its name; null when not given.</param>
        /// <param name="variable">The value of a session variable by its name; null when absent.</param>
        internal static SessionOptions BuildSessionOptions(Func<string, object> parameter, Func<string, object> variable, PathIntrinsics paths)
        {
            string Text(string name) => parameter(name) is object value ? Convert.ToString(value is PSObject wrapped ? wrapped.BaseObject : value, System.Globalization.CultureInfo.InvariantCulture) : null;
            string FullPath(string name) => Text(name) is string path ? Safely(() => paths?.GetUnresolvedProviderPathFromPSPath(path)) ?? path : null;
            var credential = parameter(nameof(Credential));
            return new SessionOptions
            {
                AccessKey = Text(nameof(AccessKey)),
                SecretKey = Text(nameof(SecretKey)),
                SessionToken = Text(nameof(SessionToken)),
                Credential = credential == null ? null : ReadCredentialObject(PSObject.AsPSObject(credential)),
                AuthFile = FullPath(nameof(AuthFile)),
                ProfileName = Text(nameof(ProfileName)),
                ProfileLocation = FullPath(nameof(ProfileLocation)),
                Region = Text(nameof(Region)),
                ShellDefaultCredentials = ShellDefaults.ReadCredentials(ShellVariable(variable, "StoredAWSCredentials")),
                ShellDefaultRegion = ShellDefaults.ReadRegion(ShellVariable(variable, "StoredAWSRegion")),
                EndpointUrl = Text(nameof(EndpointUrl)),
                IamEndpointUrl = Text(nameof(IamEndpointUrl)),
                StsEndpointUrl = Text(nameof(StsEndpointUrl)),
                Environment = EnvironmentVariables.FromProcess(),
                State = ModuleState.Current,
            };
        }

        /// <summary>
        /// The options of the parameters in a dictionary (a completer's fakeBoundParameters). The runspace is busy running
        /// TabExpansion2 (its SessionStateProxy refuses), so variables are read by a script block on this thread, and
        /// paths are taken as typed.
        /// </summary>
        internal static SessionOptions BuildSessionOptions(System.Collections.IDictionary parameters)
            => BuildSessionOptions(name => parameters != null && parameters.Contains(name) ? parameters[name] : null,
                name => ScriptBlock.Create("Get-Variable -Name '" + name + "' -ValueOnly -ErrorAction Ignore").Invoke().FirstOrDefault(), null);

        /// <summary>A variable of the session (such as AWS.Tools' defaults), unwrapped; null when absent.</summary>
        private static object ShellVariable(Func<string, object> variable, string name)
        {
            var value = Safely(() => variable(name));
            return value is PSObject wrapped ? wrapped.BaseObject : value;
        }

        /// <summary>
        /// A read of the session that a completer's runspace may refuse while TabExpansion2 runs in it: then nothing
        /// (no shell default, the path as typed), as before completers read the session at all.
        /// </summary>
        private static T Safely<T>(Func<T> read) where T : class
        {
            try
            {
                return read();
            }
            catch (Exception e) when (e is RuntimeException || e is InvalidOperationException || e is NotSupportedException)
            {
                return null;
            }
        }

        /// <summary>
        /// True when the object is credentials in one of the forms -Credential reads (see <see cref="ReadCredentialObject"/>):
        /// an AccessKeyId property or key, a PSCredential, or an SDK credentials object (a public GetCredentials()). The
        /// keys are not read.
        /// </summary>
        internal static bool IsCredentialObject(PSObject value)
        {
            if (value?.BaseObject == null) return false;
            return !string.IsNullOrEmpty(PSObjectValues.Get(value, "AccessKeyId")?.ToString()) || value.BaseObject is PSCredential
                || ShellDefaults.IsSdkCredentials(value.BaseObject);
        }

        /// <summary>
        /// Reads -Credential: AccessKeyId, SecretAccessKey, SessionToken and (when it is a date) Expiration from any object
        /// or hashtable; else an AWSCredentials object of any AWSSDK.Core copy (AWS.Tools' Get-AWSCredential), read by
        /// reflection as $StoredAWSCredentials is; else a PSCredential (user name = access key id, password = secret key).
        /// </summary>
        internal static CredentialValues ReadCredentialObject(PSObject value)
        {
            string Text(string name) => PSObjectValues.Get(value, name)?.ToString();
            var values = new CredentialValues(Text("AccessKeyId"), Text("SecretAccessKey"), Text("SessionToken"), CredentialValues.ParseExpiration(PSObjectValues.Get(value, "Expiration")));
            if (!string.IsNullOrEmpty(values.AccessKeyId))
                return values;
            if (value.BaseObject is PSCredential credential)
            {
                // Windows PowerShell's Get-Credential dialog may put a backslash (an empty domain) before the user name.
                return new CredentialValues(credential.UserName?.TrimStart('\\'), credential.GetNetworkCredential().Password);
            }
            var sdk = ShellDefaults.ReadSdkCredentials(value.BaseObject, nameof(Credential));
            return sdk == null ? values : new CredentialValues(sdk.AccessKeyId, sdk.SecretAccessKey, sdk.SessionToken, values.Expiration);
        }

        /// <summary>
        /// Runs a core operation that narrates, confirms and may be cancelled: its verbose and warning messages and
        /// ShouldProcess questions are served on the pipeline thread. Failures become terminating errors.
        /// </summary>
        protected T RunOperation<T>(Func<IOperationHost, CancellationToken, Task<T>> work, object target = null, bool skipConfirmation = false)
        {
            return RunOperation(new PipelineOperationHost(this, IsWhatIf, skipConfirmation), h => work(h, StopToken), target);
        }

        private T RunOperation<T>(PipelineOperationHost host, Func<IOperationHost, Task<T>> work, object target)
        {
            try
            {
                return host.Run(work, StopToken);
            }
            catch (Exception e) when (!(e is PipelineStoppedException) && !host.IsOutputFailure(e))
            {
                ThrowTerminatingError(ErrorRecords.From(e, target));
                throw; // not reached
            }
        }

        /// <summary>
        /// Runs an operation that hands on its results as they are ready (its third argument) and writes each as it comes:
        /// the value (enumerated with <paramref name="enumerateValues"/>), or its error as a non-terminating error record.
        /// When the pipeline wants no more (Select-Object -First has what it wants), a read is cancelled and sends no
        /// further request; an operation that changes state (<paramref name="finishInFlight"/>) starts no new item and
        /// finishes the items in flight, whole, on <see cref="StopToken"/>, which only Ctrl+C cancels
        /// (<see cref="IOperationHost.OutputStopped"/>). Their failures then come as warnings, as nothing more is written.
        /// </summary>
        /// <param name="target">What a failure of the whole operation is reported against.</param>
        /// <param name="skipConfirmation">The caller has asked already (-Force, or one question for many items).</param>
        /// <param name="writeValues">False: only the errors (a cmdlet whose output needs -PassThru).</param>
        /// <param name="finishInFlight">The operation changes state: a downstream stop is not a Ctrl+C.</param>
        protected void StreamItemResults<TInput, TOutput>(Func<IOperationHost, Action<ItemResult<TInput, TOutput>>, CancellationToken, Task> read, bool enumerateValues = false,
            object target = null, bool skipConfirmation = false, bool writeValues = true, bool finishInFlight = false)
        {
            using (var outputStopped = CancellationTokenSource.CreateLinkedTokenSource(StopToken))
            {
                var host = new PipelineOperationHost(this, IsWhatIf, skipConfirmation, cancelOnStop: finishInFlight ? null : outputStopped);
                var token = finishInFlight ? StopToken : outputStopped.Token;
                RunOperation(host, h => read(h, result => host.Output(() => WriteItemResult(result, enumerateValues, writeValues), result.Error == null ? null : (Func<string>)(() => NotWritten(result))),
                    token).ContinueWith(done => { done.GetAwaiter().GetResult(); return true; }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default), target);
            }
        }

        /// <summary>The warning that stands for an item's error when the pipeline takes no more output.</summary>
        private static string NotWritten<TInput, TOutput>(ItemResult<TInput, TOutput> result)
        {
            var record = ErrorRecords.From(result.Error, result.Input);
            return $"{record.Exception.Message} (The pipeline took no more output, so this error is shown as a warning.)";
        }

        private void WriteItemResult<TInput, TOutput>(ItemResult<TInput, TOutput> result, bool enumerateValues, bool writeValues = true)
        {
            if (result.Error != null)
                WriteError(ErrorRecords.From(result.Error, result.Input));
            else if (writeValues && result.Value != null)
                WriteObject(result.Value, enumerateValues);
        }

        /// <summary>Writes each item's value, or its error as a non-terminating error record, in input order.</summary>
        /// <param name="writeValues">False: only the errors (a cmdlet whose output needs -PassThru).</param>
        protected void WriteItemResults<TInput, TOutput>(System.Collections.Generic.IEnumerable<ItemResult<TInput, TOutput>> results, bool enumerateValues = false, bool writeValues = true)
        {
            foreach (var result in results)
                WriteItemResult(result, enumerateValues, writeValues);
        }

        /// <summary>True when -WhatIf was given (or $WhatIfPreference is set).</summary>
        protected bool IsWhatIf => Confirmation.IsWhatIf(this);

        protected override void StopProcessing() => _stopping.Cancel();
    }
}
