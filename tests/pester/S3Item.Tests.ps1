#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Get-, Save-, Write- and Remove-S3Item (issue 14): binding, pipelines between them, -WhatIf and Ctrl+C, against moto.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:Moto = Start-TestMoto
    $script:Aws = Get-MotoParameters $Moto
    $script:Manifest = Join-Path (Get-RepoRoot) 'out/S3Credentials/S3Credentials.psd1'
    function New-TestBucket([string] $Name) { New-S3Credential -BucketName $Name -CreateBucket -UserName "setup-$Name" -NoWait @Aws | Out-Null }
    function New-TestFolder {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $folder, (Join-Path $folder 'sub') | Out-Null
        Set-Content -Path (Join-Path $folder 'a.txt') -Value 'alpha' -NoNewline
        Set-Content -Path (Join-Path $folder 'page.html') -Value '<p>x</p>' -NoNewline
        Set-Content -Path (Join-Path $folder 'sub/b.json') -Value '{}' -NoNewline
        $folder
    }
    function Get-MultipartUploads([string] $Bucket) {
        $answer = Invoke-WebRequest -Uri "$($Moto.Endpoint)/$Bucket`?uploads" -Headers @{ Authorization = 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x' }
        @(([xml]$answer.Content).ListMultipartUploadsResult.Upload | Where-Object { $_ })
    }
}

AfterAll {
    Stop-TestMoto $Moto
}

