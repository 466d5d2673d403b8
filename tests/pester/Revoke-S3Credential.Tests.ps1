#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Revoke-S3Credential proven in moto's auth mode (taught DateLessThan on aws:TokenIssueTime and inactive keys by
# tests/moto/run_moto.py): credentials that worked before are refused after, and new ones work.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
    $script:Endpoints = @{ Region = 'us-east-1'; EndpointUrl = $Moto.Endpoint; IamEndpointUrl = $Moto.Endpoint; StsEndpointUrl = $Moto.Endpoint }

    # An administrator's key, the module's role trusting it (made as the AWS CLI would: moto lets AssumeRole "assume" a
    # role that does not exist), then auth mode on.
    function Initialize-Scenario {
        Reset-TestMoto $Moto
        $admin = New-S3Credential revoke-bucket -CreateBucket -UserName admin -Statement @{ Effect = 'Allow'; Action = '*'; Resource = '*' } -PermissionsBoundary none -NoWait @Aws
        $environment = @{ AWS_ACCESS_KEY_ID = $Aws.AccessKey; AWS_SECRET_ACCESS_KEY = $Aws.SecretKey; AWS_DEFAULT_REGION = 'us-east-1' }
        $saved = @{}; foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
        try {
            & (Find-AwsCli) iam create-role --role-name S3Credentials-TemporaryAccess --path /s3credentials/ --endpoint-url $Moto.Endpoint `
                --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/admin"},"Action":"sts:AssumeRole"}]}' | Out-Null
            & (Find-AwsCli) iam put-role-policy --role-name S3Credentials-TemporaryAccess --policy-name s3-access --endpoint-url $Moto.Endpoint `
                --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' | Out-Null
        } finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
        Invoke-RestMethod -Method Post -Uri "$($Moto.Endpoint)/moto-api/reset-auth" -Body '0' -ContentType 'text/plain' | Out-Null
        $admin
    }

    function Get-ListResult($Credential) { ($Credential | Test-S3Credential @Endpoints | Where-Object Action -eq 'List').Result }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'Revoke-S3Credential' {
    It 'revokes the sessions of the module''s role: those issued before are refused, new ones work; -WhatIf shows the policy and changes nothing' {
        $admin = Initialize-Scenario
        $old = New-S3Credential revoke-bucket -Access ReadOnly -Duration 15m -Credential $admin @Endpoints
        Get-ListResult $old | Should -Be 'Allowed'

        $said = @(Get-WhatIfText { Revoke-S3Credential -Credential $admin @Endpoints -WhatIf })
        $said | Should -HaveCount 1
        $moment = '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ'
        $said[0] | Should -Match ('^' + [regex]::Escape('What if: Performing the operation "Revoke every session of the role issued before ') + '.+' +
            [regex]::Escape(': put inline policy ''AWSRevokeOlderSessions'' {"Version":"2012-10-17","Statement":[{"Sid":"RevokeOlderSessions","Effect":"Deny","Action":["*"],"Resource":["*"],"Condition":{"DateLessThan":{"aws:TokenIssueTime":["') +
            $moment + [regex]::Escape('"]}}}]}" on target "S3Credentials-TemporaryAccess".') + '$')
        Get-ListResult $old | Should -Be 'Allowed'

        $revocation = Revoke-S3Credential -Credential $admin @Endpoints -Force
        $revocation.TargetType | Should -Be 'Role'
        $revocation.Name | Should -Be 'S3Credentials-TemporaryAccess'
        $revocation.PolicyName | Should -Be 'AWSRevokeOlderSessions'
        Get-ListResult $old | Should -Be 'Denied'

        # The moment is rounded up to a whole second: poll, bounded, for credentials issued after it.
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        do { $fresh = Get-ListResult (New-S3Credential revoke-bucket -Access ReadOnly -Duration 15m -Credential $admin @Endpoints) }
        while ($fresh -ne 'Allowed' -and [DateTime]::UtcNow -lt $deadline)
        $fresh | Should -Be 'Allowed'
        Get-ListResult $admin | Should -Be 'Allowed'
    }

    It 'takes piped credentials: a permanent key is deactivated, a temporary one revokes its role once, a FederationToken one is an error saying what to do' {
        $admin = Initialize-Scenario
        $permanent = New-S3Credential revoke-bucket -Access ReadOnly -NoWait -Credential $admin @Endpoints
        $temporary = 1..2 | ForEach-Object { New-S3Credential revoke-bucket -Access ReadOnly -Duration 15m -Credential $admin @Endpoints }
        $federated = [pscustomobject]@{ AccessKeyId = 'ASIAEXAMPLEFEDERATED'; Kind = 'Temporary'; Method = 'FederationToken' }

        $results = @($permanent, $temporary[0], $temporary[1], $federated | Revoke-S3Credential -Credential $admin @Endpoints -Force -ErrorVariable failures -ErrorAction SilentlyContinue)

        $results.TargetType | Should -Be @('AccessKey', 'Role')
        $results[0].AccessKeyId | Should -Be $permanent.AccessKeyId
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'FederationTokenNotRevocable,S3Credentials.Commands.RevokeS3CredentialCommand'
        $failures[0].Exception.Message | Should -BeLike '*-IssuedByUser*'
        Get-ListResult $permanent | Should -Not -Be 'Allowed'
        (Get-S3AccessKey admin, $permanent.UserName @Endpoints -Credential $admin | Where-Object AccessKeyId -eq $permanent.AccessKeyId).Status | Should -Be 'Inactive'
        foreach ($credential in $temporary) { Get-ListResult $credential | Should -Be 'Denied' }
    }

    It 'revokes what a user issued with -IssuedByUser, and the user''s own key keeps working' {
        $admin = Initialize-Scenario
        $revocation = Revoke-S3Credential -IssuedByUser admin -Credential $admin @Endpoints -Force
        $revocation.TargetType | Should -Be 'User'
        $revocation.Name | Should -Be 'admin'
        Get-ListResult $admin | Should -Be 'Allowed'
    }

    It 'refuses a -Before that has not passed, before any call' {
        { Revoke-S3Credential -Before ([DateTime]::UtcNow.AddHours(1)) @Aws -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'BeforeInFuture,S3Credentials.Commands.RevokeS3CredentialCommand' -ExpectedMessage '*-Before*'
    }
}
