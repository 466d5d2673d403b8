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

Describe 'Update-S3Credential' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'rotates the key of piped credentials and leaves one key' {
        $old = New-S3Credential rotate-bucket -CreateBucket -NoWait @Aws
        $new = $old | Update-S3Credential -Confirm:$false @Aws
        $new.AccessKeyId | Should -Not -Be $old.AccessKeyId
        $new.UserName | Should -Be $old.UserName
        (Get-S3User $old.UserName @Aws).AccessKeyCount | Should -Be 1
    }

    It '-KeepOld keeps the old key, inactive' {
        $old = New-S3Credential keep-bucket -CreateBucket -NoWait @Aws
        Update-S3Credential $old.UserName -KeepOld -Confirm:$false @Aws | Out-Null
        (Get-S3User $old.UserName @Aws).AccessKeyCount | Should -Be 2
    }

    It '-WhatIf changes nothing' {
        $old = New-S3Credential whatif-bucket -CreateBucket -NoWait @Aws
        Update-S3Credential $old.UserName -WhatIf @Aws | Should -BeNullOrEmpty
        (Get-S3User $old.UserName @Aws).AccessKeyCount | Should -Be 1
    }

    It 'deletes keys, so it asks first (ConfirmImpact High): piped users are not rotated unasked, and -Force rotates' {
        $attribute = (Get-Command Update-S3Credential).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.ConfirmImpact | Should -Be 'High'
        $old = New-S3Credential ask-bucket -CreateBucket -NoWait @Aws
        $parameters = ConvertTo-HashtableLiteral $Aws

        # At the default $ConfirmPreference (High) it must ask; a session that cannot ask fails instead of rotating.
        $asked = Invoke-NonInteractivePowerShell "`$ConfirmPreference = 'High'; `$p = $parameters; Get-S3User -Managed @p | Update-S3Credential @p"
        $asked.ExitCode | Should -Not -Be 0
        ($asked.Output -join "`n") | Should -Match 'NonInteractive'
        Update-S3Credential $old.UserName -AccessKeyId $old.AccessKeyId -WhatIf @Aws | Should -BeNullOrEmpty   # the old key is still there
        (Get-S3User $old.UserName @Aws).AccessKeyCount | Should -Be 1

        $forced = Invoke-NonInteractivePowerShell "`$p = $parameters; (Get-S3User -Managed @p | Update-S3Credential -Force @p).AccessKeyId"
        $forced.ExitCode | Should -Be 0 -Because ($forced.Output -join "`n")
        $forced.Output[-1] | Should -Match '^AKIA'
        $forced.Output[-1] | Should -Not -Be $old.AccessKeyId
        { Update-S3Credential $old.UserName -AccessKeyId $old.AccessKeyId -WhatIf @Aws -ErrorAction Stop } |
            Should -Throw -ErrorId 'AccessKeyNotFound,S3Credentials.Commands.UpdateS3CredentialCommand'
    }

    It 'names a missing user in an error' {
        { Update-S3Credential ghost -Confirm:$false @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'UserNotFound,S3Credentials.Commands.UpdateS3CredentialCommand'
    }
}
