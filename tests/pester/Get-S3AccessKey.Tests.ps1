#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Key hygiene: which keys are old or unused, in one pipeline to Update-S3Credential or Remove-S3User.
# moto records a key's last use for every request signed with a key it issued (auth mode on or off), so a key
# New-S3Credential waited for (it tries the new key on S3) counts as used, and one made with -NoWait does not.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto

    # Two module-made users: a key never used, made first; four seconds later a key used at once.
    function Initialize-KeyScenario {
        Reset-TestMoto $Moto
        $stale = New-S3Credential keys-stale-bucket -CreateBucket -NoWait @Aws
        Start-Sleep -Seconds 4
        $used = New-S3Credential keys-used-bucket -CreateBucket @Aws
        [pscustomobject]@{ Stale = $stale; Used = $used; LastUse = (Get-S3AccessKey $used.UserName @Aws).LastUsedDate }
    }

    # An -UnusedFor that tells the two apart, reckoned anew for each use: longer than the used key has been unused
    # (by 2 s), shorter than the stale key has been (by at least 2 s).
    function Get-StaleSpan($Keys) { [DateTime]::UtcNow - $Keys.LastUse + [TimeSpan]::FromSeconds(2) }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'Get-S3AccessKey' {
    BeforeAll { $script:Keys = Initialize-KeyScenario }

    It 'returns one typed object per key, with the last use of a used key and none for a never-used one' {
        $found = Get-S3AccessKey -Managed @Aws
        $found | Should -HaveCount 2
        $found[0] | Should -BeOfType 'S3Credentials.Core.Models.S3AccessKey'
        $found.UserName | Should -Be @($Keys.Stale.UserName, $Keys.Used.UserName)   # users sorted by name
        $stale, $used = $found
        $stale.AccessKeyId | Should -Be $Keys.Stale.AccessKeyId
        $stale.LastUsedDate | Should -BeNullOrEmpty
        $stale.LastUsedService | Should -BeNullOrEmpty
        $stale.LastUsedRegion | Should -BeNullOrEmpty
        $used.AccessKeyId | Should -Be $Keys.Used.AccessKeyId
        $used.LastUsedDate | Should -BeOfType [datetime]
        $used.LastUsedService | Should -Be 's3'
        $used.LastUsedRegion | Should -Be 'us-east-1'
        foreach ($key in $found) {
            $key.Status | Should -Be 'Active'
            $key.Age | Should -Be 0
            $key.IsManaged | Should -BeTrue
        }
    }

    It 'takes user names from Get-S3User by property name, and from strings with wildcards' {
        (Get-S3User -Managed @Aws | Get-S3AccessKey @Aws).AccessKeyId | Should -Be @($Keys.Stale.AccessKeyId, $Keys.Used.AccessKeyId)
        ('S3.READ-WRITE.KEYS-ST*' | Get-S3AccessKey @Aws).AccessKeyId | Should -Be $Keys.Stale.AccessKeyId
    }

    It 'reports a missing user as a non-terminating error and still returns the others' {
        $errors = $null
        $found = Get-S3AccessKey ghost, $Keys.Used.UserName @Aws -ErrorVariable errors -ErrorAction SilentlyContinue
        $found.AccessKeyId | Should -Be $Keys.Used.AccessKeyId
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'UserNotFound,S3Credentials.Commands.GetS3AccessKeyCommand'
        $errors[0].TargetObject | Should -Be 'ghost'
    }

    It '-UnusedFor keeps keys unused for that long; it and -OlderThan take days or a TimeSpan' {
        (Get-S3AccessKey -Managed -UnusedFor (Get-StaleSpan $Keys) @Aws).AccessKeyId | Should -Be $Keys.Stale.AccessKeyId
        (Get-S3AccessKey -Managed -UnusedFor 0 @Aws) | Should -HaveCount 2
        Get-S3AccessKey -Managed -UnusedFor 90 @Aws | Should -BeNullOrEmpty
        Get-S3AccessKey -Managed -OlderThan 90d @Aws | Should -BeNullOrEmpty
        Get-S3AccessKey -Managed -OlderThan (New-TimeSpan -Days 1) @Aws | Should -BeNullOrEmpty
        (Get-S3AccessKey -Managed -OlderThan 0 -UnusedFor (Get-StaleSpan $Keys) @Aws).AccessKeyId | Should -Be $Keys.Stale.AccessKeyId
        { Get-S3AccessKey -UnusedFor ninety @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'DaysInvalid,S3Credentials.Commands.GetS3AccessKeyCommand'
    }

    It 'pipes the stale keys to Update-S3Credential -WhatIf, which names each key and changes nothing' {
        $said = @(Get-WhatIfText { Get-S3AccessKey -Managed -UnusedFor (Get-StaleSpan $Keys) @Aws | Update-S3Credential -WhatIf @Aws })
        $said | Should -HaveCount 1
        $said[0] | Should -BeLike "*deactivate and delete $($Keys.Stale.AccessKeyId)*"
        $said[0] | Should -BeLike "*on target `"$($Keys.Stale.UserName)`"*"
        (Get-S3AccessKey -Managed @Aws).AccessKeyId | Should -Be @($Keys.Stale.AccessKeyId, $Keys.Used.AccessKeyId)
    }

    It 'pipes the stale keys to Remove-S3User -WhatIf, which names each user and removes nothing' {
        $said = @(Get-WhatIfText { Get-S3AccessKey -Managed -UnusedFor (Get-StaleSpan $Keys) @Aws | Remove-S3User -WhatIf @Aws })
        $said | Should -HaveCount 1
        $said[0] | Should -BeLike "*on target `"$($Keys.Stale.UserName)`"*"
        @(Get-S3User -Managed @Aws) | Should -HaveCount 2
    }

    It 'has help with examples' {
        @((Get-Help Get-S3AccessKey -Examples).examples.example).Count | Should -BeGreaterOrEqual 3
        (Get-Command Get-S3AccessKey).OutputType.Name | Should -Be 'S3Credentials.Core.Models.S3AccessKey'
    }
}

Describe 'Stale keys in one pipeline, for real' {
    It 'Update-S3Credential rotates only the stale key' {
        $keys = Initialize-KeyScenario
        $new = Get-S3AccessKey -Managed -UnusedFor (Get-StaleSpan $keys) @Aws | Update-S3Credential -NoWait -Confirm:$false @Aws
        $new.UserName | Should -Be $keys.Stale.UserName
        $after = Get-S3AccessKey -Managed @Aws
        $after.AccessKeyId | Should -Be @($new.AccessKeyId, $keys.Used.AccessKeyId)
        $after.AccessKeyId | Should -Not -Contain $keys.Stale.AccessKeyId
    }

    It 'Remove-S3User removes only the user of the stale key' {
        $keys = Initialize-KeyScenario
        $removed = Get-S3AccessKey -Managed -UnusedFor (Get-StaleSpan $keys) @Aws | Remove-S3User -Force -PassThru @Aws
        $removed.UserName | Should -Be $keys.Stale.UserName
        $removed.AccessKeysDeleted | Should -Be 1
        (Get-S3User -Managed @Aws).UserName | Should -Be $keys.Used.UserName
    }
}
