using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Module
{
    /// <summary>
    /// docs/ documents every cmdlet and every parameter the assembly has, and nothing it does not have; the build turns
    /// the pages into the MAML and about_ help in out/S3Credentials/en-US.
    /// </summary>
    public sealed class HelpTests
    {
        private const string MamlFileName = "S3Credentials.dll-Help.xml";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        private static readonly string[] PageSections = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

        private static CmdletMetadata Metadata => CmdletMetadata.Shared;
        private static string MamlPath => Path.Combine(TestPaths.ModuleHelpFolder, MamlFileName);

        [Fact]
        public void The_MAML_help_file_is_well_formed_MAML()
        {
            var maml = XDocument.Load(MamlPath);

            Assert.Equal("helpItems", maml.Root.Name.LocalName);
            Assert.Equal("maml", (string)maml.Root.Attribute("schema"));
            Assert.NotEmpty(maml.Root.Elements(Command + "command"));
        }

        [Fact]
        public void Every_cmdlet_has_a_page_and_a_MAML_command_and_every_page_a_cmdlet()
        {
            var maml = MamlCommands();
            var problems = new List<string>();
            foreach (var cmdlet in Metadata.Cmdlets)
            {
                if (!File.Exists(PagePath(cmdlet)))
                    problems.Add($"{cmdlet.Name} has no docs/{cmdlet.Name}.md.");
                if (!maml.ContainsKey(cmdlet.Name))
                    problems.Add($"{cmdlet.Name} has no command in {MamlFileName}.");
            }
            foreach (var page in CommandPagePaths().Select(Path.GetFileNameWithoutExtension))
                if (Metadata.FindCmdlet(page) == null)
                    problems.Add($"docs/{page}.md documents a cmdlet the assembly does not have.");
            foreach (var name in maml.Keys)
                if (Metadata.FindCmdlet(name) == null)
                    problems.Add($"{MamlFileName} documents {name}, which the assembly does not have.");
            AssertNoProblems(problems);
        }

        [Fact]
        public void Pages_have_the_platyPS_layout()
        {
            var problems = new List<string>();
            foreach (var cmdlet in DocumentedCmdlets())
            {
                var page = MarkdownHelpPage.Read(PagePath(cmdlet));
                var file = $"docs/{cmdlet.Name}.md";
                if (page.FrontMatter.GetValueOrDefault("external help file") != MamlFileName)
                    problems.Add($"{file}: front matter must say 'external help file: {MamlFileName}'.");
                if (page.FrontMatter.GetValueOrDefault("Module Name") != "S3Credentials")
                    problems.Add($"{file}: front matter must say 'Module Name: S3Credentials'.");
                if (page.Title != cmdlet.Name)
                    problems.Add($"{file}: the title must be '# {cmdlet.Name}'.");
                var sections = page.Sections.Select(s => s.Title).ToList();
                if (!sections.SequenceEqual(PageSections))
                    problems.Add($"{file}: the ## sections must be {string.Join(", ", PageSections)} in that order (found {string.Join(", ", sections)}).");
                if (string.IsNullOrWhiteSpace(page.Section("SYNOPSIS")?.Text))
                    problems.Add($"{file}: SYNOPSIS is empty.");
                if (string.IsNullOrWhiteSpace(page.Section("DESCRIPTION")?.Text))
                    problems.Add($"{file}: DESCRIPTION is empty.");
                var syntax = page.Section("SYNTAX")?.CodeBlocks.FirstOrDefault(c => c.Language == "powershell");
                if (syntax == null || !syntax.Code.TrimStart().StartsWith(cmdlet.Name + " ", StringComparison.Ordinal))
                    problems.Add($"{file}: SYNTAX needs a ```powershell block starting with {cmdlet.Name}.");
                foreach (var type in page.Section("OUTPUTS")?.Children.Select(c => c.Title) ?? Enumerable.Empty<string>())
                    if (!cmdlet.OutputTypes.Any(o => o.TypeName == type))
                        problems.Add($"{file}: OUTPUTS names {type}, which is not an [OutputType] of the cmdlet.");
                foreach (var output in cmdlet.OutputTypes)
                    if (page.Section("OUTPUTS")?.Children.Any(c => c.Title == output.TypeName) != true)
                        problems.Add($"{file}: OUTPUTS needs '### {output.TypeName}'.");
                if (page.Section("INPUTS")?.Children.Count is null or 0)
                    problems.Add($"{file}: INPUTS needs a ### heading per input type ('### None' when nothing can be piped).");
            }
            AssertNoProblems(problems);
        }

        [Fact]
        public void Every_page_has_at_least_two_examples_with_code_and_the_MAML_has_them_too()
        {
            var maml = MamlCommands();
            var problems = new List<string>();
            foreach (var cmdlet in DocumentedCmdlets())
            {
                var examples = MarkdownHelpPage.Read(PagePath(cmdlet)).Section("EXAMPLES")?.Children ?? new List<MarkdownSection>();
                if (examples.Count < 2)
                    problems.Add($"docs/{cmdlet.Name}.md has {examples.Count} example(s); at least 2 are needed.");
                foreach (var example in examples)
                {
                    if (!Regex.IsMatch(example.Title, @"^Example \d+: \S"))
                        problems.Add($"docs/{cmdlet.Name}.md: '### {example.Title}' should read '### Example N: what it shows'.");
                    if (!example.CodeBlocks.Any(c => c.Language == "powershell" && c.Code.Contains(cmdlet.Name, StringComparison.OrdinalIgnoreCase)))
                        problems.Add($"docs/{cmdlet.Name}.md: {example.Title} needs a ```powershell block that runs {cmdlet.Name}.");
                    if (example.TextLines.Count == 0)
                        problems.Add($"docs/{cmdlet.Name}.md: {example.Title} needs a sentence explaining it.");
                }
                if (maml.TryGetValue(cmdlet.Name, out var command))
                {
                    var mamlExamples = command.Elements(Command + "examples").Elements(Command + "example").ToList();
                    if (mamlExamples.Count != examples.Count)
                        problems.Add($"{MamlFileName}: {cmdlet.Name} has {mamlExamples.Count} examples, its page {examples.Count}.");
                    if (mamlExamples.Any(e => string.IsNullOrWhiteSpace((string)e.Element(Dev + "code"))))
                        problems.Add($"{MamlFileName}: an example of {cmdlet.Name} has no code.");
                }
            }
            AssertNoProblems(problems);
        }

        [Fact]
        public void Every_parameter_is_documented_in_the_page_and_the_MAML()
        {
            var maml = MamlCommands();
            var problems = new List<string>();
            foreach (var cmdlet in DocumentedCmdlets())
            {
                var documented = DocumentedParameters(cmdlet);
                var mamlParameters = maml.TryGetValue(cmdlet.Name, out var command) ? MamlParameterNames(command) : new HashSet<string>();
                foreach (var parameter in cmdlet.Parameters.Where(p => !PowerShellConventions.IsPowerShellCommonParameter(p.Name)))
                {
                    if (!documented.ContainsKey(parameter.Name))
                        problems.Add($"docs/{cmdlet.Name}.md does not document -{parameter.Name} (### -{parameter.Name}).");
                    else if (documented[parameter.Name].TextLines.Count == 0)
                        problems.Add($"docs/{cmdlet.Name}.md: -{parameter.Name} has no description.");
                    if (!mamlParameters.Contains(parameter.Name))
                        problems.Add($"{MamlFileName}: {cmdlet.Name} does not document -{parameter.Name}.");
                }
            }
            AssertNoProblems(problems);
        }

        [Fact]
        public void Documented_parameters_are_true_to_the_code()
        {
            var maml = MamlCommands();
            var problems = new List<string>();
            foreach (var cmdlet in DocumentedCmdlets())
            {
                var file = $"docs/{cmdlet.Name}.md";
                foreach (var (name, section) in DocumentedParameters(cmdlet))
                {
                    var parameter = cmdlet.FindParameter(name);
                    if (parameter == null)
                    {
                        if (!IsShouldProcessParameterOf(cmdlet, name))
                            problems.Add($"{file} documents -{name}, which {cmdlet.Name} does not have.");
                        continue;
                    }
                    problems.AddRange(CompareYaml(file, cmdlet, parameter, section));
                }

                var syntax = MarkdownHelpPage.Read(PagePath(cmdlet)).Section("SYNTAX")?.CodeBlocks.FirstOrDefault()?.Code ?? "";
                var inSyntax = Regex.Matches(syntax, @"(?<=[\s\[])-(\w+)").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var name in inSyntax.Where(n => cmdlet.FindParameter(n) == null && !IsShouldProcessParameterOf(cmdlet, n)))
                    problems.Add($"{file}: SYNTAX shows -{name}, which {cmdlet.Name} does not have.");
                foreach (var parameter in cmdlet.Parameters.Where(p => !inSyntax.Contains(p.Name)))
                    problems.Add($"{file}: SYNTAX does not show -{parameter.Name}.");

                if (maml.TryGetValue(cmdlet.Name, out var command))
                    foreach (var name in MamlParameterNames(command).Where(n => cmdlet.FindParameter(n) == null && !IsShouldProcessParameterOf(cmdlet, n)))
                        problems.Add($"{MamlFileName}: {cmdlet.Name} documents -{name}, which it does not have.");
            }
            AssertNoProblems(problems);
        }

        [Fact]
        public void The_MAML_says_what_the_pages_and_the_code_say()
        {
            var maml = MamlCommands();
            var problems = new List<string>();
            void Expect(string expected, string actual, string what)
            {
                if (expected != actual)
                    problems.Add($"{MamlFileName}: {what} is '{actual}', expected '{expected}'.");
            }

            foreach (var cmdlet in DocumentedCmdlets().Where(c => maml.ContainsKey(c.Name)))
            {
                var page = MarkdownHelpPage.Read(PagePath(cmdlet));
                var command = maml[cmdlet.Name];
                var details = command.Element(Command + "details");
                Expect(cmdlet.Verb, (string)details.Element(Command + "verb"), $"{cmdlet.Name}'s verb");
                Expect(cmdlet.Noun, (string)details.Element(Command + "noun"), $"{cmdlet.Name}'s noun");
                Expect(page.Section("SYNOPSIS")?.Text, string.Join(" ", details.Element(Maml + "description").Elements(Maml + "para").Select(p => p.Value)), $"{cmdlet.Name}'s synopsis");
                if (!command.Element(Maml + "description").Elements(Maml + "para").Any(p => p.Value.Length > 0))
                    problems.Add($"{MamlFileName}: {cmdlet.Name} has no description.");
                if (!command.Element(Command + "syntax").Elements(Command + "syntaxItem").Any())
                    problems.Add($"{MamlFileName}: {cmdlet.Name} has no syntax item.");
                Expect(string.Join(", ", cmdlet.OutputTypes.Select(o => o.TypeName)),
                    string.Join(", ", command.Element(Command + "returnValues").Elements(Command + "returnValue").Select(r => (string)r.Element(Dev + "type").Element(Maml + "name"))),
                    $"{cmdlet.Name}'s return values");

                var mamlParameters = command.Element(Command + "parameters").Elements(Command + "parameter")
                    .ToDictionary(p => (string)p.Element(Maml + "name"), StringComparer.OrdinalIgnoreCase);
                foreach (var parameter in cmdlet.Parameters.Where(p => mamlParameters.ContainsKey(p.Name)))
                {
                    var documented = mamlParameters[parameter.Name];
                    var what = $"{cmdlet.Name} -{parameter.Name}";
                    Expect(parameter.Sets.Any(s => s.Mandatory) ? "true" : "false", (string)documented.Attribute("required"), what + " required");
                    Expect(parameter.SupportsWildcards ? "true" : "false", (string)documented.Attribute("globbing"), what + " globbing");
                    Expect(parameter.TypeDisplayName, (string)documented.Element(Dev + "type")?.Element(Maml + "name"), what + " type");
                    Expect(parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases), (string)documented.Attribute("aliases"), what + " aliases");
                }
            }
            AssertNoProblems(problems);
        }

        [Fact]
        public void No_cmdlet_has_an_online_help_link()
        {
            // The project has no public home: Get-Help -Online must say so rather than open someone else's page (it
            // takes the first related link with a uri), and no page may name an online version.
            var problems = new List<string>();
            foreach (var cmdlet in DocumentedCmdlets())
            {
                var onlineVersion = MarkdownHelpPage.Read(PagePath(cmdlet)).FrontMatter.GetValueOrDefault("online version");
                if (!string.IsNullOrWhiteSpace(onlineVersion))
                    problems.Add($"docs/{cmdlet.Name}.md: 'online version: {onlineVersion}' would be its online help.");
            }
            foreach (var (name, command) in MamlCommands())
                foreach (var uri in command.Descendants(Maml + "navigationLink").Select(l => (string)l.Element(Maml + "uri")).Where(u => !string.IsNullOrEmpty(u)))
                    problems.Add($"{MamlFileName}: {name} has the related link {uri}, which Get-Help -Online would open as its own page.");
            AssertNoProblems(problems);
        }

        [Fact]
        public void Every_about_topic_is_in_the_module_folder_as_text()
        {
            var aboutPages = Directory.GetFiles(TestPaths.DocsFolder, "about_*.md");
            Assert.Contains(aboutPages, p => Path.GetFileName(p) == "about_S3Credentials.md");
            foreach (var page in aboutPages)
            {
                var topic = Path.GetFileNameWithoutExtension(page);
                var helpText = Path.Combine(TestPaths.ModuleHelpFolder, topic + ".help.txt");
                Assert.True(File.Exists(helpText), $"{topic}.help.txt is missing from out/S3Credentials/en-US.");
                var lines = File.ReadAllLines(helpText);
                Assert.Equal(new[] { "TOPIC", "    " + topic }, lines.Take(2));
                Assert.DoesNotContain(lines, l => l.StartsWith("#", StringComparison.Ordinal) || l.Contains("```", StringComparison.Ordinal));
            }
        }

        /// <summary>The yaml block(s) of a ### -Name section against the parameter's attributes, set by set.</summary>
        private static IEnumerable<string> CompareYaml(string file, CmdletDescription cmdlet, ParameterDescription parameter, MarkdownSection section)
        {
            var where = $"{file}, -{parameter.Name}";
            if (section.YamlBlocks.Count == 0)
            {
                yield return $"{where}: no ```yaml block.";
                yield break;
            }
            var coveredSets = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var yaml in section.YamlBlocks)
            {
                if (yaml.GetValueOrDefault("Type") != parameter.TypeDisplayName)
                    yield return $"{where}: Type is '{yaml.GetValueOrDefault("Type")}', the code says {parameter.TypeDisplayName}.";
                var aliases = SplitList(yaml.GetValueOrDefault("Aliases"));
                if (!aliases.SetEquals(parameter.Aliases))
                    yield return $"{where}: Aliases are '{yaml.GetValueOrDefault("Aliases")}', the code says '{string.Join(", ", parameter.Aliases)}'.";
                if (yaml.GetValueOrDefault("Accept wildcard characters") != (parameter.SupportsWildcards ? "True" : "False"))
                    yield return $"{where}: 'Accept wildcard characters' must be {(parameter.SupportsWildcards ? "True" : "False")}.";
                var acceptedValues = SplitList(yaml.GetValueOrDefault("Accepted values"));
                if (!acceptedValues.SetEquals(parameter.ValidateSetValues ?? Array.Empty<string>()))
                    yield return $"{where}: 'Accepted values' must be the [ValidateSet] values '{string.Join(", ", parameter.ValidateSetValues ?? Array.Empty<string>())}'.";

                var setNames = yaml.GetValueOrDefault("Parameter Sets") ?? "";
                var sets = setNames == "(All)"
                    ? parameter.Sets
                    : SplitList(setNames).Select(name => parameter.Sets.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
                                                         ?? parameter.Sets.FirstOrDefault(s => s.Name == CmdletMetadata.AllParameterSets)).ToList();
                if (setNames == "(All)" && !parameter.IsInAllSets)
                    yield return $"{where}: 'Parameter Sets: (All)', but the parameter is only in {string.Join(", ", parameter.Sets.Select(s => s.Name))}.";
                if (setNames != "(All)" && parameter.IsInAllSets)
                    yield return $"{where}: the parameter is in every set: write 'Parameter Sets: (All)'.";
                if (sets.Any(s => s == null))
                {
                    yield return $"{where}: 'Parameter Sets: {setNames}' names a set the parameter is not in.";
                    continue;
                }
                foreach (var set in sets)
                {
                    coveredSets.Add(set.Name);
                    if (yaml.GetValueOrDefault("Required") != (set.Mandatory ? "True" : "False"))
                        yield return $"{where}: Required must be {(set.Mandatory ? "True" : "False")} in set {set.Name}.";
                    if (yaml.GetValueOrDefault("Position") != (set.Position?.ToString() ?? "Named"))
                        yield return $"{where}: Position must be {set.Position?.ToString() ?? "Named"} in set {set.Name}.";
                    if (yaml.GetValueOrDefault("Accept pipeline input") != PipelineInput(set))
                        yield return $"{where}: 'Accept pipeline input' must be '{PipelineInput(set)}' in set {set.Name}.";
                }
            }
            foreach (var set in parameter.Sets.Where(s => !coveredSets.Contains(s.Name) && !parameter.IsInAllSets))
                yield return $"{where}: no yaml block covers parameter set {set.Name}.";
        }

        /// <summary>platyPS's wording for how a parameter takes pipeline input.</summary>
        private static string PipelineInput(ParameterSetDescription set)
        {
            if (set.ValueFromPipeline && set.ValueFromPipelineByPropertyName) return "True (ByPropertyName, ByValue)";
            if (set.ValueFromPipeline) return "True (ByValue)";
            if (set.ValueFromPipelineByPropertyName) return "True (ByPropertyName)";
            return "False";
        }

        private static HashSet<string> SplitList(string value)
            => (value ?? "").Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);

        private static bool IsShouldProcessParameterOf(CmdletDescription cmdlet, string name)
            => cmdlet.SupportsShouldProcess && PowerShellConventions.ShouldProcessParameters.Contains(name, StringComparer.OrdinalIgnoreCase);

        /// <summary>The page's ### -Name sections by parameter name (### CommonParameters is not one).</summary>
        private static Dictionary<string, MarkdownSection> DocumentedParameters(CmdletDescription cmdlet)
        {
            var sections = MarkdownHelpPage.Read(PagePath(cmdlet)).Section("PARAMETERS")?.Children ?? new List<MarkdownSection>();
            var documented = new Dictionary<string, MarkdownSection>(StringComparer.OrdinalIgnoreCase);
            foreach (var section in sections.Where(s => s.Title.StartsWith("-", StringComparison.Ordinal)))
                documented[section.Title.Substring(1)] = section;
            return documented;
        }

        private static IEnumerable<CmdletDescription> DocumentedCmdlets()
        {
            var documented = Metadata.Cmdlets.Where(c => File.Exists(PagePath(c))).ToList();
            Assert.NotEmpty(documented);
            return documented;
        }

        private static string PagePath(CmdletDescription cmdlet) => Path.Combine(TestPaths.DocsFolder, cmdlet.Name + ".md");

        private static IEnumerable<string> CommandPagePaths()
            => Directory.GetFiles(TestPaths.DocsFolder, "*-*.md").Where(p => !Path.GetFileName(p).StartsWith("about_", StringComparison.OrdinalIgnoreCase));

        private static Dictionary<string, XElement> MamlCommands()
            => XDocument.Load(MamlPath).Root.Elements(Command + "command")
                .ToDictionary(c => (string)c.Element(Command + "details").Element(Command + "name"), StringComparer.OrdinalIgnoreCase);

        private static HashSet<string> MamlParameterNames(XElement command)
            => command.Elements(Command + "parameters").Elements(Command + "parameter").Select(p => (string)p.Element(Maml + "name")).ToHashSet(StringComparer.OrdinalIgnoreCase);

        private static void AssertNoProblems(IEnumerable<string> problems)
        {
            var found = problems.ToList();
            Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
        }
    }
}
