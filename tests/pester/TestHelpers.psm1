# Shared by every Pester file: the module under test, and a moto_server on 127.0.0.1 and a free port.
Set-StrictMode -Version Latest

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:MotoPython = $null   # Find-MotoPython's answer, once found

function Get-RepoRoot { $script:RepoRoot }

function Import-S3CredentialsModule {
    $manifest = Join-Path $script:RepoRoot 'out/S3Credentials/S3Credentials.psd1'
    if (-not (Test-Path $manifest)) {
        throw "The module folder is missing: run 'dotnet build S3CredentialsPS.sln' (or ./build.ps1) first."
    }
    # -Global: imported from inside this helper module, it would otherwise land in the helper's own scope, where no
    # test file can see its cmdlets.
    Import-Module $manifest -Force -Global -ErrorAction Stop
}

# The NuGet packages folder (NUGET_PACKAGES, else what dotnet says, else ~/.nuget/packages).
function Get-NuGetPackagesFolder {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $listed = dotnet nuget locals global-packages --list 2>$null | Select-Object -First 1
    if ($? -and $listed -match 'global-packages:\s*(.+)$') { return $Matches[1].Trim() }
    Join-Path $HOME '.nuget/packages'
}

# A file of a package restored by tests/pester/tools/TestPackages.csproj (restored first when it is missing).
function Get-TestPackageFile([string] $Package, [string] $Version, [string] $RelativePath) {
    $file = Join-Path (Get-NuGetPackagesFolder) "$($Package.ToLowerInvariant())/$Version/$RelativePath"
    if (-not (Test-Path -LiteralPath $file)) {
        $project = Join-Path $PSScriptRoot 'tools/TestPackages.csproj'
        dotnet restore $project --verbosity quiet | Out-Host
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $file)) {
            throw "$Package $Version could not be restored from NuGet by $project (expected $file)."
        }
    }
    $file
}

# The Python that can import moto, as tests/moto/find-moto-python finds it (the one finder .ci/run and the xunit suite
# use too); found once per session.
function Find-MotoPython {
    if (-not $script:MotoPython) {
        $finder = Join-Path $script:RepoRoot 'tests/moto/find-moto-python'
        $found = & sh $finder 2>&1
        if ($LASTEXITCODE -ne 0) { throw "$found" }
        $script:MotoPython = "$found".Trim()
    }
    $script:MotoPython
}

# The command line that starts this PowerShell again, however it is installed: pwsh (or powershell.exe) itself, or,
# for PowerShell run as a .NET tool, the dotnet host with $PSHOME/pwsh.dll (the process path alone is dotnet).
function Get-PowerShellCommand {
    $process = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    @($process)
}

# Runs a script in a new PowerShell that cannot ask anything (-NonInteractive), with the built module imported, and
# returns its output as text (every stream, the host's "What if:" lines included) and its exit code. For what only a
# real host shows: confirmation prompts and -WhatIf messages.
function Invoke-NonInteractivePowerShell([Parameter(Mandatory)] [string] $Script) {
    Invoke-ChildPowerShell $Script
}

# The same in a PowerShell that can ask: its console host reads the answers to confirmation prompts (Y, N, A, L) from
# standard input, one line each, as a user types them. For what -Confirm does with the answers.
function Invoke-AnsweringPowerShell([Parameter(Mandatory)] [string] $Script, [Parameter(Mandatory)] [string[]] $Answers) {
    Invoke-ChildPowerShell $Script -Answers $Answers
}

function Invoke-ChildPowerShell([string] $Script, [string[]] $Answers) {
    $manifest = Join-Path $script:RepoRoot 'out/S3Credentials/S3Credentials.psd1'
    $full = "`$ErrorActionPreference = 'Stop'; Import-Module '$($manifest.Replace("'", "''"))'; $Script"
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($full))
    $command = @(Get-PowerShellCommand)
    $arguments = @($command | Select-Object -Skip 1) + @('-NoProfile') + @(if (-not $Answers) { '-NonInteractive' }) + @('-EncodedCommand', $encoded)
    $output = if ($Answers) { $Answers | & $command[0] @arguments 2>&1 } else { & $command[0] @arguments 2>&1 }
    [pscustomobject]@{ Output = @($output | ForEach-Object { "$_" }); ExitCode = $LASTEXITCODE }
}

