#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
    $script:Endpoints = @{ Region = 'us-east-1'; EndpointUrl = $Moto.Endpoint; IamEndpointUrl = $Moto.Endpoint; StsEndpointUrl = $Moto.Endpoint }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'Get-S3CallerIdentity' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'returns a typed identity from the emulator' {
        $identity = Get-S3CallerIdentity @Aws
        $identity | Should -BeOfType 'S3Credentials.Core.Models.CallerIdentity'
        $identity.Account | Should -Be '123456789012'
        $identity.CredentialSource | Should -Be 'Parameters'
        $identity.AccessKeyId | Should -Be 'AKIAIOSFODNN7EXAMPLE'
        $identity.Partition | Should -Be 'aws'
    }

    It 'accepts -Credential as any object with AccessKeyId and SecretAccessKey' {
        $credential = [pscustomobject]@{ AccessKeyId = 'AKIAIOSFODNN7EXAMPLE'; SecretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }
        (Get-S3CallerIdentity -Credential $credential @Endpoints).CredentialSource | Should -Be 'CredentialObject'
    }

    It 'accepts -Credential as a hashtable' {
        $credential = @{ AccessKeyId = 'AKIAIOSFODNN7EXAMPLE'; SecretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }
        (Get-S3CallerIdentity -Credential $credential @Endpoints).CredentialSource | Should -Be 'CredentialObject'
    }

    It 'reads an s3-credentials auth file' {
        $file = Join-Path $TestDrive 'auth.json'
        '{"AccessKeyId":"AKIAIOSFODNN7EXAMPLE","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}' | Set-Content $file
        $identity = Get-S3CallerIdentity -AuthFile $file @Endpoints
        $identity.CredentialSource | Should -Be 'AuthFile'
        $identity.AuthFile | Should -Be (Resolve-Path $file).Path
    }

    It 'reads a profile from -ProfileLocation' {
        $file = Join-Path $TestDrive 'credentials'
        "[pester]`naws_access_key_id = AKIAIOSFODNN7EXAMPLE`naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`n" | Set-Content $file
        $identity = Get-S3CallerIdentity -ProfileName pester -ProfileLocation $file @Endpoints
        $identity.CredentialSource | Should -Be 'Profile'
        $identity.ProfileName | Should -Be 'pester'
    }

    It 'refuses -AccessKey without -SecretKey before any AWS call' {
        { Get-S3CallerIdentity -AccessKey AKIAIOSFODNN7EXAMPLE @Endpoints -ErrorAction Stop } |
            Should -Throw -ErrorId 'SecretKeyMissing,S3Credentials.Commands.GetS3CallerIdentityCommand'
    }

    It 'refuses a profile that does not exist' {
        $file = Join-Path $TestDrive 'empty-credentials'
        '' | Set-Content $file
        { Get-S3CallerIdentity -ProfileName nope -ProfileLocation $file @Endpoints -ErrorAction Stop } |
            Should -Throw -ErrorId 'ProfileNotFound,S3Credentials.Commands.GetS3CallerIdentityCommand'
    }

    It 'refuses both -AuthFile and keys' {
        { Get-S3CallerIdentity @Aws -AuthFile (Join-Path $TestDrive 'x.json') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConflictingCredentialParameters,S3Credentials.Commands.GetS3CallerIdentityCommand'
    }

    It 'puts the category on the error record' {
        $record = $null
        try { Get-S3CallerIdentity -AccessKey AKIAIOSFODNN7EXAMPLE @Endpoints -ErrorAction Stop } catch { $record = $_ }
        $record | Should -Not -BeNullOrEmpty
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.Exception.ParameterName | Should -Be 'SecretKey'
    }

    It 'never writes the secret to the verbose stream' {
        $verbose = Get-S3CallerIdentity @Aws -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $verbose | Should -Not -BeNullOrEmpty
        ($verbose | Out-String) | Should -Not -Match 'wJalrXUtnFEMI'
    }

    It 'serialises cleanly to JSON' {
        $json = Get-S3CallerIdentity @Aws | ConvertTo-Json | ConvertFrom-Json
        $json.Account | Should -Be '123456789012'
    }

    It 'has a table view' {
        (Get-S3CallerIdentity @Aws | Format-Table | Out-String) | Should -Match 'Account\s+Arn'
    }

    It 'has help with examples' {
        @((Get-Help Get-S3CallerIdentity -Examples).examples.example).Count | Should -BeGreaterOrEqual 2
    }
}

Describe 'Tab completion' {
    It 'completes -Region from the SDK list' {
        $script = 'Get-S3CallerIdentity -Region eu-west-'
        $result = TabExpansion2 -inputScript $script -cursorColumn $script.Length
        $result.CompletionMatches.CompletionText | Should -Contain 'eu-west-1'
        $result.CompletionMatches.CompletionText | Should -Not -Contain 'us-east-1'
    }

    It 'completes -ProfileName from the shared files' {
        $file = Join-Path $TestDrive 'credentials-for-completion'
        "[completion-profile]`naws_access_key_id = AKIAIOSFODNN7EXAMPLE`naws_secret_access_key = x`n" | Set-Content $file
        $script = "Get-S3CallerIdentity -ProfileLocation '$file' -ProfileName completion-"
        $result = TabExpansion2 -inputScript $script -cursorColumn $script.Length
        $result.CompletionMatches.CompletionText | Should -Contain 'completion-profile'
    }

    It 'completes -BucketName from the emulator' {
        New-S3Credential completion-bucket -CreateBucket -NoWait @Aws | Out-Null
        $script = "New-S3Credential -AccessKey $($Aws.AccessKey) -SecretKey '$($Aws.SecretKey)' -EndpointUrl $($Moto.Endpoint) -IamEndpointUrl $($Moto.Endpoint) -StsEndpointUrl $($Moto.Endpoint) -BucketName completion-b"
        $result = TabExpansion2 -inputScript $script -cursorColumn $script.Length
        $result.CompletionMatches.CompletionText | Should -Contain 'completion-bucket'
    }
}
