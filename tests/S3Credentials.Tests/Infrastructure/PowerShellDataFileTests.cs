using System;
using System.Collections.Generic;
using Xunit;

namespace S3Credentials.Tests.Infrastructure
{
    public sealed class PowerShellDataFileTests
    {
        [Fact]
        public void Reads_a_manifest_shaped_hashtable()
        {
            const string text = @"<#
  Module manifest #
#>
@{
    RootModule = 'S3Credentials.dll'   # the cmdlets
    ModuleVersion = ""0.1.0""
    Count = 42; Big = 5000000000; Ratio = 1.5; Negative = -7; Hex = 0x1F
    Enabled = $true
    Disabled = $FALSE
    Nothing = $null
    'Quoted Key' = 'it''s'
    Escaped = ""tab`there """"quoted"""" $NotExpanded""
    CmdletsToExport = @(
        'Get-A',
        'Get-B'
        'Get-C'; 'Get-D'
    )
    Empty = @()
    Bare = 'x', 'y',
        'z'
    PrivateData = @{ PSData = @{ Tags = @('AWS', 'S3') } }
}";
            var table = Assert.IsType<Dictionary<string, object>>(PowerShellDataFile.Parse(text));

            Assert.Equal("S3Credentials.dll", table["rootmodule"]);
            Assert.Equal("0.1.0", table["ModuleVersion"]);
            Assert.Equal(42, table["Count"]);
            Assert.Equal(5000000000L, table["Big"]);
            Assert.Equal(1.5, table["Ratio"]);
            Assert.Equal(-7, table["Negative"]);
            Assert.Equal(31, table["Hex"]);
            Assert.Equal(true, table["Enabled"]);
            Assert.Equal(false, table["Disabled"]);
            Assert.True(table.ContainsKey("Nothing"));
            Assert.Null(table["Nothing"]);
            Assert.Equal("it's", table["Quoted Key"]);
            Assert.Equal("tab\there \"quoted\" $NotExpanded", table["Escaped"]);
            Assert.Equal(new object[] { "Get-A", "Get-B", "Get-C", "Get-D" }, Assert.IsType<List<object>>(table["CmdletsToExport"]));
            Assert.Empty(Assert.IsType<List<object>>(table["Empty"]));
            Assert.Equal(new object[] { "x", "y", "z" }, Assert.IsType<List<object>>(table["Bare"]));
            var psData = Assert.IsType<Dictionary<string, object>>(Assert.IsType<Dictionary<string, object>>(table["PrivateData"])["PSData"]);
            Assert.Equal(new object[] { "AWS", "S3" }, Assert.IsType<List<object>>(psData["Tags"]));
        }

        [Fact]
        public void Reads_here_strings_and_nested_arrays()
        {
            var table = (Dictionary<string, object>)PowerShellDataFile.Parse("@{\r\n  Notes = @'\r\nline one\r\nline 'two'\r\n'@\r\n  Nested = @( @(1, 2), 3 )\r\n}\r\n");

            Assert.Equal("line one\r\nline 'two'", table["Notes"]);
            var nested = Assert.IsType<List<object>>(table["Nested"]);
            Assert.Equal(2, nested.Count);
            Assert.Equal(new object[] { 1, 2 }, Assert.IsType<List<object>>(nested[0]));
            Assert.Equal(3, nested[1]);
        }

        [Theory]
        [InlineData("@{ A = 'x' B = 'y' }", "separated by a newline")]
        [InlineData("@{ A = 'x'", "not closed")]
        [InlineData("@{ A = $env }", "$env is not allowed")]
        [InlineData("@{ A = 'x'\n a = 'y' }", "appears twice")]
        [InlineData("@{ A = 'unterminated }", "not closed")]
        [InlineData("@{ A = Get-Date }", "unexpected 'G'")]
        [InlineData("@{ A = @( 'x' 'y' ) }", "separated by ','")]
        public void Rejects_what_is_not_a_data_file(string text, string expectedProblem)
        {
            var error = Assert.Throws<FormatException>(() => PowerShellDataFile.Parse(text));
            Assert.Contains(expectedProblem, error.Message);
        }

        [Fact]
        public void Errors_name_the_line_and_column()
        {
            var error = Assert.Throws<FormatException>(() => PowerShellDataFile.Parse("@{\n  A = 'x'\n  B = Get-Date\n}"));
            Assert.Contains("line 3, column 7", error.Message);
        }
    }
}