# A hashtable as PowerShell source (@{ Name = 'value'; ... }), to splat the same parameters in a child session.
function ConvertTo-HashtableLiteral([Parameter(Mandatory)] [hashtable] $Table) {
    '@{ ' + (($Table.GetEnumerator() | ForEach-Object { "$($_.Key) = '$(([string]$_.Value).Replace("'", "''"))'" }) -join '; ') + ' }'
}

# Runs $Script in a new PowerShell process (this PowerShell, however installed, unless -Executable), for what must
# not happen in the test run's own process (another AWSSDK.Core loaded, assemblies load once per process); the object
# the script outputs last comes back through a JSON file (stdout also carries warnings and progress).
function Invoke-FreshSession([string] $Script, [string[]] $Executable = (Get-PowerShellCommand), [hashtable] $Environment = @{}) {
    $saved = @{}
    foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
    $resultFile = Join-Path ([System.IO.Path]::GetTempPath()) ('s3cred-session-' + [guid]::NewGuid().ToString('N') + '.json')
    try {
        $command = "`$ErrorActionPreference = 'Stop'; & { $Script } | Select-Object -Last 1 | ConvertTo-Json | Set-Content -LiteralPath '$resultFile'"
        $output = & $Executable[0] @($Executable | Select-Object -Skip 1) -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command $command 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The session failed ($LASTEXITCODE): $($output -join [Environment]::NewLine)" }
        Get-Content -LiteralPath $resultFile -Raw | ConvertFrom-Json
    }
    finally {
        Remove-Item -LiteralPath $resultFile -ErrorAction SilentlyContinue
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

# The AWS CLI installed beside moto (the same Python's scripts), else the one on PATH.
function Find-AwsCli {
    $python = Find-MotoPython
    foreach ($name in 'aws', 'aws.cmd', 'aws.exe') {
        $candidate = Join-Path (Split-Path $python) $name
        if (Test-Path $candidate) { return $candidate }
    }
    $onPath = Get-Command aws -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { return $onPath.Source }
    throw "The AWS CLI is not installed beside $python nor on PATH ('python3 -m pip install awscli')."
}

# A loopback port nothing listens on (just now).
function Get-FreePort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $port
}

# Starts moto on a free port; -Environment adds variables to its process. -Record gives moto's request recorder a file of
# its own (MOTO_RECORDER_FILEPATH, removed by Stop-TestMoto), for Start-MotoRecording and Get-MotoRecording.
function Start-TestMoto([hashtable] $Environment = @{}, [switch] $Record) {
    $recording = $null
    if ($Record) {
        $recording = Join-Path ([System.IO.Path]::GetTempPath()) "moto-recording-$PID-$([guid]::NewGuid().ToString('n')).jsonl"
        $Environment = $Environment + @{ MOTO_RECORDER_FILEPATH = $recording }
    }
    $python = Find-MotoPython
    $port = Get-FreePort
    $launcher = Join-Path $script:RepoRoot 'tests/moto/run_moto.py'
    $log = [System.IO.Path]::GetTempFileName()
    $process = Start-Process -FilePath $python -ArgumentList @($launcher, '127.0.0.1', $port) -PassThru `
        -RedirectStandardError $log -RedirectStandardOutput "$log.out" -Environment $Environment
    $endpoint = "http://127.0.0.1:$port"
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ($true) {
        try {
            Invoke-RestMethod -Uri "$endpoint/moto-api/data.json" -TimeoutSec 2 | Out-Null
            break
        } catch {
            if ($process.HasExited) { throw "moto_server exited early: $(Get-Content $log -Raw)" }
            if ([DateTime]::UtcNow -gt $deadline) { Stop-Process -Id $process.Id -Force; throw "moto_server did not answer on $endpoint within 60 s" }
            Start-Sleep -Milliseconds 50
        }
    }
    [pscustomobject]@{ Process = $process; Endpoint = $endpoint; Log = $log; Recording = $recording }
}

# moto's request recorder (a moto started with -Record): start afresh, and read what
# moto received since, in order — each request's method, URL and Query action (none for S3's REST requests).
function Start-MotoRecording([Parameter(Mandatory)] $Moto) {
    Invoke-RestMethod -Method Post "$($Moto.Endpoint)/moto-api/recorder/reset-recording" | Out-Null
    Invoke-RestMethod -Method Post "$($Moto.Endpoint)/moto-api/recorder/start-recording" | Out-Null
}

function Get-MotoRecording([Parameter(Mandatory)] $Moto) {
    # Requests a command abandoned (a stop) may still be answered, and recorded, by moto after the command returned: read
    # until two downloads in a row are the same and end with a whole line (at most 100 reads, 20 ms apart).
    $text = $null
    for ($attempt = 0; $attempt -lt 100; $attempt++) {
        $next = (Invoke-WebRequest "$($Moto.Endpoint)/moto-api/recorder/download-recording").Content
        if ($null -ne $text -and $next -eq $text -and ($next -eq '' -or $next.EndsWith("`n"))) { break }
        $text = $next
        Start-Sleep -Milliseconds 20
    }
    foreach ($line in ($text -split "`n" | Where-Object { $_ })) {
        $entry = $line | ConvertFrom-Json
        $body = if ($entry.body_encoded) { [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($entry.body)) } else { "$($entry.body)" }
        [pscustomobject]@{ Method = $entry.method; Url = $entry.url; Action = if ($body -match '(^|&)Action=([^&]+)') { $Matches[2] } else { $null } }
    }
}

function Get-MotoRecordedActions([Parameter(Mandatory)] $Moto) {
    Get-MotoRecording $Moto | Where-Object Action | ForEach-Object Action
}

function Reset-TestMoto([Parameter(Mandatory)] $Moto) {
    Invoke-RestMethod -Method Post -Uri "$($Moto.Endpoint)/moto-api/reset" | Out-Null
    Invoke-RestMethod -Method Post -Uri "$($Moto.Endpoint)/moto-api/reset-auth" -Body 'inf' -ContentType 'text/plain' | Out-Null
}

function Stop-TestMoto([Parameter(Mandatory)] $Moto) {
    if (-not $Moto.Process.HasExited) { Stop-Process -Id $Moto.Process.Id -Force }
    if ($Moto.Recording) { Remove-Item -LiteralPath $Moto.Recording -ErrorAction SilentlyContinue }
}

# Common parameters pointing every service at moto, with keys moto accepts while auth mode is off.
function Get-MotoParameters([Parameter(Mandatory)] $Moto) {
    @{
        AccessKey      = 'AKIAIOSFODNN7EXAMPLE'
        SecretKey      = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
        Region         = 'us-east-1'
        EndpointUrl    = $Moto.Endpoint
        IamEndpointUrl = $Moto.Endpoint
        StsEndpointUrl = $Moto.Endpoint
    }
}

# The same parameters with every endpoint on a port nothing listens on: a request would fail as AwsConnectionFailed, so
# another error proves the command sent nothing.
function Get-NowhereParameters([Parameter(Mandatory)] [hashtable] $Parameters) {
    $deadPort = Get-FreePort
    $nowhere = $Parameters.Clone()
    foreach ($key in 'EndpointUrl', 'IamEndpointUrl', 'StsEndpointUrl') { $nowhere[$key] = "http://127.0.0.1:$deadPort" }
    $nowhere
}

# The forms every duration parameter takes, with what they mean in seconds: a TimeSpan, a number, 15m and 1h30m.
function Get-DurationForms {
    @(
        @{ Value = [TimeSpan]::FromMinutes(15); Seconds = 900 }
        @{ Value = 900; Seconds = 900 }
        @{ Value = '15m'; Seconds = 900 }
        @{ Value = '1h30m'; Seconds = 5400 }
    )
}

# What Tab offers at the end of $InputScript, in order.
function Get-CompletionText([Parameter(Mandatory)] [string] $InputScript) {
    @((TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches.CompletionText)
}

# What -WhatIf said (it goes to the host, not to a stream), read from a transcript: the lines starting "What if: ".
function Get-WhatIfText([Parameter(Mandatory)] [scriptblock] $Script) {
    $file = [IO.Path]::Combine([IO.Path]::GetTempPath(), "whatif-$([guid]::NewGuid()).txt")
    Start-Transcript -Path $file | Out-Null
    try { & $Script | Out-Null } finally { Stop-Transcript | Out-Null }
    try { @(Get-Content $file | Where-Object { $_ -match '^What if: ' }) } finally { Remove-Item $file -ErrorAction Ignore }
}

Export-ModuleMember -Function Get-RepoRoot, Get-NuGetPackagesFolder, Get-TestPackageFile, Import-S3CredentialsModule, Find-MotoPython, Find-AwsCli, Get-PowerShellCommand, Invoke-NonInteractivePowerShell, Invoke-AnsweringPowerShell, ConvertTo-HashtableLiteral, Invoke-FreshSession, Start-TestMoto, Reset-TestMoto, Stop-TestMoto, Get-MotoParameters, Get-NowhereParameters, Get-DurationForms, Get-CompletionText, Get-WhatIfText, Start-MotoRecording, Get-MotoRecording, Get-MotoRecordedActions, Get-FreePort
