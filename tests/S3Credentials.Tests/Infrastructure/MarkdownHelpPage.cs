using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// A docs/*.md help page as a tree of headings, read independently of the build's MAML generator:
    /// front matter, then sections (## and ###) holding their text lines and fenced code blocks.
    /// Lines inside code fences are never taken for headings.
    /// </summary>
    public sealed class MarkdownHelpPage
    {
        private MarkdownHelpPage(string path, IReadOnlyDictionary<string, string> frontMatter, MarkdownSection root)
        {
            Path = path;
            FrontMatter = frontMatter;
            Root = root;
        }

        public string Path { get; }
        /// <summary>The key: value lines between the opening --- lines.</summary>
        public IReadOnlyDictionary<string, string> FrontMatter { get; }
        /// <summary>The level-0 section holding everything; its children are the # headings.</summary>
        public MarkdownSection Root { get; }

        /// <summary>The text of the first # heading.</summary>
        public string Title => Root.Children.FirstOrDefault()?.Title;

        /// <summary>The ## sections under the # heading, in page order.</summary>
        public IReadOnlyList<MarkdownSection> Sections => Root.Children.FirstOrDefault()?.Children ?? (IReadOnlyList<MarkdownSection>)Array.Empty<MarkdownSection>();

        public MarkdownSection Section(string title)
            => Sections.FirstOrDefault(s => string.Equals(s.Title, title, StringComparison.OrdinalIgnoreCase));

        public static MarkdownHelpPage Read(string path)
        {
            var lines = File.ReadAllLines(path);
            var frontMatter = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var index = 0;
            if (lines.Length > 0 && lines[0].Trim() == "---")
            {
                for (index = 1; index < lines.Length && lines[index].Trim() != "---"; index++)
                {
                    var colon = lines[index].IndexOf(':');
                    if (colon > 0)
                        frontMatter[lines[index].Substring(0, colon).Trim()] = lines[index].Substring(colon + 1).Trim();
                }
                index++;
            }

            var root = new MarkdownSection("", 0);
            var open = new Stack<MarkdownSection>();
            open.Push(root);
            for (; index < lines.Length; index++)
            {
                var line = lines[index];
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    var language = line.Trim().Substring(3).Trim();
                    var code = new List<string>();
                    for (index++; index < lines.Length && !lines[index].TrimStart().StartsWith("```", StringComparison.Ordinal); index++)
                        code.Add(lines[index]);
                    open.Peek().CodeBlocks.Add(new MarkdownCodeBlock(language, string.Join("\n", code)));
                    continue;
                }
                var level = line.TakeWhile(c => c == '#').Count();
                if (level > 0 && level < line.Length && line[level] == ' ')
                {
                    while (open.Peek().Level >= level)
                        open.Pop();
                    var section = new MarkdownSection(line.Substring(level).Trim(), level);
                    open.Peek().Children.Add(section);
                    open.Push(section);
                    continue;
                }
                if (line.Trim().Length > 0)
                    open.Peek().TextLines.Add(line.Trim());
            }
            return new MarkdownHelpPage(path, frontMatter, root);
        }
    }

    public sealed class MarkdownSection
    {
        public MarkdownSection(string title, int level)
        {
            Title = title;
            Level = level;
        }

        public string Title { get; }
        public int Level { get; }
        /// <summary>Non-blank lines outside code fences, directly under this heading.</summary>
        public List<string> TextLines { get; } = new List<string>();
        public List<MarkdownCodeBlock> CodeBlocks { get; } = new List<MarkdownCodeBlock>();
        public List<MarkdownSection> Children { get; } = new List<MarkdownSection>();

        public string Text => string.Join(" ", TextLines);

        /// <summary>The key: value lines of each ```yaml block of the section (platyPS writes one per group of parameter sets).</summary>
        public IReadOnlyList<IReadOnlyDictionary<string, string>> YamlBlocks
            => CodeBlocks.Where(c => c.Language == "yaml").Select(c => (IReadOnlyDictionary<string, string>)ParseYaml(c.Code)).ToList();

        private static Dictionary<string, string> ParseYaml(string code)
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in code.Split('\n'))
            {
                var colon = line.IndexOf(':');
                if (colon > 0)
                    values[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
            }
            return values;
        }

        public override string ToString() => new string('#', Level) + " " + Title;
    }

    public sealed class MarkdownCodeBlock
    {
        public MarkdownCodeBlock(string language, string code)
        {
            Language = language;
            Code = code;
        }

        public string Language { get; }
        public string Code { get; }
    }
}
