#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# The module's manifest and names as PowerShell itself reads them: Test-ModuleManifest, Import-PowerShellDataFile and
# Get-Verb, where the xunit suite once parsed the .psd1 and copied the verb list in C# (issue 15).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $script:ModuleFolder = Join-Path (Get-RepoRoot) 'out/S3Credentials'
    $script:FolderManifest = Join-Path $ModuleFolder 'S3Credentials.psd1'
    $script:Manifest = Import-PowerShellDataFile $FolderManifest
    $script:Cmdlets = @(Get-Command -Module S3Credentials -CommandType Cmdlet)
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest, which also finds every file it names' {
        $info = Test-ModuleManifest $FolderManifest -ErrorAction Stop
        $info.Name | Should -Be 'S3Credentials'
        $info.RootModule | Should -Be 'S3Credentials.dll'
    }

    It 'names only files that are in the module folder' {
        $named = foreach ($key in 'RootModule', 'RequiredAssemblies', 'NestedModules', 'FormatsToProcess', 'TypesToProcess', 'ScriptsToProcess', 'FileList') {
            foreach ($entry in @($Manifest[$key] | Where-Object { $_ })) {
                if ($entry -is [hashtable]) { $entry.ModuleName } else { $entry }
            }
        }
        $named | Should -Contain 'S3Credentials.dll'
        $named | Should -Contain 'S3Credentials.format.ps1xml'
        foreach ($file in $named) { Join-Path $ModuleFolder $file | Should -Exist }
    }

    It 'exports exactly the cmdlets of the assembly, by name, each once and without wildcards' {
        $exported = @($Manifest.CmdletsToExport)
        $exported | Should -Not -BeLike '*`**'
        @($exported | Sort-Object -Unique).Count | Should -Be $exported.Count
        @($exported | Sort-Object) | Should -Be @($Cmdlets.Name | Sort-Object)
        $Cmdlets.Count | Should -BeGreaterThan 10
    }

    It 'declares both editions, PowerShell 5.1 and .NET Framework 4.7.2 as the oldest hosts, and a GUID' {
        @($Manifest.CompatiblePSEditions | Sort-Object) | Should -Be @('Core', 'Desktop')
        $Manifest.PowerShellVersion | Should -Be '5.1'
        $Manifest.DotNetFrameworkVersion | Should -Be '4.7.2'
        [guid]$Manifest.GUID | Should -Not -Be ([guid]::Empty)
    }

    It 'has the version of the cmdlet assembly' {
        $assembly = [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path $ModuleFolder 'S3Credentials.dll')).Version
        $Manifest.ModuleVersion | Should -Be "$($assembly.Major).$($assembly.Minor).$($assembly.Build)"
        (Get-Module S3Credentials).Version | Should -Be ([version]$Manifest.ModuleVersion)
    }

    It 'ships the MIT licence and invents no web address (the project has no public home)' {
        Get-Content (Join-Path $ModuleFolder 'LICENSE') -Raw | Should -BeExactly (Get-Content (Join-Path (Get-RepoRoot) 'LICENSE') -Raw)
        Get-Content (Join-Path $ModuleFolder 'LICENSE') -TotalCount 1 | Should -BeLike 'MIT License*'
        $Manifest.PrivateData.PSData.Keys | Should -Not -Contain 'ProjectUri'
        $Manifest.PrivateData.PSData.Keys | Should -Not -Contain 'LicenseUri'
        $Manifest.Keys | Should -Not -Contain 'HelpInfoUri'
    }
}

Describe 'Cmdlet names' {
    It 'every verb is approved by Get-Verb, and none is one Windows PowerShell 5.1 does not know (Build, Deploy)' {
        $approved = @(Get-Verb | Where-Object Verb -NotIn 'Build', 'Deploy' | ForEach-Object Verb)
        $approved | Should -Contain 'New'
        foreach ($cmdlet in $Cmdlets) { $approved | Should -Contain $cmdlet.Verb -Because "$($cmdlet.Name) would make Import-Module warn" }
    }

    It 'importing the module warns about no verb' {
        $warnings = Invoke-FreshSession "Import-Module '$FolderManifest' -WarningVariable w -WarningAction SilentlyContinue; `$w.Count"
        $warnings | Should -Be 0
    }
}
