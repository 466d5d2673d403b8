#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# What a PowerShell user meets at the edges of the pipeline and of the parameters (issue 13):
# an empty pipeline is not "everything", and input that can never be valid fails before any request.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'An empty pipeline yields nothing' {
    BeforeAll {
        Reset-TestMoto $Moto
        New-S3Credential alpha-bucket -CreateBucket -NoWait @Aws | Out-Null
        New-S3Credential beta-bucket -CreateBucket -Access ReadOnly -NoWait @Aws | Out-Null
    }

    It 'Get-S3User ''nomatch*'' | Get-S3UserPolicy lists no policy' {
        @(Get-S3User 'nomatch*' @Aws | Get-S3UserPolicy @Aws).Count | Should -Be 0
    }

    It '@() | <Command> writes nothing, while <Command> alone lists everything' -TestCases @(
        @{ Command = 'Get-S3User' }
        @{ Command = 'Get-S3UserPolicy' }
        @{ Command = 'Get-S3BucketDetail' }
        @{ Command = 'Get-S3AccessKey' }
    ) {
        @(& $Command @Aws).Count | Should -Be 2
        @(@() | & $Command @Aws).Count | Should -Be 0
        @(Get-S3User 'nomatch*' @Aws | & $Command @Aws).Count | Should -Be 0
    }

    It '@() | Get-S3Role writes nothing even with roles present' {
        # moto without auth mode lets AssumeRole succeed on a missing role, so New-S3Credential makes none: create one with the AWS CLI.
        $env:AWS_ACCESS_KEY_ID = $Aws.AccessKey; $env:AWS_SECRET_ACCESS_KEY = $Aws.SecretKey
        try {
            & (Find-AwsCli) iam create-role --role-name pipeline-role --endpoint-url $Moto.Endpoint --region us-east-1 --output json `
                --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}' | Out-Null
        } finally { Remove-Item env:AWS_ACCESS_KEY_ID, env:AWS_SECRET_ACCESS_KEY }
        @(Get-S3Role @Aws).Count | Should -Be 1
        @(@() | Get-S3Role @Aws).Count | Should -Be 0
    }

    It '$null | Get-S3UserPolicy reports the null and lists nothing' {
        $errors = $null
        $policies = $null | Get-S3UserPolicy @Aws -ErrorVariable errors -ErrorAction SilentlyContinue
        @($policies).Count | Should -Be 0
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Match '^ParameterArgumentValidationError'
    }

    It '@() | Remove-S3User, New-S3Credential and Get-S3CredentialPolicy do nothing and say nothing is wrong' {
        @(@() | Remove-S3User -Force -PassThru @Aws).Count | Should -Be 0
        @(@() | New-S3Credential -NoWait @Aws -ErrorAction Stop).Count | Should -Be 0
        @(@() | Get-S3CredentialPolicy -ErrorAction Stop).Count | Should -Be 0
        @(Get-S3User @Aws).Count | Should -Be 2
    }

    It 'names from the pipeline still work' {
        ('s3.read-only.beta-bucket' | Get-S3UserPolicy @Aws).PolicyName | Should -Be 's3.read-only.beta-bucket'
        ('beta-bucket' | Get-S3BucketDetail @Aws).Name | Should -Be 'beta-bucket'
    }
}

Describe 'Test-S3Credential takes every bucket it is given' {
    BeforeAll {
        Reset-TestMoto $Moto
        foreach ($bucket in 'first-bucket', 'second-bucket') { New-S3Credential $bucket -CreateBucket -UserName "setup-$bucket" -NoWait @Aws | Out-Null }
        $script:Endpoints = @{ Region = 'us-east-1'; EndpointUrl = $Moto.Endpoint; IamEndpointUrl = $Moto.Endpoint; StsEndpointUrl = $Moto.Endpoint }
    }

    It 'tests both buckets of a credential made for two' {
        $credential = New-S3Credential first-bucket, second-bucket -Access ReadOnly -NoWait @Aws
        $results = $credential | Test-S3Credential @Endpoints
        ($results | ForEach-Object { "$($_.BucketName):$($_.Action)" }) | Should -Be @('first-bucket:List', 'first-bucket:Read', 'second-bucket:List', 'second-bucket:Read')
        $results.AccessKeyId | Select-Object -Unique | Should -Be $credential.AccessKeyId
        # -BucketName still narrows it to one bucket.
        ($credential | Test-S3Credential second-bucket @Endpoints).BucketName | Select-Object -Unique | Should -Be 'second-bucket'
    }

    It 'tests every prefix of a credential made for two, each bucket under each, also after a JSON round trip' {
        $credential = New-S3Credential first-bucket, second-bucket -Access ReadOnly -Prefix 'a/', 'b/' -NoWait @Aws
        $expected = foreach ($bucket in 'first-bucket', 'second-bucket') { foreach ($prefix in 'a/', 'b/') { "${bucket}:${prefix}:List:Allowed"; "${bucket}:${prefix}:Read:Allowed" } }
        ($credential | Test-S3Credential @Endpoints | ForEach-Object { "$($_.BucketName):$($_.Prefix):$($_.Action):$($_.Result)" }) | Should -Be $expected
        ($credential | ConvertTo-Json | ConvertFrom-Json | Test-S3Credential @Endpoints | ForEach-Object { "$($_.BucketName):$($_.Prefix):$($_.Action):$($_.Result)" }) | Should -Be $expected
        # -Prefix still narrows it to one prefix.
        ($credential | Test-S3Credential -Prefix 'b/' @Endpoints).Prefix | Select-Object -Unique | Should -Be 'b/'
    }

    It 'takes credentials back from a CSV file (Export-Csv, Import-Csv): the cells joined by ", " are split into the buckets and prefixes' {
        $csv = Join-Path $TestDrive 'credential.csv'
        New-S3Credential first-bucket, second-bucket -Access ReadOnly -Prefix 'a/', 'b/' -Duration 15m @Aws | Export-Csv $csv -NoTypeInformation
        $row = Import-Csv $csv
        $row.BucketName | Should -Be 'first-bucket, second-bucket'
        $results = $row | Test-S3Credential @Endpoints -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -BeNullOrEmpty
        ($results | ForEach-Object { "$($_.BucketName):$($_.Prefix):$($_.Action)" }) |
            Should -Be @(foreach ($bucket in 'first-bucket', 'second-bucket') { foreach ($prefix in 'a/', 'b/') { "${bucket}:${prefix}:List"; "${bucket}:${prefix}:Read" } })
        $results.AccessKeyId | Select-Object -Unique | Should -Be $row.AccessKeyId
        # The other cmdlets that take a credential object take the row too.
        ($row | ConvertTo-S3CredentialText -Format Shell) -join "`n" | Should -Match ([regex]::Escape("export AWS_ACCESS_KEY_ID='$($row.AccessKeyId)'"))
        ($row | Export-S3Credential csv-row -Path (Join-Path $TestDrive 'credentials') -PassThru).AccessKeyId | Should -Be $row.AccessKeyId
        (New-S3PresignedUrl first-bucket 'a/x.txt' -Credential $row @Endpoints -WarningAction SilentlyContinue).Url | Should -Match ([regex]::Escape($row.AccessKeyId))
    }

    It 'takes bucket names from the pipeline, with the credentials of the common parameters' {
        $results = 'first-bucket', 'second-bucket' | Test-S3Credential @Aws
        ($results | ForEach-Object { "$($_.BucketName):$($_.Action):$($_.Result)" }) |
            Should -Be @('first-bucket:List:Allowed', 'first-bucket:Read:Allowed', 'second-bucket:List:Allowed', 'second-bucket:Read:Allowed')
        $results.AccessKeyId | Select-Object -Unique | Should -Be $Aws.AccessKey
    }

    It 'takes Get-S3BucketDetail''s output' {
        (Get-S3BucketDetail @Aws | Test-S3Credential @Aws).BucketName | Select-Object -Unique | Should -Be @('first-bucket', 'second-bucket')
    }
}
