using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace S3Credentials.Core.Models
{
    /// <summary>
    /// Names of one kind on an output object (buckets, prefixes, grants): a read-only list of strings that reads as one
    /// cell. Export-Csv and "$x" show the names joined with ", " instead of "System.String[]"; ConvertTo-Json, the
    /// pipeline, parameter binding (-BucketName) and indexing still see a list of strings.
    /// </summary>
    public sealed class NameList : ReadOnlyCollection<string>
    {
        public NameList(IEnumerable<string> names) : base((names ?? Enumerable.Empty<string>()).ToArray()) { }

        /// <summary>The empty list.</summary>
        public static NameList Empty { get; } = new NameList(Array.Empty<string>());

        public static implicit operator NameList(string[] names) => new NameList(names);

        /// <summary>What joins the names in a CSV cell or a string: ", ".</summary>
        public const string Separator = ", ";

        /// <summary>The names joined with ", " (what a CSV cell or a string shows).</summary>
        public override string ToString() => string.Join(Separator, this);
    }
}
