<#
.SYNOPSIS
    Builds the S3Credentials module folder (out/S3Credentials), and optionally tests or imports it.
.DESCRIPTION
    A thin wrapper: the module folder is produced by MSBuild (dotnet build), so everything about the
    module's shape can be built and tested without PowerShell.
.EXAMPLE
    ./build.ps1 -Import
    Builds the module and imports it into the current session.
.EXAMPLE
    ./build.ps1 -Test
    Builds, then runs the xunit tests (dotnet test) and the Pester suite.
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [switch] $Test,
    [switch] $Import
)
$ErrorActionPreference = 'Stop'
$solution = Join-Path $PSScriptRoot 'S3CredentialsPS.sln'

dotnet build $solution --configuration $Configuration
if ($LASTEXITCODE -ne 0) { throw "dotnet build failed ($LASTEXITCODE)." }

if ($Test) {
    dotnet test $solution --configuration $Configuration
    if ($LASTEXITCODE -ne 0) { throw "dotnet test failed ($LASTEXITCODE)." }
    & (Join-Path $PSScriptRoot 'tests/pester/Invoke-PesterSuite.ps1')
    if ($LASTEXITCODE -ne 0) { throw "Pester failed ($LASTEXITCODE)." }
}

if ($Import) {
    Import-Module (Join-Path $PSScriptRoot 'out/S3Credentials/S3Credentials.psd1') -Force -Global
}
