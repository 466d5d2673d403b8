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
        (Get-S3User $old.UserName -IncludeAccessKeyCount @Aws).AccessKeyCount | Should -Be 1
    }

    It '-KeepOld keeps the old key, inactive' {
        $old = New-S3Credential keep-bucket -CreateBucket -NoWait @Aws
        Update-S3Credential $old.UserName -KeepOld -Confirm:$false @Aws | Out-Null
        (Get-S3User $old.UserName -IncludeAccessKeyCount @Aws).AccessKeyCount | Should -Be 2
    }

    It '-WhatIf changes nothing' {
        $old = New-S3Credential whatif-bucket -CreateBucket -NoWait @Aws
        Update-S3Credential $old.UserName -WhatIf @Aws | Should -BeNullOrEmpty
        (Get-S3User $old.UserName -IncludeAccessKeyCount @Aws).AccessKeyCount | Should -Be 1
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
        (Get-S3User $old.UserName -IncludeAccessKeyCount @Aws).AccessKeyCount | Should -Be 1

        $forced = Invoke-NonInteractivePowerShell "`$p = $parameters; (Get-S3User -Managed @p | Update-S3Credential -Force @p).AccessKeyId"
        $forced.ExitCode | Should -Be 0 -Because ($forced.Output -join "`n")
        $forced.Output[-1] | Should -Match '^AKIA'
        $forced.Output[-1] | Should -Not -Be $old.AccessKeyId
        { Update-S3Credential $old.UserName -AccessKeyId $old.AccessKeyId -WhatIf @Aws -ErrorAction Stop } |
            Should -Throw -ErrorId 'AccessKeyNotFound,S3Credentials.Commands.UpdateS3CredentialCommand'
    }

    It 'prints under -WhatIf the very lines its help shows' {
        New-S3Credential whatif-help-a -CreateBucket -NoWait @Aws | Out-Null
        New-S3Credential whatif-help-b -CreateBucket -NoWait @Aws | Out-Null
        # The help's keys and users are examples: compare the sentences with this run's keys and users taken out.
        $sentence = { param($line) $line -replace '\b(AKIA[A-Z0-9]{12,}|OLDKEY|SPAREKEY)\b', 'KEY' -replace 'on target "[^"]*"', 'on target "USER"' }

        # Example 3: Get-S3User -Managed | Update-S3Credential -WhatIf. "What if:" goes to the host, so a child session prints it.
        $run = Invoke-NonInteractivePowerShell "`$p = $(ConvertTo-HashtableLiteral $Aws); Get-S3User -Managed @p | Update-S3Credential -WhatIf @p"
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $printed = @($run.Output | Where-Object { $_ -like 'What if:*' })
        $printed.Count | Should -Be 2
        $example = @((Get-Help Update-S3Credential -Examples).examples.example | Where-Object { $_.code -match 'Update-S3Credential -WhatIf' })
        $example.Count | Should -Be 1
        $documented = @(($example[0].code -split "`r?`n") | Where-Object { $_ -like 'What if:*' })
        $documented.Count | Should -Be 2
        @($printed | ForEach-Object { & $sentence $_ }) | Should -Be @($documented | ForEach-Object { & $sentence $_ })

        # -WhatIf's own help quotes the message when an inactive second key must make room.
        $user = (Get-S3User -Managed @Aws | Select-Object -First 1).UserName
        Update-S3Credential $user -KeepOld -Confirm:$false @Aws | Out-Null
        $room = Invoke-NonInteractivePowerShell "`$p = $(ConvertTo-HashtableLiteral $Aws); Update-S3Credential '$user' -WhatIf @p"
        $room.ExitCode | Should -Be 0 -Because ($room.Output -join "`n")
        $roomLine = @($room.Output | Where-Object { $_ -like 'What if:*' })
        $roomLine.Count | Should -Be 1
        $quoted = [regex]::Matches(((Get-Help Update-S3Credential -Parameter WhatIf).description.Text -join ' '), '"(Rotate access key:[^"]*)"') | ForEach-Object { $_.Groups[1].Value }
        $roomLine[0] -match 'operation "([^"]*)"' | Should -BeTrue
        & $sentence $Matches[1] | Should -BeIn @($quoted | ForEach-Object { & $sentence $_ })
    }

    It 'names a missing user in an error' {
        { Update-S3Credential ghost -Confirm:$false @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'UserNotFound,S3Credentials.Commands.UpdateS3CredentialCommand'
    }
}
