@{
    RootModule             = 'S3Credentials.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '5d0a8f3e-6b1c-4c55-9a3e-2f7e8c1b4d90'
    Author                 = 'S3Credentials developers'
    CompanyName            = 'S3Credentials'
    Copyright              = '(c) 2026 The S3Credentials authors. MIT License (LICENSE in the module folder).'
    Description            = 'Scoped AWS credentials for S3 buckets in one command: permanent (an IAM user with a least-privilege inline policy and an access key) or temporary (STS), and cmdlets to inspect and clean up what it made.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FunctionsToExport      = @()
    CmdletsToExport        = @(
        'ConvertTo-S3CredentialText'
        'Export-S3Credential'
        'Get-S3AccessKey'
        'Get-S3BucketDetail'
        'Get-S3CallerIdentity'
        'Get-S3ConsoleSignInUrl'
        'Get-S3CredentialPolicy'
        'Get-S3Item'
        'Get-S3Role'
        'Get-S3User'
        'Get-S3UserPolicy'
        'New-S3Credential'
        'New-S3PresignedUrl'
        'Register-S3CredentialProfile'
        'Remove-S3Item'
        'Remove-S3User'
        'Revoke-S3Credential'
        'Save-S3Item'
        'Set-S3BucketDetail'
        'Test-S3Credential'
        'Unregister-S3CredentialProfile'
        'Update-S3Credential'
        'Write-S3Item'
    )
    VariablesToExport      = @()
    AliasesToExport        = @()
    FormatsToProcess       = @('S3Credentials.format.ps1xml')
    TypesToProcess         = @('S3Credentials.types.ps1xml')
    PrivateData            = @{
        PSData = @{
            Tags         = @('AWS', 'S3', 'IAM', 'STS', 'Credentials', 'Security', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = '0.1.0: Get-S3AccessKey (key age and last use), New-S3Credential (permanent and temporary, least-privilege policies, rollback, key wait), Get-S3CredentialPolicy, Test-S3Credential, Update-S3Credential (key rotation), Get-S3User, Get-S3UserPolicy, Get-S3Role, Get-S3BucketDetail, Remove-S3User, Export-S3Credential, ConvertTo-S3CredentialText, Register-/Unregister-S3CredentialProfile, New-S3PresignedUrl, Get-S3ConsoleSignInUrl, Get-S3CallerIdentity; one credential resolver shared by every cmdlet; tab completion; on PowerShell 7 the AWS SDK is loaded into a private AssemblyLoadContext, so the module works next to AWS.Tools.'
        }
    }
}
