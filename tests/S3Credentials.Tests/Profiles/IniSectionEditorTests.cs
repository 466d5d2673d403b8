using System;
using S3Credentials.Core.Profiles;
using Xunit;

namespace S3Credentials.Tests.Profiles
{
    /// <summary>Only the target section changes: every other character of the text is kept, exactly.</summary>
    public sealed class IniSectionEditorTests
    {
        private static readonly string[] NewSection = { "[target]", "aws_access_key_id = AKIANEW0000000000001", "aws_secret_access_key = new-secret" };

        /// <summary>Comments of both kinds, blank lines, odd spacing and CRLF line ends, with the target in the middle.</summary>
        private const string Before =
            "# my credentials\r\n" +
            "; written by hand\r\n" +
            "\r\n" +
            "[default]\r\n" +
            "aws_access_key_id=AKIADEFAULT000000001\r\n" +
            "  aws_secret_access_key   =   default-secret  \r\n" +
            "\r\n" +
            "\r\n";
        private const string Target =
            "[target]\r\n" +
            "# the old key\r\n" +
            "aws_access_key_id = AKIAOLD0000000000001\r\n" +
            "aws_secret_access_key=old-secret\r\n" +
            "region = eu-west-1\r\n";
        private const string After =
            "\r\n" +
            "; this comment belongs to the next profile\r\n" +
            "[other]   \r\n" +
            "\taws_access_key_id  =  AKIAOTHER00000000001\r\n" +
            "aws_secret_access_key : other-secret\r\n" +
            "s3 =\r\n" +
            "    max_concurrent_requests = 20\r\n" +
            "# trailing comment without a line break";

        [Theory]
        [InlineData("target", "region", "eu-west-1")]
        [InlineData("target", "aws_secret_access_key", "old-secret")]
        [InlineData("default", "aws_access_key_id", "AKIADEFAULT000000001")]
        [InlineData("other", "s3", "")]
        [InlineData("other", "max_concurrent_requests", null)] // nested under s3 =, not the section's own
        [InlineData("target", "missing", null)]
        [InlineData("missing", "region", null)]
        public void A_value_is_read_from_its_own_section_only(string section, string key, string expected)
            => Assert.Equal(expected, IniSectionEditor.Value(Before + Target + After, section, key));

        [Fact]
        public void Replacing_a_section_keeps_every_other_byte_and_uses_the_files_line_breaks()
        {
            var result = IniSectionEditor.ReplaceOrAppend(Before + Target + After, "target", NewSection, out var replaced);
            Assert.True(replaced);
            Assert.Equal(Before + "[target]\r\naws_access_key_id = AKIANEW0000000000001\r\naws_secret_access_key = new-secret\r\n" + After, result);
        }

        [Fact]
        public void Appending_keeps_the_whole_text_as_a_prefix_and_adds_a_blank_line_and_a_missing_line_break()
        {
            var text = Before + Target + After;
            var result = IniSectionEditor.ReplaceOrAppend(text, "new", new[] { "[new]", "aws_access_key_id = AKIANEW0000000000001" }, out var replaced);
            Assert.False(replaced);
            Assert.Equal(text + "\r\n\r\n[new]\r\naws_access_key_id = AKIANEW0000000000001\r\n", result);
        }

        [Theory]
        [InlineData("", "[new]\nk = v\n")]
        [InlineData("[a]\nk = 1\n", "[a]\nk = 1\n\n[new]\nk = v\n")]
        [InlineData("[a]\nk = 1", "[a]\nk = 1\n\n[new]\nk = v\n")]
        [InlineData("[a]\nk = 1\n\n", "[a]\nk = 1\n\n[new]\nk = v\n")]
        [InlineData("# only a comment\n", "# only a comment\n\n[new]\nk = v\n")]
        [InlineData("[a]\rk = 1\r", "[a]\rk = 1\r\r[new]\rk = v\r")]
        public void Appending_separates_the_new_section_with_one_blank_line(string text, string expected)
        {
            Assert.Equal(expected, IniSectionEditor.ReplaceOrAppend(text, "new", new[] { "[new]", "k = v" }, out var replaced));
            Assert.False(replaced);
        }

        [Fact]
        public void The_last_section_without_a_final_line_break_is_replaced_whole()
        {
            var result = IniSectionEditor.ReplaceOrAppend("[a]\nk = 1\n\n[target]\nk = old", "target", new[] { "[target]", "k = new" }, out _);
            Assert.Equal("[a]\nk = 1\n\n[target]\nk = new\n", result);
        }

        [Fact]
        public void Headers_with_spaces_inside_the_brackets_or_a_comment_after_them_are_found()
        {
            Assert.True(IniSectionEditor.HasSection("[ target ]\nk = 1\n", "target"));
            Assert.True(IniSectionEditor.HasSection("  [target] ; mine\nk = 1\n", "target"));
            Assert.False(IniSectionEditor.HasSection("[Target]\nk = 1\n", "target"));
            Assert.False(IniSectionEditor.HasSection("# [target]\nk = [target]\n", "target"));
            Assert.False(IniSectionEditor.HasSection("[targets]\n", "target"));
        }

        [Fact]
        public void A_section_that_appears_twice_is_replaced_once_and_its_repeat_removed()
        {
            var text = "[target]\nk = 1\n\n[a]\nk = 2\n\n[target]\nk = 3\n# about b\n[b]\nk = 4\n";
            var result = IniSectionEditor.ReplaceOrAppend(text, "target", new[] { "[target]", "k = new" }, out var replaced);
            Assert.True(replaced);
            Assert.Equal("[target]\nk = new\n\n[a]\nk = 2\n\n# about b\n[b]\nk = 4\n", result);
            Assert.Equal(new[] { "target", "a", "b" }, IniSectionEditor.SectionNames(result));
        }

        [Fact]
        public void A_byte_order_mark_is_kept_and_does_not_hide_the_first_header()
        {
            var text = "\uFEFF[target]\nk = 1\n[a]\nk = 2\n";
            var result = IniSectionEditor.ReplaceOrAppend(text, "target", new[] { "[target]", "k = new" }, out var replaced);
            Assert.True(replaced);
            Assert.Equal("\uFEFF[target]\nk = new\n[a]\nk = 2\n", result);
        }

        [Fact]
        public void An_empty_section_is_replaced_by_the_header_and_its_keys()
        {
            var result = IniSectionEditor.ReplaceOrAppend("[target]\n[a]\nk = 2\n", "target", new[] { "[target]", "k = new" }, out _);
            Assert.Equal("[target]\nk = new\n[a]\nk = 2\n", result);
        }

        [Theory]
        [InlineData("", "\n")]
        [InlineData("no line break", "\n")]
        [InlineData("a\r\nb\n", "\r\n")]
        [InlineData("a\nb\r\n", "\n")]
        [InlineData("a\rb", "\r")]
        public void The_line_break_is_the_texts_first(string text, string expected) => Assert.Equal(expected, IniSectionEditor.DetectNewLine(text));

        [Fact]
        public void A_section_needs_at_least_its_header() =>
            Assert.Throws<ArgumentException>(() => IniSectionEditor.ReplaceOrAppend("", "x", Array.Empty<string>(), out _));
    }
}
