#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
    function New-TestBucket([string] $Name) { New-S3Credential -BucketName $Name -CreateBucket -UserName "setup-$Name" -NoWait @Aws | Out-Null }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'Set-S3BucketDetail' {
    BeforeEach { Reset-TestMoto $Moto; New-TestBucket 'settings' }

    It 'takes Get-S3BucketDetail output from the pipeline and writes the bucket''s details afterwards' {
        $detail = Get-S3BucketDetail settings @Aws | Set-S3BucketDetail -CorsAllowedOrigin 'https://www.example.com' -CorsAllowedMethod GET, PUT -CorsExposeHeader ETag -WebsiteIndexDocument index.html @Aws
        $detail | Should -BeOfType 'S3Credentials.Core.Models.S3BucketDetail'
        $detail.CorsRuleCount | Should -Be 1
        ($detail.CorsRules | ConvertFrom-Json).CORSRules[0].AllowedOrigins | Should -Be 'https://www.example.com'
        ($detail.CorsRules | ConvertFrom-Json).CORSRules[0].AllowedMethods | Should -Be @('GET', 'PUT')
        $detail.WebsiteUrl | Should -Be 'http://settings.s3-website-us-east-1.amazonaws.com'
        (Get-S3BucketDetail settings @Aws).CorsRules | Should -Be $detail.CorsRules
    }

    It 'takes a policy as a file, a JSON string, a hashtable or Get-S3CredentialPolicy output' {
        $public = Get-S3CredentialPolicy settings -PublicBucket
        $file = Join-Path $TestDrive 'policy.json'
        $public.PolicyDocument | Set-Content $file
        (Set-S3BucketDetail settings -Policy $file @Aws).BucketPolicy | ConvertFrom-Json | ForEach-Object { $_.Statement[0].Sid } | Should -Be 'AllowAllGetObject'
        $table = @{ Version = '2012-10-17'; Statement = @(@{ Sid = 'FromHashtable'; Effect = 'Allow'; Principal = '*'; Action = 's3:GetObject'; Resource = 'arn:aws:s3:::settings/*' }) }
        ((Set-S3BucketDetail settings -Policy $table @Aws).BucketPolicy | ConvertFrom-Json).Statement[0].Sid | Should -Be 'FromHashtable'
        ((Set-S3BucketDetail settings -Policy $public @Aws).BucketPolicy | ConvertFrom-Json).Statement[0].Sid | Should -Be 'AllowAllGetObject'
        (Set-S3BucketDetail settings -RemovePolicy @Aws).HasBucketPolicy | Should -BeFalse
    }

    It 'sets public access block flags one by one, keeping the others' {
        (Set-S3BucketDetail settings -BlockPublicAcls $true @Aws).BlockPublicAcls | Should -BeTrue
        $detail = Set-S3BucketDetail settings -RestrictPublicBuckets $true @Aws
        $detail.BlockPublicAcls | Should -BeTrue
        $detail.RestrictPublicBuckets | Should -BeTrue
        $detail.BlockPublicPolicy | Should -BeFalse
    }

    It 'shows under -WhatIf the document it would write and the one it replaces, and changes nothing' {
        Set-S3BucketDetail settings -Cors '{"CORSRules":[{"AllowedOrigins":["https://old.example"],"AllowedMethods":["GET"]}]}' @Aws | Out-Null
        $parameters = ConvertTo-HashtableLiteral $Aws
        $run = Invoke-NonInteractivePowerShell "`$aws = $parameters; Set-S3BucketDetail settings -CorsAllowedOrigin https://new.example -WhatIf @aws"
        $run.ExitCode | Should -Be 0
        $text = $run.Output -join "`n"
        $text | Should -Match 'What if: Performing the operation "Set the CORS rules to:'
        $text.IndexOf('https://new.example') | Should -BeLessThan $text.IndexOf('replacing:')
        $text.IndexOf('https://old.example') | Should -BeGreaterThan $text.IndexOf('replacing:')
        $text | Should -Match 'on target "bucket settings"'
        (Get-S3BucketDetail settings @Aws).CorsRules | Should -Match 'old\.example'
    }

    It 'answered No at the second -Confirm question, asks nothing more and puts the first setting back' {
        $parameters = ConvertTo-HashtableLiteral $Aws
        $run = Invoke-AnsweringPowerShell "`$aws = $parameters; `$r = Set-S3BucketDetail settings -BlockPublicAcls `$true -Policy (Get-S3CredentialPolicy settings -PublicBucket) -CorsAllowedOrigin '*' -Confirm -WarningVariable w @aws; 'returned: ' + @(`$r).Count; 'warned: ' + (`$w -join ' | ')" -Answers 'Y', 'N'
        $run.ExitCode | Should -Be 0
        $text = $run.Output -join "`n"
        $text | Should -Match 'Set the public access block to:'
        $text | Should -Match 'Set the bucket policy to:'
        $text | Should -Not -Match 'Set the CORS rules'
        $text | Should -Match 'warned: A step was declined: undoing what this command had already made'
        $text | Should -Match 'returned: 0'
        $detail = Get-S3BucketDetail settings @Aws
        $detail.BlockPublicAcls | Should -Not -BeTrue
        $detail.HasBucketPolicy | Should -BeFalse
        $detail.CorsRuleCount | Should -Be 0
    }

    It 'refuses contradicting or empty settings before any request, naming the parameter' {
        { Set-S3BucketDetail settings -Cors '[]' -RemoveCors @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'ConflictingSettings,S3Credentials.Commands.SetS3BucketDetailCommand'
        { Set-S3BucketDetail settings @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToSet,S3Credentials.Commands.SetS3BucketDetailCommand'
        { Set-S3BucketDetail settings -Policy 'not json' @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'BucketPolicyNotJson,S3Credentials.Commands.SetS3BucketDetailCommand'
        { Set-S3BucketDetail settings -CorsAllowedMethod PATCH @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,S3Credentials.Commands.SetS3BucketDetailCommand'
    }
}
