using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// What the built module folder's cmdlet assembly declares, read with <see cref="MetadataLoadContext"/>:
    /// nothing of the module (or of PowerShell) is loaded or run, so it works without PowerShell on the machine.
    /// Every cmdlet in out/S3Credentials/S3Credentials.dll is found by reflection, whatever its name.
    /// Attributes are read as <see cref="CustomAttributeData"/> because types cannot be instantiated in the context.
    /// </summary>
    public sealed class CmdletMetadata
    {
        public const string CmdletAssemblyFileName = "S3Credentials.dll";
        public const string PowerShellNamespace = "System.Management.Automation";
        public const string CmdletBaseClassName = PowerShellNamespace + ".Cmdlet";
        public const string PSCmdletClassName = PowerShellNamespace + ".PSCmdlet";
        public const string ModuleBaseClassName = "S3Credentials.S3CredentialsCmdlet";
        /// <summary>The parameter set name PowerShell gives a [Parameter] without ParameterSetName.</summary>
        public const string AllParameterSets = "__AllParameterSets";

        private static readonly Lazy<CmdletMetadata> SharedInstance = new Lazy<CmdletMetadata>(() => Load(TestPaths.ModuleFolder, TestPaths.PowerShellReferenceAssembly));

        /// <summary>One instance for the whole test run: its <see cref="MetadataLoadContext"/> must stay alive while types are used.</summary>
        public static CmdletMetadata Shared => SharedInstance.Value;

        private CmdletMetadata(MetadataLoadContext context, Assembly cmdletAssembly, IReadOnlyList<Assembly> moduleAssemblies, Assembly powerShellAssembly)
        {
            Context = context;
            CmdletAssembly = cmdletAssembly;
            ModuleAssemblies = moduleAssemblies;
            PowerShellAssembly = powerShellAssembly;

            var concreteCmdletTypes = cmdletAssembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && DerivesFrom(t, CmdletBaseClassName)).ToList();
            Cmdlets = cmdletAssembly.GetTypes()
                .Where(t => FindAttribute(t.GetCustomAttributesData(), "CmdletAttribute") != null)
                .Select(DescribeCmdlet)
                .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
            CmdletTypesWithoutCmdletAttribute = concreteCmdletTypes
                .Where(t => FindAttribute(t.GetCustomAttributesData(), "CmdletAttribute") == null)
                .Select(t => t.FullName)
                .ToList();
        }

        /// <summary>The context every type below belongs to; never disposed, so the types stay usable for the whole run.</summary>
        public MetadataLoadContext Context { get; }

        /// <summary>out/S3Credentials/S3Credentials.dll, the manifest's RootModule.</summary>
        public Assembly CmdletAssembly { get; }

        /// <summary>Every DLL the module folder ships (dependencies/ included), the cmdlet assembly included.</summary>
        public IReadOnlyList<Assembly> ModuleAssemblies { get; }

        /// <summary>PowerShell's reference assembly (PowerShellStandard.Library), which the cmdlets compile against.</summary>
        public Assembly PowerShellAssembly { get; }

        /// <summary>Every type in the cmdlet assembly carrying [Cmdlet], ordered by Verb-Noun.</summary>
        public IReadOnlyList<CmdletDescription> Cmdlets { get; }

        /// <summary>Concrete types deriving from Cmdlet that have no [Cmdlet] attribute, so PowerShell would not export them.</summary>
        public IReadOnlyList<string> CmdletTypesWithoutCmdletAttribute { get; }

        public Version CmdletAssemblyVersion => CmdletAssembly.GetName().Version;

        public static CmdletMetadata Load(string moduleFolder, string powerShellReferenceAssembly)
        {
            if (!File.Exists(Path.Combine(moduleFolder, CmdletAssemblyFileName)))
                throw new FileNotFoundException($"The module folder has no {CmdletAssemblyFileName}: build src/S3Credentials first.", Path.Combine(moduleFolder, CmdletAssemblyFileName));
            if (!File.Exists(powerShellReferenceAssembly))
                throw new FileNotFoundException("PowerShell's reference assembly was not copied into the test output.", powerShellReferenceAssembly);

            // Managed assemblies only: a native DLL shipped beside them has no metadata to read. The folder's own
            // (the cmdlet and isolation assemblies) and dependencies/ (the core and the AWS SDK, netstandard2.0). The same
            // assemblies built for PowerShell 7's .NET (dependencies/netN.0) are checked by ModuleFolderTests.
            var dependencyFolder = Path.Combine(moduleFolder, "dependencies");
            var moduleDlls = Directory.GetFiles(moduleFolder, "*.dll")
                .Concat(Directory.Exists(dependencyFolder) ? Directory.GetFiles(dependencyFolder, "*.dll") : Array.Empty<string>())
                .Where(IsManagedAssembly).ToArray();
            var shippedFileNames = new HashSet<string>(moduleDlls.Select(Path.GetFileName), StringComparer.OrdinalIgnoreCase);
            // One candidate per assembly file name: the module's own copy wins over the runtime's (it is what ships).
            var runtimeDlls = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
                .Where(path => !shippedFileNames.Contains(Path.GetFileName(path)) && !string.Equals(Path.GetFileName(path), "System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase));
            var resolver = new PathAssemblyResolver(moduleDlls.Concat(new[] { powerShellReferenceAssembly }).Concat(runtimeDlls));
            var context = new MetadataLoadContext(resolver);

            var moduleAssemblies = moduleDlls.OrderBy(p => p, StringComparer.Ordinal).Select(context.LoadFromAssemblyPath).ToList();
            var cmdletAssembly = moduleAssemblies.Single(a => string.Equals(Path.GetFileName(a.Location), CmdletAssemblyFileName, StringComparison.OrdinalIgnoreCase));
            var powerShellAssembly = context.LoadFromAssemblyPath(powerShellReferenceAssembly);
            return new CmdletMetadata(context, cmdletAssembly, moduleAssemblies, powerShellAssembly);
        }

        private static bool IsManagedAssembly(string path)
        {
            try
            {
                AssemblyName.GetAssemblyName(path);
                return true;
            }
            catch (BadImageFormatException)
            {
                return false;
            }
        }

        /// <summary>A public type of that full name in any of the module's assemblies, or null.</summary>
        public Type FindModuleType(string fullName)
            => ModuleAssemblies.Select(a => a.GetType(fullName, throwOnError: false)).FirstOrDefault(t => t != null && t.IsPublic);

        public CmdletDescription FindCmdlet(string name)
            => Cmdlets.SingleOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

        public static bool DerivesFrom(Type type, string baseTypeFullName)
        {
            for (var current = type.BaseType; current != null; current = current.BaseType)
                if (current.FullName == baseTypeFullName)
                    return true;
            return false;
        }

        /// <summary>A short type name as help pages show it: String, String[], SwitchParameter, Nullable[Int32].</summary>
        public static string DisplayName(Type type)
        {
            if (type.IsArray)
                return DisplayName(type.GetElementType()) + "[]";
            if (type.IsGenericType)
            {
                var name = type.Name.Substring(0, type.Name.IndexOf('`'));
                return name + "[" + string.Join(",", type.GetGenericArguments().Select(DisplayName)) + "]";
            }
            return type.Name;
        }

        private CmdletDescription DescribeCmdlet(Type type)
        {
            var cmdlet = FindAttribute(type.GetCustomAttributesData(), "CmdletAttribute");
            var outputTypes = FindAttributes(type.GetCustomAttributesData(), "OutputTypeAttribute")
                .SelectMany(DescribeOutputTypes)
                .ToList();
            var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Cast<MemberInfo>()
                .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance));
            var parameters = members
                .Select(DescribeParameter)
                .Where(p => p != null)
                .ToList();

            return new CmdletDescription(
                typeName: type.FullName,
                type: type,
                verb: (string)cmdlet.ConstructorArguments[0].Value,
                noun: (string)cmdlet.ConstructorArguments[1].Value,
                supportsShouldProcess: NamedArgument(cmdlet, "SupportsShouldProcess", false),
                confirmImpact: EnumName(cmdlet, "ConfirmImpact") ?? "Medium",
                defaultParameterSetName: NamedArgument<string>(cmdlet, "DefaultParameterSetName", null),
                outputTypes: outputTypes,
                parameters: parameters);
        }

        private IEnumerable<OutputTypeDescription> DescribeOutputTypes(CustomAttributeData outputType)
        {
            var sets = NamedArgument<IEnumerable<string>>(outputType, "ParameterSetName", null, StringArray)?.ToList() ?? new List<string> { AllParameterSets };
            foreach (var argument in outputType.ConstructorArguments)
            {
                foreach (var element in (IEnumerable<CustomAttributeTypedArgument>)argument.Value)
                {
                    if (element.Value is Type named)
                        yield return new OutputTypeDescription(named.FullName, named, sets);
                    else
                    {
                        var name = (string)element.Value;
                        yield return new OutputTypeDescription(name, FindModuleType(name), sets);
                    }
                }
            }
        }

        private static ParameterDescription DescribeParameter(MemberInfo member)
        {
            var attributes = member.GetCustomAttributesData();
            var parameterAttributes = FindAttributes(attributes, "ParameterAttribute").ToList();
            if (parameterAttributes.Count == 0)
                return null;

            var sets = parameterAttributes.Select(p => new ParameterSetDescription(
                name: NamedArgument(p, "ParameterSetName", AllParameterSets),
                mandatory: NamedArgument(p, "Mandatory", false),
                position: NamedArgument(p, "Position", int.MinValue) is var position && position == int.MinValue ? (int?)null : position,
                valueFromPipeline: NamedArgument(p, "ValueFromPipeline", false),
                valueFromPipelineByPropertyName: NamedArgument(p, "ValueFromPipelineByPropertyName", false),
                valueFromRemainingArguments: NamedArgument(p, "ValueFromRemainingArguments", false))).ToList();
            var aliases = FindAttributes(attributes, "AliasAttribute").SelectMany(a => StringArray(a.ConstructorArguments[0])).ToList();
            var validateSet = FindAttribute(attributes, "ValidateSetAttribute");
            var type = member is PropertyInfo property ? property.PropertyType : ((FieldInfo)member).FieldType;

            return new ParameterDescription(
                name: member.Name,
                type: type,
                declaringTypeName: member.DeclaringType.FullName,
                sets: sets,
                aliases: aliases,
                supportsWildcards: FindAttribute(attributes, "SupportsWildcardsAttribute") != null,
                validateSetValues: validateSet == null ? null : StringArray(validateSet.ConstructorArguments[0]).ToList());
        }

        private static CustomAttributeData FindAttribute(IEnumerable<CustomAttributeData> attributes, string powerShellAttributeName)
            => FindAttributes(attributes, powerShellAttributeName).SingleOrDefault();

        private static IEnumerable<CustomAttributeData> FindAttributes(IEnumerable<CustomAttributeData> attributes, string powerShellAttributeName)
            => attributes.Where(a => a.AttributeType.FullName == PowerShellNamespace + "." + powerShellAttributeName);

        private static T NamedArgument<T>(CustomAttributeData attribute, string name, T defaultValue)
            => NamedArgument(attribute, name, defaultValue, argument => (T)argument.Value);

        private static T NamedArgument<T>(CustomAttributeData attribute, string name, T defaultValue, Func<CustomAttributeTypedArgument, T> read)
        {
            foreach (var argument in attribute.NamedArguments)
                if (argument.MemberName == name)
                    return read(argument.TypedValue);
            return defaultValue;
        }

        /// <summary>The name of an enum-typed named argument (enums arrive as their underlying number in metadata).</summary>
        private static string EnumName(CustomAttributeData attribute, string name)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.MemberName != name)
                    continue;
                var enumType = argument.TypedValue.ArgumentType;
                var field = enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
                    .FirstOrDefault(f => Equals(Convert.ToInt64(f.GetRawConstantValue()), Convert.ToInt64(argument.TypedValue.Value)));
                return field?.Name ?? argument.TypedValue.Value.ToString();
            }
            return null;
        }

        /// <summary>A string or a string[] (params) argument as a list of strings.</summary>
        private static IEnumerable<string> StringArray(CustomAttributeTypedArgument argument)
        {
            if (argument.Value is string single)
                return new[] { single };
            if (argument.Value is IEnumerable<CustomAttributeTypedArgument> elements)
                return elements.Select(e => (string)e.Value).ToList();
            return Array.Empty<string>();
        }
    }

    /// <summary>One cmdlet as its [Cmdlet], [OutputType] and [Parameter] attributes declare it.</summary>
    public sealed class CmdletDescription
    {
        public CmdletDescription(string typeName, Type type, string verb, string noun, bool supportsShouldProcess, string confirmImpact,
            string defaultParameterSetName, IReadOnlyList<OutputTypeDescription> outputTypes, IReadOnlyList<ParameterDescription> parameters)
        {
            TypeName = typeName;
            Type = type;
            Verb = verb;
            Noun = noun;
            SupportsShouldProcess = supportsShouldProcess;
            ConfirmImpact = confirmImpact;
            DefaultParameterSetName = defaultParameterSetName;
            OutputTypes = outputTypes;
            Parameters = parameters;
        }

        /// <summary>The class's full name, such as S3Credentials.Commands.GetS3CallerIdentityCommand.</summary>
        public string TypeName { get; }
        /// <summary>The class, as a metadata-only type of the shared context.</summary>
        public Type Type { get; }
        public string Verb { get; }
        public string Noun { get; }
        public string Name => Verb + "-" + Noun;
        public bool SupportsShouldProcess { get; }
        /// <summary>None, Low, Medium or High; Medium when [Cmdlet] does not say (PowerShell's default).</summary>
        public string ConfirmImpact { get; }
        public string DefaultParameterSetName { get; }
        public IReadOnlyList<OutputTypeDescription> OutputTypes { get; }
        /// <summary>Every [Parameter] property or field, inherited ones (the base class's common parameters) included.</summary>
        public IReadOnlyList<ParameterDescription> Parameters { get; }

        public ParameterDescription FindParameter(string name)
            => Parameters.SingleOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>Every parameter set the cmdlet's parameters name (not the implicit all-sets one).</summary>
        public IReadOnlyList<string> ParameterSetNames
            => Parameters.SelectMany(p => p.Sets).Select(s => s.Name).Where(n => n != CmdletMetadata.AllParameterSets).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        public override string ToString() => Name;
    }

    /// <summary>One type named by an [OutputType] attribute. <see cref="Type"/> is null when a type named by string cannot be found.</summary>
    public sealed class OutputTypeDescription
    {
        public OutputTypeDescription(string typeName, Type type, IReadOnlyList<string> parameterSetNames)
        {
            TypeName = typeName;
            Type = type;
            ParameterSetNames = parameterSetNames;
        }

        public string TypeName { get; }
        public Type Type { get; }
        public IReadOnlyList<string> ParameterSetNames { get; }
        public override string ToString() => TypeName;
    }

    /// <summary>One cmdlet parameter: its [Parameter] attributes (one per set), [Alias], [SupportsWildcards] and [ValidateSet].</summary>
    public sealed class ParameterDescription
    {
        public ParameterDescription(string name, Type type, string declaringTypeName, IReadOnlyList<ParameterSetDescription> sets,
            IReadOnlyList<string> aliases, bool supportsWildcards, IReadOnlyList<string> validateSetValues)
        {
            Name = name;
            Type = type;
            DeclaringTypeName = declaringTypeName;
            Sets = sets;
            Aliases = aliases;
            SupportsWildcards = supportsWildcards;
            ValidateSetValues = validateSetValues;
        }

        public string Name { get; }
        public Type Type { get; }
        public string TypeName => Type.FullName;
        /// <summary>String, String[], SwitchParameter, PSObject... as help pages name it.</summary>
        public string TypeDisplayName => CmdletMetadata.DisplayName(Type);
        /// <summary>The class that declares the property: the cmdlet itself or its base class.</summary>
        public string DeclaringTypeName { get; }
        public IReadOnlyList<ParameterSetDescription> Sets { get; }
        public IReadOnlyList<string> Aliases { get; }
        public bool SupportsWildcards { get; }
        /// <summary>The allowed values of [ValidateSet], or null when the parameter has none.</summary>
        public IReadOnlyList<string> ValidateSetValues { get; }

        public bool IsSwitch => Type.FullName == CmdletMetadata.PowerShellNamespace + ".SwitchParameter";
        public bool IsInAllSets => Sets.Any(s => s.Name == CmdletMetadata.AllParameterSets);
        public override string ToString() => Name;
    }

    /// <summary>How a parameter behaves in one parameter set (one [Parameter] attribute).</summary>
    public sealed class ParameterSetDescription
    {
        public ParameterSetDescription(string name, bool mandatory, int? position, bool valueFromPipeline, bool valueFromPipelineByPropertyName, bool valueFromRemainingArguments)
        {
            Name = name;
            Mandatory = mandatory;
            Position = position;
            ValueFromPipeline = valueFromPipeline;
            ValueFromPipelineByPropertyName = valueFromPipelineByPropertyName;
            ValueFromRemainingArguments = valueFromRemainingArguments;
        }

        /// <summary>The set's name; <see cref="CmdletMetadata.AllParameterSets"/> when the attribute names none.</summary>
        public string Name { get; }
        public bool Mandatory { get; }
        /// <summary>The position, or null for a named-only parameter.</summary>
        public int? Position { get; }
        public bool ValueFromPipeline { get; }
        public bool ValueFromPipelineByPropertyName { get; }
        public bool ValueFromRemainingArguments { get; }
    }
}
