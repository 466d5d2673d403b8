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

    It 'names a missing user in an error' {
        { Update-S3Credential ghost -Confirm:$false @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'UserNotFound,S3Credentials.Commands.UpdateS3CredentialCommand'
    }
}
