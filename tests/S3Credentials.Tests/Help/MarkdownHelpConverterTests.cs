using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using S3Credentials.HelpBuilder;
using S3Credentials.Tests.Infrastructure;
using Xunit;

namespace S3Credentials.Tests.Help
{
    /// <summary>
    /// The help builder (build/S3Credentials.HelpBuilder) the build runs on docs/: platyPS markdown in, MAML and
    /// about_ text out. Pages are written here, small, so that each rule of the conversion is seen on its own.
    /// </summary>
    public sealed class MarkdownHelpConverterTests
    {
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        private static string Yaml(string type, string sets, bool required, string position = "Named", string pipeline = "False", string aliases = "") => $@"```yaml
Type: {type}
Parameter Sets: {sets}
Aliases: {aliases}

Required: {(required ? "True" : "False")}
Position: {position}
Default value: None
Accept pipeline input: {pipeline}
Accept wildcard characters: False
```";

        private static readonly string Page = $@"---
external help file: S3Credentials.dll-Help.xml
Module Name: S3Credentials
---

# Get-Thing

## SYNOPSIS
Gets **things** from [the store](https://example.com/store) and [elsewhere](Other-Thing.md).

## SYNTAX

```powershell
Get-Thing [-Name] <String[]> [-Fast] [<CommonParameters>]

Get-Thing -Id <Int32> [<CommonParameters>]
```

## DESCRIPTION
The first paragraph,
over two lines.

The second `paragraph`.

## EXAMPLES

### Example 1: All things
```powershell
PS C:\> Get-Thing a, b
```

Gets two things.

## PARAMETERS

### -Fast
Quickly.

{Yaml("SwitchParameter", "ByName", false)}

### -Id
The id.

{Yaml("Int32", "ById", true)}

### -Name
The names.

{Yaml("String[]", "ByName", true, "0", "True (ByValue)", "N")}

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### System.String

## OUTPUTS

### System.Object

## NOTES
A note.

## RELATED LINKS

[Other-Thing](Other-Thing.md)
";

        private static (XElement Command, MarkdownHelpConverter Converter) Convert(string page, string file = "Get-Thing.md")
        {
            var converter = new MarkdownHelpConverter();
            var command = converter.ConvertCommandPage(file, page.Replace("\r\n", "\n").Split('\n'));
            return (command, converter);
        }

        [Fact]
        public void A_page_becomes_a_MAML_command_with_name_verb_noun_synopsis_and_description_paragraphs()
        {
            var (command, converter) = Convert(Page);

            Assert.Empty(converter.Errors);
            var details = command.Element(Command + "details");
            Assert.Equal("Get-Thing", details.Element(Command + "name").Value);
            Assert.Equal("Get", details.Element(Command + "verb").Value);
            Assert.Equal("Thing", details.Element(Command + "noun").Value);
            Assert.Equal("Gets things from the store (https://example.com/store) and elsewhere.", details.Element(Maml + "description").Value);
            var paragraphs = command.Element(Maml + "description").Elements(Maml + "para").Select(p => p.Value).ToList();
            Assert.Equal(new[] { "The first paragraph, over two lines.", "The second paragraph." }, paragraphs);
        }

        [Fact]
        public void Each_parameter_set_named_in_the_yaml_becomes_a_syntax_item_holding_only_its_parameters()
        {
            var (command, _) = Convert(Page);

            var items = command.Element(Command + "syntax").Elements(Command + "syntaxItem")
                .Select(item => item.Elements(Command + "parameter").Select(p => p.Element(Maml + "name").Value).ToList())
                .ToList();
            Assert.Equal(2, items.Count);
            Assert.Contains(items, names => names.SequenceEqual(new[] { "Fast", "Name" }));
            Assert.Contains(items, names => names.SequenceEqual(new[] { "Id" }));
        }

        [Fact]
        public void A_parameter_carries_its_description_type_position_pipeline_input_aliases_and_whether_it_is_required()
        {
            var (command, _) = Convert(Page);

            var name = command.Element(Command + "parameters").Elements(Command + "parameter").Single(p => p.Element(Maml + "name").Value == "Name");
            Assert.Equal("true", name.Attribute("required").Value);
            Assert.Equal("0", name.Attribute("position").Value);
            Assert.Equal("True (ByValue)", name.Attribute("pipelineInput").Value);
            Assert.Equal("N", name.Attribute("aliases").Value);
            Assert.Equal("The names.", name.Element(Maml + "description").Value);
            Assert.Equal("String[]", name.Element(Dev + "type").Element(Maml + "name").Value);
            var fast = command.Element(Command + "parameters").Elements(Command + "parameter").Single(p => p.Element(Maml + "name").Value == "Fast");
            Assert.Equal("false", fast.Attribute("required").Value);
            Assert.Equal("named", fast.Attribute("position").Value);
            Assert.Null(fast.Element(Command + "parameterValue"));
        }

        [Fact]
        public void An_example_keeps_its_title_code_and_remarks_and_the_page_its_inputs_outputs_notes_and_links()
        {
            var (command, _) = Convert(Page);

            var example = command.Element(Command + "examples").Elements(Command + "example").Single();
            Assert.Equal("---------- Example 1: All things ----------", example.Element(Maml + "title").Value);
            Assert.Equal(@"PS C:\> Get-Thing a, b", example.Element(Dev + "code").Value);
            Assert.Equal("Gets two things.", example.Element(Dev + "remarks").Value);
            Assert.Equal("System.String", command.Element(Command + "inputTypes").Element(Command + "inputType").Element(Dev + "type").Element(Maml + "name").Value);
            Assert.Equal("System.Object", command.Element(Command + "returnValues").Element(Command + "returnValue").Element(Dev + "type").Element(Maml + "name").Value);
            Assert.Equal("A note.", command.Element(Maml + "alertSet").Element(Maml + "alert").Value);
            Assert.Equal("Other-Thing", command.Element(Maml + "relatedLinks").Element(Maml + "navigationLink").Element(Maml + "linkText").Value);
        }

        [Fact]
        public void A_page_named_after_another_cmdlet_a_parameter_without_yaml_and_an_example_without_code_are_errors_with_their_lines()
        {
            var (command, converter) = Convert(Page, "Get-Other.md");
            Assert.Null(command);
            var title = Assert.Single(converter.Errors);
            Assert.Equal(6, title.Line);
            Assert.Contains("'# Get-Other'", title.Message);
            Assert.Equal("Get-Other.md(6): error HELP001: " + title.Message, title.ToString());

            var broken = Page.Replace(Yaml("Int32", "ById", true), "No yaml here.").Replace("```powershell\nPS C:\\> Get-Thing a, b\n```", "No code.");
            var (_, brokenConverter) = Convert(broken);
            Assert.Equal(2, brokenConverter.Errors.Count);
            Assert.Contains(brokenConverter.Errors, e => e.Message.Contains("### -Id needs a ```yaml block"));
            Assert.Contains(brokenConverter.Errors, e => e.Message.Contains("### Example 1: All things has no code block"));
        }

