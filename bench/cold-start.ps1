# Cold start: Import-Module and the first command in a fresh PowerShell process, against the second (warm) command, for
# the module folder as built (PowerShell 7 loads dependencies/netN.0, compiled ReadyToRun) and for a copy without those
# folders (the netstandard2.0 build, JIT-compiled: what the module was before). Also the whole process for one permanent
# credential against s3-credentials' `create` (when -PeerPython is given), and PowerShell alone starting and exiting.
# -Baseline FOLDER measures another module folder beside them (a build of another commit). Each figure is printed with
# the load average (/proc/loadavg) at its start. See bench/README.md.
# -ReadyToRunPowerShell also runs everything with a copy of this PowerShell (the .NET tool, whose assemblies are IL only)
# whose IL-only assemblies crossgen2 compiled ReadyToRun, as PowerShell's release packages ship them: a simulation of a
# normal install, made once into out/pwsh-readytorun/ (not committed), started as `dotnet pwsh.dll`. The tool's own
# pwsh.dll started the same way (no `dotnet pwsh` shim, which starts a second process) is measured beside it.
#   dotnet pwsh -NoProfile -File bench/cold-start.ps1 [-Runs 5] [-Baseline FOLDER] [-PeerPython python3] [-PeerPath DIR]
#       [-ReadyToRunPowerShell]
param([int] $Runs = 5, [string] $Baseline, [string] $PeerPython, [string] $PeerPath, [switch] $ReadyToRunPowerShell)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1') -Force

