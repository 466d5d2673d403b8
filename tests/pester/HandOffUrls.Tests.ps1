#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# New-S3PresignedUrl against moto (auth mode off here: the xunit suite, tests/S3Credentials.Tests/HandOff, shows the same
# URLs in moto's auth mode, where signatures, session tokens and expiry are checked), and Get-S3ConsoleSignInUrl against
# a fake federation endpoint served from this process.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
    $script:Endpoints = @{ Region = 'us-east-1'; EndpointUrl = $Moto.Endpoint; IamEndpointUrl = $Moto.Endpoint; StsEndpointUrl = $Moto.Endpoint }
    function New-TestBucket([string[]] $Name) {
        foreach ($n in $Name) { New-S3Credential -BucketName $n -CreateBucket -UserName "setup-$n" -NoWait @Aws | Out-Null }
    }

    # AWS's federation endpoint, faked: getSigninToken with a Session JSON holding sessionId, sessionKey and sessionToken
    # is answered {"SigninToken":"pester-token"}, anything else 400. Every raw query is recorded.
    function Start-FakeFederationEndpoint {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $requests = [System.Collections.Concurrent.ConcurrentQueue[string]]::new()
        $server = [powershell]::Create()
        $null = $server.AddScript({
            param($listener, $requests)
            while ($listener.IsListening) {
                try { $context = $listener.GetContext() } catch { break }
                $raw = ($context.Request.RawUrl -split '\?', 2)[1]
                $requests.Enqueue([string]$raw)
                $query = @{}
                foreach ($pair in ([string]$raw -split '&')) {
                    if (-not $pair) { continue }
                    $name, $value = $pair -split '=', 2
                    $query[[uri]::UnescapeDataString($name)] = [uri]::UnescapeDataString([string]$value)
                }
                $status = 400; $body = 'bad request'
                if ($query['Action'] -eq 'getSigninToken') {
                    $session = $null
                    try { $session = $query['Session'] | ConvertFrom-Json } catch { }
                    if ($session -and $session.sessionId -and $session.sessionKey -and $session.sessionToken) {
                        $status = 200; $body = '{"SigninToken":"pester-token"}'
                    }
                }
                $bytes = [System.Text.Encoding]::UTF8.GetBytes($body)
                $context.Response.StatusCode = $status
                $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                $context.Response.Close()
            }
        }).AddArgument($listener).AddArgument($requests)
        $null = $server.BeginInvoke()
        [pscustomobject]@{ Url = "http://127.0.0.1:$port/federation"; Listener = $listener; Server = $server; Requests = $requests }
    }

    $script:Federation = Start-FakeFederationEndpoint
}

AfterAll {
    $Federation.Listener.Stop()
    $Federation.Server.Dispose()
    Stop-TestMoto $Moto
}

