#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Every duration parameter is a TimeSpan bound through one transformation (DurationTransformationAttribute) and
# completed by one completer (DurationCompleter). Offline: binding fails before any request, Get-S3CredentialPolicy and
# New-S3PresignedUrl make nothing in AWS, and Register-S3CredentialProfile only writes a file. New-S3Credential's and
# Get-S3ConsoleSignInUrl's accepted forms are tested against moto in New-S3Credential.Tests.ps1 and HandOffUrls.Tests.ps1.

BeforeDiscovery {
    $script:DurationParameters = @(
        @{ Command = 'New-S3Credential'; Parameter = 'Duration'; Prefix = 'New-S3Credential photos -Duration ' }
        @{ Command = 'Get-S3CredentialPolicy'; Parameter = 'Duration'; Prefix = 'Get-S3CredentialPolicy photos -Duration ' }
        @{ Command = 'Register-S3CredentialProfile'; Parameter = 'Duration'; Prefix = 'Register-S3CredentialProfile reader photos -Duration ' }
        @{ Command = 'New-S3PresignedUrl'; Parameter = 'Expires'; Prefix = 'New-S3PresignedUrl photos a.txt -Expires ' }
        @{ Command = 'Get-S3ConsoleSignInUrl'; Parameter = 'SessionDuration'; Prefix = 'Get-S3ConsoleSignInUrl -SessionDuration ' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    # Keys that are never sent anywhere: presigning is local, and binding fails before any request.
    $script:Offline = @{ AccessKey = 'AKIAIOSFODNN7EXAMPLE'; SecretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'; Region = 'us-east-1' }
}

Describe 'Duration parameters' {
    It '<Command> -<Parameter> shows as a TimeSpan in the syntax' -TestCases $DurationParameters {
        param($Command, $Parameter)
        (Get-Command $Command).Parameters[$Parameter].ParameterType | Should -Be ([TimeSpan])
        (Get-Command $Command -Syntax) | Should -Match "-$Parameter <TimeSpan>"
    }

    It "<Command> -<Parameter> refuses 'soon' while binding, naming the parameter and the accepted forms" -TestCases $DurationParameters {
        param($Command, $Parameter)
        $arguments = @{ $Parameter = 'soon' }
        $record = $null
        try { & $Command @arguments -ErrorAction Stop } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $record.Exception.ParameterName | Should -Be $Parameter
        $record.Exception.Message | Should -Match "parameter '$Parameter'"
        $record.Exception.Message | Should -Match ([regex]::Escape("'soon' is not a duration: use a TimeSpan, whole seconds (900), 15m, 1h, 1h30m, 7d, 900s or hh:mm:ss."))
    }

    It '<Command> -<Parameter> completes the useful durations, shortest first' -TestCases $DurationParameters {
        param($Command, $Parameter, $Prefix)
        $expected = if ($Parameter -eq 'Expires') { '5m', '15m', '30m', '1h', '4h', '12h', '1d', '7d' } else { '15m', '30m', '1h', '2h', '4h', '8h', '12h' }
        Get-CompletionText $Prefix | Should -Be $expected
        Get-CompletionText "${Prefix}1" | Should -Be @($expected | Where-Object { $_ -like '1*' })
    }

    It 'New-S3Credential -Duration completes up to 36h after -Method FederationToken' {
        Get-CompletionText 'New-S3Credential photos -Method FederationToken -Duration ' | Should -Be '15m', '30m', '1h', '2h', '4h', '8h', '12h', '24h', '36h'
    }

    It 'Get-S3CredentialPolicy accepts -Duration <Value>' -TestCases (Get-DurationForms) {
        param($Value)
        (Get-S3CredentialPolicy photos -Duration $Value).Kind | Should -Be 'SessionPolicy'
    }

    It 'Get-S3CredentialPolicy still checks the range after binding' {
        { Get-S3CredentialPolicy photos -Duration 5m -ErrorAction Stop } | Should -Throw -ErrorId 'DurationOutOfRange,S3Credentials.Commands.GetS3CredentialPolicyCommand'
    }

    It 'Register-S3CredentialProfile accepts -Duration <Value>' -TestCases (Get-DurationForms) {
        param($Value, $Seconds)
        $config = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $result = Register-S3CredentialProfile reader photos -Duration $Value -Path $config
        $result.CredentialProcess | Should -Match "-Duration $Seconds( |$)"
    }

    It 'New-S3PresignedUrl accepts -Expires <Value>' -TestCases (Get-DurationForms) {
        param($Value, $Seconds)
        (New-S3PresignedUrl photos a.txt -Expires $Value @Offline).Url | Should -Match "X-Amz-Expires=$Seconds(&|$)"
    }

    It 'New-S3PresignedUrl accepts -Expires 7d, and no more' {
        # Typed bare, 7d reaches the transformation as the decimal 7 and 900s as the short 900.
        (New-S3PresignedUrl photos a.txt -Expires 7d @Offline).Url | Should -Match 'X-Amz-Expires=604800(&|$)'
        (New-S3PresignedUrl photos a.txt -Expires 1d @Offline).Url | Should -Match 'X-Amz-Expires=86400(&|$)'
        (New-S3PresignedUrl photos a.txt -Expires 900s @Offline).Url | Should -Match 'X-Amz-Expires=900(&|$)'
        { New-S3PresignedUrl photos a.txt -Expires 7d1s @Offline -ErrorAction Stop } | Should -Throw -ErrorId 'DurationOutOfRange,S3Credentials.Commands.NewS3PresignedUrlCommand'
    }
}
