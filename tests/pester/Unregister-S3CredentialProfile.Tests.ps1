#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Unregister-S3CredentialProfile removes only what Register-S3CredentialProfile wrote (or anything with -Force), and asks
# first. No AWS call: no moto here.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    # Profiles a user wrote by hand or with other tools.
    $script:Foreign = "[default]`nregion = us-east-1`n`n[profile admin]`nrole_arn = arn:aws:iam::123456789012:role/Admin`nsource_profile = default`n`n" +
        "[profile corp]`nsso_session = corp`nsso_account_id = 123456789012`nsso_role_name = Dev`n`n[sso-session corp]`nsso_region = us-east-1`n`n" +
        "[profile vault]`ncredential_process = /usr/local/bin/vault-creds --role dev`n"
}

Describe 'Unregister-S3CredentialProfile' {
    BeforeEach {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))
        $script:Config = Join-Path $folder 'config'
        Set-Content -LiteralPath $Config -Value $Foreign -NoNewline
    }

    It 'refuses <Name>, which Register-S3CredentialProfile did not write, and leaves the file as it was' -TestCases @(
        @{ Name = 'default' }, @{ Name = 'admin' }, @{ Name = 'corp' }, @{ Name = 'vault' }
    ) {
        param($Name)
        $record = $null
        try { Unregister-S3CredentialProfile $Name -Path $Config -Confirm:$false -ErrorAction Stop } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'ProfileNotRegistered,S3Credentials.Commands.UnregisterS3CredentialProfileCommand'
        $record.Exception.Message | Should -Match 'not written by Register-S3CredentialProfile'
        $record.Exception.Message | Should -Match '-Force'
        Get-Content -LiteralPath $Config -Raw | Should -BeExactly $Foreign
    }

    It '-Force removes a profile Register-S3CredentialProfile did not write, without asking' {
        $ConfirmPreference = 'High'
        (Unregister-S3CredentialProfile admin -Path $Config -Force).Action | Should -Be 'Removed'
        $text = Get-Content -LiteralPath $Config -Raw
        $text | Should -Not -Match '\[profile admin\]'
        $text | Should -Match '\[profile corp\]'
    }

    It 'removes what Register-S3CredentialProfile wrote, a registration of an earlier version too' {
        Register-S3CredentialProfile minted some-bucket -Duration 15m -Path $Config | Out-Null
        # The first version's command line: the PowerShell executable alone, before the dotnet host was recognised.
        Add-Content -LiteralPath $Config -Value "`n[profile older]`ncredential_process = `"/usr/bin/pwsh`" -NoProfile -NonInteractive -Command `"Import-Module '/opt/S3Credentials/S3Credentials.psd1'; New-S3Credential -BucketName 'a' -Duration 900 -ErrorAction Stop | ConvertTo-S3CredentialText -Format CredentialProcess`"`nregion = eu-west-1"
        (Unregister-S3CredentialProfile minted -Path $Config -Confirm:$false).Action | Should -Be 'Removed'
        (Unregister-S3CredentialProfile older -Path $Config -Confirm:$false).Action | Should -Be 'Removed'
        (Get-Content -LiteralPath $Config -Raw).TrimEnd() | Should -BeExactly $Foreign.TrimEnd()
    }

    It '-WhatIf (with -Force too) shows the removal as a real run asks it, removes nothing and writes no object' {
        Register-S3CredentialProfile minted some-bucket -Duration 15m -Path $Config | Out-Null
        $before = Get-Content -LiteralPath $Config -Raw
        foreach ($force in $false, $true) {
            $said = @(Get-WhatIfText { Unregister-S3CredentialProfile minted -Path $Config -Force:$force -WhatIf })
            $said | Should -Be @("What if: Performing the operation `"Remove profile 'minted'`" on target `"$Config`".")
            @(Unregister-S3CredentialProfile minted -Path $Config -Force:$force -WhatIf).Count | Should -Be 0
            Get-Content -LiteralPath $Config -Raw | Should -BeExactly $before
        }
    }

    It 'asks before removing (ConfirmImpact High): a session that cannot ask removes nothing' {
        $attribute = (Get-Command Unregister-S3CredentialProfile).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.ConfirmImpact | Should -Be 'High'
        Register-S3CredentialProfile minted some-bucket -Duration 15m -Path $Config | Out-Null
        $before = Get-Content -LiteralPath $Config -Raw
        $run = Invoke-NonInteractivePowerShell "`$ConfirmPreference = 'High'; Unregister-S3CredentialProfile minted -Path '$Config'"
        $run.ExitCode | Should -Not -Be 0
        ($run.Output -join "`n") | Should -Match 'NonInteractive'
        Get-Content -LiteralPath $Config -Raw | Should -BeExactly $before
    }

    It 'completes -ProfileName with only the profiles Register-S3CredentialProfile wrote' {
        Register-S3CredentialProfile minted some-bucket -Duration 15m -Path $Config | Out-Null
        Register-S3CredentialProfile mirrored some-bucket -Duration 15m -Path $Config | Out-Null
        $script = "Unregister-S3CredentialProfile -Path '$Config' -ProfileName "
        $result = TabExpansion2 -inputScript $script -cursorColumn $script.Length
        @($result.CompletionMatches.CompletionText) | Should -Be @('minted', 'mirrored')
        $script = "Unregister-S3CredentialProfile -Path '$Config' -ProfileName mi"
        @((TabExpansion2 -inputScript $script -cursorColumn $script.Length).CompletionMatches.CompletionText) | Should -Be @('minted', 'mirrored')
    }
}
