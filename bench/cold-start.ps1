# Cold start: Import-Module and the first command in a fresh PowerShell process, against the second (warm) command, for
# the module folder as built (PowerShell 7 loads dependencies/netN.0, compiled ReadyToRun) and for a copy without those
# folders (the netstandard2.0 build, JIT-compiled: what the module was before). Also the whole process for one permanent
# credential against s3-credentials' `create` (when -PeerPython is given), and PowerShell alone starting and exiting.
# -Baseline FOLDER measures another module folder beside them (a build of another commit). Each figure is printed with
# the load average (/proc/loadavg) at its start. See bench/README.md.
#   dotnet pwsh -NoProfile -File bench/cold-start.ps1 [-Runs 5] [-Baseline FOLDER] [-PeerPython python3] [-PeerPath DIR]
param([int] $Runs = 5, [string] $Baseline, [string] $PeerPython, [string] $PeerPath)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1') -Force
$built = Join-Path (Get-RepoRoot) 'out/S3Credentials'
$jitted = Join-Path ([System.IO.Path]::GetTempPath()) "s3credentials-il-$PID"
Copy-Item $built $jitted -Recurse
Get-ChildItem (Join-Path $jitted 'dependencies') -Directory | Remove-Item -Recurse -Force
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
    $variants = @(@{ Name = 'ReadyToRun (net10.0)'; Folder = $built }, @{ Name = 'IL only (before)'; Folder = $jitted })
    if ($Baseline) { $variants += @{ Name = 'baseline'; Folder = (Resolve-Path $Baseline).Path } }
    $results = foreach ($run in 1..$Runs) {
        foreach ($variant in $variants) {
            $load = Get-Load
            $lines = & dotnet pwsh -NoProfile -Command "& { $measure } '$(Join-Path $variant.Folder 'S3Credentials.psd1')' '$($moto.Endpoint)' '$($variant.Name -replace '\W', '')$run'"
            foreach ($line in $lines) {
                $step, $wall, $cpu, $methods, $jitMs = $line -split ' '
                [pscustomobject]@{ Variant = $variant.Name; Step = $step; WallMs = [double] $wall; CpuMs = [double] $cpu; JitMethods = [int] $methods; JitMs = [double] $jitMs; Load = [double] $load }
            }
        }
    }
    $results | Group-Object Variant, Step | ForEach-Object {
        $sorted = $_.Group | Sort-Object WallMs
        $median = $sorted[[int][math]::Floor($sorted.Count / 2)]
        $mid = [int][math]::Floor($sorted.Count / 2)
        [pscustomobject]@{ Variant = $_.Group[0].Variant; Step = $_.Group[0].Step; 'Wall ms' = $median.WallMs; 'CPU ms' = ($_.Group.CpuMs | Sort-Object)[$mid]
            'JIT methods' = ($_.Group.JitMethods | Sort-Object)[$mid]; 'JIT ms' = ($_.Group.JitMs | Sort-Object)[$mid]; 'Load' = '{0}-{1}' -f ($_.Group.Load | Measure-Object -Minimum).Minimum, ($_.Group.Load | Measure-Object -Maximum).Maximum }
    } | Format-Table -AutoSize | Out-String -Width 120
    'Medians of {0} runs; Load = the 1-minute load average at the start of the runs (lowest-highest).' -f $Runs

    # The whole process for one permanent credential, start to exit.
    $whole = foreach ($run in 1..$Runs) {
        $load = Get-Load
        $watch = [Diagnostics.Stopwatch]::StartNew()
        & dotnet pwsh -NoProfile -Command 'exit'
        $alone = $watch.Elapsed.TotalMilliseconds
        $watch.Restart()
        & dotnet pwsh -NoProfile -Command "Import-Module '$built/S3Credentials.psd1'; `$null = New-S3Credential cold-start -UserName whole-$run -NoWait -AccessKey AKIAIOSFODNN7EXAMPLE -SecretKey x -Region us-east-1 -EndpointUrl $($moto.Endpoint) -IamEndpointUrl $($moto.Endpoint) -StsEndpointUrl $($moto.Endpoint)"
        $module = $watch.Elapsed.TotalMilliseconds
        $peer = $null
        if ($PeerPython) {
            if ($PeerPath) { $env:PYTHONPATH = $PeerPath }
            $watch.Restart()
            & $PeerPython -c 'from s3_credentials.cli import cli; cli()' create cold-start --username "peer-$run" --endpoint-url $moto.Endpoint 2>&1 | Out-Null
            $peer = $watch.Elapsed.TotalMilliseconds
        }
        [pscustomobject]@{ Module = $module; Peer = $peer; PowerShellAlone = $alone; Load = [double] $load }
    }
    $mid = [int][math]::Floor($Runs / 2)
    'Whole process, one permanent credential (median of {0}, load {5}-{6}): module (dotnet pwsh) {1:F0} ms; s3-credentials create {2}; PowerShell alone (dotnet pwsh -c exit) {3:F0} ms, so the module''s part {4:F0} ms' -f $Runs,
        ($whole.Module | Sort-Object)[$mid], $(if ($PeerPython) { '{0:F0} ms' -f ($whole.Peer | Sort-Object)[$mid] } else { 'not run (-PeerPython)' }),
        ($whole.PowerShellAlone | Sort-Object)[$mid], (($whole.Module | Sort-Object)[$mid] - ($whole.PowerShellAlone | Sort-Object)[$mid]),
        ($whole.Load | Measure-Object -Minimum).Minimum, ($whole.Load | Measure-Object -Maximum).Maximum
}
finally {
    Stop-TestMoto $moto
    Remove-Item $jitted -Recurse -Force -ErrorAction SilentlyContinue
}
