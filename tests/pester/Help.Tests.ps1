#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# The project has no public home, so no cmdlet has online help: Get-Help -Online must say so, not open a page of AWS's
# as if it were the cmdlet's (PowerShell takes the first related link with an address as the online page).

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
    $cmdlets = @(Get-Command -Module S3Credentials -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-S3CredentialsModule
}

Describe 'Online help' {
    It 'finds every exported cmdlet' {
        @(Get-Command -Module S3Credentials -CommandType Cmdlet).Count | Should -Be @((Import-PowerShellDataFile (Join-Path (Get-RepoRoot) 'S3Credentials.psd1')).CmdletsToExport).Count
    }

    It '<Name> has no online page: no HelpUri, no related link with an address, and Get-Help -Online fails' -ForEach $cmdlets {
        (Get-Command $Name).HelpUri | Should -BeNullOrEmpty
        $links = @((Get-Help $Name -Full).relatedLinks.navigationLink)
        $links.Count | Should -BeGreaterThan 0
        foreach ($link in $links) { $link.uri | Should -BeNullOrEmpty -Because "'$($link.linkText)' would be $Name's online page" }
        # Only now that no address is known is -Online safe to call: it must fail rather than start a browser.
        { Get-Help $Name -Online -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidOperation,Microsoft.PowerShell.Commands.GetHelpCommand'
    }

    It 'still shows the AWS pages of the related links as text' {
        $texts = @((Get-Help New-S3Credential -Full).relatedLinks.navigationLink.linkText)
        ($texts -join "`n") | Should -Match 'AWS STS AssumeRole: https://docs\.aws\.amazon\.com/STS/latest/APIReference/API_AssumeRole\.html'
    }
}

# What a user reads with Get-Help, from the MAML the build's help builder writes (issue 15): every cmdlet and every
# parameter has its text, and the examples are there.
Describe 'Get-Help' {
    It '<Name> has a synopsis, a description and at least two examples with code' -ForEach $cmdlets {
        $help = Get-Help $Name -Full
        $help.Name | Should -Be $Name
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "*$Name *[<-]*" -Because 'a synopsis PowerShell makes up from the syntax means no help was found'
        ($help.description.Text -join "`n").Length | Should -BeGreaterThan 100
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) { $example.code | Should -Not -BeNullOrEmpty }
    }

    It "<Name>: every parameter is described, and help's syntax has the command's parameter sets" -ForEach $cmdlets {
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($parameter in $command.Parameters.Values | Where-Object Name -NotIn $common) {
            $described = $help.parameters.parameter | Where-Object name -EQ $parameter.Name
            $described | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) must be in $Name's help"
            ($described.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs a description"
        }
        @($help.syntax.syntaxItem).Count | Should -Be $command.ParameterSets.Count
    }
}
