using System;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// Reads -Duration: a TimeSpan (as PowerShell prints it, 00:15:00 or 1.00:00:00), whole seconds (900),
    /// s3-credentials' 15m / 1h / 900s, or ISO 8601 (PT15M).
    /// </summary>
    public static class DurationParser
    {
        private static readonly Regex Suffixed = new Regex(@"^\s*(?<n>[0-9]+)\s*(?<unit>s|m|h)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public static TimeSpan Parse(string text, string parameterName = "Duration")
        {
            if (string.IsNullOrWhiteSpace(text))
                throw Invalid(text, parameterName);
            var trimmed = text.Trim();
            if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                return FromSeconds(seconds, text, parameterName);
            var match = Suffixed.Match(trimmed);
            if (match.Success)
            {
                var n = long.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
                switch (char.ToLowerInvariant(match.Groups["unit"].Value[0]))
                {
                    case 'h': return FromSeconds(checked(n * 3600), text, parameterName);
                    case 'm': return FromSeconds(checked(n * 60), text, parameterName);
                    default: return FromSeconds(n, text, parameterName);
                }
            }
            if (trimmed.StartsWith("P", StringComparison.OrdinalIgnoreCase))
            {
                try { return XmlConvert.ToTimeSpan(trimmed.ToUpperInvariant()); }
                catch (FormatException) { throw Invalid(text, parameterName); }
            }
            if (TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var span))
                return span;
            throw Invalid(text, parameterName);
        }

        private static readonly Regex Days = new Regex(@"^\s*(?<n>[0-9]+)\s*d?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// Reads a span counted in days (Get-S3AccessKey's -UnusedFor and -OlderThan): whole days (90 or 90d), or a
        /// TimeSpan (as PowerShell prints it, 90.00:00:00, or ISO 8601 P90D); never negative.
        /// </summary>
        public static TimeSpan ParseDays(string text, string parameterName)
        {
            var match = Days.Match(text ?? "");
            if (match.Success && int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days <= 36500)
                return TimeSpan.FromDays(days);
            var trimmed = (text ?? "").Trim();
            TimeSpan span;
            try
            {
                span = trimmed.StartsWith("P", StringComparison.OrdinalIgnoreCase) ? XmlConvert.ToTimeSpan(trimmed.ToUpperInvariant())
                    : TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var parsed) ? parsed : TimeSpan.MinValue;
            }
            catch (FormatException)
            {
                span = TimeSpan.MinValue;
            }
            if (span < TimeSpan.Zero)
                throw S3CredentialsException.InvalidParameter("DaysInvalid", parameterName,
                    $"-{parameterName} '{text}' is not a number of days: use whole days (90 or 90d) or a TimeSpan that is not negative (New-TimeSpan -Days 90).");
            return span;
        }

        /// <summary>Checks the range STS allows for the method, naming the parameter and the rule.</summary>
        public static void EnsureWithin(TimeSpan duration, TimeSpan minimum, TimeSpan maximum, string what, string parameterName = "Duration")
        {
            if (duration < minimum || duration > maximum)
                throw S3CredentialsException.InvalidParameter("DurationOutOfRange", parameterName,
                    $"-{parameterName} {Describe(duration)} is outside what {what} allows: {Describe(minimum)} to {Describe(maximum)}.");
            if (duration.Ticks % TimeSpan.TicksPerSecond != 0)
                throw S3CredentialsException.InvalidParameter("DurationNotWholeSeconds", parameterName, $"-{parameterName} must be a whole number of seconds.");
        }

        public static string Describe(TimeSpan duration)
        {
            if (duration.TotalSeconds % 3600 == 0) return $"{duration.TotalHours:0}h";
            if (duration.TotalSeconds % 60 == 0) return $"{duration.TotalMinutes:0}m";
            return $"{duration.TotalSeconds:0}s";
        }

        private static TimeSpan FromSeconds(long seconds, string text, string parameterName)
        {
            if (seconds > int.MaxValue) throw Invalid(text, parameterName);
            return TimeSpan.FromSeconds(seconds);
        }

        private static S3CredentialsException Invalid(string text, string parameterName)
            => S3CredentialsException.InvalidParameter("DurationInvalid", parameterName,
                $"-{parameterName} '{text}' is not a duration: use a TimeSpan, whole seconds (900), or 15m, 1h, 900s.");
    }
}
