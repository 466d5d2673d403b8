#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
    $script:Endpoints = @{ Region = 'us-east-1'; EndpointUrl = $Moto.Endpoint; IamEndpointUrl = $Moto.Endpoint; StsEndpointUrl = $Moto.Endpoint }
    function New-TestBucket([string[]] $Name) {
        foreach ($n in $Name) { New-S3Credential -BucketName $n -CreateBucket -UserName "setup-$n" -NoWait @Aws | Out-Null }
    }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'New-S3Credential' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'makes permanent credentials for buckets from the pipeline, as one set' {
        New-TestBucket 'pipe-one', 'pipe-two'
        $credential = 'pipe-one', 'pipe-two' | New-S3Credential -Access ReadOnly @Aws
        @($credential).Count | Should -Be 1
        $credential | Should -BeOfType 'S3Credentials.Core.Models.S3Credential'
        $credential.UserName | Should -Be 's3.read-only.pipe-one,pipe-two'
        $credential.BucketName | Should -Be @('pipe-one', 'pipe-two')
        $credential.Kind | Should -Be 'Permanent'
    }

    It 'binds BucketName by property name' {
        New-TestBucket 'by-property'
        $credential = [pscustomobject]@{ BucketName = 'by-property' } | New-S3Credential -NoWait @Aws
        $credential.BucketName | Should -Be 'by-property'
    }

    It 'accepts -Duration as a TimeSpan, as seconds, as 15m and as 1h30m' {
        New-TestBucket 'durations'
        foreach ($form in Get-DurationForms) {
            $credential = New-S3Credential durations -Duration $form.Value @Aws
            $credential.Kind | Should -Be 'Temporary'
            $credential.SessionToken | Should -Not -BeNullOrEmpty
            $credential.Expiration.ToUniversalTime() | Should -BeGreaterThan ([DateTime]::UtcNow.AddSeconds($form.Seconds - 60))
            $credential.Expiration.ToUniversalTime() | Should -BeLessOrEqual ([DateTime]::UtcNow.AddSeconds($form.Seconds + 5))
        }
    }

    It 'accepts -Statement as a hashtable' {
        New-TestBucket 'with-statement'
        $credential = New-S3Credential with-statement -Statement @{ Effect = 'Allow'; Action = 's3:ListAllMyBuckets'; Resource = '*' } -NoWait @Aws
        $credential.Access | Should -Be 'Custom'
    }

    It '-RoleArn assumes the role named, creates none, and -WhatIf names it with the compact session policy' {
        New-TestBucket 'by-arn'
        $arn = 'arn:aws:iam::123456789012:role/partners/partner-role'
        $credential = New-S3Credential by-arn -Access ReadOnly -Duration 15m -RoleArn $arn @Aws
        $credential.RoleArn | Should -Be $arn
        $credential.Method | Should -Be 'AssumeRole'
        @(Get-S3Role @Aws) | Should -HaveCount 0
        $said = @(Get-WhatIfText { New-S3Credential by-arn -Access ReadOnly -Duration 15m -RoleArn $arn -WhatIf @Aws })
        $said | Should -HaveCount 1
        $said[0] | Should -BeLike "What if: Performing the operation ""Assume role for 15m as 's3.read-only.by-arn' with session policy {""Version"":""2012-10-17"",""Statement"":*"" on target ""$arn""."
        $said[0] | Should -Not -Match '": '
    }

    It '-RoleArn is refused before any call when it is not a role ARN of the partition, or comes with -RoleName or FederationToken' {
        { New-S3Credential by-arn -Duration 15m -RoleArn 'arn:aws:iam::123456789012:user/admin' @Aws -ErrorAction Stop } |
            Should -Throw -ErrorId 'RoleArnInvalid,S3Credentials.Commands.NewS3CredentialCommand' -ExpectedMessage '*-RoleArn*role/NAME*'
        { New-S3Credential by-arn -Duration 15m -RoleArn 'arn:aws-cn:iam::123456789012:role/x' @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'RoleArnOtherPartition,*'
        { New-S3Credential by-arn -Duration 15m -RoleArn 'arn:aws:iam::123456789012:role/x' -RoleName y @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'RoleArnWithRoleName,*'
        { New-S3Credential by-arn -Duration 15m -RoleArn 'arn:aws:iam::123456789012:role/x' -Method FederationToken @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'RoleArnWithFederationToken,*'
        # -RoleArn is in the temporary parameter sets only: without -Duration PowerShell cannot bind it at all.
        { New-S3Credential by-arn -RoleArn 'arn:aws:iam::123456789012:role/x' @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
    }

    It 'round-trips through ConvertTo-Json into -AuthFile' {
        New-TestBucket 'round-trip'
        $file = Join-Path $TestDrive 'creds.json'
        New-S3Credential round-trip -Duration 15m @Aws | ConvertTo-Json | Set-Content $file
        (Get-S3CallerIdentity -AuthFile $file @Endpoints).CredentialSource | Should -Be 'AuthFile'
    }

    It 'passes its output to -Credential' {
        New-TestBucket 'as-credential'
        $credential = New-S3Credential as-credential -Duration 15m @Aws
        (Get-S3CallerIdentity -Credential $credential @Endpoints).AccessKeyId | Should -Be $credential.AccessKeyId
    }

    It '-WhatIf creates nothing' {
        New-TestBucket 'what-if'
        New-S3Credential what-if -WhatIf @Aws | Should -BeNullOrEmpty
        # Nothing was made: asking for the same user again still creates it fresh, with no warning about reuse.
        $warnings = $null
        New-S3Credential what-if -NoWait @Aws -WarningVariable warnings | Out-Null
        $warnings | Should -BeNullOrEmpty
    }

    It 'refuses bad input with an ErrorId, before any AWS call' -TestCases @(
        @{ Arguments = @{ BucketName = 'Bad_Bucket' }; ErrorId = 'InvalidBucketNameCharacters' }
        @{ Arguments = @{ BucketName = 'fine-bucket'; Prefix = '/leading' }; ErrorId = 'PrefixLeadingSlash' }
        @{ Arguments = @{ BucketName = 'fine-bucket'; Duration = '5m' }; ErrorId = 'DurationOutOfRange' }
        @{ Arguments = @{ BucketName = 'fine-bucket'; Duration = 'soon' }; ErrorId = 'ParameterArgumentTransformationError' }
        @{ Arguments = @{ BucketName = 'fine-bucket'; Public = $true }; ErrorId = 'PublicWithoutCreateBucket' }
    ) {
        param($Arguments, $ErrorId)
        { New-S3Credential @Arguments @Aws -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,S3Credentials.Commands.NewS3CredentialCommand"
    }

    It 'reports a missing bucket as ObjectNotFound' {
        $record = $null
        try { New-S3Credential no-such-bucket @Aws -ErrorAction Stop } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'BucketNotFound,S3Credentials.Commands.NewS3CredentialCommand'
        $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'shows the secret in its default table view' {
        New-TestBucket 'table-view'
        $credential = New-S3Credential table-view -NoWait @Aws
        ($credential | Format-Table | Out-String) | Should -Match ([regex]::Escape($credential.SecretAccessKey))
    }

    It 'never writes the secret to the verbose stream' {
        New-TestBucket 'verbose-check'
        $output = New-S3Credential verbose-check -Verbose @Aws 4>&1
        $credential = $output | Where-Object { $_ -is [S3Credentials.Core.Models.S3Credential] }
        $verbose = $output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String
        $verbose | Should -Match 'Created access key'
        $verbose | Should -Not -Match ([regex]::Escape($credential.SecretAccessKey))
    }

    It 'has help with examples' {
        @((Get-Help New-S3Credential -Examples).examples.example).Count | Should -BeGreaterOrEqual 2
    }
}

Describe 'Get-S3CredentialPolicy' {
    It 'shows one policy per bucket, offline' {
        $policies = Get-S3CredentialPolicy one-bucket, two-bucket -Access ReadOnly -Prefix in/, out/
        @($policies).Count | Should -Be 2
        $policies[0].PolicyName | Should -Be 's3.read-only.one-bucket'
        ($policies[0].PolicyDocument | ConvertFrom-Json).Statement.Count | Should -Be 3
    }

    It 'shows one session policy for temporary credentials' {
        $policy = Get-S3CredentialPolicy one-bucket, two-bucket -Duration 1h
        $policy.Kind | Should -Be 'SessionPolicy'
        $policy.SizeLimit | Should -Be 2048
    }

    It 'refuses a bad prefix with an ErrorId' {
        { Get-S3CredentialPolicy one-bucket -Prefix '//x' -ErrorAction Stop } | Should -Throw -ErrorId 'PrefixLeadingSlash,S3Credentials.Commands.GetS3CredentialPolicyCommand'
    }
}

Describe 'Test-S3Credential' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'tests what piped credentials may do' {
        New-TestBucket 'test-bucket'
        $results = New-S3Credential test-bucket -Access ReadOnly @Aws | Test-S3Credential -IncludeWrite -Confirm:$false @Endpoints
        ($results | ForEach-Object { "$($_.Action):$($_.Result)" }) -join ' ' | Should -Match '^List:Allowed Read:Allowed Write:'
    }

    It '-WhatIf writes no probe object' {
        New-TestBucket 'no-probe'
        $results = New-S3Credential no-probe @Aws | Test-S3Credential -IncludeWrite -WhatIf @Endpoints
        $results.Action | Should -Be @('List', 'Read')
    }

    It 'asks about the probe write through the step runner: No writes nothing, Yes writes and deletes it again' {
        New-TestBucket 'asked-probe'
        $parameters = ConvertTo-HashtableLiteral $Aws
        $run = Invoke-AnsweringPowerShell "`$aws = $parameters; foreach (`$i in 1, 2) { (Test-S3Credential asked-probe -IncludeWrite -Confirm @aws | ForEach-Object { `$_.Action + ':' + `$_.Result }) -join ' ' }" -Answers 'N', 'Y'
        $run.ExitCode | Should -Be 0
        $text = $run.Output -join "`n"
        ([regex]::Matches($text, 'Performing the operation "Write a probe object, then delete it again" on target')).Count | Should -Be 2
        $run.Output | Should -Contain 'List:Allowed Read:Allowed'
        $run.Output | Should -Contain 'List:Allowed Read:Allowed Write:Allowed Delete:Allowed'
        @(Get-S3Item asked-probe @Aws) | Should -HaveCount 0
    }
}
