#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Ctrl+C during a change (issue 18): New-S3Credential or Update-S3Credential is run in a runspace of its own and stopped with .Stop() while
# one IAM request is in flight. The moment is made deterministic by a proxy in front of moto's IAM that passes the
# chosen request on to moto (so the change is made) and then holds its answer back, and says so through an event.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
    $script:Manifest = Join-Path (Get-RepoRoot) 'out/S3Credentials/S3Credentials.psd1'

    # Forwards every request to $Target; the first one whose form has Action=$HoldAction is forwarded, then its answer
    # is never given (the client gives up when it is stopped) and $Held is set. Requests with Action=$RefuseAction are
    # not forwarded but refused with IAM's DeleteConflict (so an undo fails).
    function Start-HoldingProxy([string] $Target, [string] $HoldAction, [string] $RefuseAction = '-') {
        $port = Get-FreePort
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $held = [System.Threading.ManualResetEventSlim]::new($false)
        $server = [powershell]::Create()
        $null = $server.AddScript({
            param($listener, $target, $holdAction, $held, $refuseAction)
            $client = [System.Net.Http.HttpClient]::new()
            $kept = [System.Collections.Generic.List[object]]::new()
            while ($listener.IsListening) {
                try { $context = $listener.GetContext() } catch { break }
                try {
                    $reader = [System.IO.StreamReader]::new($context.Request.InputStream)
                    $body = $reader.ReadToEnd()
                    if ($body -match "(^|&)Action=$refuseAction(&|$)") {
                        $bytes = [System.Text.Encoding]::UTF8.GetBytes('<ErrorResponse><Error><Type>Sender</Type><Code>DeleteConflict</Code><Message>Refused by the test.</Message></Error><RequestId>pester</RequestId></ErrorResponse>')
                        $context.Response.StatusCode = 409
                        $context.Response.ContentType = 'text/xml'
                        $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                        $context.Response.Close()
                        continue
                    }
                    $forward = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($context.Request.HttpMethod), "$target$($context.Request.RawUrl)")
                    if ($body) {
                        $forward.Content = [System.Net.Http.StringContent]::new($body, [System.Text.Encoding]::UTF8)
                        $forward.Content.Headers.ContentType = [System.Net.Http.Headers.MediaTypeHeaderValue]::Parse($context.Request.ContentType)
                    }
                    foreach ($name in 'Authorization', 'X-Amz-Date', 'X-Amz-Security-Token') {
                        if ($context.Request.Headers[$name]) { $null = $forward.Headers.TryAddWithoutValidation($name, $context.Request.Headers[$name]) }
                    }
                    $answer = $client.SendAsync($forward).GetAwaiter().GetResult()
                    if (-not $held.IsSet -and $body -match "(^|&)Action=$holdAction(&|$)") {
                        $kept.Add($context)
                        $held.Set()
                        continue
                    }
                    $bytes = $answer.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()
                    $context.Response.StatusCode = [int]$answer.StatusCode
                    if ($answer.Content.Headers.ContentType) { $context.Response.ContentType = $answer.Content.Headers.ContentType.ToString() }
                    $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                    $context.Response.Close()
                } catch {
                    try { $context.Response.Abort() } catch { }
                }
            }
            foreach ($context in $kept) { try { $context.Response.Abort() } catch { } }
        }).AddArgument($listener).AddArgument($Target).AddArgument($HoldAction).AddArgument($held).AddArgument($RefuseAction)
        $null = $server.BeginInvoke()
        [pscustomobject]@{ Url = "http://127.0.0.1:$port"; Listener = $listener; Server = $server; Held = $held }
    }

    # A host that records the warnings written to its UI: what a stopped pipeline can no longer take goes there.
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

public sealed class StopTestsHost : PSHost
{
    private readonly StopTestsHostUI _ui = new StopTestsHostUI();
    private readonly Guid _id = Guid.NewGuid();
    public ConcurrentQueue<string> Warnings => _ui.Warnings;
    public override string Name => "StopTestsHost";
    public override Version Version => new Version(1, 0);
    public override Guid InstanceId => _id;
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}

