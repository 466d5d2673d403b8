#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# What a person and a spreadsheet see of every output type: the default view at 80 columns keeps each object's
# identifying fields whole, and Export-Csv / ConvertTo-Json write plain cells (no System.String[], no @{...}, no
# truncation warning at ConvertTo-Json's default depth).

BeforeDiscovery {
    $TypeNames = 'S3Credential (permanent)', 'S3Credential (temporary)', 'CallerIdentity', 'CredentialPolicy', 'CredentialTestResult',
        'S3User', 'S3User -IncludeAccessKeyCount', 'S3AccessKey', 'S3UserPolicy', 'S3Role', 'RemovedS3User', 'S3BucketDetail', 'ExportedCredentialProfile', 'S3PresignedUrl',
        'ConsoleSignInUrl', 'RegisteredCredentialProfile', 'S3Item', 'S3ItemTransfer', 'S3ItemRemoval', 'CredentialRevocation'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
    Reset-TestMoto $Moto
    $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'views')

    # One real object of every output type, and the values that identify it (each must show whole at 80 columns).
    $permanent = New-S3Credential view-photos-archive, view-logs-archive -CreateBucket -Access ReadOnly -Prefix 'in/', 'out/' -UserName s3.read-only.view-photos-archive.view-logs @Aws
    $temporary = New-S3Credential view-photos-archive -Duration 15m @Aws
    $toRemove = New-S3Credential view-logs-archive -UserName s3.view-to-remove -NoWait @Aws
    $policy = Get-S3CredentialPolicy view-photos-archive -Access ReadOnly
    $test = Test-S3Credential view-photos-archive @Aws | Select-Object -First 1
    $user = Get-S3User s3.read-only.view-photos-archive.view-logs @Aws
    $userWithKeys = Get-S3User s3.read-only.view-photos-archive.view-logs -IncludeAccessKeyCount @Aws
    $accessKey = Get-S3AccessKey s3.read-only.view-photos-archive.view-logs @Aws
    $userPolicy = Get-S3UserPolicy s3.read-only.view-photos-archive.view-logs @Aws | Select-Object -First 1
    # moto lets AssumeRole through without auth mode, so New-S3Credential made no role: make one as the AWS CLI would.
    $environment = @{ AWS_ACCESS_KEY_ID = $Aws.AccessKey; AWS_SECRET_ACCESS_KEY = $Aws.SecretKey; AWS_DEFAULT_REGION = 'us-east-1' }
    $saved = @{}; foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
    try {
        & (Find-AwsCli) iam create-role --role-name view-role-for-long-names --max-session-duration 43200 --endpoint-url $Moto.Endpoint `
            --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/a"},"Action":"sts:AssumeRole"}]}' | Out-Null
    } finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
    $role = Get-S3Role view-role-for-long-names @Aws
    $revocation = Revoke-S3Credential view-role-for-long-names -Force @Aws
    $removed = Remove-S3User s3.view-to-remove -Force -PassThru @Aws
    $bucket = Get-S3BucketDetail view-photos-archive @Aws
    $exported = $temporary | Export-S3Credential view-profile -Path (Join-Path $folder 'credentials') -PassThru
    $url = New-S3PresignedUrl view-photos-archive 'reports/2026/january.csv' -Expires 1h @Aws
    $signIn = [S3Credentials.Core.Models.ConsoleSignInUrl]@{
        Url = 'https://signin.aws.amazon.com/federation?Action=login&Issuer=&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken=' + ('x' * 300)
        Destination = 'https://console.aws.amazon.com/'; AccessKeyId = $temporary.AccessKeyId; LinkExpires = (Get-Date).AddMinutes(15)
    }
    $registered = Register-S3CredentialProfile view-registered view-photos-archive -Duration 15m -Path (Join-Path $folder 'config')
    $identity = Get-S3CallerIdentity @Aws
    $transfer = Write-S3Item view-photos-archive -Key 'reports/2026/january-summary.csv' -Content 'a,b' @Aws
    $item = Get-S3Item view-photos-archive 'reports/2026/january-summary.csv' @Aws
    $removal = Remove-S3Item view-photos-archive 'reports/2026/january-summary.csv' -Force @Aws

    $script:Cases = @{
        'S3Credential (permanent)'  = @{ Object = $permanent; Whole = @($permanent.UserName, 'view-photos-archive, view-logs-archive', 'in/, out/', 'ReadOnly', $permanent.AccessKeyId, $permanent.SecretAccessKey) }
        'S3Credential (temporary)'  = @{ Object = $temporary; Whole = @($temporary.SessionName, $temporary.AccessKeyId, $temporary.SecretAccessKey, 'Expiration', 'SessionToken') }
        'CallerIdentity'            = @{ Object = $identity; Whole = @($identity.Account, $identity.Arn, 'us-east-1', 'Parameters') }
        'CredentialPolicy'          = @{ Object = $policy; Whole = @($policy.PolicyName, 'ReadOnly', 'PolicyDocument') }
        'CredentialTestResult'      = @{ Object = $test; Whole = @('view-photos-archive', 'List', 'Allowed', $test.AccessKeyId) }
        'S3User'                    = @{ Object = $user; Whole = @($user.UserName, 'True') }
        'S3User -IncludeAccessKeyCount' = @{ Object = $userWithKeys; Whole = @($userWithKeys.UserName, 'Keys', 'True') }
        'S3AccessKey'               = @{ Object = $accessKey; Whole = @($accessKey.UserName, $accessKey.AccessKeyId, 'Active', 's3', 'us-east-1') }
        'S3UserPolicy'              = @{ Object = $userPolicy; Whole = @($userPolicy.UserName, $userPolicy.PolicyName, 'Inline') }
        'S3Role'                    = @{ Object = $role; Whole = @($role.RoleName, '12h') }
        'RemovedS3User'             = @{ Object = $removed; Whole = @($removed.UserName) }
        'S3BucketDetail'            = @{ Object = $bucket; Whole = @('view-photos-archive', 'us-east-1') }
        'ExportedCredentialProfile' = @{ Object = $exported; Whole = @('view-profile', $exported.AccessKeyId) }
        'S3PresignedUrl'            = @{ Object = $url; Whole = @('view-photos-archive', 'reports/2026/january.csv', 'GET') }
        'ConsoleSignInUrl'          = @{ Object = $signIn; Whole = @($signIn.AccessKeyId, 'LinkExpires') }
        'RegisteredCredentialProfile' = @{ Object = $registered; Whole = @('view-registered', 'Added') }
        'S3Item'                    = @{ Object = $item; Whole = @('view-photos-archive', 'reports/2026/january-summary.csv', $item.LastModified.ToString('yyyy-MM-dd HH:mm')) }
        'S3ItemTransfer'            = @{ Object = $transfer; Whole = @('Uploaded', 'Bucket: view-photos-archive', 'reports/2026/january-summary.csv') }
        'S3ItemRemoval'             = @{ Object = $removal; Whole = @('view-photos-archive', '1') }
        'CredentialRevocation'      = @{ Object = $revocation; Whole = @('Role', 'view-role-for-long-names', $revocation.IssuedBefore.ToString('yyyy-MM-dd HH:mm:ss')) }
    }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'The default view of <_>' -ForEach $TypeNames {
    BeforeAll { $case = $Cases[$_] }

    It 'uses the module''s own view' {
        $case.Object | Should -Not -BeNullOrEmpty
        $typeName = $case.Object.GetType().FullName
        (Get-FormatData $typeName) | Should -Not -BeNullOrEmpty -Because "$typeName needs a view in S3Credentials.format.ps1xml"
    }

    It 'shows its identifying fields whole at 80 columns' {
        $text = $case.Object | Out-String -Width 80
        $lines = $text -split "`r?`n"
        @($lines | Where-Object Length -gt 80) | Should -BeNullOrEmpty
        # A cell cut short ends in an ellipsis; a table too wide for 80 columns drops or cuts columns.
        $text | Should -Not -Match '…'
        foreach ($value in $case.Whole) {
            $text | Should -Match ([regex]::Escape([string]$value)) -Because "'$value' identifies the object:`n$text"
        }
    }
}

