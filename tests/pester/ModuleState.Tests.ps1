#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Issue 15: what the module remembers between commands (names read for tab completion, caller identities) belongs to
# one import of the module, not to the process: removing the module and importing it again starts with empty caches.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
}

AfterAll {
    Stop-TestMoto $Moto
    Import-S3CredentialsModule
}

Describe 'The module session state' {
    It 'tab completion reuses the bucket names it read until the module is imported again' {
        Reset-TestMoto $Moto
        $line = "Get-S3Item -AccessKey $($Aws.AccessKey) -SecretKey $($Aws.SecretKey) -Region us-east-1 -EndpointUrl $($Moto.Endpoint) -BucketName "
        New-S3Credential alpha-bucket -CreateBucket -UserName state-a -NoWait @Aws | Out-Null
        Get-CompletionText $line | Should -Be 'alpha-bucket'

        New-S3Credential beta-bucket -CreateBucket -UserName state-b -NoWait @Aws | Out-Null
        Get-CompletionText $line | Should -Be 'alpha-bucket' -Because 'the names read a moment ago are cached for this module session'

        Remove-Module S3Credentials
        Import-S3CredentialsModule
        Get-CompletionText $line | Should -Be 'alpha-bucket', 'beta-bucket' -Because 'a new import starts with an empty cache'
    }
}

Describe 'One state per runspace' {
    It 'importing the module in another runspace of the same process leaves this runspace''s cached names alone' {
        Reset-TestMoto $Moto
        $line = "Get-S3Item -AccessKey $($Aws.AccessKey) -SecretKey $($Aws.SecretKey) -Region us-east-1 -EndpointUrl $($Moto.Endpoint) -BucketName "
        $manifest = (Get-Module S3Credentials).Path
        $runspaces = 1..2 | ForEach-Object { $r = [runspacefactory]::CreateRunspace(); $r.Open(); $r }
        try {
            $complete = {
                param($Runspace, $Line)
                $ps = [powershell]::Create(); $ps.Runspace = $Runspace
                try { @($ps.AddScript('param($l) ([System.Management.Automation.CommandCompletion]::CompleteInput($l, $l.Length, $null)).CompletionMatches.CompletionText').AddArgument($Line).Invoke()) }
                finally { $ps.Dispose() }
            }
            $import = {
                param($Runspace)
                $ps = [powershell]::Create(); $ps.Runspace = $Runspace
                try { $ps.AddCommand('Import-Module').AddParameter('Name', $manifest).AddParameter('Force').Invoke() | Out-Null } finally { $ps.Dispose() }
            }

            & $import $runspaces[0]
            New-S3Credential gamma-bucket -CreateBucket -UserName state-g -NoWait @Aws | Out-Null
            & $complete $runspaces[0] $line | Should -Be 'gamma-bucket'

            New-S3Credential delta-bucket -CreateBucket -UserName state-d -NoWait @Aws | Out-Null
            & $import $runspaces[1]
            & $complete $runspaces[1] $line | Should -Be 'delta-bucket', 'gamma-bucket' -Because 'the other runspace''s import starts its own state'
            & $complete $runspaces[0] $line | Should -Be 'gamma-bucket' -Because 'another runspace importing the module does not empty this runspace''s cache'
        }
        finally {
            $runspaces | ForEach-Object { $_.Dispose() }
        }
    }
}
