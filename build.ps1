<#
.SYNOPSIS
    Builds the S3Credentials module folder (out/S3Credentials), and runs its demo, its tests, or imports it.
.DESCRIPTION
    The module folder is produced by MSBuild (dotnet build); this script is the one entry point on top of it. Run it
    with the PowerShell the project installs itself (a .NET local tool):

        dotnet tool restore && dotnet pwsh -NoProfile -File build.ps1 -Demo

    -Demo never reaches AWS: it starts a local moto (the AWS emulator the tests use), makes read-only credentials for
    a new bucket with New-S3Credential, switches moto to checking signatures and policies, shows with
    Test-S3Credential what the credentials may really do, and stops moto again.
    -Test runs every test: the xunit suite (dotnet test) and the Pester suite (tests/pester), and ends with one line
    "N passed, N failed" counting both.
.EXAMPLE
    dotnet pwsh -NoProfile -File build.ps1 -Demo
    The module's main job against a local moto it starts and stops itself.
.EXAMPLE
    dotnet pwsh -NoProfile -File build.ps1 -Test
    Builds, then runs the xunit and the Pester suites.
.EXAMPLE
    ./build.ps1 -Import
    Builds the module and imports it into the current session (for use against a real AWS account).
#>
[CmdletBinding(DefaultParameterSetName = 'Build')]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [Parameter(Mandatory, ParameterSetName = 'Test')]
    [switch] $Test,
    [Parameter(Mandatory, ParameterSetName = 'Demo')]
    [switch] $Demo,
    [Parameter(Mandatory, ParameterSetName = 'Import')]
    [switch] $Import
)
$ErrorActionPreference = 'Stop'
$solution = Join-Path $PSScriptRoot 'S3CredentialsPS.sln'
$manifest = Join-Path $PSScriptRoot 'out/S3Credentials/S3Credentials.psd1'
Import-Module (Join-Path $PSScriptRoot 'tests/pester/TestHelpers.psm1') -Force

function Invoke-Build {
    dotnet build $solution --configuration $Configuration --nologo --verbosity quiet
    if ($LASTEXITCODE -ne 0) { throw "dotnet build failed ($LASTEXITCODE)." }
}

function Invoke-AllTests {
    $results = Join-Path $PSScriptRoot 'out/test-results'
    Remove-Item -LiteralPath $results -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory $results -Force | Out-Null

    # xunit (dotnet test builds the solution and the module folder first).
    dotnet test $solution --configuration $Configuration --logger 'trx;LogFileName=xunit.trx' --results-directory $results
    $xunitExit = $LASTEXITCODE
    $trx = Join-Path $results 'xunit.trx'
    $xunit = if (Test-Path -LiteralPath $trx) {
        $counters = ([xml](Get-Content -LiteralPath $trx -Raw)).TestRun.ResultSummary.Counters
        [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted; Skipped = [int]$counters.notExecuted }
    }
    if (-not $xunit) {
        # No results at all (the build failed): nothing below can run on this build.
        throw "dotnet test failed ($xunitExit) before it ran a test."
    }

    # Pester, in a session of its own (the suite imports the module and ends with exit).
    $pesterResult = Join-Path $results 'pester.json'
    $powershell = Get-PowerShellCommand
    & $powershell[0] @($powershell | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'tests/pester/Invoke-PesterSuite.ps1') -ResultFile $pesterResult
    $pesterExit = $LASTEXITCODE
    $pester = if (Test-Path -LiteralPath $pesterResult) { Get-Content -LiteralPath $pesterResult -Raw | ConvertFrom-Json }
    if (-not $pester) { $pester = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }   # the runner itself failed

    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    # A suite that exited non-zero with no failed test still failed: count it, so the line never says 0 failed then.
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $failed++ }
    if ($pesterExit -ne 0 -and $pester.Failed -eq 0) { $failed++ }
    ''
    "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped"
    "pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $moto = Start-TestMoto
    try {
        Import-Module $manifest -Force
        $aws = Get-MotoParameters $moto
        Write-Host "moto, the AWS emulator, answers on $($moto.Endpoint); nothing in this demo reaches AWS." -ForegroundColor Cyan
        Write-Host ''
        Write-Host '> New-S3Credential demo-photos -CreateBucket -Access ReadOnly' -ForegroundColor Cyan
        Write-Host '  (creates the bucket, an IAM user with a read-only policy for it, and an access key)' -ForegroundColor DarkGray
        $credential = New-S3Credential demo-photos -CreateBucket -Access ReadOnly @aws
        $credential | Format-List UserName, BucketName, Access, AccessKeyId, SecretAccessKey, Kind | Out-Host

        # From here on moto checks every request's signature and the IAM policies of the key that signed it.
        Invoke-RestMethod -Method Post -Uri "$($moto.Endpoint)/moto-api/reset-auth" -Body '0' -ContentType 'text/plain' | Out-Null
        Write-Host '> $credential | Test-S3Credential -IncludeWrite' -ForegroundColor Cyan
        Write-Host '  (moto now enforces signatures and policies: what may the new key really do?)' -ForegroundColor DarkGray
        $endpoints = @{ EndpointUrl = $moto.Endpoint; IamEndpointUrl = $moto.Endpoint; StsEndpointUrl = $moto.Endpoint }
        $results = $credential | Test-S3Credential -IncludeWrite @endpoints -WarningAction SilentlyContinue
        $results | Format-Table BucketName, Action, Result, ErrorCode | Out-Host
        $summary = ($results | ForEach-Object { "$($_.Action) $($_.Result)" }) -join ', '
        # The demo is also a check (CI runs it): a read-only key that may write would be a wrong policy.
        if ($summary -ne 'List Allowed, Read Allowed, Write Denied, Delete Denied') { throw "The read-only key did not behave as read-only: $summary." }
        Write-Host "The read-only key: $summary." -ForegroundColor Green
    }
    finally {
        Stop-TestMoto $moto
        Write-Host "moto stopped." -ForegroundColor DarkGray
    }
}

switch ($PSCmdlet.ParameterSetName) {
    'Test' { Invoke-AllTests }
    'Demo' { Invoke-Demo }
    'Import' { Invoke-Build; Import-Module $manifest -Force -Global }
    default { Invoke-Build }
}
