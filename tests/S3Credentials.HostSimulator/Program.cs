using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using System.Threading.Tasks;

namespace S3Credentials.HostSimulator
{
    /// <summary>
    /// Loads out/S3Credentials as PowerShell 7 imports a binary module (LoadFrom, every type, the initializer), after
    /// or before "another module" has loaded its AWS SDK, then uses both. Prints key=value lines; exits 0 when every step ran, 2 with error=... when one threw.
    ///
    ///   S3Credentials.HostSimulator --module DIR --endpoint URL [--loader isolated|flat]
    ///       [--preload DLL]... [--preload-after DLL]... [--other-sts] [--other-role ARN] [--role-profile NAME]
    ///       [--sso-profile NAME] [--other-sso-profile NAME] [--web-identity]
    ///
    /// --preload       assemblies loaded into the default context first, as Import-Module AWS.Tools.* does.
    /// --preload-after the same, after the module was imported and used (AWS.Tools imported second).
    /// --loader        isolated: the module's own initializer (IModuleAssemblyInitializer.OnImport), as PowerShell runs it.
    ///                 flat: no private context, every dependency loaded into the default context (the layout before
    ///                 dependencies/ existed, where PowerShell found them beside the cmdlet assembly) - the control.
    /// --other-sts     afterwards, the preloaded SDK's own STS client calls GetCallerIdentity ("AWS.Tools still works").
    /// --other-role    afterwards, the preloaded SDK assumes that role with its own AssumeRoleAWSCredentials, which find
    ///                 the STS client the SDK's way (the first AWSSDK.SecurityToken in the process).
    /// --role-profile  also resolve that profile (role_arn + source_profile) and call GetCallerIdentity with it: its
    ///                 AssumeRole goes through the module's own STS client.
    /// --sso-profile   also resolve that SSO profile (its token cached under HOME/.aws/sso/cache) and call
    ///                 GetCallerIdentity with it: the SDK then creates the SSO client (GetRoleCredentials, at
    ///                 AWS_ENDPOINT_URL_SSO) itself. Reports the access key id the portal's role credentials gave.
    /// --other-sso-profile afterwards, the preloaded SDK resolves that SSO profile itself (CredentialProfileStoreChain, as
    ///                 AWS.Tools does) and gets its keys: its AWSSDK.Core finds the SSO client the SDK's way (the first
    ///                 AWSSDK.SSO in the process). Reports the access key id and which AWSSDK.SSO/SSOOIDC are loaded.
    /// --web-identity  also resolve ambient credentials (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN in this process's
    ///                 environment) and call GetCallerIdentity with them.
    /// Keys for the endpoint come from SIMULATOR_ACCESS_KEY_ID / SIMULATOR_SECRET_ACCESS_KEY (not AWS_*, which would
    /// take precedence over the profile and web-identity credentials being tested).
    /// </summary>
    public static class Program
    {
        private const string CoreAssemblyName = "S3Credentials.Core";

        public static int Main(string[] args)
        {
            try
            {
                Run(Options.Parse(args));
                return 0;
            }
            catch (Exception e)
            {
                // The failure itself, not its wrappers: reflection's, a type initializer's (a static constructor that
                // touched the SDK first) or a task's.
                var inner = e;
                while (true)
                {
                    if ((inner is TargetInvocationException || inner is TypeInitializationException) && inner.InnerException != null) inner = inner.InnerException;
                    else if (inner is AggregateException a && a.InnerExceptions.Count == 1) inner = a.InnerExceptions[0];
                    else break;
                }
                Report("error", inner.GetType().FullName + ": " + inner.Message.Replace(Environment.NewLine, " "));
                return 2;
            }
        }

        private static void Run(Options options)
        {
            var preloaded = options.Preload.Select(path => AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(path))).ToList();
            foreach (var assembly in preloaded)
                Report("preloaded", $"{assembly.GetName().Name} {assembly.GetName().Version} {assembly.Location}");

            if (options.Loader == "flat")
            {
                var folders = new[] { options.ModuleFolder, Path.Combine(options.ModuleFolder, "dependencies") };
                AssemblyLoadContext.Default.Resolving += (context, name) =>
                {
                    var path = folders.Select(folder => Path.Combine(folder, name.Name + ".dll")).FirstOrDefault(File.Exists);
                    return path != null ? context.LoadFromAssemblyPath(path) : null;
                };
            }

