<#
.SYNOPSIS
    Runs every *.Tests.ps1 under tests/pester with the project's pinned Pester, against the built module.
.DESCRIPTION
    Pester comes from NuGet, not the PowerShell Gallery: tests/pester/tools/TestPackages.csproj downloads the
    pinned version into the NuGet packages folder (restored here when it is missing) and it is imported by path.
    The same project brings the AWS SDK assemblies the coexistence tests load.
    Prints "pester: N passed, N failed, N skipped", writes the counts to -ResultFile as JSON when given, and exits
    1 when a test failed, a container (file) failed to run, or no test ran.
#>
[CmdletBinding()]
param(
    # Pester files or folders to run; every file under tests/pester by default.
    [string[]] $Path = $PSScriptRoot,
    # Where to write {"Passed":N,"Failed":N,"Skipped":N} for a caller that adds the suites up.
    [string] $ResultFile,
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Output = 'Detailed'
)
$ErrorActionPreference = 'Stop'
$pesterVersion = '5.7.1'   # keep in step with tools/TestPackages.csproj

Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

$pesterManifest = Get-TestPackageFile pester $pesterVersion 'tools/Pester.psd1'
$manifest = Join-Path $PSScriptRoot '../../out/S3Credentials/S3Credentials.psd1'
if (-not (Test-Path -LiteralPath $manifest)) {
    throw "The module folder is missing: run 'dotnet build S3CredentialsPS.sln' (or ./build.ps1) first."
}

# Only this Pester: an older one on PSModulePath (Windows ships 3.4) must not answer the files' #Requires.
Get-Module Pester | Remove-Module -Force
Import-Module $pesterManifest -Force -Global

$configuration = New-PesterConfiguration
# -Path a,b from bash arrives as one string: split it.
$configuration.Run.Path = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Output
$result = Invoke-Pester -Configuration $configuration

if ($null -eq $result) {
    # Pester could not run at all (a path that does not exist, a broken configuration): that is a failure.
    if ($ResultFile) { [ordered]@{ Passed = 0; Failed = 1; Skipped = 0 } | ConvertTo-Json | Set-Content -LiteralPath $ResultFile }
    'pester: Pester did not run (see above): 0 passed, 1 failed'
    exit 1
}
# A file that failed in BeforeAll or at discovery counts its tests as failed (or not at all): count it too.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
$counts = [ordered]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount + $result.NotRunCount }
if ($ResultFile) { $counts | ConvertTo-Json | Set-Content -LiteralPath $ResultFile }
"pester: $($counts.Passed) passed, $($counts.Failed) failed, $($counts.Skipped) skipped"
if ($failed -gt 0 -or $result.PassedCount -eq 0) { exit 1 }
exit 0
