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
        # $TestDrive lives as long as the Describe block: each test gets a folder of its own in it, so no test sees
        # another's files.
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))
        $script:Config = Join-Path $folder 'config'
        $script:Credentials = Join-Path $folder 'credentials'
        "[source]`naws_access_key_id = $($Aws.AccessKey)`naws_secret_access_key = $($Aws.SecretKey)`n" | Set-Content $Credentials
    }

    It 'writes a credential_process command that the AWS CLI runs to get scoped temporary credentials' {
        New-S3Credential registered-bucket -CreateBucket -NoWait @Aws | Out-Null
        $result = Register-S3CredentialProfile minted registered-bucket -Access ReadOnly -Duration 15m -SourceProfile source -Region us-east-1 -Path $Config
        $result.Action | Should -Be 'Added'
        (Get-Content $Config -Raw) | Should -Match '\[profile minted\]'

        # The CLI starts the command itself, with the environment it was given: this is how every user meets it.
        $saved = @{}
        $environment = @{ AWS_CONFIG_FILE = $Config; AWS_SHARED_CREDENTIALS_FILE = $Credentials; AWS_ENDPOINT_URL = $Moto.Endpoint }
        foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
        try {
            $output = & (Find-AwsCli) sts get-caller-identity --profile minted --output json 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        } finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        $identity = ($output -join "`n") | ConvertFrom-Json
        $identity.Arn | Should -Be 'arn:aws:sts::123456789012:assumed-role/S3Credentials-TemporaryAccess/s3.read-only.registered-bucket'
    }

    It 'starts this PowerShell however it was installed' {
        $result = Register-S3CredentialProfile how-started some-bucket -Duration 15m -Path $Config
        $process = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
        if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
            # PowerShell as a .NET tool: the host runs PowerShell's own entry assembly.
            $result.CredentialProcess | Should -BeLike ('"{0}" "{1}" -NoProfile *' -f $process, (Join-Path $PSHOME 'pwsh.dll'))
        } else {
            $result.CredentialProcess | Should -BeLike ('"{0}" -NoProfile *' -f $process)
        }
    }

    It 'refuses a -PowerShellPath that does not exist, before touching the file' {
        $missing = Join-Path $TestDrive 'no-such-folder/pwsh'
        { Register-S3CredentialProfile missing some-bucket -Duration 15m -Path $Config -PowerShellPath $missing -ErrorAction Stop } |
            Should -Throw -ErrorId 'PowerShellPathNotFound,S3Credentials.Commands.RegisterS3CredentialProfileCommand'
        Test-Path $Config | Should -BeFalse
    }

    It 'refuses to replace a profile without -Force, and Unregister removes it' {
        Register-S3CredentialProfile twice some-bucket -Duration 15m -Path $Config | Out-Null
        { Register-S3CredentialProfile twice some-bucket -Duration 15m -Path $Config -ErrorAction Stop } |
            Should -Throw -ErrorId 'ProfileExists,S3Credentials.Commands.RegisterS3CredentialProfileCommand'
        (Register-S3CredentialProfile twice some-bucket -Duration 15m -Path $Config -Force).Action | Should -Be 'Replaced'
        (Unregister-S3CredentialProfile twice -Path $Config -Confirm:$false).Action | Should -Be 'Removed'
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

    It 'passes -RoleArn on to New-S3Credential, and refuses one that is not a role ARN before touching the file' {
        $arn = 'arn:aws:iam::123456789012:role/partners/partner-role'
        $result = Register-S3CredentialProfile by-arn some-bucket -Duration 15m -RoleArn $arn -Path $Config
        $result.CredentialProcess | Should -BeLike "*New-S3Credential -BucketName 'some-bucket' -Duration 900 -RoleArn '$arn' -ErrorAction Stop*"
        { Register-S3CredentialProfile other some-bucket -Duration 15m -RoleArn 'arn:aws:iam::123456789012:user/x' -Path (Join-Path $TestDrive 'other') -ErrorAction Stop } |
            Should -Throw -ErrorId 'RoleArnInvalid,S3Credentials.Commands.RegisterS3CredentialProfileCommand'
        Test-Path (Join-Path $TestDrive 'other') | Should -BeFalse
    }
}
