#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# The module in a session that already has (or later gets) another AWSSDK.Core: AWS.Tools where it is installed, and
# a copy of an AWSSDK.Core loaded from another folder everywhere. Assemblies load once per process, so every case
# runs in a fresh pwsh (or Windows PowerShell) and reports back as JSON.
# tests/S3Credentials.Tests/Module/CoexistenceTests.cs checks the same without PowerShell.

BeforeDiscovery {
    # -Skip is evaluated at discovery, before BeforeAll runs.
    $HasAwsTools = [bool](Get-Module -ListAvailable -Name AWS.Tools.SecurityToken)
    $HasWindowsPowerShell = [bool](Get-Command powershell.exe -ErrorAction SilentlyContinue)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Moto = Start-TestMoto
    $script:Manifest = Join-Path (Get-RepoRoot) 'out/S3Credentials/S3Credentials.psd1'
    $script:OwnSdk = Join-Path (Get-RepoRoot) 'out/S3Credentials/dependencies/AWSSDK.Core.dll'
    $script:Keys = "-AccessKey AKIAIOSFODNN7EXAMPLE -SecretKey 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' -Region us-east-1"

    # Runs $Script in a new PowerShell process (this one's executable unless -Executable); the object the script
    # outputs last comes back through a JSON file (stdout also carries warnings and progress).
    function Invoke-FreshSession([string] $Script, [string] $Executable = (Get-Process -Id $PID).Path, [hashtable] $Environment = @{}) {
        $saved = @{}
        foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
        $resultFile = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.json')
        try {
            $command = "`$ErrorActionPreference = 'Stop'; & { $Script } | Select-Object -Last 1 | ConvertTo-Json | Set-Content -LiteralPath '$resultFile'"
            $output = & $Executable -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command $command 2>&1
            if ($LASTEXITCODE -ne 0) { throw "The session failed ($LASTEXITCODE): $($output -join [Environment]::NewLine)" }
            Get-Content -LiteralPath $resultFile -Raw | ConvertFrom-Json
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'Loading next to another AWSSDK.Core' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'works when another copy of AWSSDK.Core was loaded first, and leaves that copy to the session' -Skip:($PSVersionTable.PSEdition -ne 'Core') {
        $other = Join-Path $TestDrive 'OtherModule'
        New-Item -ItemType Directory $other -Force | Out-Null
        Copy-Item $OwnSdk $other

        $result = Invoke-FreshSession @"
Add-Type -Path '$other/AWSSDK.Core.dll'
Import-Module '$Manifest'
`$identity = Get-S3CallerIdentity $Keys -EndpointUrl $($Moto.Endpoint) -StsEndpointUrl $($Moto.Endpoint) -IamEndpointUrl $($Moto.Endpoint)
`$core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'S3Credentials.Core' }
[pscustomobject]@{
    Arn            = `$identity.Arn
    CoreContext    = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$core).Name
    OutputContext  = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$identity.GetType().Assembly).Name
    TypeLiteral    = `$identity -is [S3Credentials.Core.Models.CallerIdentity]
    SessionSdk     = [Amazon.Runtime.AWSCredentials].Assembly.Location
}
"@
        $result.Arn | Should -Be 'arn:aws:sts::123456789012:user/moto'
        $result.CoreContext | Should -Be 'S3Credentials'
        # The output types stay where PowerShell can name them.
        $result.OutputContext | Should -Be 'Default'
        $result.TypeLiteral | Should -BeTrue
        $result.SessionSdk | Should -Be (Join-Path $other 'AWSSDK.Core.dll')
    }

    It 'works with AWS.Tools imported first, and AWS.Tools still works after' -Skip:(-not $HasAwsTools) {
        $result = Invoke-FreshSession @"
Import-Module AWS.Tools.SecurityToken
`$before = Get-STSCallerIdentity $Keys -EndpointUrl $($Moto.Endpoint)
Import-Module '$Manifest'
`$ours = Get-S3CallerIdentity $Keys -EndpointUrl $($Moto.Endpoint) -StsEndpointUrl $($Moto.Endpoint) -IamEndpointUrl $($Moto.Endpoint)
`$after = Get-STSCallerIdentity $Keys -EndpointUrl $($Moto.Endpoint)
[pscustomobject]@{ Before = `$before.Arn; Ours = `$ours.Arn; After = `$after.Arn }
"@
        $result.Before | Should -Be 'arn:aws:sts::123456789012:user/moto'
        $result.Ours | Should -Be 'arn:aws:sts::123456789012:user/moto'
        $result.After | Should -Be 'arn:aws:sts::123456789012:user/moto'
    }

    It 'assumes a role profile through its own STS client with AWS.Tools imported first' -Skip:(-not $HasAwsTools) {
        $credentials = Join-Path $TestDrive 'credentials'
        $config = Join-Path $TestDrive 'config'
        "[coexist-base]`naws_access_key_id = AKIAIOSFODNN7EXAMPLE`naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`n" | Set-Content $credentials
        "[profile coexist-role]`nrole_arn = arn:aws:iam::123456789012:role/coexist`nsource_profile = coexist-base`nrole_session_name = pester`n" | Set-Content $config

        $result = Invoke-FreshSession -Environment @{ AWS_SHARED_CREDENTIALS_FILE = $credentials; AWS_CONFIG_FILE = $config; AWS_ENDPOINT_URL_STS = $Moto.Endpoint } @"
Import-Module AWS.Tools.SecurityToken
`$null = Get-STSCallerIdentity $Keys -EndpointUrl $($Moto.Endpoint)
Import-Module '$Manifest'
[pscustomobject]@{ Arn = (Get-S3CallerIdentity -ProfileName coexist-role -Region us-east-1 -StsEndpointUrl $($Moto.Endpoint)).Arn }
"@
        $result.Arn | Should -Be 'arn:aws:sts::123456789012:assumed-role/coexist/pester'
    }

    It 'loads no AWSSDK.SecurityToken of its own, also for a role profile' {
        $credentials = Join-Path $TestDrive 'credentials'
        $config = Join-Path $TestDrive 'config'
        "[coexist-base]`naws_access_key_id = AKIAIOSFODNN7EXAMPLE`naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`n" | Set-Content $credentials
        "[profile coexist-role]`nrole_arn = arn:aws:iam::123456789012:role/coexist`nsource_profile = coexist-base`nrole_session_name = pester`n" | Set-Content $config

        $result = Invoke-FreshSession -Environment @{ AWS_SHARED_CREDENTIALS_FILE = $credentials; AWS_CONFIG_FILE = $config } @"
Import-Module '$Manifest'
`$identity = Get-S3CallerIdentity -ProfileName coexist-role -Region us-east-1 -StsEndpointUrl $($Moto.Endpoint)
[pscustomobject]@{
    Arn    = `$identity.Arn
    Loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'AWSSDK.SecurityToken', 'AWSSDK.SSO', 'AWSSDK.SSOOIDC' }).Count
}
"@
        $result.Arn | Should -Be 'arn:aws:sts::123456789012:assumed-role/coexist/pester'
        # AWSSDK.Core (AWS.Tools' too) takes the first assembly of these names in the process for its own role and SSO
        # profiles: the module must never be the one that loaded it.
        $result.Loaded | Should -Be 0
    }

    It 'leaves AWS.Tools its own role profiles when the module made the first call' -Skip:(-not $HasAwsTools) {
        $credentials = Join-Path $TestDrive 'credentials'
        $config = Join-Path $TestDrive 'config'
        "[coexist-base]`naws_access_key_id = AKIAIOSFODNN7EXAMPLE`naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`n" | Set-Content $credentials
        "[profile coexist-role]`nrole_arn = arn:aws:iam::123456789012:role/coexist`nsource_profile = coexist-base`nrole_session_name = pester`n" | Set-Content $config

        $result = Invoke-FreshSession -Environment @{ AWS_SHARED_CREDENTIALS_FILE = $credentials; AWS_CONFIG_FILE = $config; AWS_ENDPOINT_URL_STS = $Moto.Endpoint } @"
Import-Module '$Manifest'
`$ours = Get-S3CallerIdentity -ProfileName coexist-role -Region us-east-1 -StsEndpointUrl $($Moto.Endpoint)
Import-Module AWS.Tools.SecurityToken
`$theirs = Get-STSCallerIdentity -ProfileName coexist-role -Region us-east-1
[pscustomobject]@{ Ours = `$ours.Arn; Theirs = `$theirs.Arn }
"@
        $result.Ours | Should -Be 'arn:aws:sts::123456789012:assumed-role/coexist/pester'
        $result.Theirs | Should -Match '^arn:aws:sts::123456789012:assumed-role/coexist/'
    }

    It 'does not break AWS.Tools imported after it' -Skip:(-not $HasAwsTools) {
        $result = Invoke-FreshSession @"
Import-Module '$Manifest'
`$ours = Get-S3CallerIdentity $Keys -EndpointUrl $($Moto.Endpoint) -StsEndpointUrl $($Moto.Endpoint) -IamEndpointUrl $($Moto.Endpoint)
Import-Module AWS.Tools.SecurityToken
`$theirs = Get-STSCallerIdentity $Keys -EndpointUrl $($Moto.Endpoint)
[pscustomobject]@{ Ours = `$ours.Arn; Theirs = `$theirs.Arn }
"@
        $result.Ours | Should -Be 'arn:aws:sts::123456789012:user/moto'
        $result.Theirs | Should -Be 'arn:aws:sts::123456789012:user/moto'
    }

    It 'imports and calls STS in Windows PowerShell 5.1' -Skip:(-not $HasWindowsPowerShell) {
        $result = Invoke-FreshSession -Executable (Get-Command powershell.exe).Source @"
Import-Module '$Manifest'
[pscustomobject]@{
    Arn     = (Get-S3CallerIdentity $Keys -EndpointUrl $($Moto.Endpoint) -StsEndpointUrl $($Moto.Endpoint) -IamEndpointUrl $($Moto.Endpoint)).Arn
    Edition = `$PSVersionTable.PSEdition
}
"@
        $result.Edition | Should -Be 'Desktop'
        $result.Arn | Should -Be 'arn:aws:sts::123456789012:user/moto'
    }
}
