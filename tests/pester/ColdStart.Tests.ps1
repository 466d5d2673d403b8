#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# What a fresh PowerShell process does when it imports the module and runs its first command (issue 16, cold start;
# the figures are in bench/README.md). Assemblies load and JIT-compile once per process, so every case runs in a fresh
# session and reports back as JSON.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Moto = Start-TestMoto
    $script:Aws = ConvertTo-HashtableLiteral (Get-MotoParameters $Moto)
    $script:Manifest = Join-Path (Get-RepoRoot) 'out/S3Credentials/S3Credentials.psd1'
    # PowerShell 7.6 runs on .NET 10: the module's private context loads its ReadyToRun build from dependencies/net10.0.
    $script:RuntimeBuild = Join-Path (Get-RepoRoot) "out/S3Credentials/dependencies/net$([Environment]::Version.Major).0"
    # OwnSdkClients.Registrations of the module's core, read by reflection (the core is in the module's private context).
    $script:ReadRegistrations = @'
function Get-Registrations {
    $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'S3Credentials.Core' }
    $core.GetType('S3Credentials.Core.Credentials.OwnSdkClients', $true).GetProperty('Registrations').GetValue($null)
}
function Get-ModuleAssemblies {
    @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -match '^(S3Credentials\.Core|AWSSDK\.)' } | ForEach-Object { $_.GetName().Name } | Sort-Object)
}
'@
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'Import-Module and the first command in a fresh process' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'imports without loading the core or the AWS SDK, and a command with keys registers no SDK clients' {
        $result = Invoke-FreshSession @"
$ReadRegistrations
`$aws = $Aws
Import-Module '$Manifest'
`$afterImport = Get-ModuleAssemblies
`$identity = Get-S3CallerIdentity @aws
`$core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'S3Credentials.Core' }
[pscustomobject]@{ AfterImport = `$afterImport; Account = `$identity.Account; CoreLocation = `$core.Location; Registrations = Get-Registrations }
"@
        @($result.AfterImport) | Should -BeNullOrEmpty
        $result.Account | Should -Be '123456789012'
        $result.CoreLocation | Should -Be (Join-Path $RuntimeBuild 'S3Credentials.Core.dll')
        $result.Registrations | Should -Be 0
    }

    It 'registers the module''s SSO clients the first time a command reads a profile, and only once' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))
        $credentials = Join-Path $folder 'credentials'
        "[cold]`naws_access_key_id = AKIAIOSFODNN7EXAMPLE`naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`n" | Set-Content $credentials
        $profile = "-ProfileName cold -ProfileLocation '$credentials' -Region us-east-1 -StsEndpointUrl $($Moto.Endpoint)"
        $result = Invoke-FreshSession @"
$ReadRegistrations
`$aws = $Aws
Import-Module '$Manifest'
`$null = Get-S3CallerIdentity @aws
`$before = Get-Registrations
`$first = (Get-S3CallerIdentity $profile).Account
`$afterFirst = Get-Registrations
`$null = Get-S3CallerIdentity $profile
[pscustomobject]@{ Before = `$before; Account = `$first; AfterFirst = `$afterFirst; AfterSecond = Get-Registrations }
"@
        $result.Before | Should -Be 0
        $result.Account | Should -Be '123456789012'
        $result.AfterFirst | Should -Be 1
        $result.AfterSecond | Should -Be 1
    }

    It 'runs the first New-S3Credential on precompiled async code: no async builder is JIT-compiled for the core''s or the SDK''s methods' {
        # DOTNET_JitDisasmSummary: the runtime lists every method it JIT-compiles. Before the
        # ReadyToRun build compiled the framework's generic code for our state machines, the first New-S3Credential
        # JIT-compiled 76 AsyncTaskMethodBuilder Start<...> instantiations over S3Credentials.Core and SDK types.
        # The summary goes to standard output, not to DOTNET_JitStdOutFile: with that file the runtime aborted now and then
        # at exit ("free(): invalid pointer", exit 134/139, 3 of 35 runs under load, after the command had returned; 0 of
        # 40 without the file), closing it while a JIT thread still wrote.
        $command = "`$aws = $Aws; Import-Module '$Manifest'; `$credential = New-S3Credential cold-start -CreateBucket -UserName cold-start-user -NoWait @aws; 'UserName=' + `$credential.UserName"
        $executable = @(Get-PowerShellCommand)
        $saved = $env:DOTNET_JitDisasmSummary
        try {
            $env:DOTNET_JitDisasmSummary = '1'
            $output = @(& $executable[0] @($executable | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $command 2>&1 | ForEach-Object { "$_" })
        }
        finally { $env:DOTNET_JitDisasmSummary = $saved }
        $LASTEXITCODE | Should -Be 0 -Because ($output | Where-Object { $_ -notmatch 'JIT compiled' } | Out-String)
        # The runtime's lines and PowerShell's share standard output and may meet on one line.
        ($output -join "`n") | Should -Match 'UserName=cold-start-user'
        $jitLog = $output
        # First compiles only: code that runs often is compiled again later (Tier1), ReadyToRun code too.
        $compiled = @($jitLog | Where-Object { $_ -match 'JIT compiled .* \[(Instrumented )?Tier0|JIT compiled .* \[FullOpts|JIT compiled .* \[Tier-0 switched' })
        $compiled.Count | Should -BeGreaterThan 100 -Because 'the log lists what the runtime compiled (PowerShell''s own code among it)'
        $ourBuilders = @($compiled | Where-Object { $_ -match 'MethodBuilder\S*:Start\[(S3Credentials\.Core|Amazon)\.' })
        $ourBuilders | Should -BeNullOrEmpty
    }
}