Describe 'New-S3PresignedUrl' {
    BeforeEach { Reset-TestMoto $Moto }

    It 'uploads with a presigned PUT and downloads with a presigned GET, both signed with temporary credentials' {
        New-TestBucket 'hand-off'
        $credential = New-S3Credential hand-off -Duration 1h @Aws

        $put = New-S3PresignedUrl hand-off 'in box/report 1.txt' -Method Put -Credential $credential @Endpoints
        $put | Should -BeOfType 'S3Credentials.Core.Models.S3PresignedUrl'
        $put.Method | Should -Be 'PUT'
        $put.Url | Should -BeLike "$($Moto.Endpoint)/hand-off/in%20box/report%201.txt?*"
        $put.Url | Should -Match 'X-Amz-Security-Token='
        $put.Url | Should -Match 'X-Amz-Algorithm=AWS4-HMAC-SHA256'
        Invoke-WebRequest -Uri $put.Url -Method Put -Body ([System.Text.Encoding]::UTF8.GetBytes('hello from pester')) | Out-Null

        $get = New-S3PresignedUrl hand-off 'in box/report 1.txt' -Credential $credential @Endpoints
        $get.Method | Should -Be 'GET'
        $file = Join-Path $TestDrive 'downloaded.txt'
        Invoke-WebRequest -Uri $get.Url -OutFile $file
        Get-Content $file -Raw | Should -Be 'hello from pester'
    }

    It 'expires after one hour by default' {
        $url = New-S3PresignedUrl any-bucket a.txt @Aws
        $url.Url | Should -Match 'X-Amz-Expires=3600(&|$)'
        $url.Expires | Should -BeGreaterThan ([DateTime]::UtcNow.AddMinutes(59))
        $url.Expires.Kind | Should -Be 'Utc'
    }

    It 'cuts -Expires to the expiration of the credentials, with a warning' {
        New-TestBucket 'short-lived'
        $credential = New-S3Credential short-lived -Duration 15m @Aws
        $warnings = $null
        $url = New-S3PresignedUrl short-lived a.txt -Expires 2h -Credential $credential @Endpoints -WarningVariable warnings 3>$null
        @($warnings).Count | Should -Be 1
        "$warnings" | Should -Match '-Expires 2h outlasts the credentials'
        $url.Expires | Should -BeLessOrEqual $credential.Expiration.ToUniversalTime().AddSeconds(2)
    }

    It 'binds BucketName and Key by property name, one URL per object' {
        $urls = [pscustomobject]@{ BucketName = 'piped'; Key = 'one.txt' }, [pscustomobject]@{ BucketName = 'piped'; Key = 'two.txt' } |
            New-S3PresignedUrl @Aws
        $urls.Key | Should -Be @('one.txt', 'two.txt')
    }

    It 'changes nothing, so it has no -WhatIf or -Confirm and makes its URL under $WhatIfPreference' {
        $command = Get-Command New-S3PresignedUrl
        $command.Parameters.Keys | Should -Not -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Not -Contain 'Confirm'
        { New-S3PresignedUrl what-if a.txt -WhatIf @Aws } | Should -Throw -ErrorId 'NamedParameterNotFound,S3Credentials.Commands.NewS3PresignedUrlCommand'
        $WhatIfPreference = $true
        (New-S3PresignedUrl what-if a.txt @Aws).Url | Should -BeLike "$($Moto.Endpoint)/what-if/a.txt?*"
    }

    It 'refuses bad input with an ErrorId that names the parameter' -TestCases @(
        @{ Arguments = @{ BucketName = 'Bad_Bucket'; Key = 'a.txt' }; ErrorId = 'InvalidBucketNameCharacters'; Parameter = 'BucketName' }
        @{ Arguments = @{ BucketName = 'fine-bucket'; Key = '/a.txt' }; ErrorId = 'KeyLeadingSlash'; Parameter = 'Key' }
        @{ Arguments = @{ BucketName = 'fine-bucket'; Key = 'a.txt'; Expires = '8.00:00:00' }; ErrorId = 'DurationOutOfRange'; Parameter = 'Expires' }
        # -Expires soon fails earlier, while binding: Durations.Tests.ps1.
        @{ Arguments = @{ BucketName = 'fine-bucket'; Key = 'a.txt'; ContentType = 'csv' }; ErrorId = 'ContentTypeInvalid'; Parameter = 'ContentType' }
    ) {
        param($Arguments, $ErrorId, $Parameter)
        $record = $null
        try { New-S3PresignedUrl @Arguments @Aws -ErrorAction Stop } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be "$ErrorId,S3Credentials.Commands.NewS3PresignedUrlCommand"
        $record.Exception.ParameterName | Should -Be $Parameter
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'never writes the URL, the secret or the session token to the verbose stream' {
        New-TestBucket 'verbose-bucket'
        $credential = New-S3Credential verbose-bucket -Duration 1h @Aws
        $output = New-S3PresignedUrl verbose-bucket a.txt -Credential $credential @Endpoints -Verbose 4>&1
        $url = $output | Where-Object { $_ -is [S3Credentials.Core.Models.S3PresignedUrl] }
        $verbose = ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
        $verbose | Should -Not -BeNullOrEmpty
        $verbose | Should -Not -Match ([regex]::Escape($credential.SecretAccessKey))
        $verbose | Should -Not -Match ([regex]::Escape($credential.SessionToken))
        $verbose | Should -Not -Match ([regex]::Escape($url.Url))
    }
}

Describe 'Get-S3ConsoleSignInUrl' {
    BeforeEach {
        Reset-TestMoto $Moto
        $Federation.Requests.Clear()
    }

    It 'signs temporary credentials in and encodes the login URL' {
        New-TestBucket 'console-bucket'
        $credential = New-S3Credential console-bucket -Access ReadOnly -Duration 1h @Aws

        $link = Get-S3ConsoleSignInUrl 'https://s3.console.aws.amazon.com/s3/buckets/console-bucket?region=us-east-1' -Credential $credential -FederationEndpoint $Federation.Url @Endpoints

        $link | Should -BeOfType 'S3Credentials.Core.Models.ConsoleSignInUrl'
        $link.Url | Should -BeExactly ("$($Federation.Url)?Action=login&Issuer=S3Credentials" +
            '&Destination=https%3A%2F%2Fs3.console.aws.amazon.com%2Fs3%2Fbuckets%2Fconsole-bucket%3Fregion%3Dus-east-1' +
            '&SigninToken=pester-token')
        $link.AccessKeyId | Should -Be $credential.AccessKeyId
        $link.LinkExpires | Should -BeLessOrEqual ([DateTime]::UtcNow.AddMinutes(15))
        $sent = @($Federation.Requests)
        $sent.Count | Should -Be 1
        $sent[0] | Should -BeLike 'Action=getSigninToken&Session=%7B*'
    }

    It 'sends -SessionDuration in seconds' {
        New-TestBucket 'duration-bucket'
        $credential = New-S3Credential duration-bucket -Duration 1h @Aws
        Get-S3ConsoleSignInUrl -Credential $credential -SessionDuration 2h -FederationEndpoint $Federation.Url @Endpoints | Out-Null
        @($Federation.Requests)[0] | Should -BeLike 'Action=getSigninToken&SessionDuration=7200&Session=*'
    }

    It 'accepts -SessionDuration as a TimeSpan, as seconds, as 15m and as 1h30m' {
        New-TestBucket 'session-forms'
        $credential = New-S3Credential session-forms -Duration 1h @Aws
        foreach ($form in Get-DurationForms) {
            $Federation.Requests.Clear()
            $link = Get-S3ConsoleSignInUrl -Credential $credential -SessionDuration $form.Value -FederationEndpoint $Federation.Url @Endpoints
            $link.SessionDuration | Should -Be ([TimeSpan]::FromSeconds($form.Seconds))
            @($Federation.Requests)[0] | Should -BeLike "Action=getSigninToken&SessionDuration=$($form.Seconds)&Session=*"
        }
    }

    It 'refuses permanent credentials unless -FederateAs is given' {
        { Get-S3ConsoleSignInUrl -FederationEndpoint $Federation.Url @Aws -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConsoleSignInNeedsTemporaryCredentials,S3Credentials.Commands.GetS3ConsoleSignInUrlCommand'
        @($Federation.Requests).Count | Should -Be 0
    }

    It '-FederateAs exchanges permanent keys with GetFederationToken first' {
        $link = Get-S3ConsoleSignInUrl -FederateAs pester-user -FederationEndpoint $Federation.Url @Aws
        $link.FederatedUser | Should -Be 'arn:aws:sts::123456789012:federated-user/pester-user'
        $link.SessionDuration | Should -Be ([TimeSpan]::FromHours(1))
        @($Federation.Requests)[0] | Should -Not -Match 'SessionDuration'
    }

    It 'refuses bad input naming the parameter, before any request' -TestCases @(
        @{ Arguments = @{ SessionDuration = '10m' }; ErrorId = 'DurationOutOfRange'; Parameter = 'SessionDuration' }
        @{ Arguments = @{ Destination = 'console.aws.amazon.com' }; ErrorId = 'DestinationInvalid'; Parameter = 'Destination' }
        @{ Arguments = @{ FederationEndpoint = 'http://signin.example.com/federation' }; ErrorId = 'FederationEndpointNotHttps'; Parameter = 'FederationEndpoint' }
        @{ Arguments = @{ FederateAs = 'x' }; ErrorId = 'FederateAsInvalid'; Parameter = 'FederateAs' }
    ) {
        param($Arguments, $ErrorId, $Parameter)
        $record = $null
        try { Get-S3ConsoleSignInUrl @Arguments @Aws -ErrorAction Stop } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be "$ErrorId,S3Credentials.Commands.GetS3ConsoleSignInUrlCommand"
        $record.Exception.ParameterName | Should -Be $Parameter
        @($Federation.Requests).Count | Should -Be 0
    }

    It 'never writes the link, the secret or the session token to the verbose stream' {
        New-TestBucket 'verbose-console'
        $credential = New-S3Credential verbose-console -Duration 1h @Aws
        $output = Get-S3ConsoleSignInUrl -Credential $credential -FederationEndpoint $Federation.Url @Endpoints -Verbose 4>&1
        $link = $output | Where-Object { $_ -is [S3Credentials.Core.Models.ConsoleSignInUrl] }
        $verbose = ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
        $verbose | Should -Not -BeNullOrEmpty
        $verbose | Should -Not -Match ([regex]::Escape($credential.SecretAccessKey))
        $verbose | Should -Not -Match ([regex]::Escape($credential.SessionToken))
        $verbose | Should -Not -Match ([regex]::Escape($link.Url))
        $verbose | Should -Not -Match 'pester-token'
    }
}
