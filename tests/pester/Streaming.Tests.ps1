#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Issue 16: the Get-* cmdlets write each object as soon as it (and every one before it) is read, so a pipeline that
# wants only the first few stops the reading too. Requests are counted with moto's own request recorder.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Recording = Join-Path ([System.IO.Path]::GetTempPath()) "moto-recording-$PID-$([guid]::NewGuid().ToString('n')).jsonl"
    $script:Moto = Start-TestMoto -Environment @{ MOTO_RECORDER_FILEPATH = $Recording }
    $script:Aws = Get-MotoParameters $Moto
    $script:UserCount = 200

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
"@
    if ($LASTEXITCODE -ne 0) { throw 'Could not make the test users.' }
}

AfterAll {
    Stop-TestMoto $Moto
    Remove-Item $Recording -ErrorAction SilentlyContinue
}

Describe 'Streaming reads' {
    It 'Get-S3User | Select-Object -First 5 gives the first five by name and stops sending requests' {
        Start-MotoRecording $Moto
        $first = Get-S3User @Aws | Select-Object -First 5
        $actions = @(Get-MotoRecordedActions $Moto)

        $first.UserName | Should -Be @('user-000', 'user-001', 'user-002', 'user-003', 'user-004')
        $first.AccessKeyCount | Should -Be @(1, 0, 1, 0, 1)
        $actions[0] | Should -Be 'GetAccountAuthorizationDetails'
        ($actions | Where-Object { $_ -eq 'GetAccountAuthorizationDetails' }).Count | Should -Be 1
        # At most the items started ahead (4 per request allowed in flight) and those in flight: far from one per user.
        ($actions | Where-Object { $_ -eq 'ListAccessKeys' }).Count | Should -BeLessOrEqual (5 + 4 * 8 + 8)
        $actions.Count | Should -BeLessThan ($UserCount / 4)
    }

    It 'the whole listing reads every user once, each with one call more than the account read' {
        Start-MotoRecording $Moto
        $all = Get-S3User @Aws
        $actions = @(Get-MotoRecordedActions $Moto)
        $all.Count | Should -Be $UserCount
        $all.UserName | Should -Be ($all.UserName | Sort-Object)
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
        { Get-S3User 'bad name!', 'user-*' @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidUserNameCharacters,S3Credentials.Commands.GetS3UserCommand'
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
}
