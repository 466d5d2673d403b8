#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# What a PowerShell user meets when handing the module credentials: the kinds of -Credential, AWS.Tools' parameter
# names, S3-compatible stores' keys, conflicting sources, broken shared files and refused credentials.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
    $script:Endpoints = @{ Region = 'us-east-1'; EndpointUrl = $Moto.Endpoint; IamEndpointUrl = $Moto.Endpoint; StsEndpointUrl = $Moto.Endpoint }
    $script:Key = 'AKIAIOSFODNN7EXAMPLE'
    $script:Secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'

    # The error record a script block throws (it must throw).
    function Get-ThrownRecord([scriptblock] $Script) {
        try { & $Script } catch { return $_ }
        throw 'The command did not fail.'
    }

    function New-CredentialsFile([string] $Name, [string] $Text) {
        $file = Join-Path $TestDrive $Name
        Set-Content -LiteralPath $file -Value $Text -NoNewline
        $file
    }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'What -Credential takes' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'takes a PSCredential: the user name is the access key id, the password the secret key' {
        $credential = [pscredential]::new($Key, (ConvertTo-SecureString $Secret -AsPlainText -Force))
        $identity = Get-S3CallerIdentity -Credential $credential @Endpoints
        $identity.CredentialSource | Should -Be 'CredentialObject'
        $identity.AccessKeyId | Should -Be $Key
    }

    It 'takes a PSCredential whose user name Windows PowerShell''s dialog gave an empty domain' {
        $credential = [pscredential]::new("\$Key", (ConvertTo-SecureString $Secret -AsPlainText -Force))
        (Get-S3CallerIdentity -Credential $credential @Endpoints).AccessKeyId | Should -Be $Key
    }

    It 'takes a piped PSCredential in Test-S3Credential' {
        New-S3Credential pscredential-bucket -CreateBucket -NoWait @Aws | Out-Null
        $credential = [pscredential]::new($Key, (ConvertTo-SecureString $Secret -AsPlainText -Force))
        $list = $credential | Test-S3Credential -BucketName pscredential-bucket @Endpoints | Where-Object Action -eq List
        $list.Result | Should -Be 'Allowed'
        $list.AccessKeyId | Should -Be $Key
    }

    It 'refuses a PSCredential without a password, naming -Credential' {
        $credential = [pscredential]::new($Key, [securestring]::new())
        $record = Get-ThrownRecord { Get-S3CallerIdentity -Credential $credential @Endpoints -ErrorAction Stop }
        $record.FullyQualifiedErrorId | Should -Be 'CredentialMissingSecretAccessKey,S3Credentials.Commands.GetS3CallerIdentityCommand'
    }

    It 'takes the AWSCredentials object of <Name>, another AWSSDK.Core than its own' -ForEach @(
        @{ Name = 'AWS.Tools 5 (AWSSDK.Core 4.1.1)'; Version = '4.1.1' }
        @{ Name = 'AWS.Tools 4 (AWSSDK.Core 3.7.402)'; Version = '3.7.402' }
    ) {
        # As Get-AWSCredential and New-AWSCredential return them: the SDK AWS.Tools loaded, in a session of its own.
        $core = Get-TestPackageFile AWSSDK.Core $Version lib/netstandard2.0/AWSSDK.Core.dll
        $manifest = Join-Path (Get-RepoRoot) 'out/S3Credentials/S3Credentials.psd1'
        $result = Invoke-FreshSession @"
Add-Type -Path '$core'
Import-Module '$manifest'
`$endpoints = @{ Region = 'us-east-1'; EndpointUrl = '$($Moto.Endpoint)'; StsEndpointUrl = '$($Moto.Endpoint)'; IamEndpointUrl = '$($Moto.Endpoint)' }
`$basic = [Amazon.Runtime.BasicAWSCredentials]::new('$Key', '$Secret')
`$session = [Amazon.Runtime.SessionAWSCredentials]::new('ASIAIOSFODNN7EXAMPLE', '$Secret', 'session-token-from-aws-tools')
`$identity = Get-S3CallerIdentity -Credential `$basic @endpoints
`$url = New-S3PresignedUrl bucket key.txt -Credential `$session @endpoints
[pscustomobject]@{
    Source     = `$identity.CredentialSource
    AccessKey  = `$identity.AccessKeyId
    SdkFile    = `$basic.GetType().Assembly.Location
    Url        = `$url.Url
}
"@
        $result.Source | Should -Be 'CredentialObject'
        $result.AccessKey | Should -Be $Key
        $result.SdkFile | Should -Be $core
        $result.Url | Should -Match 'X-Amz-Credential=ASIAIOSFODNN7EXAMPLE'
        $result.Url | Should -Match 'X-Amz-Security-Token=session-token-from-aws-tools'
    }
}

Describe 'AWS.Tools'' parameter names' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'takes -AccessKey with -SecretAccessKey, as AWS.Tools does' {
        (Get-S3CallerIdentity -AccessKey $Key -SecretAccessKey $Secret @Endpoints).CredentialSource | Should -Be 'Parameters'
    }

    It 'takes -<Name> and -<Location> for the profile and its file' -ForEach @(
        @{ Name = 'StoredCredentials'; Location = 'ProfilesLocation' }
        @{ Name = 'AWSProfileName'; Location = 'AWSProfilesLocation' }
    ) {
        $profiles = New-CredentialsFile "tools-$Name" "[tools]`naws_access_key_id = $Key`naws_secret_access_key = $Secret`n"
        $parameters = @{ $Name = 'tools'; $Location = $profiles }
        $identity = Get-S3CallerIdentity @parameters @Endpoints
        $identity.CredentialSource | Should -Be 'Profile'
        $identity.ProfileName | Should -Be 'tools'
    }

    It 'lists the aliases on every cmdlet that talks to AWS' {
        $cmdlets = Get-Command -Module S3Credentials | Where-Object { $_.Parameters.ContainsKey('StsEndpointUrl') }
        $cmdlets.Count | Should -BeGreaterOrEqual 10
        foreach ($cmdlet in $cmdlets) {
            $cmdlet.Parameters['SecretKey'].Aliases | Should -Be @('SK', 'SecretAccessKey') -Because $cmdlet.Name
            $cmdlet.Parameters['ProfileName'].Aliases | Should -Be @('Profile', 'StoredCredentials', 'AWSProfileName') -Because $cmdlet.Name
            $cmdlet.Parameters['ProfileLocation'].Aliases | Should -Be @('ProfilesLocation', 'AWSProfilesLocation') -Because $cmdlet.Name
        }
    }

    It 'still resolves the prefixes people type (-Secret, -ProfileL) to one parameter' {
        (Get-S3CallerIdentity -AccessKey $Key -Secret $Secret @Endpoints).CredentialSource | Should -Be 'Parameters'
        $profiles = New-CredentialsFile 'tools-prefix' "[tools]`naws_access_key_id = $Key`naws_secret_access_key = $Secret`n"
        (Get-S3CallerIdentity -ProfileN tools -ProfileL $profiles @Endpoints).ProfileName | Should -Be 'tools'
    }
}

