#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# The module in a real PowerShell session that also holds the AWS SDK AWS.Tools ships, loaded before the module is
# imported or after the module made its calls: AWS.Tools 4 carries AWSSDK 3.7 (assembly version 3.3.0.0), AWS.Tools 5
# AWSSDK 4.x (assembly version 4.0.0.0, the module's own identity). The real assemblies come from NuGet
# (tools/TestPackages.csproj); AWS.Tools' cmdlets are thin wrappers over them. Assemblies load once per process, so
# every case runs in a fresh session and reports back as JSON.

BeforeDiscovery {
    # -Skip is evaluated at discovery, before BeforeAll runs.
    $HasWindowsPowerShell = [bool](Get-Command powershell.exe -ErrorAction SilentlyContinue)
    $OtherSdks = @(
        @{ Name = 'AWS.Tools 4 (AWSSDK.Core 3.7.402)'; Core = @('AWSSDK.Core', '3.7.402'); Sts = @('AWSSDK.SecurityToken', '3.7.202'); AssemblyVersion = '3.3.0.0' }
        @{ Name = 'AWS.Tools 5 (AWSSDK.Core 4.1.1)'; Core = @('AWSSDK.Core', '4.1.1'); Sts = @('AWSSDK.SecurityToken', '4.1.0.1'); AssemblyVersion = '4.0.0.0' }
    )
    $Cases = foreach ($sdk in $OtherSdks) {
        foreach ($order in 'before', 'after') { $sdk + @{ Order = $order } }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Moto = Start-TestMoto
    $script:Manifest = Join-Path (Get-RepoRoot) 'out/S3Credentials/S3Credentials.psd1'
    # PowerShell 7.6 runs on .NET 10: the module's private context loads its ReadyToRun build in dependencies/net10.0.
    $script:OwnSdk = Join-Path (Get-RepoRoot) "out/S3Credentials/dependencies/net$([Environment]::Version.Major).0/AWSSDK.Core.dll"
    $script:Keys = "-AccessKey AKIAIOSFODNN7EXAMPLE -SecretKey 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' -Region us-east-1"

    # A key profile and a role profile on top of it, for both SDKs; each test gets its own files.
    function New-ProfileFiles {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))
        $credentials = Join-Path $folder 'credentials'
        $config = Join-Path $folder 'config'
        "[coexist-base]`naws_access_key_id = AKIAIOSFODNN7EXAMPLE`naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`n" | Set-Content $credentials
        "[profile coexist-role]`nrole_arn = arn:aws:iam::123456789012:role/coexist`nsource_profile = coexist-base`nrole_session_name = pester`n" | Set-Content $config
        @{ AWS_SHARED_CREDENTIALS_FILE = $credentials; AWS_CONFIG_FILE = $config; AWS_ENDPOINT_URL_STS = $Moto.Endpoint; AWS_EC2_METADATA_DISABLED = 'true' }
    }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'Loading next to another AWSSDK.Core' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'works with <Name> loaded <Order> it, and both sides keep working, role profiles included' -ForEach $Cases {
        $core = Get-TestPackageFile $Core[0] $Core[1] "lib/netstandard2.0/$($Core[0]).dll"
        $sts = Get-TestPackageFile $Sts[0] $Sts[1] "lib/netstandard2.0/$($Sts[0]).dll"
        $loadOther = "Add-Type -Path '$core'; Add-Type -Path '$sts'"
        $result = Invoke-FreshSession -Environment (New-ProfileFiles) @"
# The other SDK's own calls, as AWS.Tools' cmdlets make them: its STS client, with keys or with a role profile
# resolved (and assumed) by its own AWSSDK.Core and AWSSDK.SecurityToken.
function Invoke-OtherSdk([string] `$ProfileName) {
    `$config = [Amazon.SecurityToken.AmazonSecurityTokenServiceConfig]::new()
    `$config.ServiceURL = '$($Moto.Endpoint)'
    if (`$ProfileName) {
        `$credentials = `$null
        if (-not [Amazon.Runtime.CredentialManagement.CredentialProfileStoreChain]::new().TryGetAWSCredentials(`$ProfileName, [ref] `$credentials)) { throw "no profile `$ProfileName" }
    } else {
        `$credentials = [Amazon.Runtime.BasicAWSCredentials]::new('AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
    }
    `$client = [Amazon.SecurityToken.AmazonSecurityTokenServiceClient]::new(`$credentials, `$config)
    `$client.GetCallerIdentityAsync([Amazon.SecurityToken.Model.GetCallerIdentityRequest]::new()).GetAwaiter().GetResult().Arn
}
`$endpoints = @{ EndpointUrl = '$($Moto.Endpoint)'; StsEndpointUrl = '$($Moto.Endpoint)'; IamEndpointUrl = '$($Moto.Endpoint)' }
if ('$Order' -eq 'before') { $loadOther; `$theirsFirst = Invoke-OtherSdk 'coexist-role' }
Import-Module '$Manifest'
`$ours = (Get-S3CallerIdentity $Keys @endpoints).Arn
`$oursRole = (Get-S3CallerIdentity -ProfileName coexist-role -Region us-east-1 @endpoints).Arn
if ('$Order' -eq 'after') { $loadOther; `$theirsFirst = Invoke-OtherSdk 'coexist-role' }
`$theirs = Invoke-OtherSdk
`$oursAgain = (Get-S3CallerIdentity -ProfileName coexist-role -Region us-east-1 @endpoints).Arn
`$moduleCore = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'S3Credentials.Core' }
`$moduleContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$moduleCore)
[pscustomobject]@{
    Ours          = `$ours
    OursRole      = `$oursRole
    OursAgain     = `$oursAgain
    Theirs        = `$theirs
    TheirsRole    = `$theirsFirst
    TheirsSdk     = [Amazon.Runtime.AWSCredentials].Assembly.Location
    TheirsVersion = [Amazon.Runtime.AWSCredentials].Assembly.GetName().Version.ToString()
    ModuleContext = `$moduleContext.Name
    ModuleSdk     = @(`$moduleContext.Assemblies | Where-Object { `$_.GetName().Name -eq 'AWSSDK.Core' } | ForEach-Object Location)
    StsLoaded     = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'AWSSDK.SecurityToken' } | ForEach-Object Location)
    OutputTypes   = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-S3CredentialPolicy photos).GetType().Assembly).Name
}
"@
        $result.Ours | Should -Be 'arn:aws:sts::123456789012:user/moto'
        $result.OursRole | Should -Be 'arn:aws:sts::123456789012:assumed-role/coexist/pester'
        $result.OursAgain | Should -Be 'arn:aws:sts::123456789012:assumed-role/coexist/pester'
        $result.Theirs | Should -Be 'arn:aws:sts::123456789012:user/moto'
        $result.TheirsRole | Should -Be 'arn:aws:sts::123456789012:assumed-role/coexist/pester'
        # Each side on its own SDK: theirs in the session's default context, the module's in its private one.
        $result.TheirsSdk | Should -Be $core
        $result.TheirsVersion | Should -Be $AssemblyVersion
        $result.ModuleContext | Should -Be 'S3Credentials'
        $result.ModuleSdk | Should -Be @($OwnSdk)
        # The only AWSSDK.SecurityToken in the process is theirs: AWSSDK.Core finds the STS client for role profiles
        # by the first assembly of that name, so the module must never load one.
        $result.StsLoaded | Should -Be @($sts)
        # The output types stay where PowerShell can name them.
        $result.OutputTypes | Should -Be 'Default'
    }

    It 'loads no AWSSDK.SecurityToken, SSO or SSOOIDC of its own, also for a role profile' {
        $result = Invoke-FreshSession -Environment (New-ProfileFiles) @"
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