public sealed class StopTestsHostUI : PSHostUserInterface
{
    public ConcurrentQueue<string> Warnings { get; } = new ConcurrentQueue<string>();
    public override PSHostRawUserInterface RawUI => null;
    public override string ReadLine() => throw new NotSupportedException();
    public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
    public override void Write(string value) { }
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
    public override void WriteLine(string value) { }
    public override void WriteErrorLine(string value) { }
    public override void WriteDebugLine(string message) { }
    public override void WriteProgress(long sourceId, ProgressRecord record) { }
    public override void WriteVerboseLine(string message) { }
    public override void WriteWarningLine(string message) => Warnings.Enqueue(message);
    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw new NotSupportedException();
}
'@

    # A PowerShell that imports the module and runs $Command, given the common parameters as $parameters; in a runspace
    # on $RunspaceHost when given.
    function New-CommandRun([scriptblock] $Command, [hashtable] $Parameters, $RunspaceHost) {
        $run = [powershell]::Create()
        if ($RunspaceHost) {
            $run.Runspace = [runspacefactory]::CreateRunspace($RunspaceHost)
            $run.Runspace.Open()
        }
        $null = $run.AddScript({
            param($manifest, $parameters, $command)
            Import-Module $manifest -ErrorAction Stop
            . ([scriptblock]::Create($command))
        }).AddArgument($Manifest).AddArgument($Parameters).AddArgument($Command.ToString())
        $run
    }

    # Runs $Command (by default New-S3Credential for user 'stopped'; it gets the common parameters as $parameters) in
    # a runspace of its own (on $RunspaceHost when given) with IAM behind $Proxy, and stops it once the proxy holds
    # the chosen request.
    function Invoke-StoppedCommand($Proxy, $RunspaceHost, [scriptblock] $Command = { New-S3Credential -BucketName 'stop-me' -UserName 'stopped' -NoWait @parameters }) {
        $parameters = $Aws.Clone()
        $parameters.IamEndpointUrl = $Proxy.Url
        $run = New-CommandRun $Command $parameters $RunspaceHost
        try {
            $pending = $run.BeginInvoke()

            $Proxy.Held.Wait([TimeSpan]::FromSeconds(60)) | Should -BeTrue -Because 'the request reached moto through the proxy'
            $run.Stop()

            { $run.EndInvoke($pending) } | Should -Throw
            $run.InvocationStateInfo.State | Should -Be 'Stopped'
        } finally {
            if ($RunspaceHost) { $run.Runspace.Dispose() }
            $run.Dispose()
        }
    }

    # An HTTP proxy in front of moto that answers every request as moto does, those whose form matches $DelayPattern
    # $Delay later, and refuses those that match $RefusePattern with IAM's DeleteConflict; requests are served
    # concurrently, so the others are not held up.
    Add-Type -TypeDefinition @'
using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

public sealed class DelayingProxy : IDisposable
{
    private readonly HttpListener _listener = new HttpListener();
    private readonly HttpClient _client = new HttpClient();
    private readonly string _target;
    private readonly Regex _delayed;
    private readonly TimeSpan _delay;

    private readonly Regex _refused;

    public DelayingProxy(int port, string target, string delayPattern, TimeSpan delay, string refusePattern = "^$")
    {
        _target = target; _delayed = new Regex(delayPattern); _delay = delay; _refused = new Regex(refusePattern);
        Url = "http://127.0.0.1:" + port;
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        Task.Run(Serve);
    }

