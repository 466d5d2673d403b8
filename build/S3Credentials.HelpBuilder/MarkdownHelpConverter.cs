using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace S3Credentials.HelpBuilder;

/// <summary>A problem in a page, where it is: written as an MSBuild error line (path(line): error HELP001: message).</summary>
public sealed class HelpError
{
    public HelpError(string path, int line, string message)
    {
        Path = path;
        Line = line;
        Message = message;
    }

    public string Path { get; }
    public int Line { get; }
    public string Message { get; }

    public override string ToString() => $"{Path}({Line}): error HELP001: {Message}";
}

/// <summary>
/// Converts platyPS-layout markdown cmdlet pages to one MAML help file, and about_ pages to plain-text help. The build
/// runs it through Program (build/MamlHelp.targets); tests call it directly.
/// </summary>
public sealed class MarkdownHelpConverter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";
    private static readonly Regex Link = new Regex(@"\[([^\]]+)\]\(([^)\s]*)\)");
    private const int TextWidth = 80;

    /// <summary>What the pages converted so far got wrong; nothing is written while there is any.</summary>
    public List<HelpError> Errors { get; } = new List<HelpError>();

    /// <summary>
    /// Writes the MAML file of the command pages and a .help.txt per about_ page into aboutFolder. False, with
    /// <see cref="Errors"/> filled and nothing written, when a page is not in the expected layout.
    /// </summary>
    public bool Write(IEnumerable<string> commandPages, IEnumerable<string> aboutPages, string mamlFile, string aboutFolder)
    {
        var maml = ConvertCommandPages(commandPages);
        if (Errors.Count > 0)
            return false;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(mamlFile)));
        using (var writer = XmlWriter.Create(mamlFile, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
            maml.Save(writer);

        Directory.CreateDirectory(aboutFolder);
        foreach (var path in aboutPages)
        {
            var target = Path.Combine(aboutFolder, Path.GetFileNameWithoutExtension(path) + ".help.txt");
            File.WriteAllText(target, ConvertAboutPage(File.ReadAllLines(path)), new UTF8Encoding(true));
        }
        return true;
    }

    /// <summary>One MAML document holding a command per page, in the order of the pages' paths.</summary>
    public XDocument ConvertCommandPages(IEnumerable<string> paths)
    {
        var commands = new List<XElement>();
        foreach (var path in paths.Select(Path.GetFullPath).OrderBy(p => p, StringComparer.Ordinal))
        {
            var command = ConvertCommandPage(path, File.ReadAllLines(path));
            if (command != null)
                commands.Add(command);
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands));
    }

    /// <summary>An about_ page as PowerShell's plain-text help: TOPIC, upper-case sections, text wrapped at 80 columns.</summary>
    public static string ConvertAboutPage(string[] lines) => ConvertAboutPage(Markdown.Parse(lines));

    // ---- Cmdlet pages -> MAML ----

    /// <summary>A cmdlet page (named Verb-Noun.md after its cmdlet) as a MAML command; null, with an error, when it cannot be.</summary>
    public XElement ConvertCommandPage(string path, string[] lines)
    {
        var page = Markdown.Parse(lines);
        var title = page.Blocks.FirstOrDefault(b => b.Kind == BlockKind.Heading && b.Level == 1);
        var expectedName = Path.GetFileNameWithoutExtension(path);
        if (title == null || title.Text != expectedName)
        {
            Error(path, title?.Line ?? 1, "the page must start with '# " + expectedName + "', the cmdlet name its file is named after");
            return null;
        }
        var name = title.Text;
        var sections = page.Sections(2);

        var synopsis = SectionParagraphs(sections, "SYNOPSIS");
        if (synopsis.Count == 0)
            Error(path, Math.Max(Section(sections, "SYNOPSIS").Line, title.Line), "## SYNOPSIS is missing or empty");

        var parameters = new List<HelpParameter>();
        foreach (var section in Section(sections, "PARAMETERS").SubSections(3))
        {
            if (!section.Title.StartsWith("-", StringComparison.Ordinal))
                continue; // ### CommonParameters
            var yaml = section.Blocks.Where(b => b.Kind == BlockKind.Code && b.Language == "yaml").Select(b => ParseYaml(b.Lines)).ToList();
            if (yaml.Count == 0 || yaml.Any(y => !y.ContainsKey("Type")))
            {
                Error(path, section.Line, "### " + section.Title + " needs a ```yaml block with at least Type, Parameter Sets, Required and Position");
                continue;
            }
            parameters.Add(new HelpParameter(section.Title.Substring(1), ParagraphTexts(section.Blocks), yaml));
        }

        var examples = new List<XElement>();
        foreach (var example in Section(sections, "EXAMPLES").SubSections(3))
        {
            var code = example.Blocks.Where(b => b.Kind == BlockKind.Code).Select(b => string.Join("\n", b.Lines)).ToList();
            if (code.Count == 0)
                Error(path, example.Line, "### " + example.Title + " has no code block");
            examples.Add(new XElement(Command + "example",
                new XElement(Maml + "title", "---------- " + example.Title + " ----------"),
                new XElement(Dev + "code", string.Join("\n\n", code)),
                new XElement(Dev + "remarks", ParaElements(ParagraphTexts(example.Blocks.Where(b => b.Kind != BlockKind.Code))))));
        }

        var dash = name.IndexOf('-');
        return new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
            new XElement(Command + "details",
                new XElement(Command + "name", name),
                new XElement(Command + "verb", dash > 0 ? name.Substring(0, dash) : name),
                new XElement(Command + "noun", dash > 0 ? name.Substring(dash + 1) : ""),
                new XElement(Maml + "description", ParaElements(synopsis))),
            new XElement(Maml + "description", ParaElements(SectionParagraphs(sections, "DESCRIPTION"))),
            new XElement(Command + "syntax", SyntaxItems(name, parameters)),
            new XElement(Command + "parameters", parameters.Select(p => ParameterElement(p, null))),
            new XElement(Command + "inputTypes", TypeSections(sections, "INPUTS").Select(t =>
                new XElement(Command + "inputType", TypeElement(t.Title), new XElement(Maml + "description", ParaElements(ParagraphTexts(t.Blocks)))))),
            new XElement(Command + "returnValues", TypeSections(sections, "OUTPUTS").Select(t =>
                new XElement(Command + "returnValue", TypeElement(t.Title), new XElement(Maml + "description", ParaElements(ParagraphTexts(t.Blocks)))))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", ParaElements(SectionParagraphs(sections, "NOTES")))),
            new XElement(Command + "examples", examples),
            new XElement(Maml + "relatedLinks", RelatedLinks(Section(sections, "RELATED LINKS"))));
    }

    /// <summary>One syntax item per parameter set named in the pages' yaml; one in all when no set is named.</summary>
    private static IEnumerable<XElement> SyntaxItems(string name, List<HelpParameter> parameters)
    {
        var setNames = parameters.SelectMany(p => p.SetNames).Where(s => s != "(All)").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (setNames.Count == 0)
            setNames.Add(null);
        foreach (var set in setNames)
            yield return new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", name),
                parameters.Where(p => set == null || p.IsIn(set)).Select(p => ParameterElement(p, set)));
    }

    private static XElement ParameterElement(HelpParameter parameter, string set)
    {
        var yaml = parameter.YamlFor(set);
        var type = Value(yaml, "Type");
        var isSwitch = type == "SwitchParameter";
        var position = Value(yaml, "Position");
        var aliases = Value(yaml, "Aliases");
        var acceptedValues = Value(yaml, "Accepted values");
        return new XElement(Command + "parameter",
            new XAttribute("required", Bool(Value(yaml, "Required"))),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", Bool(Value(yaml, "Accept wildcard characters"))),
            new XAttribute("pipelineInput", string.IsNullOrEmpty(Value(yaml, "Accept pipeline input")) ? "False" : Value(yaml, "Accept pipeline input")),
            new XAttribute("position", string.IsNullOrEmpty(position) || position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position),
            new XAttribute("aliases", string.IsNullOrEmpty(aliases) ? "none" : aliases),
            new XElement(Maml + "name", parameter.Name),
            new XElement(Maml + "description", ParaElements(parameter.Description)),
            string.IsNullOrEmpty(acceptedValues) ? null : new XElement(Command + "parameterValueGroup",
                acceptedValues.Split(',').Select(v => new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v.Trim()))),
            isSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), type),
            TypeElement(type),
            new XElement(Dev + "defaultValue", string.IsNullOrEmpty(Value(yaml, "Default value")) ? "None" : Value(yaml, "Default value")));
    }

    private static XElement TypeElement(string typeName)
        => new XElement(Dev + "type", new XElement(Maml + "name", typeName), new XElement(Maml + "uri"));

    private static IEnumerable<XElement> RelatedLinks(MarkdownSection section)
    {
        foreach (var block in section.Blocks.Where(b => b.Kind != BlockKind.Code))
            foreach (Match link in Link.Matches(string.Join(" ", block.Lines)))
            {
                // No link is an online link: Get-Help -Online (and Get-Command's HelpUri) take the first navigationLink
                // with a uri as the command's own online page, and no page of AWS's is. A web address stays readable
                // in the link's text; the uri is always empty, so -Online says there is no online help.
                var uri = link.Groups[2].Value;
                var isWebLink = uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
                yield return new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", isWebLink ? link.Groups[1].Value + ": " + uri : link.Groups[1].Value),
                    new XElement(Maml + "uri", ""));
            }
    }

    private static IEnumerable<MarkdownSection> TypeSections(List<MarkdownSection> sections, string title)
        => Section(sections, title).SubSections(3);

    private static MarkdownSection Section(List<MarkdownSection> sections, string title)
        => sections.FirstOrDefault(s => string.Equals(s.Title, title, StringComparison.OrdinalIgnoreCase)) ?? new MarkdownSection(title, 0, new List<MarkdownBlock>());

    private static List<string> SectionParagraphs(List<MarkdownSection> sections, string title) => ParagraphTexts(Section(sections, title).Blocks);

    /// <summary>The text of a section's paragraphs, list items and tables, one entry per MAML paragraph (code blocks left out).</summary>
    private static List<string> ParagraphTexts(IEnumerable<MarkdownBlock> blocks)
        => blocks.Where(b => b.Kind == BlockKind.Paragraph || b.Kind == BlockKind.ListItem || b.Kind == BlockKind.Table)
                 .Select(b => b.Kind == BlockKind.Table ? string.Join("\n", b.Lines) : (b.Kind == BlockKind.ListItem ? "- " : "") + Plain(string.Join(" ", b.Lines)))
                 .ToList();

    private static IEnumerable<XElement> ParaElements(IEnumerable<string> paragraphs)
    {
        var list = paragraphs.ToList();
        if (list.Count == 0)
            list.Add("");
        return list.Select(p => new XElement(Maml + "para", p));
    }

    private static Dictionary<string, string> ParseYaml(List<string> lines)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
                values[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
        }
        return values;
    }

    private static string Value(Dictionary<string, string> yaml, string key) => yaml.TryGetValue(key, out var value) ? value : null;

    private static string Bool(string yamlValue) => string.Equals(yamlValue, "True", StringComparison.OrdinalIgnoreCase) ? "true" : "false";

    /// <summary>Markdown inline markup removed: `code`, **bold**, *emphasis*, and [text](link) as text (with the address when it is a web link).</summary>
    private static string Plain(string text)
    {
        text = Link.Replace(text, m => m.Groups[2].Value.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? m.Groups[1].Value + " (" + m.Groups[2].Value + ")" : m.Groups[1].Value);
        text = Regex.Replace(text, @"\*\*(.+?)\*\*", "$1");
        text = Regex.Replace(text, @"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", "$1");
        return text.Replace("`", "");
    }

    private void Error(string path, int line, string message) => Errors.Add(new HelpError(path, line, message));

    private sealed class HelpParameter
    {
        public HelpParameter(string name, List<string> description, List<Dictionary<string, string>> yaml)
        {
            Name = name;
            Description = description;
            Yaml = yaml;
        }

        public string Name { get; }
        public List<string> Description { get; }
        /// <summary>platyPS writes one yaml block per group of parameter sets in which the parameter behaves alike.</summary>
        public List<Dictionary<string, string>> Yaml { get; }

        public IEnumerable<string> SetNames => Yaml.SelectMany(y => SetsOf(y));

        public bool IsIn(string set) => SetNames.Any(s => s == "(All)" || string.Equals(s, set, StringComparison.OrdinalIgnoreCase));

        public Dictionary<string, string> YamlFor(string set)
            => Yaml.FirstOrDefault(y => set != null && SetsOf(y).Any(s => string.Equals(s, set, StringComparison.OrdinalIgnoreCase)))
               ?? Yaml.FirstOrDefault(y => SetsOf(y).Contains("(All)"))
               ?? Yaml[0];

        private static IEnumerable<string> SetsOf(Dictionary<string, string> yaml)
            => (Value(yaml, "Parameter Sets") ?? "(All)").Split(',').Select(s => s.Trim()).Where(s => s.Length > 0);
    }

    // ---- about_ pages -> plain text ----

    private static string ConvertAboutPage(MarkdownDocument page)
    {
        var text = new StringBuilder();
        var previousKind = BlockKind.Heading;
        foreach (var block in page.Blocks)
        {
            if (previousKind == BlockKind.ListItem && block.Kind != BlockKind.ListItem)
                text.Append('\n');
            previousKind = block.Kind;
            switch (block.Kind)
            {
                case BlockKind.Heading when block.Level == 1:
                    text.Append("TOPIC\n    ").Append(Plain(block.Text)).Append('\n');
                    break;
                case BlockKind.Heading when block.Level == 2:
                    text.Append('\n').Append(Plain(block.Text).ToUpperInvariant()).Append('\n');
                    break;
                case BlockKind.Heading:
                    text.Append('\n').Append("    ").Append(Plain(block.Text)).Append('\n');
                    break;
                case BlockKind.Paragraph:
                    Wrap(text, Plain(string.Join(" ", block.Lines)), "    ", "    ");
                    text.Append('\n');
                    break;
                case BlockKind.ListItem:
                    Wrap(text, Plain(string.Join(" ", block.Lines)), "    - ", "      ");
                    break;
                case BlockKind.Code:
                    foreach (var line in block.Lines)
                        text.Append(line.Length == 0 ? "" : "        " + line).Append('\n');
                    text.Append('\n');
                    break;
                case BlockKind.Table:
                    AppendTable(text, block.Lines);
                    text.Append('\n');
                    break;
            }
        }
        return Regex.Replace(text.ToString(), "\n{3,}", "\n\n").TrimEnd('\n') + "\n";
    }

    private static void Wrap(StringBuilder text, string paragraph, string firstIndent, string nextIndent)
    {
        var lines = WrapWords(paragraph, TextWidth - firstIndent.Length);
        for (var n = 0; n < lines.Count; n++)
            text.Append(n == 0 ? firstIndent : nextIndent).Append(lines[n]).Append('\n');
    }

    /// <summary>Words filled into lines of at most that width (a longer word gets a line of its own).</summary>
    private static List<string> WrapWords(string paragraph, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in paragraph.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0)
                line.Append(' ');
            line.Append(word);
        }
        lines.Add(line.ToString());
        return lines;
    }

    /// <summary>
    /// A markdown table as aligned columns within the text width where its words allow: the widest columns are
    /// narrowed and their cells wrapped onto further lines; the |---| row becomes a dashed rule under the header.
    /// </summary>
    private static void AppendTable(StringBuilder text, List<string> lines)
    {
        const string indent = "    ";
        const string gap = "  ";
        var rows = lines.Select(l => l.Trim().Trim('|').Split('|').Select(c => Plain(c.Trim())).ToArray()).ToList();
        var isRule = rows.Select(r => r.All(c => Regex.IsMatch(c, "^:?-+:?$"))).ToList();
        var columns = rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns)
            .Select(i => rows.Where((r, n) => !isRule[n] && i < r.Length).Select(r => r[i].Length).DefaultIfEmpty(0).Max())
            .ToArray();
        // A column is never narrower than its longest word.
        var longestWords = Enumerable.Range(0, columns)
            .Select(i => rows.Where((r, n) => !isRule[n] && i < r.Length).SelectMany(r => r[i].Split(' ')).Select(w => w.Length).DefaultIfEmpty(0).Max())
            .ToArray();
        while (widths.Sum() + gap.Length * (columns - 1) > TextWidth - indent.Length)
        {
            var narrowable = Enumerable.Range(0, columns).Where(i => widths[i] > longestWords[i]).ToList();
            if (narrowable.Count == 0)
                break;
            widths[narrowable.OrderByDescending(i => widths[i]).First()]--;
        }
        for (var n = 0; n < rows.Count; n++)
        {
            var cellLines = Enumerable.Range(0, columns)
                .Select(i => isRule[n] ? new List<string> { new string('-', widths[i]) } : WrapWords(i < rows[n].Length ? rows[n][i] : "", widths[i]))
                .ToList();
            var height = cellLines.Max(c => c.Count);
            for (var k = 0; k < height; k++)
            {
                var cells = Enumerable.Range(0, columns).Select(i => (k < cellLines[i].Count ? cellLines[i][k] : "").PadRight(widths[i]));
                text.Append(indent).Append(string.Join(gap, cells).TrimEnd()).Append('\n');
            }
        }
    }

    // ---- A small markdown reader: headings, paragraphs, list items, tables and fenced code, with line numbers ----

    private enum BlockKind { Heading, Paragraph, ListItem, Table, Code }

    private sealed class MarkdownBlock
    {
        public BlockKind Kind;
        public int Level;
        public string Text;
        public string Language;
        public int Line;
        public List<string> Lines = new List<string>();
    }

    private sealed class MarkdownSection
    {
        public MarkdownSection(string title, int line, List<MarkdownBlock> blocks)
        {
            Title = title;
            Line = line;
            Blocks = blocks;
        }

        public string Title { get; }
        public int Line { get; }
        public List<MarkdownBlock> Blocks { get; }

        public List<MarkdownSection> SubSections(int level) => Markdown.Split(Blocks, level);
    }

    private sealed class MarkdownDocument
    {
        public List<MarkdownBlock> Blocks = new List<MarkdownBlock>();

        public List<MarkdownSection> Sections(int level) => Markdown.Split(Blocks, level);
    }

    private static class Markdown
    {
        private static readonly Regex Heading = new Regex(@"^(#{1,6})\s+(.*?)\s*#*\s*$");
        private static readonly Regex ListItem = new Regex(@"^\s*(?:[-*+]|\d+\.)\s+(.*)$");

        public static MarkdownDocument Parse(string[] lines)
        {
            var document = new MarkdownDocument();
            MarkdownBlock open = null;
            var i = 0;
            if (lines.Length > 0 && lines[0].Trim() == "---")
            {
                // Front matter (external help file, Module Name...): not part of the help text.
                for (i = 1; i < lines.Length && lines[i].Trim() != "---"; i++) { }
                i++;
            }
            for (; i < lines.Length; i++)
            {
                var line = lines[i].TrimEnd();
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    var fence = new MarkdownBlock { Kind = BlockKind.Code, Language = line.Trim().Substring(3).Trim(), Line = i + 1 };
                    for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
                        fence.Lines.Add(lines[i].TrimEnd());
                    document.Blocks.Add(fence);
                    open = null;
                    continue;
                }
                if (line.Trim().Length == 0)
                {
                    open = null;
                    continue;
                }
                var heading = Heading.Match(line);
                if (heading.Success)
                {
                    document.Blocks.Add(new MarkdownBlock { Kind = BlockKind.Heading, Level = heading.Groups[1].Length, Text = heading.Groups[2].Value, Line = i + 1 });
                    open = null;
                    continue;
                }
                if (line.TrimStart().StartsWith("|", StringComparison.Ordinal))
                {
                    if (open == null || open.Kind != BlockKind.Table)
                        document.Blocks.Add(open = new MarkdownBlock { Kind = BlockKind.Table, Line = i + 1 });
                    open.Lines.Add(line.Trim());
                    continue;
                }
                var item = ListItem.Match(line);
                if (item.Success)
                {
                    document.Blocks.Add(open = new MarkdownBlock { Kind = BlockKind.ListItem, Line = i + 1 });
                    open.Lines.Add(item.Groups[1].Value.Trim());
                    continue;
                }
                if (open == null || open.Kind == BlockKind.Table)
                    document.Blocks.Add(open = new MarkdownBlock { Kind = BlockKind.Paragraph, Line = i + 1 });
                open.Lines.Add(line.Trim());
            }
            return document;
        }

        /// <summary>The blocks under each heading of that level, up to the next heading of that level or higher.</summary>
        public static List<MarkdownSection> Split(List<MarkdownBlock> blocks, int level)
        {
            var sections = new List<MarkdownSection>();
            MarkdownSection current = null;
            foreach (var block in blocks)
            {
                if (block.Kind == BlockKind.Heading && block.Level <= level)
                {
                    current = block.Level == level ? new MarkdownSection(block.Text.Trim(), block.Line, new List<MarkdownBlock>()) : null;
                    if (current != null)
                        sections.Add(current);
                    continue;
                }
                current?.Blocks.Add(block);
            }
            return sections;
        }
    }
}