            // Import-Module, in PowerShell 7's order: Assembly.LoadFrom (ExecutionContext.LoadAssembly), every type of
            // the assembly (PSSnapInHelpers.GetAssemblyTypes), then IModuleAssemblyInitializer.OnImport.
            var cmdletAssembly = Assembly.LoadFrom(Path.Combine(options.ModuleFolder, "S3Credentials.dll"));
            var types = cmdletAssembly.GetTypes();
            Report("cmdlet.types", types.Length.ToString());
            if (options.Loader == "isolated")
            {
                var initializer = types.Single(t => typeof(IModuleAssemblyInitializer).IsAssignableFrom(t));
                ((IModuleAssemblyInitializer)Activator.CreateInstance(initializer)).OnImport();
                ((IModuleAssemblyInitializer)Activator.CreateInstance(initializer)).OnImport(); // imported again, or in another runspace
            }

            // The first cmdlet call: the cmdlet assembly's reference to S3Credentials.Core is resolved.
            var coreReference = cmdletAssembly.GetReferencedAssemblies().Single(n => n.Name == CoreAssemblyName);
            var core = AssemblyLoadContext.Default.LoadFromAssemblyName(coreReference);
            Report("core.context", AssemblyLoadContext.GetLoadContext(core).Name);
            Report("core.location", core.Location);

            var identity = CallerIdentity(core, options, Source.Keys, out var session);
            var awsCredentialsType = BaseTypeNamed(GetProperty(session, "Credentials").GetType(), "Amazon.Runtime.AWSCredentials");
            Report("core.sdk.location", awsCredentialsType.Assembly.Location);
            Report("core.sdk.context", AssemblyLoadContext.GetLoadContext(awsCredentialsType.Assembly).Name);
            Report("identity.arn", (string)GetProperty(identity, "Arn"));
            Report("models.context", AssemblyLoadContext.GetLoadContext(identity.GetType().Assembly).Name);
            Report("models.location", identity.GetType().Assembly.Location);
            // What PowerShell does with [S3Credentials.Core.Models.CallerIdentity]: look in the default context only.
            Report("models.visible", (AssemblyLoadContext.Default.Assemblies.Any(a => a.GetType(identity.GetType().FullName) == identity.GetType())).ToString());

            if (options.RoleProfile != null)
            {
                var roleIdentity = CallerIdentity(core, options, Source.RoleProfile, out _);
                Report("role.arn", (string)GetProperty(roleIdentity, "Arn"));
            }

            if (options.SsoProfile != null)
            {
                var ssoIdentity = CallerIdentity(core, options, Source.SsoProfile, out _);
                Report("sso.keyid", (string)GetProperty(ssoIdentity, "AccessKeyId"));
                Report("sso.loaded", LoadedAssemblies("AWSSDK.SSO"));
                Report("ssooidc.loaded", LoadedAssemblies("AWSSDK.SSOOIDC"));
            }

            foreach (var path in options.PreloadAfter)
            {
                var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(path));
                Report("preloaded.after", $"{assembly.GetName().Name} {assembly.GetName().Version} {assembly.Location}");
                preloaded.Add(assembly);
            }

            if (options.WebIdentity)
            {
                var webIdentity = CallerIdentity(core, options, Source.Ambient, out _);
                Report("webidentity.arn", (string)GetProperty(webIdentity, "Arn"));
            }

