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
