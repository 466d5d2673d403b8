#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Parameters that exclude each other are in different parameter sets, so PowerShell refuses them while binding,
# help and Get-Command -Syntax show the sets, and Tab offers only what still fits (issue 15).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
    $script:UserCount = { @(Get-S3User @Aws).Count }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'New-S3Credential parameter sets' {
    BeforeEach {
        Reset-TestMoto $Moto
        New-S3Credential sets-bucket -CreateBucket -UserName setup -NoWait @Aws | Out-Null
    }

    It 'Get-Command -Syntax shows four sets: permanent and temporary, each with -Access/-Prefix or a required -Policy' {
        $sets = (Get-Command New-S3Credential).ParameterSets
        @($sets.Name) | Should -Be @('Permanent', 'PermanentPolicy', 'Temporary', 'TemporaryPolicy')
        ($sets | Where-Object IsDefault).Name | Should -Be 'Permanent'
        $syntax = Get-Command New-S3Credential -Syntax | Out-String -Width 80
        $lines = @($syntax -split "\r?\n" | Where-Object { $_ -like 'New-S3Credential *' })
        $lines.Count | Should -Be 4
        $lines[0] | Should -Match '\[-UserName <string>\].*\[-NoWait\]'
        $lines[0] | Should -Not -Match '-Duration|-Method|-RoleName|-Policy '
        $lines[1] | Should -Match ' -Policy <string> ' -Because 'the custom-policy sets require -Policy'
        $lines[1] | Should -Not -Match '-Access <|-Prefix <|-Duration'
        $lines[2] | Should -Match ' -Duration <timespan> .*\[-Method <TemporaryCredentialMethod>\].*\[-RoleName <string>\]'
        $lines[2] | Should -Not -Match '-UserName|-PermissionsBoundary|-NoWait|-Policy '
        $lines[3] | Should -Match ' -Duration <timespan> -Policy <string> '
    }

    It '<Case> fails while binding, before any request' -ForEach @(
        @{ Case = '-UserName with -Duration'; Extra = @{ UserName = 'u'; Duration = '1h' } }
        @{ Case = '-NoWait with -Duration'; Extra = @{ NoWait = $true; Duration = '1h' } }
        @{ Case = '-PermissionsBoundary with -Duration'; Extra = @{ PermissionsBoundary = 'none'; Duration = '1h' } }
        @{ Case = '-RoleName without -Duration'; Extra = @{ RoleName = 'r' } }
        @{ Case = '-RoleArn with -UserName'; Extra = @{ RoleArn = 'arn:aws:iam::123456789012:role/x'; UserName = 'u' } }
        @{ Case = '-Method without -Duration'; Extra = @{ Method = 'FederationToken' } }
        @{ Case = '-Access with -Policy'; Extra = @{ Access = 'ReadOnly'; Policy = '{}' } }
        @{ Case = '-Prefix with -Policy and -Duration'; Extra = @{ Prefix = 'in/'; Policy = '{}'; Duration = '1h' } }
    ) {
        { New-S3Credential sets-bucket @Extra @Aws -ErrorAction Stop } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,S3Credentials.Commands.NewS3CredentialCommand'
        & $UserCount | Should -Be 1
    }

    It 'New-S3Credential photos binds the Permanent set, and piped names bind every set they should' {
        $permanent = New-S3Credential sets-bucket -UserName one -NoWait @Aws
        $permanent.Kind | Should -Be 'Permanent'
        $temporary = 'sets-bucket' | New-S3Credential -Duration 15m @Aws
        $temporary.Kind | Should -Be 'Temporary'
        $policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::$!BUCKET_NAME!$/*"}]}'
        ([pscustomobject]@{ BucketName = 'sets-bucket' } | New-S3Credential -Policy $policy -UserName two -NoWait @Aws).Kind | Should -Be 'Permanent'
        ('sets-bucket' | New-S3Credential -Policy $policy -Duration 15m -Method FederationToken @Aws).Kind | Should -Be 'Temporary'
        & $UserCount | Should -Be 3
    }

    It 'the TemporaryPolicy set without a bucket name is refused by the cmdlet, naming -BucketName' {
        { New-S3Credential -Duration 15m -Policy '{}' @Aws -ErrorAction Stop } |
            Should -Throw -ErrorId 'BucketNameMissing,S3Credentials.Commands.NewS3CredentialCommand' -ExpectedMessage '*-BucketName*'
    }

    It 'role against federation token is a value of -Method, so the cmdlet still refuses -RoleName with FederationToken' {
        { New-S3Credential sets-bucket -Duration 1h -Method FederationToken -RoleName r @Aws -ErrorAction Stop } |
            Should -Throw -ErrorId 'RoleNameWithFederationToken,S3Credentials.Commands.NewS3CredentialCommand'
    }

    It 'Tab after a permanent-only parameter offers no temporary-only one, and after -Duration no permanent-only one' {
        $afterUserName = Get-CompletionText 'New-S3Credential photos -UserName u -'
        $afterUserName | Should -Contain '-NoWait'
        $afterUserName | Should -Not -Contain '-Duration'
        $afterUserName | Should -Not -Contain '-Method'
        $afterUserName | Should -Not -Contain '-RoleName'
        $afterDuration = Get-CompletionText 'New-S3Credential photos -Duration 1h -'
        $afterDuration | Should -Contain '-RoleName'
        $afterDuration | Should -Not -Contain '-UserName'
        $afterDuration | Should -Not -Contain '-NoWait'
        $afterDuration | Should -Not -Contain '-PermissionsBoundary'
        $afterPolicy = Get-CompletionText 'New-S3Credential photos -Policy p.json -'
        $afterPolicy | Should -Not -Contain '-Access'
        $afterPolicy | Should -Not -Contain '-Prefix'
    }
}

Describe 'Get-S3CredentialPolicy parameter sets' {
    It 'has an access-level, a custom-policy and a public-bucket set' {
        @((Get-Command Get-S3CredentialPolicy).ParameterSets.Name) | Should -Be @('AccessLevel', 'Policy', 'PublicBucket')
    }

    It '<Case> fails while binding' -ForEach @(
        @{ Case = '-PublicBucket with -Access'; Extra = @{ PublicBucket = $true; Access = 'ReadOnly' } }
        @{ Case = '-PublicBucket with -Duration'; Extra = @{ PublicBucket = $true; Duration = '1h' } }
        @{ Case = '-Policy with -Prefix'; Extra = @{ Policy = '{}'; Prefix = 'in/' } }
    ) {
        { Get-S3CredentialPolicy photos @Extra -ErrorAction Stop } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,S3Credentials.Commands.GetS3CredentialPolicyCommand'
    }

    It 'piped names bind each set' {
        ('photos', 'logs' | Get-S3CredentialPolicy -Duration 1h).Kind | Should -Be 'SessionPolicy'
        @('photos', 'logs' | Get-S3CredentialPolicy -PublicBucket).Count | Should -Be 2
        $policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::$!BUCKET_NAME!$/*"}]}'
        ('photos' | Get-S3CredentialPolicy -Policy $policy).Access | Should -Be 'Custom'
    }
}