            if (options.OtherSts)
                Report("other.sts.arn", OtherSdkCallerIdentity(preloaded, options.Endpoint));
            if (options.OtherRole != null)
                Report("other.role.key", OtherSdkAssumeRole(preloaded, options.OtherRole));
            if (options.OtherSsoProfile != null)
            {
                Report("other.sso.keyid", OtherSdkSsoProfileKey(preloaded, options.OtherSsoProfile));
                Report("other.sso.loaded", LoadedAssemblies("AWSSDK.SSO"));
                Report("other.ssooidc.loaded", LoadedAssemblies("AWSSDK.SSOOIDC"));
            }
            // Every AWSSDK.SecurityToken in the process at the end: AWSSDK.Core takes the first for role credentials.
            Report("sts.loaded", LoadedAssemblies("AWSSDK.SecurityToken"));
        }

        /// <summary>S3Credentials.Core's own GetCallerIdentity, through its one session resolver, by reflection.</summary>
        private enum Source { Keys, RoleProfile, SsoProfile, Ambient }

        private static object CallerIdentity(Assembly core, Options options, Source source, out object session)
        {
            var sessionOptions = Activator.CreateInstance(core.GetType("S3Credentials.Core.Credentials.SessionOptions", throwOnError: true));
            SetProperty(sessionOptions, "Region", "us-east-1");
            SetProperty(sessionOptions, "EndpointUrl", options.Endpoint);
            SetProperty(sessionOptions, "IamEndpointUrl", options.Endpoint);
            SetProperty(sessionOptions, "StsEndpointUrl", options.Endpoint);
            if (source == Source.RoleProfile || source == Source.SsoProfile)
            {
                SetProperty(sessionOptions, "ProfileName", source == Source.RoleProfile ? options.RoleProfile : options.SsoProfile);
            }
            else if (source == Source.Keys)
            {
                SetProperty(sessionOptions, "AccessKey", Environment.GetEnvironmentVariable("SIMULATOR_ACCESS_KEY_ID"));
                SetProperty(sessionOptions, "SecretKey", Environment.GetEnvironmentVariable("SIMULATOR_SECRET_ACCESS_KEY"));
            }

            session = core.GetType("S3Credentials.Core.Credentials.SessionResolver", throwOnError: true)
                .GetMethod("Resolve").Invoke(null, new[] { sessionOptions });
            var task = (Task)core.GetType("S3Credentials.Core.Operations.CallerIdentityOperation", throwOnError: true)
                .GetMethod("GetAsync").Invoke(null, new[] { session, (object)CancellationToken.None });
            task.GetAwaiter().GetResult();
            return GetProperty(task, "Result");
        }

        /// <summary>The preloaded (other module's) AWSSDK.SecurityToken calling GetCallerIdentity, by reflection.</summary>
        private static string OtherSdkCallerIdentity(IReadOnlyList<Assembly> preloaded, string endpoint)
        {
            var sdkCore = preloaded.Single(a => a.GetName().Name == "AWSSDK.Core");
            var sts = preloaded.Single(a => a.GetName().Name == "AWSSDK.SecurityToken");
            var credentials = Activator.CreateInstance(sdkCore.GetType("Amazon.Runtime.BasicAWSCredentials", throwOnError: true),
                Environment.GetEnvironmentVariable("SIMULATOR_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("SIMULATOR_SECRET_ACCESS_KEY"));
            var config = Activator.CreateInstance(sts.GetType("Amazon.SecurityToken.AmazonSecurityTokenServiceConfig", throwOnError: true));
            SetProperty(config, "ServiceURL", endpoint);
            SetProperty(config, "AuthenticationRegion", "us-east-1");
            var clientType = sts.GetType("Amazon.SecurityToken.AmazonSecurityTokenServiceClient", throwOnError: true);
            var client = Activator.CreateInstance(clientType, credentials, config);
            var request = Activator.CreateInstance(sts.GetType("Amazon.SecurityToken.Model.GetCallerIdentityRequest", throwOnError: true));
            var task = (Task)clientType.GetMethod("GetCallerIdentityAsync", new[] { request.GetType(), typeof(CancellationToken) })
                .Invoke(client, new[] { request, (object)CancellationToken.None });
            task.GetAwaiter().GetResult();
            var response = GetProperty(task, "Result");
            return (string)GetProperty(response, "Arn") + " via " + clientType.Assembly.Location;
        }

        /// <summary>The preloaded SDK's AssumeRoleAWSCredentials, as AWS.Tools makes them for a role profile; the new key's prefix.</summary>
        private static string OtherSdkAssumeRole(IReadOnlyList<Assembly> preloaded, string roleArn)
        {
            var sdkCore = preloaded.Single(a => a.GetName().Name == "AWSSDK.Core");
            var source = Activator.CreateInstance(sdkCore.GetType("Amazon.Runtime.BasicAWSCredentials", throwOnError: true),
                Environment.GetEnvironmentVariable("SIMULATOR_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("SIMULATOR_SECRET_ACCESS_KEY"));
            var role = Activator.CreateInstance(sdkCore.GetType("Amazon.Runtime.AssumeRoleAWSCredentials", throwOnError: true), source, roleArn, "other-sdk");
            var task = (Task)role.GetType().GetMethod("GetCredentialsAsync", Type.EmptyTypes).Invoke(role, null);
            task.GetAwaiter().GetResult();
            var key = (string)GetProperty(GetProperty(task, "Result"), "AccessKey");
            return key.Substring(0, 4);
        }

        /// <summary>Every loaded assembly of that name, as "context:location", joined with " | ".</summary>
        private static string LoadedAssemblies(string name)
            => string.Join(" | ", AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == name)
                .Select(a => $"{AssemblyLoadContext.GetLoadContext(a).Name}:{a.Location}"));

        /// <summary>The preloaded SDK's credentials for an SSO profile, as AWS.Tools resolves a profile; their access key id.</summary>
        private static string OtherSdkSsoProfileKey(IReadOnlyList<Assembly> preloaded, string profileName)
        {
            var sdkCore = preloaded.Single(a => a.GetName().Name == "AWSSDK.Core");
            var chain = Activator.CreateInstance(sdkCore.GetType("Amazon.Runtime.CredentialManagement.CredentialProfileStoreChain", throwOnError: true));
            var arguments = new object[] { profileName, null };
            var found = (bool)chain.GetType().GetMethod("TryGetAWSCredentials", new[] { typeof(string), sdkCore.GetType("Amazon.Runtime.AWSCredentials", throwOnError: true).MakeByRefType() })
                .Invoke(chain, arguments);
            if (!found) throw new InvalidOperationException($"The other SDK found no profile '{profileName}'.");
            var task = (Task)arguments[1].GetType().GetMethod("GetCredentialsAsync", Type.EmptyTypes).Invoke(arguments[1], null);
            task.GetAwaiter().GetResult();
            return (string)GetProperty(GetProperty(task, "Result"), "AccessKey");
        }

        private static Type BaseTypeNamed(Type type, string fullName)
        {
            for (var current = type; current != null; current = current.BaseType)
                if (current.FullName == fullName) return current;
            throw new InvalidOperationException($"{type.FullName} does not derive from {fullName}.");
        }

        private static object GetProperty(object target, string name)
            => target.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance).GetValue(target);

        private static void SetProperty(object target, string name, object value)
            => target.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance).SetValue(target, value);

        private static void Report(string key, string value) => Console.WriteLine(key + "=" + value);

        private sealed class Options
        {
            public string ModuleFolder { get; private set; }
            public string Endpoint { get; private set; }
            public string Loader { get; private set; } = "isolated";
            public List<string> Preload { get; } = new List<string>();
            public List<string> PreloadAfter { get; } = new List<string>();
            public bool OtherSts { get; private set; }
            public string RoleProfile { get; private set; }
            public string SsoProfile { get; private set; }
            public bool WebIdentity { get; private set; }
            public string OtherRole { get; private set; }
            public string OtherSsoProfile { get; private set; }

            public static Options Parse(string[] args)
            {
                var options = new Options();
                for (var i = 0; i < args.Length; i++)
                {
                    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                    switch (args[i])
                    {
                        case "--module": options.ModuleFolder = Path.GetFullPath(Next()); break;
                        case "--endpoint": options.Endpoint = Next(); break;
                        case "--loader": options.Loader = Next(); break;
                        case "--preload": options.Preload.Add(Next()); break;
                        case "--preload-after": options.PreloadAfter.Add(Next()); break;
                        case "--other-sts": options.OtherSts = true; break;
                        case "--role-profile": options.RoleProfile = Next(); break;
                        case "--sso-profile": options.SsoProfile = Next(); break;
                        case "--web-identity": options.WebIdentity = true; break;
                        case "--other-role": options.OtherRole = Next(); break;
                        case "--other-sso-profile": options.OtherSsoProfile = Next(); break;
                        default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
                    }
                }
                if (options.ModuleFolder == null || options.Endpoint == null) throw new ArgumentException("--module and --endpoint are required.");
                if (options.Loader != "isolated" && options.Loader != "flat") throw new ArgumentException("--loader is isolated or flat.");
                return options;
            }
        }
    }
}