Describe 'Times in the default view of <_>' -ForEach $TypeNames {
    BeforeAll { $case = $Cases[$_] }

    # The rule (docs/about_S3Credentials.md, TIMES): every DateTime a view shows is UTC and its label says "(UTC)".
    It 'labels every DateTime it shows "(UTC)" and shows the UTC value' {
        $object = $case.Object
        $dates = @($object.PSObject.Properties | Where-Object { $_.Value -is [datetime] } | ForEach-Object Name)
        $view = (Get-FormatData $object.GetType().FullName -PowerShellVersion $PSVersionTable.PSVersion).FormatViewDefinition |
            Where-Object { $_.Control -is [System.Management.Automation.TableControl] -or $_.Control -is [System.Management.Automation.ListControl] } | Select-Object -First 1
        $shown = if ($view.Control -is [System.Management.Automation.TableControl]) {
            for ($i = 0; $i -lt $view.Control.Headers.Count; $i++) { @{ Label = $view.Control.Headers[$i].Label; Entry = $view.Control.Rows[0].Columns[$i].DisplayEntry } }
        } else {
            foreach ($item in $view.Control.Entries[0].Items) { @{ Label = $item.Label; Entry = $item.DisplayEntry } }
        }
        $text = $object | Out-String -Width 80
        foreach ($column in $shown) {
            $date = $dates | Where-Object { $column.Entry.Value -match "^$_$|\`$_\.$_\b" } | Select-Object -First 1
            if (-not $date) { continue }
            $column.Label | Should -BeLike '* (UTC)' -Because "the view shows $date ($($column.Entry.Value))"
            $column.Entry.Value | Should -Match 'ToUniversalTime\(\)' -Because "the view shows $date"
            $text | Should -Match ([regex]::Escape($object.$date.ToUniversalTime().ToString('yyyy-MM-dd'))) -Because "$date is shown as its UTC date"
        }
    }
}

