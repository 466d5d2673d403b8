#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Get-S3User, Get-S3UserPolicy, Get-S3AccessKey and Get-S3Role -Detail read the account with
# iam:GetAccountAuthorizationDetails; where IAM refuses it (AccessDenied), they read the same objects with the list calls
# and say so in one Verbose line, with no warning. Shown in moto's auth mode, as a user meets it: an administrator's key,
# and a key whose policy allows everything but iam:GetAccountAuthorizationDetails (issue 16; the xunit suite shows the
# same in Core: When_GetAccountAuthorizationDetails_is_denied_...).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto -Record
    $script:Aws = Get-MotoParameters $Moto
    $script:Endpoints = @{ Region = 'us-east-1'; EndpointUrl = $Moto.Endpoint; IamEndpointUrl = $Moto.Endpoint; StsEndpointUrl = $Moto.Endpoint }

    # An IAM Query request to moto while auth mode is off (moto reads the service from the credential scope and checks
    # no signature then): what the module has no cmdlet for, without starting the AWS CLI for each call.
    function Invoke-SetupIam([string] $Action, [hashtable] $Parameters) {
        $body = @{ Action = $Action; Version = '2010-05-08' } + $Parameters
        $headers = @{ Authorization = 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0' }
        Invoke-RestMethod -Method Post -Uri "$($Moto.Endpoint)/" -Headers $headers -Body $body -ContentType 'application/x-www-form-urlencoded' | Out-Null
    }

    Reset-TestMoto $Moto
    # What the four cmdlets read: two module users (tags, inline policies, keys), a plain user with a tag, an attached
    # policy and a second key, and a role with an inline and an attached policy. admin and reader, made by
    # New-S3Credential too, are module users as well (Get-S3User -Managed lists all four).
    New-S3Credential fallback-alpha -CreateBucket -NoWait @Aws | Out-Null
    New-S3Credential fallback-beta -CreateBucket -Access ReadOnly -NoWait @Aws | Out-Null
    Invoke-SetupIam CreateUser @{ UserName = 'team-data' }
    Invoke-SetupIam TagUser @{ UserName = 'team-data'; 'Tags.member.1.Key' = 'team'; 'Tags.member.1.Value' = 'data' }
    Invoke-SetupIam AttachUserPolicy @{ UserName = 'team-data'; PolicyArn = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }
    Invoke-SetupIam PutUserPolicy @{ UserName = 'team-data'; PolicyName = 'inline-one'; PolicyDocument = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}' }
    Invoke-SetupIam CreateAccessKey @{ UserName = 'team-data' }
    Invoke-SetupIam CreateAccessKey @{ UserName = 'team-data' }
    Invoke-SetupIam CreateRole @{ RoleName = 'fallback-role'; AssumeRolePolicyDocument = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/admin"},"Action":"sts:AssumeRole"}]}' }
    Invoke-SetupIam PutRolePolicy @{ RoleName = 'fallback-role'; PolicyName = 'role-inline'; PolicyDocument = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}' }
    Invoke-SetupIam AttachRolePolicy @{ RoleName = 'fallback-role'; PolicyArn = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }

    $allowAll = @{ Effect = 'Allow'; Action = '*'; Resource = '*' }
    $script:Admin = New-S3Credential fallback-alpha -UserName admin -Statement $allowAll -PermissionsBoundary none -NoWait @Aws
    $script:Reader = New-S3Credential fallback-alpha -UserName reader -PermissionsBoundary none -NoWait @Aws -Statement $allowAll,
        @{ Effect = 'Deny'; Action = 'iam:GetAccountAuthorizationDetails'; Resource = '*' }
    # moto's auth mode: signatures and identity policies are checked from now on.
    Invoke-RestMethod -Method Post -Uri "$($Moto.Endpoint)/moto-api/reset-auth" -Body '0' -ContentType 'text/plain' | Out-Null

    # One cmdlet run as a user runs it: its objects, its Verbose lines (4>&1), its warnings (3>&1 and -WarningVariable),
    # and the IAM actions moto received, in order.
    function Invoke-AsUser([scriptblock] $Read, $Credential) {
        Start-MotoRecording $Moto
        $warned = $null
        # Dot-sourced, so that -WarningVariable fills $warned here.
        $all = @(. $Read @{ Credential = $Credential; Verbose = $true; WarningVariable = 'warned' } 3>&1 4>&1)
        [pscustomobject]@{
            Objects  = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] -and $_ -isnot [System.Management.Automation.WarningRecord] })
            Verbose  = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            Warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }) + @($warned | Where-Object { $null -ne $_ })
            Actions  = @(Get-MotoRecordedActions $Moto)
        }
    }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'A user denied iam:GetAccountAuthorizationDetails gets what an administrator gets, from the list calls' {
    It '<Cmdlet>' -TestCases @(
        @{ Cmdlet = 'Get-S3User -IncludeAccessKeyCount'; Read = { param($c) Get-S3User 's3.*', 'team-*' -IncludeAccessKeyCount @c @Endpoints }
            Properties = 'UserName', 'UserId', 'Arn', 'Path', 'CreateDate', 'Tags', 'AccessKeyCount', 'IsManaged'; Count = 3
            After = 'ListUsers', 'ListUserTags', 'ListAccessKeys'; Fallback = "users are read with ListUsers and each user's ListUserTags instead" }
        @{ Cmdlet = 'Get-S3User -Managed'; Read = { param($c) Get-S3User -Managed @c @Endpoints }
            Properties = 'UserName', 'UserId', 'Arn', 'Path', 'CreateDate', 'Tags', 'AccessKeyCount', 'IsManaged'; Count = 4
            After = 'ListUsers', 'ListUserTags'; Fallback = "users are read with ListUsers and each user's ListUserTags instead" }
        @{ Cmdlet = 'Get-S3UserPolicy'; Read = { param($c) Get-S3UserPolicy 's3.*', 'team-*' @c @Endpoints }
            Properties = 'UserName', 'PolicyName', 'Kind', 'PolicyArn', 'PolicyDocument'; Count = 4
            After = 'ListUsers', 'ListUserPolicies', 'GetUserPolicy', 'ListAttachedUserPolicies', 'GetPolicy', 'GetPolicyVersion'
            Fallback = "users are read with ListUsers and each user's ListUserPolicies, GetUserPolicy and ListAttachedUserPolicies instead" }
        @{ Cmdlet = 'Get-S3AccessKey'; Read = { param($c) Get-S3AccessKey 's3.*', 'team-*' @c @Endpoints }
            Properties = 'UserName', 'AccessKeyId', 'Status', 'CreateDate', 'Age', 'LastUsedDate', 'LastUsedService', 'LastUsedRegion', 'IsManaged'; Count = 4
            After = 'ListUsers', 'ListUserTags', 'ListAccessKeys', 'GetAccessKeyLastUsed'; Fallback = "users are read with ListUsers and each user's ListUserTags instead" }
        @{ Cmdlet = 'Get-S3Role -Detail'; Read = { param($c) Get-S3Role 'fallback-*' -Detail @c @Endpoints }
            Properties = 'RoleName', 'RoleId', 'Arn', 'Path', 'CreateDate', 'Description', 'MaxSessionDuration', 'AssumeRolePolicyDocument', 'IsManaged', 'InlinePolicyNames', 'AttachedPolicyArns', 'PolicyDocuments'; Count = 1
            After = 'ListRolePolicies', 'GetRolePolicy', 'ListAttachedRolePolicies', 'GetPolicy', 'GetPolicyVersion'; Fallback = 'roles are read with ListRoles and ' }
    ) {
        $asAdmin = Invoke-AsUser $Read $Admin
        $asReader = Invoke-AsUser $Read $Reader
        $json = { param($run) $run.Objects | Select-Object $Properties | ConvertTo-Json -Depth 3 -Compress }

        # The administrator: one whole-account read, nothing refused, nothing said about it.
        $asAdmin.Objects | Should -HaveCount $Count
        $asAdmin.Actions | Where-Object { $_ -eq 'GetAccountAuthorizationDetails' } | Should -HaveCount 1
        $asAdmin.Verbose -match 'GetAccountAuthorizationDetails' | Should -BeNullOrEmpty
        $asAdmin.Warnings | Should -BeNullOrEmpty

        # The reader: the same objects, property by property.
        & $json $asReader | Should -BeExactly (& $json $asAdmin)
        $asReader.Objects | Should -HaveCount $Count

        # One Verbose line says GetAccountAuthorizationDetails was refused and what is read instead; no warning.
        $said = @($asReader.Verbose -match '^iam:GetAccountAuthorizationDetails was refused \(AccessDenied\)')
        $said | Should -HaveCount 1
        $said[0] | Should -BeLike "*$Fallback*"
        $asReader.Warnings | Should -BeNullOrEmpty

        # moto received the refused request once, then the list calls that took its place.
        $actions = $asReader.Actions
        @($actions | Where-Object { $_ -eq 'GetAccountAuthorizationDetails' }) | Should -HaveCount 1
        $refused = [array]::IndexOf($actions, 'GetAccountAuthorizationDetails')
        $afterwards = @($actions | Select-Object -Skip ($refused + 1))
        foreach ($action in $After) { $afterwards | Should -Contain $action -Because "$action replaces part of the whole-account read (sent: $($actions -join ', '))" }
    }
}
