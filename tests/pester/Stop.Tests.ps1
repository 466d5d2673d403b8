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
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
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

    # Runs $Command (by default New-S3Credential for user 'stopped'; it gets the common parameters as $parameters) in
    # a runspace of its own (on $RunspaceHost when given) with IAM behind $Proxy, and stops it once the proxy holds
    # the chosen request.
    function Invoke-StoppedCommand($Proxy, $RunspaceHost, [scriptblock] $Command = { New-S3Credential -BucketName 'stop-me' -UserName 'stopped' -NoWait @parameters }) {
        $parameters = $Aws.Clone()
        $parameters.IamEndpointUrl = $Proxy.Url
        $run = [powershell]::Create()
        if ($RunspaceHost) {
            $run.Runspace = [runspacefactory]::CreateRunspace($RunspaceHost)
            $run.Runspace.Open()
        }
        try {
            $null = $run.AddScript({
                param($manifest, $parameters, $command)
                Import-Module $manifest -ErrorAction Stop
                . ([scriptblock]::Create($command))
            }).AddArgument($Manifest).AddArgument($parameters).AddArgument($Command.ToString())
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
