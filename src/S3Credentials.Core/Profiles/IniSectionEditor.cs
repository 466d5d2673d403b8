using System;
using System.Collections.Generic;
using System.Text;

namespace S3Credentials.Core.Profiles
{
    /// <summary>
    /// Edits one [section] of an INI text such as the shared credentials file and leaves every other character as it
    /// was: other sections, comments (# and ;), blank lines, spacing, line endings (\n, \r\n or \r) and order.
    /// A section runs from its header to its last key line; comments and blank lines after that belong to what follows.
    /// Pure functions over strings; the file is read and written by <see cref="SharedCredentialsFileWriter"/>.
    /// </summary>
    public static class IniSectionEditor
    {
        /// <summary>True when <paramref name="text"/> has a [<paramref name="name"/>] section (names compare exactly, after trimming).</summary>
        public static bool HasSection(string text, string name) => FindSections(Lines(text ?? ""), name).Count > 0;

        /// <summary>
        /// The value of <paramref name="key"/> (names compare exactly, after trimming) in the first [<paramref name="name"/>]
        /// section, trimmed; null when the section or the key is missing. A key line is key = value; the value of an
        /// indented key of a nested block (s3 =, then   max_concurrent_requests = 10) is not the section's own.
        /// </summary>
        public static string Value(string text, string name, string key)
        {
            var lines = Lines(text ?? "");
            var sections = FindSections(lines, name);
            if (sections.Count == 0) return null;
            var (first, last) = sections[0];
            for (var i = first + 1; i <= last; i++)
            {
                var line = lines[i];
                if (line.IsBlank || line.IsComment || char.IsWhiteSpace(line.Content[0])) continue;
                var equals = line.Content.IndexOf('=');
                if (equals > 0 && string.Equals(line.Content.Substring(0, equals).Trim(), key, StringComparison.Ordinal))
                    return line.Content.Substring(equals + 1).Trim();
            }
            return null;
        }

        /// <summary>The names of the sections in order, duplicates included.</summary>
        public static IReadOnlyList<string> SectionNames(string text)
        {
            var names = new List<string>();
            foreach (var line in Lines(text ?? ""))
                if (line.SectionName != null) names.Add(line.SectionName);
            return names;
        }

        /// <summary>
        /// <paramref name="text"/> with the section <paramref name="name"/> replaced by <paramref name="sectionLines"/>
        /// (its header included), or with them appended after a blank line when there is no such section. New lines end
        /// with the text's own line break. When the section appears more than once, the first is replaced and the
        /// others removed, as the AWS CLI refuses a file with a section twice.
        /// </summary>
        public static string ReplaceOrAppend(string text, string name, IReadOnlyList<string> sectionLines, out bool replaced)
        {
            if (sectionLines == null || sectionLines.Count == 0) throw new ArgumentException("A section needs at least its header.", nameof(sectionLines));
            text = text ?? "";
            var lines = Lines(text);
            var newLine = DetectNewLine(text);
            var block = new StringBuilder();
            foreach (var line in sectionLines)
                block.Append(line).Append(newLine);

            var sections = FindSections(lines, name);
            replaced = sections.Count > 0;
            var result = new StringBuilder(text.Length + block.Length + 4);
            if (!replaced)
            {
                result.Append(text);
                if (lines.Count > 0)
                {
                    var last = lines[lines.Count - 1];
                    if (last.Terminator.Length == 0)
                        result.Append(newLine);
                    if (!last.IsBlank)
                        result.Append(newLine);
                }
                return result.Append(block).ToString();
            }

            var position = 0;
            for (var i = 0; i < sections.Count; i++)
            {
                var (first, last) = sections[i];
                result.Append(text, position, lines[first].HeaderStart - position);
                if (i == 0)
                    result.Append(block);
                position = lines[last].End;
            }
            result.Append(text, position, text.Length - position);
            return result.ToString();
        }

        /// <summary><paramref name="text"/> without the section <paramref name="name"/> (every copy of it); everything else is left as it was.</summary>
        public static string Remove(string text, string name, out bool removed)
        {
            text = text ?? "";
            var lines = Lines(text);
            var sections = FindSections(lines, name);
            removed = sections.Count > 0;
            if (!removed) return text;
            var result = new StringBuilder(text.Length);
            var position = 0;
            foreach (var (first, last) in sections)
            {
                result.Append(text, position, lines[first].HeaderStart - position);
                position = lines[last].End;
            }
            result.Append(text, position, text.Length - position);
            return result.ToString();
        }

        /// <summary>The text's first line break (\r\n, \n or \r), or \n when it has none.</summary>
        public static string DetectNewLine(string text)
        {
            foreach (var line in Lines(text ?? ""))
                if (line.Terminator.Length > 0) return line.Terminator;
            return "\n";
        }

        /// <summary>The first and last line of each [name] section: its header up to its last line that is neither blank nor a comment.</summary>
        private static List<(int First, int Last)> FindSections(IReadOnlyList<IniLine> lines, string name)
        {
            var found = new List<(int, int)>();
            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i].SectionName == null || !string.Equals(lines[i].SectionName, name, StringComparison.Ordinal))
                    continue;
                var last = i;
                for (var j = i + 1; j < lines.Count && lines[j].SectionName == null; j++)
                    if (!lines[j].IsBlank && !lines[j].IsComment)
                        last = j;
                found.Add((i, last));
            }
            return found;
        }

        /// <summary>The text cut into lines, each with its own line break; together they are exactly the text.</summary>
        internal static List<IniLine> Lines(string text)
        {
            var lines = new List<IniLine>();
            var start = 0;
            while (start < text.Length)
            {
                var end = start;
                while (end < text.Length && text[end] != '\n' && text[end] != '\r')
                    end++;
                var terminatorLength = end >= text.Length ? 0 : text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1;
                lines.Add(new IniLine(text, start, end, text.Substring(end, terminatorLength), isFirst: lines.Count == 0));
                start = end + terminatorLength;
            }
            return lines;
        }

        internal sealed class IniLine
        {
            public IniLine(string text, int start, int contentEnd, string terminator, bool isFirst)
            {
                Start = start;
                Content = text.Substring(start, contentEnd - start);
                Terminator = terminator;
                var withoutMark = isFirst ? Content.TrimStart('\uFEFF') : Content;
                HeaderStart = start + Content.Length - withoutMark.Length;
                var trimmed = withoutMark.Trim();
                IsBlank = trimmed.Length == 0;
                IsComment = trimmed.StartsWith("#", StringComparison.Ordinal) || trimmed.StartsWith(";", StringComparison.Ordinal);
                if (trimmed.StartsWith("[", StringComparison.Ordinal))
                {
                    var close = trimmed.LastIndexOf(']');
                    if (close > 0)
                        SectionName = trimmed.Substring(1, close - 1).Trim();
                }
            }

            public int Start { get; }
            /// <summary>Where the line starts after a byte order mark, which stays when the line is replaced.</summary>
            public int HeaderStart { get; }
            public string Content { get; }
            public string Terminator { get; }
            public int End => Start + Content.Length + Terminator.Length;
            public bool IsBlank { get; }
            public bool IsComment { get; }
            /// <summary>The name of a [section] header line; null for other lines.</summary>
            public string SectionName { get; }
        }
    }
}
