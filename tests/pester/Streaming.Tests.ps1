#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Issue 16: the Get-* cmdlets write each object as soon as it (and every one before it) is read, so a pipeline that
# wants only the first few stops the reading too. Requests are counted with moto's own request recorder.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto -Record
    $script:Aws = Get-MotoParameters $Moto
    $script:UserCount = 200
    $script:BucketCount = 100

    # Users made by boto3 in one process: hundreds of AWS CLI processes would take minutes.
    $python = Find-MotoPython
    & $python -c @"
import boto3
iam = boto3.client('iam', endpoint_url='$($Moto.Endpoint)', region_name='us-east-1', aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='x')
for i in range($UserCount):
    iam.create_user(UserName='user-%03d' % i)
    iam.put_user_policy(UserName='user-%03d' % i, PolicyName='read', PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}')
    if i % 2 == 0:
        iam.create_access_key(UserName='user-%03d' % i)
s3 = boto3.client('s3', endpoint_url='$($Moto.Endpoint)', region_name='us-east-1', aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='x')
for i in range($BucketCount):
    s3.create_bucket(Bucket='streamed-%03d' % i)
"@
    if ($LASTEXITCODE -ne 0) { throw 'Could not make the test users.' }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'Streaming reads' {
    It 'Get-S3User | Select-Object -First 5 gives the first five by name after one account read and no call per user' {
        Start-MotoRecording $Moto
        $first = Get-S3User @Aws | Select-Object -First 5
        $actions = @(Get-MotoRecordedActions $Moto)

        $first.UserName | Should -Be @('user-000', 'user-001', 'user-002', 'user-003', 'user-004')
        $first.AccessKeyCount | Should -Be @($null, $null, $null, $null, $null)
        $actions | Should -Be @('GetAccountAuthorizationDetails')
    }

    It 'Get-S3User -IncludeAccessKeyCount | Select-Object -First 5 counts the keys and stops sending requests' {
        Start-MotoRecording $Moto
        $first = Get-S3User -IncludeAccessKeyCount @Aws | Select-Object -First 5
        $actions = @(Get-MotoRecordedActions $Moto)

        $first.UserName | Should -Be @('user-000', 'user-001', 'user-002', 'user-003', 'user-004')
        $first.AccessKeyCount | Should -Be @(1, 0, 1, 0, 1)
        $actions[0] | Should -Be 'GetAccountAuthorizationDetails'
        ($actions | Where-Object { $_ -eq 'GetAccountAuthorizationDetails' }).Count | Should -Be 1
        # At most the items started ahead (4 per request allowed in flight) and those in flight: far from one per user.
        ($actions | Where-Object { $_ -eq 'ListAccessKeys' }).Count | Should -BeLessOrEqual (5 + 4 * 8 + 8)
        $actions.Count | Should -BeLessThan ($UserCount / 4)
    }

    It 'the whole listing is one account read (the peer''s list-users is one call too); -IncludeAccessKeyCount adds one ListAccessKeys per user' {
        Start-MotoRecording $Moto
        $all = Get-S3User @Aws
        $actions = @(Get-MotoRecordedActions $Moto)
        $all.Count | Should -Be $UserCount
        $all.UserName | Should -Be ($all.UserName | Sort-Object)
        $actions | Should -Be @('GetAccountAuthorizationDetails')

        Start-MotoRecording $Moto
        $counted = Get-S3User -IncludeAccessKeyCount @Aws
        $actions = @(Get-MotoRecordedActions $Moto)
        $counted.UserName | Should -Be $all.UserName
        ($counted | Measure-Object AccessKeyCount -Sum).Sum | Should -Be ($UserCount / 2)
        ($actions | Group-Object | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Count)" }) | Should -Be @('GetAccountAuthorizationDetails=1', "ListAccessKeys=$UserCount")
    }

    It 'Get-S3UserPolicy needs one account read for every user piped to it and streams in user order' {
        Start-MotoRecording $Moto
        $policies = Get-S3User 'user-1*' @Aws | Get-S3UserPolicy @Aws | Select-Object -First 3
        $policies.UserName | Should -Be @('user-100', 'user-101', 'user-102')
        $policies[0].GetDocument().Statement[0].Action | Should -Be 's3:GetObject'
        $actions = @(Get-MotoRecordedActions $Moto)
        ($actions | Where-Object { $_ -eq 'GetAccountAuthorizationDetails' }).Count | Should -Be 2
        $actions | Should -Not -Contain 'GetUserPolicy'
        $actions | Should -Not -Contain 'ListUserPolicies'
    }

    It 'an error record under -ErrorAction Stop ends the command with that error and stops the reading' {
        Start-MotoRecording $Moto
        { Get-S3User 'bad name!', 'user-*' -IncludeAccessKeyCount @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidUserNameCharacters,S3Credentials.Commands.GetS3UserCommand'
        @(Get-MotoRecordedActions $Moto | Where-Object { $_ -eq 'ListAccessKeys' }).Count | Should -BeLessThan ($UserCount / 4)
    }

    It 'Get-S3AccessKey | Select-Object -First 2 stops too' {
        Start-MotoRecording $Moto
        $keys = Get-S3AccessKey @Aws | Select-Object -First 2
        $keys.UserName | Should -Be @('user-000', 'user-002')
        # The account read, then for at most the users started ahead (4 per request in flight) and those in flight, their
        # keys and each key's last use (one key at most here): far below the 301 requests of the whole listing.
        @(Get-MotoRecordedActions $Moto).Count | Should -BeLessOrEqual (1 + (2 + 4 * 8 + 8) * 2)
    }

    It 'Get-S3BucketDetail | Select-Object -First 2 gives the first two by name and stops reading buckets' {
        Start-MotoRecording $Moto
        $first = Get-S3BucketDetail @Aws | Select-Object -First 2
        $requests = @(Get-MotoRecording $Moto).Count

        $first.Name | Should -Be @('streamed-000', 'streamed-001')
        $first[0].Region | Should -Be 'us-east-1'
        # ListBuckets, then the six reads (moto gives no region in ListBuckets, and these buckets have no policy) of at most
        # the buckets started ahead (2 per request in flight, 16 by default) and those in flight: half the 601 requests of
        # the whole listing at most.
        $requests | Should -BeLessOrEqual (1 + 6 * (2 + 2 * 16 + 16))
        $requests | Should -BeLessThan (1 + 6 * $BucketCount / 2)
    }
}