    public string Url { get; }
    public int DelayedCount;

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); } catch { return; }
            _ = Task.Run(() => Forward(context));
        }
    }

    private async Task Forward(HttpListenerContext context)
    {
        try
        {
            var body = await new StreamReader(context.Request.InputStream).ReadToEndAsync();
            var forward = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), _target + context.Request.RawUrl);
            if (body.Length > 0)
            {
                forward.Content = new StringContent(body, System.Text.Encoding.UTF8);
                forward.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(context.Request.ContentType);
            }
            foreach (var name in new[] { "Authorization", "X-Amz-Date", "X-Amz-Security-Token" })
                if (context.Request.Headers[name] != null) forward.Headers.TryAddWithoutValidation(name, context.Request.Headers[name]);
            if (_delayed.IsMatch(body))
            {
                System.Threading.Interlocked.Increment(ref DelayedCount);
                await Task.Delay(_delay);
            }
            if (_refused.IsMatch(body))
            {
                var refusal = System.Text.Encoding.UTF8.GetBytes("<ErrorResponse><Error><Type>Sender</Type><Code>DeleteConflict</Code><Message>Refused by the test.</Message></Error><RequestId>pester</RequestId></ErrorResponse>");
                context.Response.StatusCode = 409;
                context.Response.ContentType = "text/xml";
                await context.Response.OutputStream.WriteAsync(refusal, 0, refusal.Length);
                context.Response.Close();
                return;
            }
            var answer = await _client.SendAsync(forward);
            var bytes = await answer.Content.ReadAsByteArrayAsync();
            context.Response.StatusCode = (int)answer.StatusCode;
            if (answer.Content.Headers.ContentType != null) context.Response.ContentType = answer.Content.Headers.ContentType.ToString();
            await context.Response.OutputStream.WriteAsync(bytes, 0, bytes.Length);
            context.Response.Close();
        }
        catch
        {
            try { context.Response.Abort(); } catch { }
        }
    }

    public void Dispose() { _listener.Stop(); _client.Dispose(); }
}
'@

    # Users ds-01.. each with two access keys, $InlinePolicies inline policies (ds-01 and ds-02 one), one attached managed
    # policy and one group: made by boto3 in one process.
    function New-TestUsers([int] $Count, [int] $InlinePolicies = 3) {
        $python = Find-MotoPython
        & $python -c @"
import boto3
iam = boto3.client('iam', endpoint_url='$($Moto.Endpoint)', region_name='us-east-1', aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='x')
document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'
arn = iam.create_policy(PolicyName='ds-managed', PolicyDocument=document)['Policy']['Arn']
iam.create_group(GroupName='ds-group')
for i in range(1, $Count + 1):
    name = 'ds-%02d' % i
    iam.create_user(UserName=name)
    for k in range(2):
        iam.create_access_key(UserName=name)
    for p in range(1 if i <= 2 else $InlinePolicies):
        iam.put_user_policy(UserName=name, PolicyName='inline-%d' % p, PolicyDocument=document)
    iam.attach_user_policy(UserName=name, PolicyArn=arn)
    iam.add_user_to_group(GroupName='ds-group', UserName=name)
"@
        if ($LASTEXITCODE -ne 0) { throw 'Could not make the test users.' }
        1..$Count | ForEach-Object { 'ds-{0:00}' -f $_ }
    }

    # What is left of each user: 'gone', 'intact' (everything the setup made), or 'partly removed'.
    function Get-UserState([string[]] $Names, [int] $InlinePolicies = 3) {
        $present = @{}
        foreach ($user in Get-S3User 'ds-*' -IncludeAccessKeyCount @Aws) { $present[$user.UserName] = $user }
        $policies = @(Get-S3UserPolicy 'ds-*' @Aws)
        foreach ($name in $Names) {
            $state = if (-not $present.ContainsKey($name)) { 'gone' }
            elseif ($present[$name].AccessKeyCount -eq 2 -and @($policies | Where-Object UserName -EQ $name).Count -eq $(if ($name -in 'ds-01', 'ds-02') { 2 } else { $InlinePolicies + 1 })) { 'intact' }
            else { 'partly removed' }
            [pscustomobject]@{ UserName = $name; State = $state }
        }
    }

    # Runs $Command (given the common parameters as $parameters) in a runspace of its own on a StopTestsHost: its
    # output, errors and warnings as text, and the warnings given to the host (after the pipeline stopped) on their own.
    function Invoke-RecordedCommand([scriptblock] $Command, [hashtable] $Parameters = $Aws) {
        $runspaceHost = [StopTestsHost]::new()
        $run = New-CommandRun $Command $Parameters $runspaceHost
        try {
            $output = @($run.Invoke() | ForEach-Object { "$_" })
            [pscustomobject]@{
                Output   = $output
                Errors   = @($run.Streams.Error | ForEach-Object { "$_" })
                # A warning given to the host goes to the warning stream too (PowerShell's InternalHostUserInterface).
                Warnings = @($run.Streams.Warning | ForEach-Object { "$_" })
                HostWarnings = @($runspaceHost.Warnings)
            }
        } finally {
            $run.Runspace.Dispose()
            $run.Dispose()
        }
    }

    function Stop-HoldingProxy($Proxy) {
        $Proxy.Listener.Stop()
        $Proxy.Server.Dispose()
    }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'Ctrl+C during New-S3Credential' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'stopped while <HoldAction> is in flight, the command leaves nothing behind' -ForEach @(
        @{ HoldAction = 'CreateUser' }
        @{ HoldAction = 'PutUserPolicy' }
        @{ HoldAction = 'CreateAccessKey' }
    ) {
        New-S3Credential -BucketName 'stop-me' -CreateBucket -UserName 'setup' -NoWait @Aws | Out-Null
        $proxy = Start-HoldingProxy -Target $Moto.Endpoint -HoldAction $HoldAction
        try {
            Invoke-StoppedCommand $proxy
        } finally {
            Stop-HoldingProxy $proxy
        }

        # The user, its policy and any key the held call made are gone: nothing is left half-made.
        @(Get-S3User @Aws | Where-Object UserName -EQ 'stopped') | Should -HaveCount 0
        (Get-S3User @Aws).UserName | Should -Be @('setup')
    }

    It 'what the undo after the stop could not remove is named in a warning on the host' {
        New-S3Credential -BucketName 'stop-me' -CreateBucket -UserName 'setup' -NoWait @Aws | Out-Null
        $proxy = Start-HoldingProxy -Target $Moto.Endpoint -HoldAction 'CreateUser' -RefuseAction 'DeleteUser'
        $runspaceHost = [StopTestsHost]::new()
        try {
            Invoke-StoppedCommand $proxy $runspaceHost
        } finally {
            Stop-HoldingProxy $proxy
        }

        (Get-S3User @Aws).UserName | Should -Be @('setup', 'stopped')
        @($runspaceHost.Warnings) | Should -HaveCount 1
        @($runspaceHost.Warnings)[0] | Should -BeLike "Could not roll back user 'stopped':*Remove it by hand."
    }
}

