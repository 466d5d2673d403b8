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

    It 'Test-S3Credential with no bucket is refused through the module''s one error path, naming -BucketName' {
        $record = $null
        try { Test-S3Credential @Aws -ErrorAction Stop } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'BucketNameMissing,S3Credentials.Commands.TestS3CredentialCommand'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.Exception.Message | Should -BeLike '*-BucketName*'
        # Every other error of the module comes from ErrorRecords.From, as an S3CredentialsCmdletException.
        $record.Exception.GetType().Name | Should -Be 'S3CredentialsCmdletException'
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

# The enums the parameters take live in S3Credentials.Models, loaded where PowerShell can name them (issue 15).
Describe 'Parameters that take one of a fixed set of values' {
    It '<Command> -<Parameter> is a [<Type>] that PowerShell names, Tab offers its values, and another value fails binding naming them' -ForEach @(
        @{ Command = 'New-S3Credential'; Parameter = 'Access'; Type = 'S3Credentials.Core.Models.AccessLevel'; Values = @('ReadWrite', 'ReadOnly', 'WriteOnly') }
        @{ Command = 'New-S3Credential'; Parameter = 'Method'; Type = 'S3Credentials.Core.Models.TemporaryCredentialMethod'; Values = @('AssumeRole', 'FederationToken') }
        @{ Command = 'Get-S3CredentialPolicy'; Parameter = 'Access'; Type = 'S3Credentials.Core.Models.AccessLevel'; Values = @('ReadWrite', 'ReadOnly', 'WriteOnly') }
        @{ Command = 'Get-S3CredentialPolicy'; Parameter = 'Method'; Type = 'S3Credentials.Core.Models.TemporaryCredentialMethod'; Values = @('AssumeRole', 'FederationToken') }
        @{ Command = 'Register-S3CredentialProfile'; Parameter = 'Access'; Type = 'S3Credentials.Core.Models.AccessLevel'; Values = @('ReadWrite', 'ReadOnly', 'WriteOnly') }
        @{ Command = 'Register-S3CredentialProfile'; Parameter = 'Method'; Type = 'S3Credentials.Core.Models.TemporaryCredentialMethod'; Values = @('AssumeRole', 'FederationToken') }
        @{ Command = 'New-S3PresignedUrl'; Parameter = 'Method'; Type = 'S3Credentials.Core.Models.PresignedUrlMethod'; Values = @('Get', 'Put') }
        @{ Command = 'ConvertTo-S3CredentialText'; Parameter = 'Format'; Type = 'S3Credentials.Core.Models.CredentialTextFormat'; Values = @('Ini', 'Json', 'Shell', 'PowerShell', 'CredentialProcess') }
    ) {
        $parameterType = (Get-Command $Command).Parameters[$Parameter].ParameterType
        $parameterType.FullName | Should -Be $Type
        $parameterType.Assembly.GetName().Name | Should -Be 'S3Credentials.Models'
        ($Type -as [type]) | Should -Be $parameterType -Because 'the type is in the context PowerShell resolves names in'
        [Enum]::GetNames($parameterType) | Should -Be $Values

        Get-CompletionText "$Command -$Parameter " | Should -Be ($Values | Sort-Object) -Because "Tab offers the names in alphabetical order"
        Get-CompletionText "$Command -$Parameter $($Values[-1].Substring(0, 3))" | Should -Be $Values[-1]

        $bad = @{ $Parameter = 'Nope' }
        $record = $null
        try { & $Command @bad -ErrorAction Stop } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -BeLike 'CannotConvertArgumentNoMessage,*'
        $record.Exception.Message | Should -BeLike "*'$Parameter'*Nope*$Type*$($Values -join ', ')*"
    }

    It 'a value of the enum binds as the enum and as its name' {
        $readOnly = [S3Credentials.Core.Models.AccessLevel]::ReadOnly
        (Get-S3CredentialPolicy photos -Access $readOnly).PolicyName | Should -Be 's3.read-only.photos'
        (Get-S3CredentialPolicy photos -Access readonly).PolicyName | Should -Be 's3.read-only.photos'
    }
}

# Combinations a parameter set cannot refuse: still the cmdlet's checks, which name the parameter and the rule and come
# before any request (the endpoints here lead nowhere: a request would fail as AwsConnectionFailed instead).
Describe 'Combinations the cmdlets refuse themselves' {
    BeforeAll {
        $script:Nowhere = Get-NowhereParameters $Aws
    }

    It '-<Parameter> without -CreateBucket is refused naming -<Parameter> and -CreateBucket, before any request (<Set>)' -ForEach @(
        foreach ($set in @{ Set = 'permanent'; Extra = @{} }, @{ Set = 'temporary'; Extra = @{ Duration = '1h' } }) {
            @{ Set = $set.Set; Extra = $set.Extra; Parameter = 'Public'; Arguments = @{ Public = $true }; ErrorId = 'PublicWithoutCreateBucket' }
            @{ Set = $set.Set; Extra = $set.Extra; Parameter = 'Website'; Arguments = @{ Website = $true }; ErrorId = 'WebsiteWithoutCreateBucket' }
            @{ Set = $set.Set; Extra = $set.Extra; Parameter = 'BucketRegion'; Arguments = @{ BucketRegion = 'eu-west-1' }; ErrorId = 'BucketRegionWithoutCreateBucket' }
        }
    ) {
        $record = $null
        try { New-S3Credential sets-bucket @Arguments @Extra @Nowhere -ErrorAction Stop } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be "$ErrorId,S3Credentials.Commands.NewS3CredentialCommand"
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.Exception.Message | Should -BeLike "-$Parameter *give -CreateBucket too*"
    }

    It 'the same switches with -CreateBucket bind and reach AWS' {
        { New-S3Credential sets-bucket -CreateBucket -Public -Website -BucketRegion eu-west-1 @Nowhere -ErrorAction Stop } |
            Should -Throw -ErrorId 'AwsConnectionFailed,S3Credentials.Commands.NewS3CredentialCommand'
    }

    It 'ConvertTo-S3CredentialText: -ProfileName with -Format <Format> is refused naming -ProfileName and the format (a set cannot tell values of -Format apart)' -ForEach @(
        @{ Format = 'Json' }, @{ Format = 'Shell' }, @{ Format = 'PowerShell' }, @{ Format = 'CredentialProcess' }
    ) {
        $credential = [pscustomobject]@{ AccessKeyId = 'AKIAIOSFODNN7EXAMPLE'; SecretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }
        $record = $null
        try { $credential | ConvertTo-S3CredentialText -Format $Format -ProfileName photos -ErrorAction Stop } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'ProfileNameWithoutIni,S3Credentials.Commands.ConvertToS3CredentialTextCommand'
        $record.Exception.Message | Should -Be "-ProfileName names the INI section: it cannot be used with -Format $Format."
        $record.Exception.Message | Should -Not -Match 'wJalr'
        $credential | ConvertTo-S3CredentialText -Format Ini -ProfileName photos | Should -BeLike '`[photos`]*'
    }
}
