#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'Register-S3CredentialProfile' {
    BeforeEach {
        Reset-TestMoto $Moto
        $script:Config = Join-Path $TestDrive 'config'
        $script:Credentials = Join-Path $TestDrive 'credentials'
        "[source]`naws_access_key_id = $($Aws.AccessKey)`naws_secret_access_key = $($Aws.SecretKey)`n" | Set-Content $Credentials
    }

    It 'writes a credential_process command that mints temporary credentials through this module' {
        New-S3Credential registered-bucket -CreateBucket -NoWait @Aws | Out-Null
        $env:AWS_SHARED_CREDENTIALS_FILE = $Credentials
        $env:AWS_ENDPOINT_URL = $Moto.Endpoint
        try {
            $result = Register-S3CredentialProfile minted registered-bucket -Access ReadOnly -Duration 15m -SourceProfile source -Region us-east-1 -Path $Config
            $result.Action | Should -Be 'Added'
            (Get-Content $Config -Raw) | Should -Match '\[profile minted\]'
            # Run the command exactly as the AWS tools would.
            $json = if ($IsWindows) { cmd /c $result.CredentialProcess } else { bash -c $result.CredentialProcess }
            $minted = $json | Out-String | ConvertFrom-Json
            $minted.Version | Should -Be 1
            $minted.AccessKeyId | Should -Match '^ASIA'
            $minted.SessionToken | Should -Not -BeNullOrEmpty
        } finally {
            Remove-Item Env:AWS_SHARED_CREDENTIALS_FILE, Env:AWS_ENDPOINT_URL -ErrorAction SilentlyContinue
        }
    }

    It 'refuses to replace a profile without -Force, and Unregister removes it' {
        Register-S3CredentialProfile twice some-bucket -Duration 15m -Path $Config | Out-Null
        { Register-S3CredentialProfile twice some-bucket -Duration 15m -Path $Config -ErrorAction Stop } |
            Should -Throw -ErrorId 'ProfileExists,S3Credentials.Commands.RegisterS3CredentialProfileCommand'
        (Register-S3CredentialProfile twice some-bucket -Duration 15m -Path $Config -Force).Action | Should -Be 'Replaced'
        (Unregister-S3CredentialProfile twice -Path $Config).Action | Should -Be 'Removed'
        Get-Content $Config -Raw | Should -Not -Match 'twice'
    }

    It '-WhatIf writes nothing' {
        Register-S3CredentialProfile dry some-bucket -Duration 15m -Path $Config -WhatIf
        Test-Path $Config | Should -BeFalse
    }

    It 'refuses bad input before touching the file' {
        { Register-S3CredentialProfile bad Bad_Bucket -Duration 15m -Path $Config -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidBucketNameCharacters,S3Credentials.Commands.RegisterS3CredentialProfileCommand'
        Test-Path $Config | Should -BeFalse
    }
}
