#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Input that can never be right fails with an error naming the parameter and the rule, before any request (issue 13).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto -Record
    $script:Aws = Get-MotoParameters $Moto
    $script:UserCount = { @(Get-S3User @Aws).Count }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'New-S3Credential refuses a policy or region that cannot be meant' {
    BeforeEach {
        Reset-TestMoto $Moto
        New-S3Credential input-bucket -CreateBucket -UserName setup -NoWait @Aws | Out-Null
    }

    It 'an empty -Policy file is an error, not read-write access' {
        $empty = Join-Path $TestDrive 'empty.json'
        Set-Content -Path $empty -Value $null -NoNewline
        (Get-Item $empty).Length | Should -Be 0
        { New-S3Credential input-bucket -Policy $empty -NoWait @Aws -ErrorAction Stop } |
            Should -Throw -ErrorId 'PolicyEmpty,S3Credentials.Commands.NewS3CredentialCommand' -ExpectedMessage "*-Policy file '$empty' is empty*"
        { Get-S3CredentialPolicy input-bucket -Policy $empty -ErrorAction Stop } | Should -Throw -ErrorId 'PolicyEmpty,*'
        & $UserCount | Should -Be 1
    }

    It 'a whitespace -Policy is an error' {
        { New-S3Credential input-bucket -Policy "  `n " -NoWait @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'PolicyEmpty,*'
        & $UserCount | Should -Be 1
    }

    It 'a -Policy that names none of the buckets is written with a warning' {
        $policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*"}]}'
        $warnings = $null
        $credential = New-S3Credential input-bucket -Policy $policy -NoWait @Aws -WarningVariable warnings -WarningAction SilentlyContinue
        $credential.UserName | Should -Be 's3.custom.input-bucket'
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "*-Policy has no `$!BUCKET_NAME!`$ placeholder*'input-bucket'*"
        Get-S3CredentialPolicy input-bucket -Policy $policy -WarningVariable policyWarnings -WarningAction SilentlyContinue | Out-Null
        $policyWarnings.Count | Should -Be 1
        $placeholder = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::$!BUCKET_NAME!$/*"}]}'
        Get-S3CredentialPolicy input-bucket -Policy $placeholder -WarningVariable none -WarningAction SilentlyContinue | Out-Null
        $none.Count | Should -Be 0
    }

    It '-Region us-nowhere-9 is refused before any request, naming -EndpointUrl as the way for other stores' {
        # S3 would go to AWS (no -EndpointUrl); IAM and STS go to moto, which would happily create the user.
        $toAws = $Aws.Clone(); $toAws.Remove('EndpointUrl'); $toAws.Region = 'us-nowhere-9'
        { New-S3Credential input-bucket -UserName nowhere -NoWait @toAws -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegionUnknown,S3Credentials.Commands.NewS3CredentialCommand' -ExpectedMessage "*-Region 'us-nowhere-9'*-EndpointUrl*"
        { Get-S3User @toAws -ErrorAction Stop } | Should -Throw -ErrorId 'RegionUnknown,*'
        { Get-S3CredentialPolicy input-bucket -Region us-nowhere-9 -ErrorAction Stop } | Should -Throw -ErrorId 'RegionUnknown,*'
        & $UserCount | Should -Be 1
    }

    It '-BucketRegion us-nowhere-9 is refused too when S3 goes to AWS' {
        $toAws = $Aws.Clone(); $toAws.Remove('EndpointUrl')
        { New-S3Credential nowhere-bucket -CreateBucket -BucketRegion us-nowhere-9 -UserName nowhere -NoWait @toAws -ErrorAction Stop } |
            Should -Throw -ErrorId 'BucketRegionUnknown,S3Credentials.Commands.NewS3CredentialCommand'
        & $UserCount | Should -Be 1
    }

    It 'a store of one''s own (-EndpointUrl) may name its region as it likes' {
        (Get-S3User setup @Aws -Region us-nowhere-9).UserName | Should -Be 'setup'
    }
}

Describe 'Names that can never be IAM names fail without a request' {
    BeforeAll {
        # Every endpoint on a port nothing listens on: any request would fail with a connection error instead.
        $script:Nowhere = Get-NowhereParameters $Aws
    }

    It '<Command> <Name> is <ErrorId> and sends nothing' -TestCases @(
        @{ Command = 'Get-S3User'; Name = 'bad name!'; ErrorId = 'InvalidUserNameCharacters'; Class = 'GetS3UserCommand' }
        @{ Command = 'Get-S3User'; Name = ('u' * 65); ErrorId = 'InvalidUserNameLength'; Class = 'GetS3UserCommand' }
        @{ Command = 'Get-S3UserPolicy'; Name = 'team/alice'; ErrorId = 'InvalidUserNameCharacters'; Class = 'GetS3UserPolicyCommand' }
        @{ Command = 'Get-S3UserPolicy'; Name = 'bad*name!'; ErrorId = 'InvalidUserNameCharacters'; Class = 'GetS3UserPolicyCommand' }
        @{ Command = 'Get-S3Role'; Name = 'role/path'; ErrorId = 'InvalidRoleNameCharacters'; Class = 'GetS3RoleCommand' }
        @{ Command = 'Remove-S3User'; Name = 'bad name!'; ErrorId = 'InvalidUserNameCharacters'; Class = 'RemoveS3UserCommand' }
        @{ Command = 'Get-S3AccessKey'; Name = 'bad name!'; ErrorId = 'InvalidUserNameCharacters'; Class = 'GetS3AccessKeyCommand' }
    ) {
        $errors = $null
        $extra = if ($Command -eq 'Remove-S3User') { @{ Force = $true } } else { @{} }
        $output = & $Command $Name @Nowhere @extra -ErrorVariable errors -ErrorAction SilentlyContinue
        @($output).Count | Should -Be 0
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be "$ErrorId,S3Credentials.Commands.$Class"
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errors[0].TargetObject | Should -Be $Name
        $errors[0].Exception.Message | Should -BeLike "-*Name '$Name'*"
    }

    It 'a valid pattern beside an impossible name is still looked up' {
        Reset-TestMoto $Moto
        New-S3Credential input-bucket -CreateBucket -UserName setup -NoWait @Aws | Out-Null
        $errors = $null
        (Get-S3User 'set*', 'bad name!' @Aws -ErrorVariable errors -ErrorAction SilentlyContinue).UserName | Should -Be 'setup'
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidUserNameCharacters,*'
    }
}

Describe 'New-S3Credential -Website' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'is refused without -Public, saying why, and creates nothing' {
        { New-S3Credential site-bucket -CreateBucket -Website -NoWait @Aws -ErrorAction Stop } |
            Should -Throw -ErrorId 'WebsiteWithoutPublic,S3Credentials.Commands.NewS3CredentialCommand' -ExpectedMessage '*403 Forbidden*give -Public too*'
        @(Get-S3BucketDetail @Aws).Count | Should -Be 0
        @(Get-S3User @Aws).Count | Should -Be 0
    }

    It 'with -Public makes a site everyone can read' {
        New-S3Credential site-bucket -CreateBucket -Website -Public -NoWait @Aws | Out-Null
        $site = Get-S3BucketDetail site-bucket @Aws
        $site.HasWebsite | Should -BeTrue
        $site.BucketPolicy | Should -BeExactly (Get-S3CredentialPolicy site-bucket -PublicBucket).PolicyDocument
    }
}

Describe 'A user name or access key id IAM could never hold gets one answer from every cmdlet that takes it (AwsNames)' {
    BeforeAll {
        # The error id (before the cmdlet's name) and message of a failed command, and the requests moto saw meanwhile.
        function Get-Refusal([scriptblock] $Command) {
            Start-MotoRecording $Moto
            try { & $Command | Out-Null; throw "No error: $Command" }
            catch [System.Management.Automation.RuntimeException] { $record = $_ }
            [pscustomobject]@{
                Id       = $record.FullyQualifiedErrorId.Split(',')[0]
                Message  = $record.Exception.Message
                Requests = @(Get-MotoRecording $Moto).Count
            }
        }
    }

    BeforeEach { Reset-TestMoto $Moto }

    It 'a bad -UserName: the same id and rule from New-S3Credential, Update-S3Credential, Remove-S3User and Revoke-S3Credential, before any request' {
        $bad = 'bad user!'
        $refusals = @(
            Get-Refusal { New-S3Credential photos -UserName $bad -NoWait @Aws -ErrorAction Stop }
            Get-Refusal { Update-S3Credential -UserName $bad -Force @Aws -ErrorAction Stop }
            Get-Refusal { Remove-S3User -UserName $bad -Force @Aws -ErrorAction Stop }
            Get-Refusal { Revoke-S3Credential -UserName $bad -AccessKeyId AKIAIOSFODNN7EXAMPLE -Force @Aws -ErrorAction Stop }
        )
        $refusals.Id | Sort-Object -Unique | Should -Be 'InvalidUserNameCharacters'
        $refusals.Message | Sort-Object -Unique | Should -Be "-UserName 'bad user!' is not a valid IAM user name: use only letters, digits and + = , . @ _ -."
        $refusals.Requests | Sort-Object -Unique | Should -Be 0

        # The same rule said of the parameter it was given as; patterns of names add only their wildcards.
        $issuer = Get-Refusal { Revoke-S3Credential -IssuedByUser $bad -Force @Aws -ErrorAction Stop }
        $issuer.Id | Should -Be 'InvalidUserNameCharacters'
        $issuer.Message | Should -Be "-IssuedByUser 'bad user!' is not a valid IAM user name: use only letters, digits and + = , . @ _ -."
        $issuer.Requests | Should -Be 0
        $patterns = @(
            Get-Refusal { Get-S3User -UserName $bad @Aws -ErrorAction Stop }
            Get-Refusal { Get-S3UserPolicy -UserName $bad @Aws -ErrorAction Stop }
            Get-Refusal { Get-S3AccessKey -UserName $bad @Aws -ErrorAction Stop }
        )
        $patterns.Id | Sort-Object -Unique | Should -Be 'InvalidUserNameCharacters'
        $patterns.Message | Sort-Object -Unique | Should -Be "-UserName 'bad user!' can match no valid IAM user name: use only letters, digits and + = , . @ _ -, and the wildcards * and ?."
        $patterns.Requests | Sort-Object -Unique | Should -Be 0
    }

    It 'a bad -AccessKeyId (<Id>): the same id and message from Update-S3Credential and Revoke-S3Credential, before any request' -ForEach @(
        @{ Id = 'minioadmin'; Problem = 'it is 10 characters long' }
        @{ Id = 'AKIA-0123456789AB'; Problem = 'character 5 is not a letter, digit or _' }
    ) {
        $refusals = @(
            Get-Refusal { Update-S3Credential -UserName alice -AccessKeyId $Id -Force @Aws -ErrorAction Stop }
            Get-Refusal { Revoke-S3Credential -UserName alice -AccessKeyId $Id -Force @Aws -ErrorAction Stop }
            Get-Refusal { [pscustomobject]@{ UserName = 'alice'; AccessKeyId = $Id } | Revoke-S3Credential -Force @Aws -ErrorAction Stop }
        )
        $refusals.Id | Sort-Object -Unique | Should -Be 'AccessKeyIdInvalid'
        $refusals.Message | Sort-Object -Unique | Should -Be "-AccessKeyId must be an IAM access key id, 16 to 128 letters, digits or _ (such as AKIAIOSFODNN7EXAMPLE), but $Problem."
        $refusals.Requests | Sort-Object -Unique | Should -Be 0
    }

    It 'an S3-compatible store''s key still signs requests: minioadmin is refused as an IAM key id only' {
        $store = $Aws.Clone(); $store.AccessKey = 'minioadmin'; $store.SecretKey = 'minioadmin'
        Start-MotoRecording $Moto
        { Get-S3BucketDetail @store -ErrorAction Stop } | Should -Not -Throw
        @(Get-MotoRecording $Moto).Method | Should -Contain 'GET' -Because 'the recorder sees the requests that are sent'
        (Get-Refusal { Update-S3Credential -UserName alice -AccessKeyId minioadmin -Force @Aws -ErrorAction Stop }).Id | Should -Be 'AccessKeyIdInvalid'
    }
}

Describe '-ThrottleLimit' {
    BeforeAll {
        # Every cmdlet that has -ThrottleLimit, with the least it needs to run.
        $script:Throttled = @{
            'Get-S3AccessKey'    = @{}
            'Get-S3BucketDetail' = @{}
            'Get-S3Role'         = @{}
            'Get-S3User'         = @{}
            'Get-S3UserPolicy'   = @{}
            'Remove-S3User'      = @{ UserName = 'someone' }
            'Save-S3Item'        = @{ BucketName = 'some-bucket'; Key = 'a.txt'; Destination = 'TestDrive:/a.txt' }
            'Write-S3Item'       = @{ BucketName = 'some-bucket'; Key = 'a.txt'; Content = 'text' }
        }
    }

    It 'is on exactly the cmdlets this test knows' {
        (Get-Command -Module S3Credentials | Where-Object { $_.Parameters.ContainsKey('ThrottleLimit') }).Name | Sort-Object |
            Should -Be @($Throttled.Keys | Sort-Object)
    }

    It '<Limit> is refused by every cmdlet the same way, naming the parameter and the rule, before any question or request' -ForEach @(
        @{ Limit = 0 }
        @{ Limit = -3 }
        @{ Limit = 65 }
    ) {
        Start-MotoRecording $Moto
        foreach ($name in $Throttled.Keys) {
            $arguments = $Throttled[$name]
            # Remove-S3User asks before each user (ConfirmImpact High); no question can be answered here, and none is asked.
            { & $name @arguments -ThrottleLimit $Limit @Aws -ErrorAction Stop } |
                Should -Throw -ErrorId "ParameterArgumentValidationError,S3Credentials.Commands.$($name -replace '-', '')Command" `
                    -ExpectedMessage "Cannot validate argument on parameter 'ThrottleLimit'. -ThrottleLimit must be from 1 to 64 requests at a time, not $Limit.*" -Because $name
        }
        @(Get-MotoRecording $Moto) | Should -HaveCount 0
    }
}
