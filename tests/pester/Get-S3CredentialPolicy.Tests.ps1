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
