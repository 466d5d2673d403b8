#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
    $script:CommandErrorId = 'S3Credentials.Commands.GetS3BucketDetailCommand'
    function New-TestBucket([string[]] $Name, [hashtable] $Options = @{}) {
        foreach ($n in $Name) { New-S3Credential -BucketName $n -CreateBucket -UserName "setup-$n" -NoWait @Options @Aws | Out-Null }
    }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'Get-S3BucketDetail' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'returns one typed object per bucket, sorted by name' {
        New-TestBucket 'pester-b', 'pester-c', 'pester-a'
        $details = Get-S3BucketDetail @Aws
        $details | Should -BeOfType 'S3Credentials.Core.Models.S3BucketDetail'
        $details.Name | Should -Be @('pester-a', 'pester-b', 'pester-c')
        $details.Region | Should -Be @('us-east-1', 'us-east-1', 'us-east-1')
        $details[0].Grants | Should -Match '^CanonicalUser:.+:FULL_CONTROL$'
        $details[0].HasPublicAccessBlock | Should -BeFalse
        $details[0].BlockPublicAcls | Should -BeNullOrEmpty
        $details[0].BucketPolicy | Should -BeNullOrEmpty
    }

    It 'reads the region, public access block, website and policy of a bucket' {
        New-TestBucket 'site-bucket' -Options @{ Public = $true; Website = $true }
        New-TestBucket 'eu-bucket' -Options @{ BucketRegion = 'eu-west-1' }
        $details = Get-S3BucketDetail 'site-bucket', 'eu-bucket' @Aws
        $details.Name | Should -Be @('eu-bucket', 'site-bucket')
        $eu, $site = $details
        $eu.Region | Should -Be 'eu-west-1'
        $site.HasPublicAccessBlock | Should -BeTrue
        $site.BlockPublicAcls | Should -BeFalse
        $site.RestrictPublicBuckets | Should -BeFalse
        $site.HasWebsite | Should -BeTrue
        $site.WebsiteIndexDocument | Should -Be 'index.html'
        $site.WebsiteErrorDocument | Should -Be 'error.html'
        $site.HasBucketPolicy | Should -BeTrue
        ($site.BucketPolicy | ConvertFrom-Json).Statement[0].Sid | Should -Be 'AllowAllGetObject'
        $eu.HasWebsite | Should -BeFalse
        $eu.WebsiteIndexDocument | Should -BeNullOrEmpty
    }

    It 'selects buckets with * and ? wildcards, case-sensitively' {
        New-TestBucket 'logs-1', 'logs-2', 'other-bucket'
        (Get-S3BucketDetail 'logs-*' @Aws).Name | Should -Be @('logs-1', 'logs-2')
        (Get-S3BucketDetail 'logs-?', 'other-*' @Aws).Name | Should -Be @('logs-1', 'logs-2', 'other-bucket')
        $errors = $null
        Get-S3BucketDetail 'LOGS-*' @Aws -ErrorVariable errors | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty
    }

    It 'takes names from the pipeline, by value and by property name' {
        New-TestBucket 'logs-1', 'other-bucket'
        ('other-bucket', 'logs-1' | Get-S3BucketDetail @Aws).Name | Should -Be @('logs-1', 'other-bucket')
        ([pscustomobject]@{ BucketName = 'other-bucket' } | Get-S3BucketDetail @Aws).Name | Should -Be 'other-bucket'
        (Get-S3BucketDetail 'logs-1' @Aws | Get-S3BucketDetail @Aws).Name | Should -Be 'logs-1'
    }

    It 'reports a missing bucket as a non-terminating BucketNotFound error and returns the others' {
        New-TestBucket 'present-bucket'
        $errors = $null
        $details = Get-S3BucketDetail 'present-bucket', 'no-such-bucket' @Aws -ErrorVariable errors -ErrorAction SilentlyContinue
        $details.Name | Should -Be 'present-bucket'
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be "BucketNotFound,$CommandErrorId"
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].TargetObject | Should -Be 'no-such-bucket'
    }

    It 'refuses a name that can never match a bucket, naming the parameter, before any AWS call' {
        $record = $null
        try { Get-S3BucketDetail 'logs/2026' @Aws -ErrorAction Stop } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be "BucketNamePatternInvalidCharacter,$CommandErrorId"
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.Exception.ParameterName | Should -Be 'BucketName'
    }

    It 'refuses -ThrottleLimit outside 1 to 64' {
        { Get-S3BucketDetail -ThrottleLimit 0 @Aws -ErrorAction Stop } | Should -Throw -ErrorId "ParameterArgumentValidationError,$CommandErrorId"
        { Get-S3BucketDetail -ThrottleLimit 65 @Aws -ErrorAction Stop } | Should -Throw -ErrorId "ParameterArgumentValidationError,$CommandErrorId"
    }

    It 'exports to CSV as one row per bucket with a column per property' {
        New-TestBucket 'csv-a', 'csv-b', 'csv-c'
        $file = Join-Path $TestDrive 'buckets.csv'
        Get-S3BucketDetail @Aws | Export-Csv -Path $file -NoTypeInformation
        $rows = @(Import-Csv -Path $file)
        $rows.Count | Should -Be 3
        $rows.Name | Should -Be @('csv-a', 'csv-b', 'csv-c')
        $rows[0].PSObject.Properties.Name | Should -Be @(
            'Name', 'CreationDate', 'Region', 'OwnerId', 'OwnerDisplayName', 'Grants', 'GrantList',
            'HasPublicAccessBlock', 'BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets',
            'HasWebsite', 'WebsiteIndexDocument', 'WebsiteErrorDocument', 'WebsiteUrl', 'CorsRuleCount', 'CorsRules', 'HasBucketPolicy',
            'BucketPolicy', 'IsPublic')
        $rows[0].GrantList | Should -Match '^CanonicalUser:.+:FULL_CONTROL$'
        $rows[0].Region | Should -Be 'us-east-1'
        $rows[0].HasWebsite | Should -Be 'False'
    }

    It 'serialises cleanly to JSON' {
        New-TestBucket 'json-bucket'
        $json = Get-S3BucketDetail json-bucket @Aws | ConvertTo-Json | ConvertFrom-Json
        $json.Name | Should -Be 'json-bucket'
        $json.Grants.Count | Should -Be 1
    }

    It 'has a table view' {
        New-TestBucket 'table-bucket'
        (Get-S3BucketDetail @Aws | Format-Table | Out-String) | Should -Match 'Name\s+Region\s+Created \(UTC\)\s+Block\s+Website\s+Policy\s+Public'
    }

    It 'never writes the secret to the verbose stream' {
        New-TestBucket 'verbose-bucket'
        $verbose = Get-S3BucketDetail @Aws -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose | Out-String) | Should -Match 'ListBuckets returned 1 bucket'
        ($verbose | Out-String) | Should -Not -Match 'wJalrXUtnFEMI'
    }

    It 'has help with examples' {
        @((Get-Help Get-S3BucketDetail -Examples).examples.example).Count | Should -BeGreaterOrEqual 2
    }
}
