using System;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace S3Credentials.Core.Operations
{
    /// <summary>
    /// Reads every duration parameter (-Duration, -Expires, -SessionDuration): a TimeSpan (as PowerShell prints it,
    /// 00:15:00 or 1.00:00:00), whole seconds (900), s3-credentials' 15m / 1h / 900s and their combinations
    /// (1h30m, 7d), or ISO 8601 (PT15M). The range each parameter allows is checked by its request, not here.
    /// </summary>
    public static class DurationParser
    {
        /// <summary>The forms <see cref="Parse"/> and <see cref="From"/> accept, as the error texts list them.</summary>
        public const string AcceptedForms = "a TimeSpan, whole seconds (900), 15m, 1h, 1h30m, 7d, 900s or hh:mm:ss";

        private static readonly Regex Suffixed = new Regex(@"^(?:(?<d>[0-9]+)\s*d)?\s*(?:(?<h>[0-9]+)\s*h)?\s*(?:(?<m>[0-9]+)\s*m)?\s*(?:(?<s>[0-9]+)\s*s)?$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public static TimeSpan Parse(string text, string parameterName = "Duration")
        {
            if (string.IsNullOrWhiteSpace(text))
                throw Invalid(text, parameterName);
            var trimmed = text.Trim();
            try
            {
                if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                    return FromSeconds(seconds, text, parameterName);
                var match = Suffixed.Match(trimmed);
                if (match.Success)
                {
                    long Part(string unit, long factor) => match.Groups[unit].Success ? checked(long.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) * factor) : 0;
                    return FromSeconds(checked(Part("d", 86400) + Part("h", 3600) + Part("m", 60) + Part("s", 1)), text, parameterName);
                }
            }
            catch (OverflowException)
            {
                throw Invalid(text, parameterName);
            }
            if (trimmed.StartsWith("P", StringComparison.OrdinalIgnoreCase))
            {
                try { return XmlConvert.ToTimeSpan(trimmed.ToUpperInvariant()); }
                catch (FormatException) { throw Invalid(text, parameterName); }
                catch (OverflowException) { throw Invalid(text, parameterName); }
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

        /// <summary>
        /// Reads a bound value: a TimeSpan as it is, a number as seconds, text as <see cref="Parse"/> reads it.
        /// A decimal is days: PowerShell reads a bare 7d as the decimal 7 (the d suffix), never as text, while 900s
        /// arrives as the short 900, which is seconds anyway. Without a parameter name the error text leaves it out
        /// (PowerShell's binding error names the parameter).
        /// </summary>
        public static TimeSpan From(object value, string parameterName = null)
        {
            switch (value)
            {
                case TimeSpan span:
                    return span;
                case string text:
                    return Parse(text, parameterName);
                case sbyte _: case byte _: case short _: case ushort _: case int _: case uint _: case long _: case ulong _:
                case float _: case double _: case decimal _:
                    var seconds = Convert.ToDouble(value, CultureInfo.InvariantCulture) * (value is decimal ? 86400 : 1);
                    if (double.IsNaN(seconds) || double.IsInfinity(seconds) || Math.Abs(seconds) > int.MaxValue)
                        throw Invalid(Convert.ToString(value, CultureInfo.InvariantCulture), parameterName);
                    return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
                default:
                    throw Invalid(value == null ? null : Convert.ToString(value, CultureInfo.InvariantCulture), parameterName);
            }
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
                $"{(parameterName == null ? "" : "-" + parameterName + " ")}'{text}' is not a duration: use {AcceptedForms}.");
    }
}