Describe 'Ctrl+C during Update-S3Credential' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'stopped while <HoldAction> is in flight, the old key alone is left, active' -ForEach @(
        @{ HoldAction = 'CreateAccessKey' }
        @{ HoldAction = 'UpdateAccessKey' }
    ) {
        $old = New-S3Credential -BucketName 'stop-me' -CreateBucket -UserName 'rotated' -NoWait @Aws
        $proxy = Start-HoldingProxy -Target $Moto.Endpoint -HoldAction $HoldAction
        try {
            Invoke-StoppedCommand $proxy -Command { Update-S3Credential -UserName 'rotated' -NoWait -Confirm:$false @parameters }
        } finally {
            Stop-HoldingProxy $proxy
        }

        # One key, the old one (-AccessKeyId finds it), and active (without -AccessKeyId the rotation needs an active key).
        (Get-S3User 'rotated' -IncludeAccessKeyCount @Aws).AccessKeyCount | Should -Be 1
        { Update-S3Credential 'rotated' -AccessKeyId $old.AccessKeyId -WhatIf -ErrorAction Stop @Aws } | Should -Not -Throw
        { Update-S3Credential 'rotated' -WhatIf -ErrorAction Stop @Aws } | Should -Not -Throw
    }

    It 'stopped while the old key''s DeleteAccessKey is in flight and carried out, the rotation is complete: the new key alone is left, active, named in a warning' {
        $old = New-S3Credential -BucketName 'stop-me' -CreateBucket -UserName 'rotated' -NoWait @Aws
        $proxy = Start-HoldingProxy -Target $Moto.Endpoint -HoldAction 'DeleteAccessKey'
        $runspaceHost = [StopTestsHost]::new()
        try {
            Invoke-StoppedCommand $proxy $runspaceHost -Command { Update-S3Credential -UserName 'rotated' -NoWait -Confirm:$false @parameters }
        } finally {
            Stop-HoldingProxy $proxy
        }

        # It used to delete the new key too, leaving the user with none.
        $keys = @(Get-S3AccessKey -UserName 'rotated' @Aws)
        $keys | Should -HaveCount 1
        $keys[0].AccessKeyId | Should -Not -Be $old.AccessKeyId
        $keys[0].Status | Should -Be 'Active'
        @($runspaceHost.Warnings) | Should -HaveCount 1
        @($runspaceHost.Warnings)[0] | Should -BeLike "*$($old.AccessKeyId)*the rotation is complete*$($keys[0].AccessKeyId)*"
    }
}

