using System.Management.Automation;

namespace S3Credentials
{
    /// <summary>
    /// Runs when the module is imported, before any cmdlet: makes S3Credentials.Core and the AWS SDK loadable from the
    /// module's dependencies/ folder (privately on PowerShell 7), then starts the module session's state with empty caches.
    /// See <see cref="DependencyLoader"/> and <see cref="ModuleState"/>.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        public void OnImport()
        {
            DependencyLoader.Install();
            ModuleState.Begin();
        }
    }
}
