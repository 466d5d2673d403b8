#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Offline: Get-S3CredentialPolicy calls no AWS service.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
}

Describe 'Get-S3CredentialPolicy -PublicBucket' {
    It 'shows the bucket policy that makes each bucket readable by everyone (s3-credentials policy --public-bucket)' {
        $policies = 'photos', 'site-bucket' | Get-S3CredentialPolicy -PublicBucket
        $policies.BucketName | Should -Be @('photos', 'site-bucket')
        $policies[0].Kind | Should -Be 'BucketPolicy'
        $policies[0].PolicyName | Should -Be 'AllowAllGetObject'
        $policies[0].PolicyDocument | Should -BeExactly '{"Version":"2012-10-17","Statement":[{"Sid":"AllowAllGetObject","Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::photos/*"]}]}'
        $statement = ($policies[1].PolicyDocument | ConvertFrom-Json).Statement[0]
        $statement.Resource | Should -Be 'arn:aws:s3:::site-bucket/*'
        (Get-S3CredentialPolicy photos -PublicBucket -Region cn-north-1).PolicyDocument | Should -BeLike '*"arn:aws-cn:s3:::photos/*"*'
    }

    It 'refuses options that shape credentials while binding (a set of its own; the library keeps its own check)' {
        { Get-S3CredentialPolicy photos -PublicBucket -Access ReadOnly -ErrorAction Stop } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,S3Credentials.Commands.GetS3CredentialPolicyCommand'
        { Get-S3CredentialPolicy photos -PublicBucket -Duration 1h -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
        { Get-S3CredentialPolicy 'Bad_Bucket' -PublicBucket -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidBucketNameCharacters,*'
    }

    It 'is the policy New-S3Credential -Public attaches' {
        $moto = Start-TestMoto
        try {
            $aws = Get-MotoParameters $moto
            New-S3Credential public-bucket -CreateBucket -Public -NoWait @aws | Out-Null
            (Get-S3BucketDetail public-bucket @aws).BucketPolicy | Should -BeExactly (Get-S3CredentialPolicy public-bucket -PublicBucket).PolicyDocument
        } finally { Stop-TestMoto $moto }
    }
}

# One region precedence for the cmdlets that call AWS and this offline one (issue 15): the partition of the ARNs
# follows $StoredAWSRegion and the profile's region as New-S3Credential's does.
Describe 'Get-S3CredentialPolicy region' {
    It 'takes AWS.Tools'' $StoredAWSRegion before AWS_REGION, as New-S3Credential does, and -Region before both' {
        $policy = Invoke-FreshSession @"
Import-Module '$(Join-Path (Get-RepoRoot) 'out/S3Credentials/S3Credentials.psd1')'
`$env:AWS_REGION = 'us-gov-west-1'
`$environment = (Get-S3CredentialPolicy photos).PolicyDocument
`$StoredAWSRegion = 'cn-north-1'
[pscustomobject]@{
    Stored = (Get-S3CredentialPolicy photos).PolicyDocument
    Given = (Get-S3CredentialPolicy photos -Region eu-west-1).PolicyDocument
    Environment = `$environment
}
"@
        $policy.Stored | Should -BeLike '*arn:aws-cn:s3:::photos*'
        $policy.Given | Should -BeLike '*arn:aws:s3:::photos*'
        $policy.Environment | Should -BeLike '*arn:aws-us-gov:s3:::photos*'
    }

    It 'takes the region of the AWS_PROFILE profile when nothing else names one' {
        $folder = Join-Path $TestDrive 'aws'
        New-Item -ItemType Directory $folder -Force | Out-Null
        Set-Content (Join-Path $folder 'config') "[profile gov]`nregion = us-gov-east-1`n"
        Set-Content (Join-Path $folder 'credentials') ''
        $document = Invoke-FreshSession @"
`$env:AWS_CONFIG_FILE = '$(Join-Path $folder 'config')'
`$env:AWS_SHARED_CREDENTIALS_FILE = '$(Join-Path $folder 'credentials')'
`$env:AWS_PROFILE = 'gov'
Remove-Item Env:AWS_REGION, Env:AWS_DEFAULT_REGION -ErrorAction SilentlyContinue
Import-Module '$(Join-Path (Get-RepoRoot) 'out/S3Credentials/S3Credentials.psd1')'
(Get-S3CredentialPolicy photos).PolicyDocument
"@
        $document | Should -BeLike '*arn:aws-us-gov:s3:::photos*'
    }
}
