using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace S3Credentials.Core.Operations
{
    /// <summary>PowerShell-style wildcards (* and ?) for names; a name without wildcards must match exactly.</summary>
    public sealed class NamePattern
    {
        private readonly Regex _regex;

        public NamePattern(string pattern, bool ignoreCase)
        {
            Pattern = pattern;
            HasWildcards = pattern.IndexOf('*') >= 0 || pattern.IndexOf('?') >= 0;
            var body = string.Concat(pattern.Select(c => c == '*' ? ".*" : c == '?' ? "." : Regex.Escape(c.ToString())));
            _regex = new Regex("^" + body + "$", (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }

        public string Pattern { get; }
        public bool HasWildcards { get; }
        public bool IsMatch(string name) => _regex.IsMatch(name);

        /// <summary>The names matching any pattern (all names when there are none), in the names' order, and the exact names that matched nothing.</summary>
        public static (List<string> Matched, List<string> Missing) Select(IEnumerable<string> names, IReadOnlyCollection<string> patterns, bool ignoreCase)
        {
            var all = names.ToList();
            if (patterns == null || patterns.Count == 0)
                return (all, new List<string>());
            var compiled = patterns.Select(p => new NamePattern(p, ignoreCase)).ToList();
            var matched = all.Where(n => compiled.Any(p => p.IsMatch(n))).ToList();
            var missing = compiled.Where(p => !p.HasWildcards && !all.Any(p.IsMatch)).Select(p => p.Pattern).ToList();
            return (matched, missing);
        }
    }
}
