using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace S3Credentials.Tests.Infrastructure
{
    /// <summary>
    /// Reads the subset of PowerShell data files (.psd1) module manifests use, without PowerShell:
    /// @{ } hashtables (entries separated by newlines or ';'), @( ) arrays and bare comma lists,
    /// 'single' and "double" quoted strings and here-strings (never interpolated), numbers,
    /// $true/$false/$null, and # and &lt;# #&gt; comments.
    /// Hashtables become <see cref="Dictionary{TKey,TValue}"/> with case-insensitive keys, arrays <see cref="List{T}"/>.
    /// </summary>
    public sealed class PowerShellDataFile
    {
        private readonly string _text;
        private int _position;

        private PowerShellDataFile(string text) => _text = text;

        /// <summary>Reads a manifest (or any data file whose content is one hashtable).</summary>
        public static Dictionary<string, object> ReadHashtable(string path)
            => Parse(File.ReadAllText(path)) as Dictionary<string, object>
               ?? throw new FormatException($"{path} does not hold a hashtable.");

        /// <summary>Parses one value: a hashtable, an array, a string, a number or a constant.</summary>
        public static object Parse(string text)
        {
            var parser = new PowerShellDataFile(text ?? throw new ArgumentNullException(nameof(text)));
            parser.SkipTrivia();
            var value = parser.ReadExpression();
            parser.SkipTrivia();
            if (!parser.AtEnd)
                throw parser.Error("unexpected text after the value");
            return value;
        }

        private bool AtEnd => _position >= _text.Length;
        private char Current => _text[_position];

        private bool LookingAt(string token)
            => string.CompareOrdinal(_text, _position, token, 0, token.Length) == 0;

        /// <summary>A value, or several values separated by commas (a newline may follow a comma, never precede it).</summary>
        private object ReadExpression()
        {
            var first = ReadValue();
            SkipTrivia(crossNewlines: false);
            if (AtEnd || Current != ',')
                return first;
            var list = new List<object> { first };
            while (!AtEnd && Current == ',')
            {
                _position++;
                SkipTrivia();
                list.Add(ReadValue());
                SkipTrivia(crossNewlines: false);
            }
            return list;
        }

        private object ReadValue()
        {
            if (AtEnd)
                throw Error("a value was expected");
            if (LookingAt("@{")) return ReadHashtable();
            if (LookingAt("@(")) return ReadArray();
            if (LookingAt("@'") || LookingAt("@\"")) return ReadHereString();
            switch (Current)
            {
                case '\'': return ReadSingleQuoted();
                case '"': return ReadDoubleQuoted();
                case '$': return ReadConstant();
            }
            if (char.IsDigit(Current) || ((Current == '-' || Current == '+' || Current == '.') && _position + 1 < _text.Length && char.IsDigit(_text[_position + 1])))
                return ReadNumber();
            throw Error($"unexpected '{Current}'");
        }

        private Dictionary<string, object> ReadHashtable()
        {
            _position += 2; // @{
            var table = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                SkipTrivia();
                while (!AtEnd && Current == ';') { _position++; SkipTrivia(); }
                if (AtEnd) throw Error("the hashtable is not closed with '}'");
                if (Current == '}') { _position++; return table; }

                var keyStart = _position;
                var key = ReadKey();
                SkipTrivia(crossNewlines: false);
                if (AtEnd || Current != '=') throw Error($"'=' was expected after the key '{key}'");
                _position++;
                SkipTrivia();
                var value = ReadExpression();
                if (table.ContainsKey(key))
                {
                    _position = keyStart;
                    throw Error($"the key '{key}' appears twice");
                }
                table[key] = value;

                var crossedNewline = SkipTrivia(crossNewlines: false) | SkipNewlines();
                if (AtEnd) throw Error("the hashtable is not closed with '}'");
                if (Current == '}' || Current == ';') continue;
                if (!crossedNewline) throw Error("entries must be separated by a newline or ';'");
            }
        }

        private List<object> ReadArray()
        {
            _position += 2; // @(
            var items = new List<object>();
            while (true)
            {
                SkipTrivia();
                while (!AtEnd && Current == ';') { _position++; SkipTrivia(); }
                if (AtEnd) throw Error("the array is not closed with ')'");
                if (Current == ')') { _position++; return items; }

                // Each statement's output is enumerated into the array, as PowerShell's @( ) does.
                var statement = ReadExpression();
                if (statement is List<object> several) items.AddRange(several);
                else items.Add(statement);

                var crossedNewline = SkipTrivia(crossNewlines: false) | SkipNewlines();
                if (AtEnd) throw Error("the array is not closed with ')'");
                if (Current == ')' || Current == ';') continue;
                if (!crossedNewline) throw Error("array items must be separated by ',', ';' or a newline");
            }
        }

        private string ReadKey()
        {
            if (Current == '\'') return ReadSingleQuoted();
            if (Current == '"') return ReadDoubleQuoted();
            var start = _position;
            while (!AtEnd && (char.IsLetterOrDigit(Current) || Current == '_' || Current == '-' || Current == '.'))
                _position++;
            if (_position == start) throw Error("a key was expected");
            return _text.Substring(start, _position - start);
        }

        private string ReadSingleQuoted()
        {
            _position++; // '
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd) throw Error("the string is not closed with '");
                var c = Current;
                _position++;
                if (c == '\'')
                {
                    if (!AtEnd && Current == '\'') { value.Append('\''); _position++; continue; }
                    return value.ToString();
                }
                value.Append(c);
            }
        }

        private string ReadDoubleQuoted()
        {
            _position++; // "
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd) throw Error("the string is not closed with \"");
                var c = Current;
                _position++;
                if (c == '"')
                {
                    if (!AtEnd && Current == '"') { value.Append('"'); _position++; continue; }
                    return value.ToString();
                }
                if (c == '`' && !AtEnd)
                {
                    value.Append(Unescape(Current));
                    _position++;
                    continue;
                }
                value.Append(c);
            }
        }

        private static char Unescape(char escaped)
        {
            switch (escaped)
            {
                case '0': return '\0';
                case 'a': return '\a';
                case 'b': return '\b';
                case 'e': return '\u001b';
                case 'f': return '\f';
                case 'n': return '\n';
                case 'r': return '\r';
                case 't': return '\t';
                case 'v': return '\v';
                default: return escaped;
            }
        }

        /// <summary>@'...'@ or @"..."@: the text between the line after the opening and the line holding the closing.</summary>
        private string ReadHereString()
        {
            var quote = _text[_position + 1];
            _position += 2;
            SkipTrivia(crossNewlines: false);
            if (!SkipOneNewline()) throw Error("a here-string's opening must end its line");
            var start = _position;
            var closing = "\n" + quote + "@";
            var end = _text.IndexOf(closing, start - 1, StringComparison.Ordinal);
            if (end < 0) throw Error("the here-string is not closed");
            var content = end < start ? "" : _text.Substring(start, end - start);
            _position = end + closing.Length;
            return content.EndsWith("\r", StringComparison.Ordinal) ? content.Substring(0, content.Length - 1) : content;
        }

        private object ReadConstant()
        {
            var start = _position;
            _position++; // $
            while (!AtEnd && (char.IsLetterOrDigit(Current) || Current == '_'))
                _position++;
            var name = _text.Substring(start, _position - start);
            if (name.Equals("$true", StringComparison.OrdinalIgnoreCase)) return true;
            if (name.Equals("$false", StringComparison.OrdinalIgnoreCase)) return false;
            if (name.Equals("$null", StringComparison.OrdinalIgnoreCase)) return null;
            _position = start;
            throw Error($"the variable {name} is not allowed in a data file (only $true, $false and $null)");
        }

        private object ReadNumber()
        {
            var start = _position;
            if (Current == '-' || Current == '+') _position++;
            if (LookingAt("0x") || LookingAt("0X"))
            {
                _position += 2;
                var digitsStart = _position;
                while (!AtEnd && Uri.IsHexDigit(Current)) _position++;
                var hex = long.Parse(_text.Substring(digitsStart, _position - digitsStart), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                if (_text[start] == '-') hex = -hex;
                return hex >= int.MinValue && hex <= int.MaxValue ? (object)(int)hex : hex;
            }
            while (!AtEnd && (char.IsDigit(Current) || Current == '.' || Current == 'e' || Current == 'E'
                              || ((Current == '-' || Current == '+') && (_text[_position - 1] == 'e' || _text[_position - 1] == 'E'))))
                _position++;
            var literal = _text.Substring(start, _position - start);
            if (int.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var int32)) return int32;
            if (long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var int64)) return int64;
            if (double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return number;
            _position = start;
            throw Error($"'{literal}' is not a number");
        }

        /// <summary>Skips spaces, comments and (unless told not to) newlines. Returns whether a newline was crossed.</summary>
        private bool SkipTrivia(bool crossNewlines = true)
        {
            var crossedNewline = false;
            while (!AtEnd)
            {
                var c = Current;
                if (c == '\n' || c == '\r')
                {
                    if (!crossNewlines) return crossedNewline;
                    crossedNewline = true;
                    _position++;
                }
                else if (char.IsWhiteSpace(c))
                    _position++;
                else if (LookingAt("<#"))
                {
                    var end = _text.IndexOf("#>", _position + 2, StringComparison.Ordinal);
                    if (end < 0) throw Error("the block comment is not closed with #>");
                    crossedNewline |= _text.IndexOfAny(new[] { '\n', '\r' }, _position, end - _position) >= 0;
                    _position = end + 2;
                }
                else if (c == '#')
                {
                    while (!AtEnd && Current != '\n' && Current != '\r') _position++;
                }
                else if (c == '`' && _position + 1 < _text.Length && (_text[_position + 1] == '\n' || _text[_position + 1] == '\r'))
                {
                    _position++; // line continuation: the newline does not end the statement
                    SkipOneNewline();
                }
                else
                    break;
            }
            return crossedNewline;
        }

        /// <summary>Skips newlines and the trivia between them; returns whether there was at least one.</summary>
        private bool SkipNewlines()
        {
            if (AtEnd || (Current != '\n' && Current != '\r'))
                return false;
            SkipTrivia();
            return true;
        }

        private bool SkipOneNewline()
        {
            if (LookingAt("\r\n")) { _position += 2; return true; }
            if (!AtEnd && (Current == '\n' || Current == '\r')) { _position++; return true; }
            return false;
        }

        private FormatException Error(string problem)
        {
            var line = 1;
            var column = 1;
            for (var i = 0; i < _position && i < _text.Length; i++)
            {
                if (_text[i] == '\n') { line++; column = 1; }
                else column++;
            }
            return new FormatException($"PowerShell data file, line {line}, column {column}: {problem}.");
        }
    }
}