Describe 'Write-S3Item' {
    BeforeEach { Reset-TestMoto $Moto; New-TestBucket 'items' }

    It 'uploads a folder with -Recurse, keys relative to it after -Prefix, content types from extensions' {
        $folder = New-TestFolder
        $written = Write-S3Item items $folder -Recurse -Prefix 'up/' @Aws
        $written | Should -BeOfType 'S3Credentials.Core.Models.S3ItemTransfer'
        ($written.Key | Sort-Object) | Should -Be @('up/a.txt', 'up/page.html', 'up/sub/b.json')
        ($written | Where-Object Key -eq 'up/page.html').ContentType | Should -Be 'text/html'
        ($written | Where-Object Key -eq 'up/sub/b.json').ContentType | Should -Be 'application/json'
        $written[0].Action | Should -Be 'Uploaded'
    }

    It 'takes Get-ChildItem output and paths from the pipeline, each keyed by its name' {
        $folder = New-TestFolder
        (Get-ChildItem $folder -File | Write-S3Item items -Prefix 'piped/' @Aws).Key | Sort-Object | Should -Be @('piped/a.txt', 'piped/page.html')
        (Join-Path $folder 'sub/b.json') | Write-S3Item items @Aws | ForEach-Object Key | Should -Be 'b.json'
    }

    It 'writes piped text to -Key as lines joined by newlines, and bytes as they are' {
        'first', 'second' | Write-S3Item items -Key 'notes.txt' @Aws | Select-Object -ExpandProperty Size | Should -Be 12
        Write-S3Item items -Key 'raw.bin' -Content ([byte[]](0, 1, 2, 255)) @Aws | Select-Object -ExpandProperty Size | Should -Be 4
        $out = Join-Path $TestDrive 'text-back.txt'
        Save-S3Item items notes.txt $out @Aws | Out-Null
        [System.IO.File]::ReadAllText($out) | Should -BeExactly "first`nsecond"
        Save-S3Item items raw.bin (Join-Path $TestDrive 'raw.bin') @Aws | Out-Null
        [System.IO.File]::ReadAllBytes((Join-Path $TestDrive 'raw.bin')) | Should -Be @(0, 1, 2, 255)
    }

    It 'refuses -Content that is not text, bytes or a file (<Name>) before sending anything, naming -Content and the accepted types' -ForEach @(
        @{ Name = 'a hashtable'; Value = @{ a = 1 }; Type = 'System.Collections.Hashtable' }
        @{ Name = 'a number'; Value = 42; Type = 'System.Int32' }
        @{ Name = 'an object'; Value = [pscustomobject]@{ a = 1 }; Type = 'System.Management.Automation.PSCustomObject' }
    ) {
        $failure = $null
        try { Write-S3Item items -Key 'h.json' -Content $Value @Aws -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'ContentUnsupportedType,S3Credentials.Commands.WriteS3ItemCommand'
        $failure.Exception.ParameterName | Should -Be 'Content'
        $failure.Exception.Message | Should -BeLike "-Content takes text (strings), bytes (a byte``[``]) or one file (a FileInfo), not a $Type*"
        Get-S3Item items @Aws | Should -BeNullOrEmpty
    }

    It 'refuses a folder without -Recurse before sending anything, naming -Recurse' {
        $folder = New-TestFolder
        { Write-S3Item items $folder @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'FolderNeedsRecurse,S3Credentials.Commands.WriteS3ItemCommand'
        Get-S3Item items @Aws | Should -BeNullOrEmpty
    }

    It 'uploads nothing under -WhatIf' {
        $folder = New-TestFolder
        Write-S3Item items $folder -Recurse -WhatIf @Aws | Should -BeNullOrEmpty
        Get-S3Item items @Aws | Should -BeNullOrEmpty
    }

    It 'takes the credentials New-S3Credential returns through -Credential' {
        $credential = New-S3Credential items -Access ReadWrite -UserName 'pester-writer' -NoWait @Aws
        $parameters = @{} + $Aws; $parameters.Remove('AccessKey'); $parameters.Remove('SecretKey')
        (Write-S3Item items -Key 'by-credential.txt' -Content 'x' -Credential $credential @parameters -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain 'Using credentials from the -Credential parameter, region us-east-1 (Parameter), partition aws.'
        (Get-S3Item items 'by-credential.txt' -Credential $credential @parameters).Key | Should -Be 'by-credential.txt'
    }

    It 'stopped during a multipart upload (Ctrl+C) aborts it: no incomplete upload and no object are left' {
        $big = Join-Path $TestDrive 'big.bin'
        $stream = [System.IO.File]::Create($big); $stream.SetLength(160MB); $stream.Close()
        $shell = [powershell]::Create()
        $null = $shell.AddScript({
            param($manifest, $big, $aws)
            Import-Module $manifest
            Write-S3Item items $big @aws
        }).AddArgument($Manifest).AddArgument($big).AddArgument($Aws)
        $run = $shell.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not ($shell.Streams.Progress | Where-Object PercentComplete -gt 0) -and -not $run.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        @(Get-MultipartUploads items).Count | Should -Be 1 -Because 'the upload is under way'
        $shell.Stop()
        $run.IsCompleted | Should -BeTrue
        $shell.InvocationStateInfo.State | Should -Be 'Stopped'
        Get-MultipartUploads items | Should -BeNullOrEmpty
        Get-S3Item items @Aws | Should -BeNullOrEmpty
        $shell.Dispose()
    }
}

Describe 'Get-S3Item' {
    BeforeAll {
        Reset-TestMoto $Moto
        New-TestBucket 'list-a'; New-TestBucket 'list-b'
        Write-S3Item list-a (New-TestFolder) -Recurse -Prefix 'in/' @Aws | Out-Null
        Write-S3Item list-b -Key 'only.txt' -Content 'b' @Aws | Out-Null
    }

    It 'lists typed objects with size, ETag and a URL, matching * and ? against the whole key' {
        $items = Get-S3Item list-a 'in/*.???' @Aws
        $items | Should -BeOfType 'S3Credentials.Core.Models.S3Item'
        $items.Key | Should -Be @('in/a.txt')
        $items.Size | Should -Be 5
        $items.ETag | Should -Match '^[0-9a-f]{32}$'
        $items.Url | Should -Be "$($Moto.Endpoint)/list-a/in/a.txt"
        (Get-S3Item list-a -Prefix 'in/sub/' @Aws).Key | Should -Be 'in/sub/b.json'
    }

    It 'takes bucket names and Get-S3BucketDetail output from the pipeline' {
        ('list-a', 'list-b' | Get-S3Item @Aws).Count | Should -Be 4
        (Get-S3BucketDetail 'list-b' @Aws | Get-S3Item @Aws).Key | Should -Be 'only.txt'
    }

    It 'reports a missing key as a KeyNotFound error and still lists the others' {
        $found = Get-S3Item list-b 'only.txt', 'missing.txt' @Aws -ErrorVariable errors -ErrorAction SilentlyContinue
        $found.Key | Should -Be 'only.txt'
        $errors[0].FullyQualifiedErrorId | Should -Be 'KeyNotFound,S3Credentials.Commands.GetS3ItemCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].TargetObject | Should -Be 'missing.txt'
    }

    It 'refuses a key starting with / before any request, naming -Key' {
        { Get-S3Item list-a '/in/a.txt' @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'KeyLeadingSlash,S3Credentials.Commands.GetS3ItemCommand'
    }

    It 'shows at 80 columns grouped by bucket with whole keys' {
        $text = Get-S3Item list-a @Aws | Out-String -Width 80
        $text | Should -Match 'Bucket: list-a'
        $text | Should -Match 'in/sub/b.json'
        $text | Should -Not -Match '…'
    }
}

Describe 'Save-S3Item' {
    BeforeAll {
        Reset-TestMoto $Moto
        New-TestBucket 'save'
        Write-S3Item save (New-TestFolder) -Recurse -Prefix 'in/' @Aws | Out-Null
        # A key with '..' segments as Windows reads them (moto will not store '/../' through this SDK's path handling; xunit covers it with another client).
        Write-S3Item save -Key 'in/..\..\escape.txt' -Content 'outside' @Aws | Out-Null
    }

    It 'saves what Get-S3Item pipes as relative paths under the folder and refuses a key leading outside it by name' {
        $destination = Join-Path $TestDrive 'download/inner'
        $saved = Get-S3Item save -Prefix 'in/' @Aws | Save-S3Item -Destination $destination @Aws -ErrorVariable errors -ErrorAction SilentlyContinue
        $saved | Should -BeOfType 'S3Credentials.Core.Models.S3ItemTransfer'
        ($saved.Key | Sort-Object) | Should -Be @('in/a.txt', 'in/page.html', 'in/sub/b.json')
        Get-Content -Raw (Join-Path $destination 'in/sub/b.json') | Should -Be '{}'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'UnsafeKey,S3Credentials.Commands.SaveS3ItemCommand'
        $errors[0].TargetObject | Should -Be 'in/..\..\escape.txt'
        Test-Path (Join-Path $TestDrive 'escape.txt') | Should -BeFalse
        Test-Path (Join-Path $TestDrive 'download/escape.txt') | Should -BeFalse
    }

    It 'saves one key as the file -Destination names, relative to the current location' {
        Push-Location $TestDrive
        try {
            $saved = Save-S3Item save in/a.txt 'one.txt' @Aws
            $saved.Path | Should -Be (Join-Path $TestDrive 'one.txt')
            Get-Content -Raw 'one.txt' | Should -Be 'alpha'
        } finally { Pop-Location }
    }

    It 'writes no file under -WhatIf' {
        $destination = Join-Path $TestDrive 'whatif'
        Save-S3Item save 'in/*' $destination -WhatIf @Aws -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path $destination | Should -BeFalse
    }
}

Describe 'Remove-S3Item' {
    BeforeEach {
        Reset-TestMoto $Moto
        New-TestBucket 'remove'
        Write-S3Item remove (New-TestFolder) -Recurse -Prefix 'in/' @Aws | Out-Null
    }

    It 'refuses to run without -Key or -Prefix, naming -Key' {
        { Remove-S3Item remove -Force @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'KeyOrPrefixNeeded,S3Credentials.Commands.RemoveS3ItemCommand'
        (Get-S3Item remove @Aws).Count | Should -Be 3
    }

    It 'deletes nothing under -WhatIf' {
        Remove-S3Item remove '*' -WhatIf @Aws | Should -BeNullOrEmpty
        (Get-S3Item remove @Aws).Count | Should -Be 3
    }

    It 'deletes what Get-S3Item pipes and counts it in one summary per bucket' {
        $removal = Get-S3Item remove 'in/*.*' @Aws | Where-Object Key -ne 'in/a.txt' | Remove-S3Item -Force @Aws
        $removal | Should -BeOfType 'S3Credentials.Core.Models.S3ItemRemoval'
        $removal.DeletedCount | Should -Be 2
        $removal.FailedCount | Should -Be 0
        @($removal.Deleted) | Should -Be @('in/page.html', 'in/sub/b.json')
        (Get-S3Item remove @Aws).Key | Should -Be 'in/a.txt'
    }

    It 'reports exact keys with no object as KeyNotFound errors, counts only what it deleted, and -WhatIf does not show them' {
        @(Get-WhatIfText { Remove-S3Item remove 'in/a.txt', 'nosuchkey.txt' -WhatIf @Aws -ErrorAction SilentlyContinue }) |
            Should -Be @('What if: Performing the operation "Delete object" on target "s3://remove/in/a.txt".')
        $removal = Remove-S3Item remove 'nosuchkey.txt', 'in/a.txt', 'nosuch2.txt' -Force @Aws -ErrorVariable errors -ErrorAction SilentlyContinue
        $removal.DeletedCount | Should -Be 1
        @($removal.Deleted) | Should -Be @('in/a.txt')
        $errors.FullyQualifiedErrorId | Should -Be @('KeyNotFound,S3Credentials.Commands.RemoveS3ItemCommand', 'KeyNotFound,S3Credentials.Commands.RemoveS3ItemCommand')
        $errors.TargetObject | Should -Be @('nosuchkey.txt', 'nosuch2.txt')
        $errors[0].Exception.Message | Should -BeLike "No object 'nosuchkey.txt' in bucket 'remove'*"
        (Get-S3Item remove @Aws).Count | Should -Be 2
    }

    It 'deletes everything under -Prefix with -Force' {
        (Remove-S3Item remove -Prefix 'in/sub/' -Force @Aws).DeletedCount | Should -Be 1
        (Get-S3Item remove @Aws).Count | Should -Be 2
    }
}

Describe 'Output and -WhatIf in key order while objects move several at once' {
    BeforeAll {
        Reset-TestMoto $Moto
        New-TestBucket 'ordered'
        $script:Folder = Join-Path $TestDrive 'ordered'
        $script:Keys = @('a.txt', 'b.txt', 'c/d.txt', 'c/e.txt', 'f.txt', 'g/h.txt', 'i.txt', 'j.txt', 'k.txt', 'l.txt', 'm.txt', 'n.txt')
        foreach ($key in $Keys) {
            $path = Join-Path $Folder $key
            New-Item -ItemType Directory -Force (Split-Path $path) | Out-Null
            # Sizes that fall as the keys rise, so that with several at once the later objects tend to finish first.
            [System.IO.File]::WriteAllBytes($path, [byte[]]::new(200KB - 15KB * [array]::IndexOf($Keys, $key)))
        }
    }

    It 'Write-S3Item -WhatIf names the files in key order, and a real run returns them in key order, every time' {
        @(Get-WhatIfText { Write-S3Item ordered $Folder -Recurse -WhatIf @Aws }) | ForEach-Object { if ($_ -match 's3://ordered/([^"]+)"') { $Matches[1] } } | Should -Be $Keys
        foreach ($run in 1..3) {
            (Write-S3Item ordered $Folder -Recurse -ThrottleLimit 6 @Aws).Key | Should -Be $Keys -Because "run $run"
        }
    }

    It 'Save-S3Item -WhatIf names the objects in key order, and a real run returns them in key order, every time' {
        @(Get-WhatIfText { Save-S3Item ordered '*' (Join-Path $TestDrive 'whatif-save') -WhatIf @Aws }) | ForEach-Object { if ($_ -match 's3://ordered/([^"]+)"') { $Matches[1] } } | Should -Be $Keys
        foreach ($run in 1..3) {
            (Save-S3Item ordered '*' (Join-Path $TestDrive "saved-$run") -ThrottleLimit 6 @Aws).Key | Should -Be $Keys -Because "run $run"
        }
    }
}

Describe 'Tab completion of -Key' {
    BeforeAll {
        Reset-TestMoto $Moto
        New-TestBucket 'photos'
        foreach ($key in '2026/a.jpg', '2026/b.jpg', '2026/raw/c.raw', '2025/old.jpg', 'top.jpg') { Write-S3Item photos -Key $key -Content 'x' @Aws | Out-Null }
        $script:Typed = "-AccessKey $($Aws.AccessKey) -SecretKey '$($Aws.SecretKey)' -Region us-east-1 -EndpointUrl $($Moto.Endpoint)"
        # Local files named like the keys: what PowerShell would offer without a completer.
        $script:Local = Join-Path $TestDrive 'local'
        New-Item -ItemType Directory (Join-Path $Local '2026') -Force | Out-Null
        Set-Content (Join-Path $Local '2026/local-only.jpg') 'x'
        Set-Content (Join-Path $Local 'local-only.txt') 'x'
    }

    It '<Command> completes the keys of the bound bucket under the folder typed, folders like paths, never local files' -ForEach @(
        @{ Command = 'Get-S3Item' }, @{ Command = 'Save-S3Item' }, @{ Command = 'Remove-S3Item' }, @{ Command = 'New-S3PresignedUrl' }
    ) {
        Push-Location $Local
        try {
            Get-CompletionText "$Command $Typed photos 2026/" | Should -Be @('2026/a.jpg', '2026/b.jpg', '2026/raw/')
            Get-CompletionText "$Command $Typed photos 2026/raw/" | Should -Be @('2026/raw/c.raw')
            Get-CompletionText "$Command $Typed -BucketName photos -Key " | Should -Be @('2025/', '2026/', 'top.jpg')
            Get-CompletionText "$Command $Typed -BucketName photos -Key t" | Should -Be @('top.jpg')
        } finally { Pop-Location }
    }

    It 'offers no local files and writes no error when no bucket is bound or the listing fails' {
        Push-Location $Local
        try {
            $Error.Clear()
            foreach ($line in "Get-S3Item $Typed -Key 2026/", "Get-S3Item $Typed nosuch-bucket-zz 2026/", "Save-S3Item -EndpointUrl http://127.0.0.1:9 -Region us-east-1 photos 2026/") {
                (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.Count | Should -Be 0 -Because "'$line' has no keys to offer, and local files are not keys"
            }
            $Error.Count | Should -Be 0
        } finally { Pop-Location }
    }
}

Describe 'New-S3PresignedUrl from the pipeline' {
    It 'takes the bucket of Get-S3BucketDetail''s output (Name) and of Get-S3Item''s (BucketName)' {
        Reset-TestMoto $Moto
        New-TestBucket 'presign'
        Write-S3Item presign -Key 'top.jpg' -Content 'x' @Aws | Out-Null
        $url = Get-S3BucketDetail presign @Aws | New-S3PresignedUrl -Key 'top.jpg' @Aws
        $url.BucketName | Should -Be 'presign'
        $url.Key | Should -Be 'top.jpg'
        (Get-S3Item presign @Aws | New-S3PresignedUrl @Aws).BucketName | Should -Be 'presign'
    }
}