        [Fact]
        public void Nothing_is_written_while_a_page_has_an_error()
        {
            var folder = Path.Combine(Path.GetTempPath(), "s3cred-help-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                var page = Path.Combine(folder, "Get-Other.md");
                File.WriteAllText(page, Page);
                var maml = Path.Combine(folder, "out", "help.xml");
                var converter = new MarkdownHelpConverter();

                Assert.False(converter.Write(new[] { page }, Array.Empty<string>(), maml, Path.Combine(folder, "out")));
                Assert.False(File.Exists(maml));
                Assert.NotEmpty(converter.Errors);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        [Fact]
        public void An_about_page_becomes_text_with_a_TOPIC_upper_case_sections_and_lines_of_at_most_80_columns()
        {
            var words = string.Join(" ", Enumerable.Repeat("word", 40));
            var text = MarkdownHelpConverter.ConvertAboutPage(new[]
            {
                "# about_Things", "", "## Short description", words, "", "- one item", "- another", "", "```powershell", "Get-Thing", "```",
            });

            var lines = text.TrimEnd('\n').Split('\n');
            Assert.Equal("TOPIC", lines[0]);
            Assert.Equal("    about_Things", lines[1]);
            Assert.Contains("SHORT DESCRIPTION", lines);
            Assert.All(lines, line => Assert.True(line.Length <= 80, $"'{line}' is {line.Length} columns"));
            Assert.Contains("    - one item", lines);
            Assert.Contains("        Get-Thing", lines);
            Assert.Equal(40, text.Split(new[] { "word" }, StringSplitOptions.None).Length - 1);
        }

        [Fact]
        public void The_projects_own_pages_convert_without_an_error_one_command_per_page()
        {
            var docs = Path.Combine(TestPaths.RepoRoot, "docs");
            var pages = Directory.GetFiles(docs, "*-*.md");
            var converter = new MarkdownHelpConverter();

            var maml = converter.ConvertCommandPages(pages);

            Assert.Empty(converter.Errors);
            Assert.Equal(pages.Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, StringComparer.Ordinal),
                maml.Root.Elements(Command + "command").Select(c => c.Element(Command + "details").Element(Command + "name").Value));
        }
    }
}