Describe 'Ctrl+C during Remove-S3User -PassThru | Select-Object -First 2' {
    BeforeEach { Reset-TestMoto $Moto }

    # A downstream stop finishes the users in flight (DownstreamStop.Tests.ps1); Ctrl+C does not wait for them.
    It 'stopped while a DeleteAccessKey is in flight, the user is left partly removed and named in a warning on the host' {
        New-S3Credential -BucketName 'stop-me' -CreateBucket -UserName 'removed' -NoWait @Aws | Out-Null
        $proxy = Start-HoldingProxy -Target $Moto.Endpoint -HoldAction 'DeleteAccessKey'
        $runspaceHost = [StopTestsHost]::new()
        try {
            Invoke-StoppedCommand $proxy $runspaceHost -Command { Remove-S3User 'removed' -Force -PassThru @parameters | Select-Object -First 2 }
        } finally {
            Stop-HoldingProxy $proxy
        }

        (Get-S3User @Aws).UserName | Should -Be @('removed')
        @($runspaceHost.Warnings) | Should -HaveCount 1
        @($runspaceHost.Warnings)[0] | Should -BeLike "Removing IAM user 'removed' was stopped part-way: the user is left, partly removed*Run Remove-S3User -UserName removed again to finish."
    }
}

# A downstream stop is not a Ctrl+C (issue 16). When Select-Object -First has what it wants, PowerShell stops the commands
# before it: it records its StopUpstreamCommandsException and throws PipelineStoppedException at their writes, without
# calling StopProcessing. A command that changes state then starts no new item and finishes the ones in flight, whole.
# Each command runs in a runspace of its own on StopTestsHost, so the warnings it gives the host after the stop are seen.

Describe 'Remove-S3User -PassThru | Select-Object -First 2' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'the third user''s policy removals still in flight when the first two are written: it is removed whole, not left partly removed' {
        # Every request may go at once (-ThrottleLimit 64), and the proxy answers ds-03's DeleteUserPolicy requests 1.5 s
        # late, so ds-01 and ds-02 are written, and Select-Object stops the pipeline, while they are in flight. A stop
        # like Ctrl+C's left ds-03 partly removed, with a warning; now the removal goes on to its end.
        $names = New-TestUsers 3 -InlinePolicies 10
        $proxy = [DelayingProxy]::new((Get-FreePort), $Moto.Endpoint, 'Action=DeleteUserPolicy.*UserName=ds-03|UserName=ds-03.*Action=DeleteUserPolicy', [TimeSpan]::FromSeconds(1.5))
        try {
            $viaProxy = $Aws.Clone(); $viaProxy.IamEndpointUrl = $proxy.Url
            $run = Invoke-RecordedCommand -Parameters $viaProxy { Remove-S3User ds-01, ds-02, ds-03 -Force -PassThru -ThrottleLimit 64 @parameters | Select-Object -First 2 | ForEach-Object UserName }
            $proxy.DelayedCount | Should -Be 10 -Because 'each of ds-03''s inline policies was removed through the proxy'
        } finally {
            $proxy.Dispose()
        }

        $run.Output | Should -Be @('ds-01', 'ds-02')
        $run.Warnings | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty
        (Get-UserState $names -InlinePolicies 10).State | Should -Be @('gone', 'gone', 'gone')
    }

    It 'a user in flight whose removal fails after the pipeline took its two objects: the error is not lost, it comes as a warning' {
        $names = New-TestUsers 3 -InlinePolicies 10
        $ds03 = 'UserName=ds-03.*Action={0}|Action={0}.*UserName=ds-03'
        $proxy = [DelayingProxy]::new((Get-FreePort), $Moto.Endpoint, ($ds03 -f 'DeleteUserPolicy'), [TimeSpan]::FromSeconds(1.5), ($ds03 -f 'DeleteUser(&|$)'))
        try {
            $viaProxy = $Aws.Clone(); $viaProxy.IamEndpointUrl = $proxy.Url
            $run = Invoke-RecordedCommand -Parameters $viaProxy { Remove-S3User ds-01, ds-02, ds-03 -Force -PassThru -ThrottleLimit 64 @parameters | Select-Object -First 2 | ForEach-Object UserName }
        } finally {
            $proxy.Dispose()
        }

        $run.Output | Should -Be @('ds-01', 'ds-02')
        $run.Errors | Should -BeNullOrEmpty
        $run.HostWarnings | Should -Be $run.Warnings -Because 'the pipeline took no more output: the warning went to the host'
        $run.Warnings | Should -HaveCount 1
        $run.Warnings[0] | Should -BeLike "IAM user 'ds-03' still has something attached that this command does not remove*Already removed: 2 key(s), 10 inline and 1 attached policies, 1 group(s)*(The pipeline took no more output, so this error is shown as a warning.)"
    }

    It 'an error delivered by -ErrorAction Stop comes once, as the error, with no warning repeating it' {
        $run = Invoke-RecordedCommand { try { Get-S3Role 'no-such-role' -ErrorAction Stop @parameters } catch { 'caught ' + $_.FullyQualifiedErrorId } }

        $run.Output | Should -Be @('caught RoleNotFound,S3Credentials.Commands.GetS3RoleCommand')
        $run.Warnings | Should -BeNullOrEmpty
        $run.HostWarnings | Should -BeNullOrEmpty
    }

    It 'six users, all in flight at once (the default -ThrottleLimit 8 starts 32 users ahead): all six are removed whole, two are written, no warning' {
        $names = New-TestUsers 6
        $run = Invoke-RecordedCommand { Remove-S3User ds-01, ds-02, ds-03, ds-04, ds-05, ds-06 -Force -PassThru @parameters | Select-Object -First 2 | ForEach-Object { $_.UserName, $_.AccessKeysDeleted, $_.InlinePoliciesDeleted, $_.PoliciesDetached, $_.GroupsLeft -join ' ' } }

        $run.Output | Should -Be @('ds-01 2 1 1 1', 'ds-02 2 1 1 1')
        $run.Warnings | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty
        (Get-UserState $names).State | Should -Be @('gone', 'gone', 'gone', 'gone', 'gone', 'gone')
    }

    It 'twelve users one request at a time: each user is removed whole or left untouched, the later ones were never started' {
        $names = New-TestUsers 12
        $run = Invoke-RecordedCommand { Remove-S3User (1..12 | ForEach-Object { 'ds-{0:00}' -f $_ }) -Force -PassThru -ThrottleLimit 1 @parameters | Select-Object -First 2 | ForEach-Object UserName }

        $run.Output | Should -Be @('ds-01', 'ds-02')
        $run.Warnings | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty
        $states = Get-UserState $names
        $states | Where-Object State -EQ 'partly removed' | Should -BeNullOrEmpty
        $states[0..1].State | Should -Be @('gone', 'gone')
        # -ThrottleLimit 1 starts at most four users ahead of the last one handed on: the twelfth was never reached.
        $states[-1].State | Should -Be 'intact'
        # In input order: the users removed first, then the untouched ones.
        $removed = @($states | Where-Object State -EQ 'gone').Count
        ($states | Select-Object -First $removed).State | Where-Object { $_ -ne 'gone' } | Should -BeNullOrEmpty
        Write-Host "    (of 12 users, $removed were removed, $(12 - $removed) left untouched)"
    }
}