Describe 'Keys of S3-compatible stores' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'accepts -AccessKey minioadmin -SecretKey minioadmin, as AWS_ACCESS_KEY_ID does' {
        $identity = Get-S3CallerIdentity -AccessKey minioadmin -SecretKey minioadmin @Endpoints
        $identity.AccessKeyId | Should -Be 'minioadmin'
        $identity.CredentialSource | Should -Be 'Parameters'
    }

    It 'runs the MinIO example of New-S3PresignedUrl''s help' {
        $url = New-S3PresignedUrl scratch a.txt -Method Put -EndpointUrl http://127.0.0.1:9000 -AccessKey minioadmin -SecretKey minioadmin
        $url.Url | Should -Match '^http://127\.0\.0\.1:9000/scratch/a\.txt\?.*X-Amz-Credential=minioadmin'
    }

    It 'takes the same keys from -Credential, an auth file and a profile' {
        (Get-S3CallerIdentity -Credential @{ AccessKeyId = 'minio-user'; SecretAccessKey = 'minioadmin' } @Endpoints).AccessKeyId | Should -Be 'minio-user'
        $auth = New-CredentialsFile 'minio.json' '{"AccessKeyId":"minioadmin","SecretAccessKey":"minioadmin"}'
        (Get-S3CallerIdentity -AuthFile $auth @Endpoints).AccessKeyId | Should -Be 'minioadmin'
        $profiles = New-CredentialsFile 'minio-credentials' "[minio]`naws_access_key_id = minioadmin`naws_secret_access_key = minioadmin`n"
        (Get-S3CallerIdentity -ProfileName minio -ProfileLocation $profiles @Endpoints).AccessKeyId | Should -Be 'minioadmin'
    }

    It 'still refuses what can never be a key, naming the parameter and the rule, before any AWS call' -ForEach @(
        @{ Parameters = @{ AccessKey = ' '; SecretKey = 'minioadmin' }; ErrorId = 'AccessKeyInvalid'; Parameter = 'AccessKey'; Problem = 'character 1 is whitespace' }
        @{ Parameters = @{ AccessKey = 'minioadmin'; SecretKey = "minio`u{1}admin" }; ErrorId = 'SecretKeyInvalid'; Parameter = 'SecretKey'; Problem = 'character 6 is a control character' }
        @{ Parameters = @{ Credential = @{ AccessKeyId = "AKIA`tEXAMPLE"; SecretAccessKey = 'minioadmin' } }; ErrorId = 'CredentialInvalidAccessKeyId'; Parameter = 'Credential'; Problem = 'character 5 is whitespace' }
    ) {
        # The endpoints point at a closed port: any request would fail with another error.
        $record = Get-ThrownRecord { Get-S3CallerIdentity @Parameters -Region us-east-1 -EndpointUrl http://127.0.0.1:9 -StsEndpointUrl http://127.0.0.1:9 -IamEndpointUrl http://127.0.0.1:9 -ErrorAction Stop }
        $record.FullyQualifiedErrorId | Should -Be "$ErrorId,S3Credentials.Commands.GetS3CallerIdentityCommand"
        $record.Exception.ParameterName | Should -Be $Parameter
        $record.Exception.Message | Should -Match "^-$Parameter"
        $record.Exception.Message | Should -Match 'printable ASCII without spaces or control characters'
        $record.Exception.Message | Should -Match ([regex]::Escape($Problem))
        $record.Exception.Message | Should -Not -Match 'minio.admin'
    }

    It 'refuses an environment key with a stray carriage return, without showing it' {
        $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_EC2_METADATA_DISABLED
        try {
            $env:AWS_ACCESS_KEY_ID = 'minioadmin'; $env:AWS_SECRET_ACCESS_KEY = "$Secret`r"; $env:AWS_EC2_METADATA_DISABLED = 'true'
            $record = Get-ThrownRecord { Get-S3CallerIdentity @Endpoints -ErrorAction Stop }
            $record.FullyQualifiedErrorId | Should -Be 'EnvironmentCredentialsInvalid,S3Credentials.Commands.GetS3CallerIdentityCommand'
            $record.Exception.Message | Should -Match 'AWS_SECRET_ACCESS_KEY must be printable ASCII'
            $record.Exception.Message | Should -Not -Match 'wJalrXUtnFEMI'
        }
        finally {
            $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_EC2_METADATA_DISABLED = $saved
        }
    }
}

