#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
    $script:Endpoints = @{ Region = 'us-east-1'; EndpointUrl = $Moto.Endpoint; IamEndpointUrl = $Moto.Endpoint; StsEndpointUrl = $Moto.Endpoint }
    $script:Secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    function New-TestCredential([string] $Bucket, [string] $Duration) {
        New-S3Credential -BucketName $Bucket -CreateBucket -UserName "setup-$Bucket" -NoWait @Aws | Out-Null
        if ($Duration) { New-S3Credential $Bucket -Duration $Duration @Aws } else { New-S3Credential $Bucket -NoWait @Aws }
    }
    # The environment variables the Shell and PowerShell formats set, to be put back after each test.
    $script:AwsVariables = 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_SHARED_CREDENTIALS_FILE'
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'Export-S3Credential' {
    BeforeEach {
        Reset-TestMoto $Moto
        $script:Saved = @{}
        foreach ($name in $AwsVariables) { $Saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    }
    AfterEach {
        foreach ($name in $AwsVariables) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
    }

    It 'writes New-S3Credential output as a profile that Get-S3CallerIdentity can use' {
        $path = Join-Path $TestDrive 'round-trip/credentials'
        $credential = New-TestCredential 'export-round-trip' '15m'
        $credential | Export-S3Credential handoff -Path $path
        Test-Path $path | Should -BeTrue
        $identity = Get-S3CallerIdentity -ProfileName handoff -ProfileLocation $path @Endpoints
        $identity.AccessKeyId | Should -Be $credential.AccessKeyId
        $identity.CredentialSource | Should -Be 'Profile'
        (Get-Content $path -Raw) | Should -Match 'aws_session_token = '
    }

    It 'binds permanent credentials, which have no token and no expiry' {
        $path = Join-Path $TestDrive 'permanent/credentials'
        $credential = New-TestCredential 'export-permanent'
        $exported = $credential | Export-S3Credential permanent -Path $path -PassThru
        $exported | Should -BeOfType 'S3Credentials.Core.Models.ExportedCredentialProfile'
        $exported.Kind | Should -Be 'Permanent'
        $exported.Action | Should -Be 'Added'
        $exported.Path | Should -Be (Resolve-Path $path).Path
        (Get-Content $path -Raw) | Should -Not -Match 'aws_session_token'
        (Get-S3CallerIdentity -ProfileName permanent -ProfileLocation $path @Endpoints).AccessKeyId | Should -Be $credential.AccessKeyId
    }

    It 'keeps every other byte of a hand-written file' {
        $path = Join-Path $TestDrive 'credentials'
        $before = "# mine`r`n; really`r`n`r`n[default]`r`naws_access_key_id=AKIADEFAULT000000001`r`n  aws_secret_access_key   =   x  `r`n`r`n"
        [IO.File]::WriteAllText($path, $before)
        [pscustomobject]@{ AccessKeyId = 'AKIAIOSFODNN7EXAMPLE'; SecretAccessKey = $Secret } | Export-S3Credential added -Path $path
        $after = [IO.File]::ReadAllText($path)
        $after.StartsWith($before) | Should -BeTrue
        $after.Substring($before.Length) | Should -BeExactly "[added]`r`naws_access_key_id = AKIAIOSFODNN7EXAMPLE`r`naws_secret_access_key = $Secret`r`n"
    }

    It 'replaces an existing profile only with -Force' {
        $path = Join-Path $TestDrive 'force/credentials'
        Export-S3Credential taken -Path $path -AccessKeyId AKIAFIRST00000000001 -SecretAccessKey $Secret
        $before = Get-Content $path -Raw
        { Export-S3Credential taken -Path $path -AccessKeyId AKIASECOND0000000001 -SecretAccessKey $Secret -ErrorAction Stop } |
            Should -Throw -ErrorId 'ProfileExists,S3Credentials.Commands.ExportS3CredentialCommand'
        $record = $null
        try { Export-S3Credential taken -Path $path -AccessKeyId AKIASECOND0000000001 -SecretAccessKey $Secret -ErrorAction Stop } catch { $record = $_ }
        $record.CategoryInfo.Category | Should -Be 'ResourceExists'
        $record.Exception.Message | Should -Match "'taken'"
        $record.Exception.Message | Should -Match '-Force'
        Get-Content $path -Raw | Should -BeExactly $before
        (Export-S3Credential taken -Path $path -AccessKeyId AKIASECOND0000000001 -SecretAccessKey $Secret -Force -PassThru).Action | Should -Be 'Replaced'
        Get-Content $path -Raw | Should -Match 'AKIASECOND0000000001'
    }

    It 'writes AWS_SHARED_CREDENTIALS_FILE when -Path is not given' {
        $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $TestDrive 'from-env/credentials'
        Export-S3Credential from-env -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey $Secret
        Get-Content $env:AWS_SHARED_CREDENTIALS_FILE -Raw | Should -Match '\[from-env\]'
    }

    It 'makes the file readable by its owner only' -Skip:($IsWindows -or $PSVersionTable.PSVersion.Major -lt 7) {
        $path = Join-Path $TestDrive 'mode/credentials'
        Export-S3Credential private -Path $path -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey $Secret
        (Get-Item $path).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }

    It '-WhatIf writes nothing' {
        $path = Join-Path $TestDrive 'what-if/credentials'
        Export-S3Credential nothing -Path $path -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey $Secret -WhatIf
        Test-Path $path | Should -BeFalse
    }

    It 'refuses bad input with an ErrorId and never shows the secret' {
        $path = Join-Path $TestDrive 'bad/credentials'
        { Export-S3Credential 'two words' -Path $path -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey $Secret -ErrorAction Stop } |
            Should -Throw -ErrorId 'ProfileNameInvalid,S3Credentials.Commands.ExportS3CredentialCommand'
        $record = $null
        try { Export-S3Credential fine -Path $path -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey "bad secret`nx" -ErrorAction Stop } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'SecretAccessKeyInvalid,S3Credentials.Commands.ExportS3CredentialCommand'
        $record.Exception.Message | Should -Not -Match 'bad secret'
        Test-Path $path | Should -BeFalse
    }

    It 'has help with examples' {
        @((Get-Help Export-S3Credential -Examples).examples.example).Count | Should -BeGreaterOrEqual 2
    }
}

Describe 'ConvertTo-S3CredentialText' {
    BeforeEach {
        Reset-TestMoto $Moto
        $script:Saved = @{}
        foreach ($name in $AwsVariables) { $Saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    }
    AfterEach {
        foreach ($name in $AwsVariables) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
    }

    It 'writes JSON that -AuthFile accepts' {
        $credential = New-TestCredential 'text-json' '15m'
        $file = Join-Path $TestDrive 'creds.json'
        $credential | ConvertTo-S3CredentialText -Format Json | Set-Content $file
        $identity = Get-S3CallerIdentity -AuthFile $file @Endpoints
        $identity.AccessKeyId | Should -Be $credential.AccessKeyId
        $identity.CredentialSource | Should -Be 'AuthFile'
        (Get-Content $file -Raw | ConvertFrom-Json).SessionToken | Should -Be $credential.SessionToken
    }

    It 'writes INI that -AuthFile and -ProfileLocation accept, under the chosen section' {
        $credential = New-TestCredential 'text-ini'
        $file = Join-Path $TestDrive 'creds.ini'
        $text = $credential | ConvertTo-S3CredentialText -Format Ini -ProfileName shared
        $text | Should -BeOfType 'System.String'
        $text | Should -Match '^\[shared\]\n'
        Set-Content $file $text
        (Get-S3CallerIdentity -AuthFile $file @Endpoints).AccessKeyId | Should -Be $credential.AccessKeyId
        (Get-S3CallerIdentity -ProfileName shared -ProfileLocation $file @Endpoints).AccessKeyId | Should -Be $credential.AccessKeyId
    }

    It 'writes credential_process JSON with Version 1 and Expiration only for temporary credentials' {
        $temporary = New-TestCredential 'text-process' '15m' | ConvertTo-S3CredentialText -Format CredentialProcess | ConvertFrom-Json
        $temporary.Version | Should -Be 1
        $temporary.PSObject.Properties.Name | Should -Contain 'Expiration'
        $permanent = [pscustomobject]@{ AccessKeyId = 'AKIAIOSFODNN7EXAMPLE'; SecretAccessKey = $Secret } | ConvertTo-S3CredentialText -Format CredentialProcess | ConvertFrom-Json
        $permanent.PSObject.Properties.Name | Should -Not -Contain 'Expiration'
        $permanent.PSObject.Properties.Name | Should -Not -Contain 'SessionToken'
    }

    # On Windows, bash is usually WSL's, which cannot read a Windows path.
    It 'writes shell lines that bash evaluates to exactly the values' -Skip:($IsWindows -or -not (Get-Command bash -CommandType Application -ErrorAction SilentlyContinue)) {
        $awkward = "it's`$HOME``id``\`"!"
        $credential = [pscustomobject]@{ AccessKeyId = 'ASIAIOSFODNN7EXAMPLE'; SecretAccessKey = $awkward; SessionToken = "tok'en"; Region = 'eu-west-2' }
        $checkFile = Join-Path $TestDrive 'check.sh'
        $text = $credential | ConvertTo-S3CredentialText -Format Shell
        [IO.File]::WriteAllText($checkFile, "AWS_SECURITY_TOKEN=stale`n" + $text + "`nprintf '%s|%s|%s|%s|%s' `"`$AWS_ACCESS_KEY_ID`" `"`$AWS_SECRET_ACCESS_KEY`" `"`$AWS_SESSION_TOKEN`" `"`$AWS_REGION`" `"`${AWS_SECURITY_TOKEN-unset}`"`n")
        $output = bash $checkFile
        $LASTEXITCODE | Should -Be 0
        $output | Should -BeExactly "ASIAIOSFODNN7EXAMPLE|$awkward|tok'en|eu-west-2|unset"
    }

    It 'writes PowerShell lines that set exactly the values and remove a stale token' {
        $awkward = 'it''s$env:HOME`n'
        $env:AWS_SESSION_TOKEN = 'stale'
        [pscustomobject]@{ AccessKeyId = 'AKIAIOSFODNN7EXAMPLE'; SecretAccessKey = $awkward } | ConvertTo-S3CredentialText -Format PowerShell | Invoke-Expression
        $env:AWS_ACCESS_KEY_ID | Should -BeExactly 'AKIAIOSFODNN7EXAMPLE'
        $env:AWS_SECRET_ACCESS_KEY | Should -BeExactly $awkward
        $env:AWS_SESSION_TOKEN | Should -BeNullOrEmpty
    }

    It 'returns one string per piped object' {
        $credentials = 1..3 | ForEach-Object { [pscustomobject]@{ AccessKeyId = "AKIAIOSFODNN7EXAMPL$_"; SecretAccessKey = $Secret } }
        $texts = $credentials | ConvertTo-S3CredentialText -Format Json
        @($texts).Count | Should -Be 3
        ($texts[2] | ConvertFrom-Json).AccessKeyId | Should -Be 'AKIAIOSFODNN7EXAMPL3'
    }

    It 'refuses -ProfileName with a format other than Ini' {
        { [pscustomobject]@{ AccessKeyId = 'AKIAIOSFODNN7EXAMPLE'; SecretAccessKey = $Secret } | ConvertTo-S3CredentialText -Format Json -ProfileName x -ErrorAction Stop } |
            Should -Throw -ErrorId 'ProfileNameWithoutIni,S3Credentials.Commands.ConvertToS3CredentialTextCommand'
    }

    It 'has help with examples' {
        @((Get-Help ConvertTo-S3CredentialText -Examples).examples.example).Count | Should -BeGreaterOrEqual 2
    }
}
