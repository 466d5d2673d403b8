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

Describe 'Get-S3User, Get-S3UserPolicy, Get-S3Role and Remove-S3User' {
    BeforeEach {
        Reset-TestMoto $Moto
        # Two module-made users (via New-S3Credential) and their buckets.
        New-S3Credential alpha-bucket -CreateBucket -NoWait @Aws | Out-Null
        New-S3Credential beta-bucket -CreateBucket -Access ReadOnly -NoWait @Aws | Out-Null
    }

    It 'lists users sorted, typed and flat enough for Export-Csv' {
        $users = Get-S3User @Aws
        $users.UserName | Should -Be @('s3.read-only.beta-bucket', 's3.read-write.alpha-bucket')
        $users[0] | Should -BeOfType 'S3Credentials.Core.Models.S3User'
        $csv = Join-Path $TestDrive 'users.csv'
        $users | Export-Csv $csv -NoTypeInformation
        $rows = Import-Csv $csv
        $rows.Count | Should -Be 2
        $rows[0].AccessKeyCount | Should -Be '' -Because 'the keys are counted only with -IncludeAccessKeyCount'
        $rows[0].Tags | Should -Match 'S3CredentialsManaged=true'
    }

    It 'counts access keys with -IncludeAccessKeyCount, shown in a Keys column the default view leaves out' {
        $counted = Get-S3User -IncludeAccessKeyCount @Aws
        $counted.AccessKeyCount | Should -Be @(1, 1)
        $counted[0] | Should -BeOfType 'S3Credentials.Core.Models.S3User'
        ($counted | Export-Csv (Join-Path $TestDrive 'counted.csv') -NoTypeInformation)
        (Import-Csv (Join-Path $TestDrive 'counted.csv'))[0].AccessKeyCount | Should -Be '1'
        $withKeys = ($counted | Out-String -Width 80) -split "`r?`n" | Where-Object { $_ -match '\S' }
        $withKeys[0] | Should -Match '^UserName\s+Created \(UTC\)\s+Keys\s+Managed\s*$'
        $withKeys[2] | Should -Match '^s3\.read-only\.beta-bucket\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+1\s+True\s*$'
        $plain = (Get-S3User @Aws | Out-String -Width 80) -split "`r?`n" | Where-Object { $_ -match '\S' }
        $plain[0] | Should -Match '^UserName\s+Created \(UTC\)\s+Managed\s*$'
    }

    It 'filters with wildcards and -Managed' {
        (Get-S3User 's3.read-only.*' @Aws).UserName | Should -Be 's3.read-only.beta-bucket'
        @(Get-S3User -Managed @Aws).Count | Should -Be 2
    }

    It 'reports a missing user as a non-terminating error with an ErrorId' {
        $errors = $null
        $users = Get-S3User 'nobody', 's3.read-only.beta-bucket' @Aws -ErrorVariable errors -ErrorAction SilentlyContinue
        @($users).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'UserNotFound,S3Credentials.Commands.GetS3UserCommand'
    }

    It 'pipes users into Get-S3UserPolicy, with the document parsed and as JSON' {
        $policies = Get-S3User @Aws | Get-S3UserPolicy @Aws
        $policies.PolicyName | Should -Be @('s3.read-only.beta-bucket', 's3.read-write.alpha-bucket')
        $policies[0].GetDocument().Statement[0].Effect | Should -Be 'Allow'
        ($policies[0].PolicyDocument | ConvertFrom-Json).Version | Should -Be '2012-10-17'
        ($policies | ConvertTo-Json -Depth 8 | ConvertFrom-Json).Count | Should -Be 2
    }

    It 'lists roles with -Detail, and names a missing role in an error' {
        # moto (without auth mode) lets AssumeRole succeed on a missing role, so no role exists here.
        @(Get-S3Role 'S3Credentials-*' -Detail @Aws).Count | Should -Be 0
        { Get-S3Role 'no-such-role' @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'RoleNotFound,S3Credentials.Commands.GetS3RoleCommand'
    }

    It '-WhatIf removes nothing' {
        Get-S3User -Managed @Aws | Remove-S3User -WhatIf @Aws
        @(Get-S3User @Aws).Count | Should -Be 2
    }

    It 'removes piped users with -Force and reports them with -PassThru' {
        $removed = Get-S3User -Managed @Aws | Remove-S3User -Force -PassThru @Aws
        $removed.UserName | Should -Be @('s3.read-only.beta-bucket', 's3.read-write.alpha-bucket')
        $removed[0].AccessKeysDeleted | Should -Be 1
        @(Get-S3User @Aws).Count | Should -Be 0
    }

    It 'has help with examples' {
        foreach ($command in 'Get-S3User', 'Get-S3UserPolicy', 'Get-S3Role', 'Remove-S3User') {
            @((Get-Help $command -Examples).examples.example).Count | Should -BeGreaterOrEqual 2
        }
    }
}