Describe 'Two sources of credentials at once' {
    It 'refuses -Credential with -ProfileName instead of ignoring the profile' {
        $profiles = New-CredentialsFile 'pair-credentials' "[pair]`naws_access_key_id = $Key`naws_secret_access_key = $Secret`n"
        $record = Get-ThrownRecord { Get-S3CallerIdentity -Credential @{ AccessKeyId = $Key; SecretAccessKey = $Secret } -ProfileName pair -ProfileLocation $profiles @Endpoints -ErrorAction Stop }
        $record.FullyQualifiedErrorId | Should -Be 'ConflictingCredentialParameters,S3Credentials.Commands.GetS3CallerIdentityCommand'
        $record.Exception.ParameterName | Should -Be 'ProfileName'
        $record.Exception.Message | Should -Be '-Credential and -ProfileName were both given: use only one way of passing credentials.'
    }

    It 'refuses <Pair> as well' -ForEach @(
        @{ Pair = 'keys with -ProfileName'; Parameters = @{ AccessKey = 'AKIAIOSFODNN7EXAMPLE'; SecretKey = 'x'; ProfileName = 'pair' }; Parameter = 'ProfileName' }
        @{ Pair = '-AuthFile with -ProfileName'; Parameters = @{ AuthFile = 'auth.json'; ProfileName = 'pair' }; Parameter = 'ProfileName' }
        @{ Pair = '-Credential with -AuthFile'; Parameters = @{ Credential = @{ AccessKeyId = 'AKIAIOSFODNN7EXAMPLE'; SecretAccessKey = 'x' }; AuthFile = 'auth.json' }; Parameter = 'AuthFile' }
    ) {
        $record = Get-ThrownRecord { Get-S3CallerIdentity @Parameters @Endpoints -ErrorAction Stop }
        $record.FullyQualifiedErrorId | Should -Be 'ConflictingCredentialParameters,S3Credentials.Commands.GetS3CallerIdentityCommand'
        $record.Exception.ParameterName | Should -Be $Parameter
    }
}