# A copy of the PowerShell this script runs in ($PSHOME) with its IL-only assemblies compiled ReadyToRun by crossgen2 (the
# Microsoft.NETCore.App.Crossgen2 package of this runtime's version, restored into the NuGet cache by the ReadyToRun
# build of S3Credentials.Core). Made once per PowerShell and runtime version; the folder appears only when complete.
function Get-ReadyToRunPowerShell {
    $runtime = [Environment]::Version.ToString()
    $folder = Join-Path (Get-RepoRoot) "out/pwsh-readytorun/$($PSVersionTable.PSVersion)-net$runtime"
    if (Test-Path (Join-Path $folder 'pwsh.dll')) { return $folder }
    $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    $crossgen = Join-Path (Get-NuGetPackagesFolder) "microsoft.netcore.app.crossgen2.$rid/$runtime/tools/crossgen2$(if ($IsWindows) { '.exe' })"
    if (-not (Test-Path $crossgen)) { throw "crossgen2 $runtime for $rid is not in the NuGet cache ($crossgen); build the solution first (S3Credentials.Core publishes ReadyToRun)." }
    $framework = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
    $partial = "$folder.partial"
    Remove-Item $partial -Recurse -Force -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory (Split-Path $partial) -Force
    Copy-Item $PSHOME $partial -Recurse
    $targetOs = if ($IsWindows) { 'windows' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $targetArch = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
    $compiled = 0; $failed = @()
    # The folder's own assemblies (PowerShell, its .NET libraries and third-party ones); not Modules/ (gallery modules
    # PowerShell bundles as they come) nor runtimes/ (platform builds of libraries the measured commands do not load).
    foreach ($file in Get-ChildItem $partial -Filter *.dll -File) {
        $stream = [System.IO.File]::OpenRead($file.FullName)
        try {
            $headers = [System.Reflection.PortableExecutable.PEReader]::new($stream).PEHeaders
            $ilOnly = $headers.CorHeader -and $headers.CorHeader.ManagedNativeHeaderDirectory.Size -eq 0
        }
        finally { $stream.Dispose() }
        if (-not $ilOnly) { continue }
        $output = "$($file.FullName).r2r"
        $log = & $crossgen $file.FullName -o $output -O --targetos:$targetOs --targetarch:$targetArch -r "$framework*.dll" -r "$PSHOME/*.dll" 2>&1
        if ($LASTEXITCODE -eq 0 -and (Test-Path $output)) { Move-Item $output $file.FullName -Force; $compiled++ }
        else { $failed += $file.Name; Write-Warning "crossgen2 left $($file.Name) as IL: $($log | Select-Object -Last 3 | Out-String)" }
    }
    "Compiled ReadyToRun by crossgen2 $runtime from $PSHOME`n$compiled assemblies; left as IL: $($failed -join ', ')" | Set-Content (Join-Path $partial 'READYTORUN.txt')
    Move-Item $partial $folder
    $folder
}

$built = Join-Path (Get-RepoRoot) 'out/S3Credentials'
$jitted = Join-Path ([System.IO.Path]::GetTempPath()) "s3credentials-il-$PID"
Copy-Item $built $jitted -Recurse
Get-ChildItem (Join-Path $jitted 'dependencies') -Directory | Remove-Item -Recurse -Force
# The PowerShells to start: the .NET tool as the project runs it (`dotnet pwsh`: a shim process that starts pwsh.dll)
# and, with -ReadyToRunPowerShell, the tool's pwsh.dll started directly and the ReadyToRun copy started the same way.
$powerShells = @(@{ Name = 'tool'; Command = @('dotnet', 'pwsh') })
if ($ReadyToRunPowerShell) {
    $readyToRun = Get-ReadyToRunPowerShell
    Get-Content (Join-Path $readyToRun 'READYTORUN.txt')
    $powerShells += @{ Name = 'tool direct'; Command = @('dotnet', (Join-Path $PSHOME 'pwsh.dll')) }
    $powerShells += @{ Name = 'ReadyToRun'; Command = @('dotnet', (Join-Path $readyToRun 'pwsh.dll')) }
}
$moto = Start-TestMoto
try {
    $aws = Get-MotoParameters $moto
    $env:AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'; $env:AWS_SECRET_ACCESS_KEY = 'x'; $env:AWS_DEFAULT_REGION = 'us-east-1'
    & (Find-AwsCli) --endpoint-url $moto.Endpoint s3 mb s3://cold-start | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'Could not make the bucket cold-start.' }
    $measure = {
        param($manifest, $endpoint, $run)
        $process = [Diagnostics.Process]::GetCurrentProcess()
        function Snap { $process.Refresh(); @([Diagnostics.Stopwatch]::GetTimestamp(), $process.TotalProcessorTime.TotalMilliseconds, [System.Runtime.JitInfo]::GetCompiledMethodCount($false), [System.Runtime.JitInfo]::GetCompilationTime($false).TotalMilliseconds) }
        $aws = @{ AccessKey = 'AKIAIOSFODNN7EXAMPLE'; SecretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'; Region = 'us-east-1'; EndpointUrl = $endpoint; IamEndpointUrl = $endpoint; StsEndpointUrl = $endpoint }
        $a = Snap; Import-Module $manifest; $b = Snap
        $null = New-S3Credential cold-start -UserName "cold-$run-1" -NoWait @aws; $c = Snap
        $null = New-S3Credential cold-start -UserName "cold-$run-2" -NoWait @aws; $d = Snap
        $f = [Diagnostics.Stopwatch]::Frequency
        foreach ($pair in @(@('import', $a, $b), @('first', $b, $c), @('warm', $c, $d))) {
            '{0} {1:F0} {2:F0} {3} {4:F0}' -f $pair[0], (($pair[2][0] - $pair[1][0]) * 1000 / $f), ($pair[2][1] - $pair[1][1]), ($pair[2][2] - $pair[1][2]), ($pair[2][3] - $pair[1][3])
        }
    }
    function Get-Load { ((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ')[0] }
    function Get-Median($values) { $sorted = @($values | Sort-Object); $sorted[[int][math]::Floor($sorted.Count / 2)] }
    $variants = @(@{ Name = 'ReadyToRun (net10.0)'; Folder = $built }, @{ Name = 'IL only (before)'; Folder = $jitted })
    if ($Baseline) { $variants += @{ Name = 'baseline'; Folder = (Resolve-Path $Baseline).Path } }
    $results = foreach ($run in 1..$Runs) {
        foreach ($powerShell in $powerShells) {
            foreach ($variant in $variants) {
                $load = Get-Load
                $command = $powerShell.Command
                $lines = & $command[0] @($command | Select-Object -Skip 1) -NoProfile -Command "& { $measure } '$(Join-Path $variant.Folder 'S3Credentials.psd1')' '$($moto.Endpoint)' '$(($powerShell.Name + $variant.Name) -replace '\W', '')$run'"
                foreach ($line in $lines) {
                    $step, $wall, $cpu, $methods, $jitMs = $line -split ' '
                    [pscustomobject]@{ PowerShell = $powerShell.Name; Variant = $variant.Name; Step = $step; WallMs = [double] $wall; CpuMs = [double] $cpu; JitMethods = [int] $methods; JitMs = [double] $jitMs; Load = [double] $load }
                }
            }
        }
    }
    $steps = @('import', 'first', 'warm')
    $results | Group-Object PowerShell, Variant, Step | Sort-Object { $powerShells.Name.IndexOf($_.Group[0].PowerShell) }, { $variants.Name.IndexOf($_.Group[0].Variant) }, { $steps.IndexOf($_.Group[0].Step) } | ForEach-Object {
        [pscustomobject]@{ PowerShell = $_.Group[0].PowerShell; Module = $_.Group[0].Variant; Step = $_.Group[0].Step; 'Wall ms' = Get-Median $_.Group.WallMs; 'CPU ms' = Get-Median $_.Group.CpuMs
            'JIT methods' = Get-Median $_.Group.JitMethods; 'JIT ms' = Get-Median $_.Group.JitMs; 'Load' = '{0}-{1}' -f ($_.Group.Load | Measure-Object -Minimum).Minimum, ($_.Group.Load | Measure-Object -Maximum).Maximum }
    } | Format-Table -AutoSize | Out-String -Width 120
    'Medians of {0} runs; Load = the 1-minute load average at the start of the runs (lowest-highest).' -f $Runs

    # The whole process for one permanent credential, start to exit, and PowerShell alone starting and exiting.
    $whole = foreach ($run in 1..$Runs) {
        foreach ($powerShell in $powerShells) {
            $command = $powerShell.Command
            $load = Get-Load
            $watch = [Diagnostics.Stopwatch]::StartNew()
            & $command[0] @($command | Select-Object -Skip 1) -NoProfile -Command 'exit'
            $alone = $watch.Elapsed.TotalMilliseconds
            $watch.Restart()
            & $command[0] @($command | Select-Object -Skip 1) -NoProfile -Command "Import-Module '$built/S3Credentials.psd1'; `$null = New-S3Credential cold-start -UserName whole-$($powerShell.Name -replace '\W', '')-$run -NoWait -AccessKey AKIAIOSFODNN7EXAMPLE -SecretKey x -Region us-east-1 -EndpointUrl $($moto.Endpoint) -IamEndpointUrl $($moto.Endpoint) -StsEndpointUrl $($moto.Endpoint)"
            [pscustomobject]@{ PowerShell = $powerShell.Name; Module = $watch.Elapsed.TotalMilliseconds; PowerShellAlone = $alone; Load = [double] $load }
        }
        if ($PeerPython) {
            if ($PeerPath) { $env:PYTHONPATH = $PeerPath }
            $load = Get-Load
            $watch = [Diagnostics.Stopwatch]::StartNew()
            & $PeerPython -c 'from s3_credentials.cli import cli; cli()' create cold-start --username "peer-$run" --endpoint-url $moto.Endpoint 2>&1 | Out-Null
            [pscustomobject]@{ PowerShell = 'peer'; Peer = $watch.Elapsed.TotalMilliseconds; Load = [double] $load }
        }
    }
    $peer = if ($PeerPython) { '{0:F0} ms' -f (Get-Median ($whole | Where-Object PowerShell -EQ 'peer').Peer) } else { 'not run (-PeerPython)' }
    'Whole process, one permanent credential (median of {0}, load {1}-{2}); s3-credentials create: {3}' -f $Runs,
        ($whole.Load | Measure-Object -Minimum).Minimum, ($whole.Load | Measure-Object -Maximum).Maximum, $peer
    foreach ($powerShell in $powerShells) {
        $mine = @($whole | Where-Object PowerShell -EQ $powerShell.Name)
        $module = Get-Median $mine.Module; $alone = Get-Median $mine.PowerShellAlone
        '  {0} ({1}): module {2:F0} ms; PowerShell alone (-c exit) {3:F0} ms, so the module''s part {4:F0} ms' -f $powerShell.Name, ($powerShell.Command -join ' '), $module, $alone, ($module - $alone)
    }
}
finally {
    Stop-TestMoto $moto
    Remove-Item $jitted -Recurse -Force -ErrorAction SilentlyContinue
}