Describe 'Export-Csv and ConvertTo-Json of <_>' -ForEach $TypeNames {
    BeforeAll { $case = $Cases[$_] }

    It 'writes plain cells' {
        $rows = $case.Object | ConvertTo-Csv -NoTypeInformation
        $cells = ($rows | ConvertFrom-Csv).PSObject.Properties
        $cells | Should -Not -BeNullOrEmpty
        foreach ($cell in $cells) {
            [string]$cell.Value | Should -Not -Match '^System\.[\w.]+(\[\])?$|^@\{|^Amazon\.' -Because "column $($cell.Name)"
        }
    }

    It 'writes JSON in full at the default depth, lists as arrays' {
        $json = $case.Object | ConvertTo-Json -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty
        $back = $json | ConvertFrom-Json
        foreach ($property in $case.Object.PSObject.Properties) {
            if ($property.Value -is [S3Credentials.Core.Models.NameList]) {
                @($back.($property.Name)) | Should -Be @($property.Value) -Because "$($property.Name) is a list"
            }
        }
    }
}

Describe 'Lists of names' {
    It 'read as the names in a CSV cell and in a string, and bind to -BucketName' {
        $credential = $Cases['S3Credential (permanent)'].Object
        $credential.BucketName.Count | Should -Be 2
        $credential.BucketName[1] | Should -Be 'view-logs-archive'
        "$($credential.BucketName)" | Should -Be 'view-photos-archive view-logs-archive'
        ($credential | ConvertTo-Csv | ConvertFrom-Csv).BucketName | Should -Be 'view-photos-archive, view-logs-archive'
        (Get-S3CredentialPolicy -BucketName $credential.BucketName -Access ReadOnly).PolicyName | Should -Be @('s3.read-only.view-photos-archive', 's3.read-only.view-logs-archive')
    }

    It 'S3UserPolicy parses its document on request' {
        $document = $Cases['S3UserPolicy'].Object.GetDocument()
        $document.Version | Should -Be '2012-10-17'
        $document.Statement[0].Effect | Should -Be 'Allow'
    }
}
