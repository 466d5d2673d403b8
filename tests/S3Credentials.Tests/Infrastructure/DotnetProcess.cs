using System.Collections.Generic;
using System.Diagnostics;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>A second process running one of the test helpers (a built .dll) on the same dotnet host as the tests.</summary>
    public static class DotnetProcess
    {
        /// <summary>Start information for `dotnet helper.dll arguments...`, with standard output and error redirected.</summary>
        public static ProcessStartInfo StartInfo(string helperAssembly, IEnumerable<string> arguments)
        {
            var dotnet = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            var start = new ProcessStartInfo(string.IsNullOrEmpty(dotnet) ? "dotnet" : dotnet)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(helperAssembly);
            foreach (var argument in arguments)
                start.ArgumentList.Add(argument);
            return start;
        }
    }
}