Describe 'A broken shared credentials file' {
    It 'is CredentialsFileMalformed naming the file and the line, without the line''s text' {
        $profiles = New-CredentialsFile 'broken-credentials' "[broken]`naws_access_key_id = $Key`naws_secret_access_key: $Secret`n"
        $record = Get-ThrownRecord { Get-S3CallerIdentity -ProfileName broken -ProfileLocation $profiles @Endpoints -ErrorAction Stop }
        $record.FullyQualifiedErrorId | Should -Be 'CredentialsFileMalformed,S3Credentials.Commands.GetS3CallerIdentityCommand'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.Exception.ParameterName | Should -Be 'ProfileLocation'
        $record.Exception.Message | Should -Be "The shared credentials or config file '$profiles' (-ProfileLocation) cannot be read: line 3 is neither a [section] header, a key = value line nor a comment. Correct or remove that line."
        ($record | Format-List * -Force | Out-String) + ($record.Exception | Format-List * -Force | Out-String) | Should -Not -Match 'wJalrXUtnFEMI'
    }

    It 'is found in AWS_SHARED_CREDENTIALS_FILE too' {
        $profiles = New-CredentialsFile 'broken-env-credentials' "[default]`ngarbage $Secret`n"
        $saved = $env:AWS_SHARED_CREDENTIALS_FILE
        try {
            $env:AWS_SHARED_CREDENTIALS_FILE = $profiles
            $record = Get-ThrownRecord { Get-S3CallerIdentity -AccessKey $Key -SecretKey $Secret @Endpoints -ErrorAction Stop }
            $record.FullyQualifiedErrorId | Should -Be 'CredentialsFileMalformed,S3Credentials.Commands.GetS3CallerIdentityCommand'
            $record.Exception.Message | Should -Match ([regex]::Escape("'$profiles' cannot be read: line 2 "))
            $record.Exception.Message | Should -Not -Match 'wJalrXUtnFEMI'
        }
        finally {
            $env:AWS_SHARED_CREDENTIALS_FILE = $saved
        }
    }
}

Describe 'Credentials S3 refuses' {
    BeforeEach { Reset-TestMoto $Moto }
    AfterEach { Reset-TestMoto $Moto }

    It 'says New-S3Credential''s credentials were refused when the secret key is wrong, not that the bucket is someone else''s' {
        New-S3Credential refused-bucket -CreateBucket -NoWait @Aws | Out-Null
        $key = New-S3Credential refused-bucket -Access ReadWrite -NoWait @Aws
        # moto's auth mode: signatures and identity policies are checked from now on.
        Invoke-RestMethod -Method Post -Uri "$($Moto.Endpoint)/moto-api/reset-auth" -Body '0' -ContentType 'text/plain' | Out-Null
        $record = Get-ThrownRecord { New-S3Credential refused-bucket -NoWait -AccessKey $key.AccessKeyId -SecretKey 'not-the-secret-key-of-this-access-key' @Endpoints -ErrorAction Stop }
        $record.FullyQualifiedErrorId | Should -Be 'CredentialsRefused,S3Credentials.Commands.NewS3CredentialCommand'
        $record.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $record.Exception.Message | Should -Match "^S3 refused the credentials: the secret key is not the one of access key $($key.AccessKeyId); check the secret key \(SignatureDoesNotMatch\)"
        $record.Exception.Message | Should -Not -Match 'exists but is not accessible'
        $record.Exception.Message | Should -Not -Match 'not-the-secret'
    }

    It 'still says the bucket is not accessible when good credentials may not see it' {
        New-S3Credential other-bucket, mine-bucket -CreateBucket -NoWait @Aws | Out-Null
        $key = New-S3Credential mine-bucket -Access ReadOnly -NoWait @Aws
        Invoke-RestMethod -Method Post -Uri "$($Moto.Endpoint)/moto-api/reset-auth" -Body '0' -ContentType 'text/plain' | Out-Null
        $record = Get-ThrownRecord { New-S3Credential other-bucket -NoWait -AccessKey $key.AccessKeyId -SecretKey $key.SecretAccessKey @Endpoints -ErrorAction Stop }
        $record.FullyQualifiedErrorId | Should -Be 'BucketAccessDenied,S3Credentials.Commands.NewS3CredentialCommand'
    }
}