Describe 'Write-S3Item | Select-Object -First 1' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'the uploads in flight when the pipeline has what it wants are finished, whole, and none is left half-made' {
        New-S3Credential -BucketName 'ds-uploads' -CreateBucket -UserName 'ds-uploader' -NoWait @Aws | Out-Null
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('ds-up-' + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory $folder
        try {
            $bytes = [byte[]]::new(2MB)
            1..8 | ForEach-Object { [System.IO.File]::WriteAllBytes((Join-Path $folder "f$_.bin"), $bytes) }
            $parameters = $Aws.Clone(); $parameters.Folder = $folder
            $run = Invoke-RecordedCommand -Parameters $parameters {
                $folder = $parameters.Folder; $parameters.Remove('Folder')
                Write-S3Item ds-uploads $folder -Recurse -ThrottleLimit 8 @parameters | Select-Object -First 1 | ForEach-Object Key
            }

            @($run.Output) | Should -HaveCount 1
            $run.Warnings | Should -BeNullOrEmpty
            $run.Errors | Should -BeNullOrEmpty
            # All eight were started at once (-ThrottleLimit 8), so all eight were finished: none cancelled part-way.
            $items = @(Get-S3Item ds-uploads @Aws)
            $items.Key | Sort-Object | Should -Be @(1..8 | ForEach-Object { "f$_.bin" })
            $items | Where-Object Size -NE 2MB | Should -BeNullOrEmpty
        } finally {
            Remove-Item -LiteralPath $folder -Recurse -Force
        }
    }
}
