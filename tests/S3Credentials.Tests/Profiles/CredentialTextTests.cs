using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using S3Credentials.Core;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Profiles;
using Xunit;

namespace S3Credentials.Tests.Profiles
{
    /// <summary>Golden texts for every format, quoting that survives a real shell, and input checks that never echo a secret.</summary>
    public sealed class CredentialTextTests
    {
        private const string Key = "AKIAIOSFODNN7EXAMPLE";
        private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        private const string TemporaryKey = "ASIAIOSFODNN7EXAMPLE";
        private const string Token = "IQoJb3JpZ2luX2VjEXAMPLE+token/with=padding==";
        private static readonly DateTime Expires = new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc);

        private static ProfileCredential Permanent(string region = null) => new ProfileCredential(Key, Secret, region: region);
        private static ProfileCredential Temporary(string region = "eu-west-2") => new ProfileCredential(TemporaryKey, Secret, Token, region, Expires);

        [Fact]
        public void Ini_of_permanent_credentials_is_a_default_section_with_the_two_keys()
        {
            Assert.Equal(
                "[default]\n" +
                "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n" +
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                CredentialText.Format(Permanent(), CredentialTextFormat.Ini));
        }

        [Fact]
        public void Ini_of_temporary_credentials_has_the_token_the_expiry_and_the_region_under_the_chosen_name()
        {
            Assert.Equal(
                "[photos-reader]\n" +
                "aws_access_key_id = ASIAIOSFODNN7EXAMPLE\n" +
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n" +
                "aws_session_token = IQoJb3JpZ2luX2VjEXAMPLE+token/with=padding==\n" +
                "x_security_token_expires = 2026-11-22T10:00:00Z\n" +
                "region = eu-west-2",
                CredentialText.Format(Temporary(), CredentialTextFormat.Ini, "photos-reader"));
        }

        [Fact]
        public void Json_is_what_AuthFile_reads()
        {
            var text = CredentialText.Format(Temporary(), CredentialTextFormat.Json);
            Assert.Equal(
                "{\n" +
                "  \"AccessKeyId\": \"ASIAIOSFODNN7EXAMPLE\",\n" +
                "  \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\",\n" +
                "  \"SessionToken\": \"IQoJb3JpZ2luX2VjEXAMPLE+token/with=padding==\",\n" +
                "  \"Expiration\": \"2026-11-22T10:00:00Z\"\n" +
                "}",
                text);
            var read = AuthFileReader.Parse(text, "creds.json");
            Assert.Equal((TemporaryKey, Secret, Token), (read.AccessKeyId, read.SecretAccessKey, read.SessionToken));
            Assert.Equal(Expires, JsonDocument.Parse(text).RootElement.GetProperty("Expiration").GetDateTime().ToUniversalTime());
        }

        [Fact]
        public void Json_of_permanent_credentials_has_no_token_and_no_expiry_and_AuthFile_reads_it()
        {
            var text = CredentialText.Json(Permanent("us-east-1"));
            Assert.Equal("{\n  \"AccessKeyId\": \"AKIAIOSFODNN7EXAMPLE\",\n  \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n}", text);
            var read = AuthFileReader.Parse(text, "creds.json");
            Assert.Equal((Key, Secret, (string)null), (read.AccessKeyId, read.SecretAccessKey, read.SessionToken));
        }

        [Fact]
        public void CredentialProcess_output_has_Version_1_and_Expiration_only_for_temporary_credentials()
        {
            Assert.Equal(
                "{\n" +
                "  \"Version\": 1,\n" +
                "  \"AccessKeyId\": \"ASIAIOSFODNN7EXAMPLE\",\n" +
                "  \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\",\n" +
                "  \"SessionToken\": \"IQoJb3JpZ2luX2VjEXAMPLE+token/with=padding==\",\n" +
                "  \"Expiration\": \"2026-11-22T10:00:00Z\"\n" +
                "}",
                CredentialText.Format(Temporary(), CredentialTextFormat.CredentialProcess));
            Assert.Equal(
                "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"AKIAIOSFODNN7EXAMPLE\",\n  \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n}",
                CredentialText.Format(Permanent("eu-west-1"), CredentialTextFormat.CredentialProcess));
        }

        [Fact]
        public void Shell_exports_single_quoted_values_and_unsets_what_the_credentials_lack()
        {
            Assert.Equal(
                "export AWS_ACCESS_KEY_ID='ASIAIOSFODNN7EXAMPLE'\n" +
                "export AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'\n" +
                "export AWS_SESSION_TOKEN='IQoJb3JpZ2luX2VjEXAMPLE+token/with=padding=='\n" +
                "export AWS_CREDENTIAL_EXPIRATION='2026-11-22T10:00:00Z'\n" +
                "export AWS_REGION='eu-west-2'\n" +
                "export AWS_DEFAULT_REGION='eu-west-2'\n" +
                "unset AWS_SECURITY_TOKEN",
                CredentialText.Format(Temporary(), CredentialTextFormat.Shell));
            Assert.Equal(
                "export AWS_ACCESS_KEY_ID='AKIAIOSFODNN7EXAMPLE'\n" +
                "export AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'\n" +
                "unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_CREDENTIAL_EXPIRATION",
                CredentialText.Format(Permanent(), CredentialTextFormat.Shell));
        }

        [Fact]
        public void PowerShell_assigns_single_quoted_values_and_removes_what_the_credentials_lack()
        {
            Assert.Equal(
                "$env:AWS_ACCESS_KEY_ID = 'ASIAIOSFODNN7EXAMPLE'\n" +
                "$env:AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'\n" +
                "$env:AWS_SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE+token/with=padding=='\n" +
                "$env:AWS_SECURITY_TOKEN = $null\n" +
                "$env:AWS_CREDENTIAL_EXPIRATION = '2026-11-22T10:00:00Z'\n" +
                "$env:AWS_REGION = 'eu-west-2'\n" +
                "$env:AWS_DEFAULT_REGION = 'eu-west-2'",
                CredentialText.Format(Temporary(), CredentialTextFormat.PowerShell));
            Assert.Equal(
                "$env:AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'\n" +
                "$env:AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'\n" +
                "$env:AWS_SESSION_TOKEN = $null\n" +
                "$env:AWS_SECURITY_TOKEN = $null\n" +
                "$env:AWS_CREDENTIAL_EXPIRATION = $null",
                CredentialText.Format(Permanent(), CredentialTextFormat.PowerShell));
        }

        [Theory]
        [InlineData("plain", "'plain'")]
        [InlineData("it's", "'it'\\''s'")]
        [InlineData("''", "''\\'''\\'''")]
        [InlineData("$HOME`x`\\n\"", "'$HOME`x`\\n\"'")]
        public void ShellQuote_escapes_single_quotes_only(string value, string quoted) => Assert.Equal(quoted, CredentialText.ShellQuote(value));

        [Theory]
        [InlineData("plain", "'plain'")]
        [InlineData("it's", "'it''s'")]
        [InlineData("$env:HOME `n \"x\"", "'$env:HOME `n \"x\"'")]
        [InlineData("a\u2019b\u2018c\u201Ad\u201Be", "'a\u2019\u2019b\u2018\u2018c\u201A\u201Ad\u201B\u201Be'")]
        public void PowerShellQuote_doubles_every_single_quote_character(string value, string quoted) => Assert.Equal(quoted, CredentialText.PowerShellQuote(value));

        [Fact]
        public void Shell_output_evaluated_by_sh_sets_exactly_the_values_even_with_quotes_and_dollars()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return; // no /bin/sh
            var awkward = "it's$HOME`id`\\\"!*";
            var credential = new ProfileCredential(TemporaryKey, awkward, "tok'en$(id)", "us-east-1", Expires);
            var script = CredentialText.Shell(credential) +
                         "\nprintf '%s|%s|%s|%s|%s|%s' \"$AWS_ACCESS_KEY_ID\" \"$AWS_SECRET_ACCESS_KEY\" \"$AWS_SESSION_TOKEN\" \"$AWS_CREDENTIAL_EXPIRATION\" \"$AWS_REGION\" \"${AWS_SECURITY_TOKEN-unset}\"";
            Assert.Equal($"{TemporaryKey}|{awkward}|tok'en$(id)|2026-11-22T10:00:00Z|us-east-1|unset", RunShell(script, ("AWS_SECURITY_TOKEN", "stale")));

            var permanent = CredentialText.Shell(new ProfileCredential(Key, Secret)) +
                            "\nprintf '%s|%s|%s' \"$AWS_ACCESS_KEY_ID\" \"${AWS_SESSION_TOKEN-unset}\" \"${AWS_CREDENTIAL_EXPIRATION-unset}\"";
            Assert.Equal($"{Key}|unset|unset", RunShell(permanent, ("AWS_SESSION_TOKEN", "left-over"), ("AWS_CREDENTIAL_EXPIRATION", "2020-01-01T00:00:00Z")));
        }

        [Fact]
        public void Json_escapes_quotes_and_backslashes()
        {
            var text = CredentialText.Json(new ProfileCredential(Key, "a\"b\\c/d'e"));
            Assert.Contains("\"SecretAccessKey\": \"a\\\"b\\\\c/d'e\"", text);
            Assert.Equal("a\"b\\c/d'e", AuthFileReader.Parse(text, "x.json").SecretAccessKey);
        }

        [Fact]
        public void Expiration_is_written_in_UTC_to_the_second_whatever_its_kind()
        {
            var local = new DateTime(2026, 11, 22, 10, 0, 0, 999, DateTimeKind.Utc).ToLocalTime();
            Assert.Equal("2026-11-22T10:00:00Z", new ProfileCredential(TemporaryKey, Secret, Token, expiration: local).ExpirationText);
            var unspecified = new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Unspecified);
            Assert.Equal("2026-11-22T10:00:00Z", new ProfileCredential(TemporaryKey, Secret, Token, expiration: unspecified).ExpirationText);
            Assert.Null(new ProfileCredential(Key, Secret).ExpirationText);
        }

        [Fact]
        public void Empty_token_and_region_count_as_none()
        {
            var credential = new ProfileCredential(Key, Secret, "", "");
            Assert.False(credential.IsTemporary);
            Assert.Null(credential.Region);
            Assert.DoesNotContain("aws_session_token", CredentialText.Ini(credential));
        }

        [Theory]
        [InlineData(null, Secret, null, null, "AccessKeyIdMissing", "AccessKeyId")]
        [InlineData("AKIA SHORT", Secret, null, null, "AccessKeyIdInvalid", "AccessKeyId")]
        [InlineData("AKIAIOSFODNN7EXAMPLE\n[evil]", Secret, null, null, "AccessKeyIdInvalid", "AccessKeyId")]
        [InlineData(Key, null, null, null, "SecretAccessKeyMissing", "SecretAccessKey")]
        [InlineData(Key, "secret with space", null, null, "SecretAccessKeyInvalid", "SecretAccessKey")]
        [InlineData(Key, "secret\nregion = evil", null, null, "SecretAccessKeyInvalid", "SecretAccessKey")]
        [InlineData(Key, "sécret", null, null, "SecretAccessKeyInvalid", "SecretAccessKey")]
        [InlineData(Key, Secret, "token\r\nx", null, "SessionTokenInvalid", "SessionToken")]
        [InlineData(Key, Secret, null, "Mars-1", "RegionInvalid", "Region")]
        public void Bad_values_are_refused_naming_the_parameter_and_never_repeating_the_secret(string key, string secret, string token, string region, string errorId, string parameter)
        {
            foreach (CredentialTextFormat format in Enum.GetValues(typeof(CredentialTextFormat)))
            {
                var error = Assert.Throws<S3CredentialsException>(() => CredentialText.Format(new ProfileCredential(key, secret, token, region), format));
                Assert.Equal(errorId, error.ErrorId);
                Assert.Equal(parameter, error.ParameterName);
                Assert.Equal(FailureKind.InvalidArgument, error.Kind);
                if (secret != null) Assert.DoesNotContain(secret, error.Message);
                if (token != null) Assert.DoesNotContain(token, error.Message);
            }
        }

        [Theory]
        [InlineData("", "ProfileNameEmpty")]
        [InlineData("my profile", "ProfileNameInvalid")]
        [InlineData("a]b", "ProfileNameInvalid")]
        [InlineData("[x", "ProfileNameInvalid")]
        [InlineData("x\ny", "ProfileNameInvalid")]
        [InlineData("tab\there", "ProfileNameInvalid")]
        public void Bad_section_names_are_refused(string name, string errorId)
        {
            var error = Assert.Throws<S3CredentialsException>(() => CredentialText.Format(Permanent(), CredentialTextFormat.Ini, name));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal("ProfileName", error.ParameterName);
        }

        [Theory]
        [InlineData("default")]
        [InlineData("s3.read-only.photos")]
        [InlineData("team/photos@prod_2")]
        [InlineData("#hash;semi")]
        public void Section_names_without_whitespace_or_brackets_are_fine(string name)
            => Assert.StartsWith("[" + name + "]\n", CredentialText.Format(Permanent(), CredentialTextFormat.Ini, name));

        private static string RunShell(string script, params (string Name, string Value)[] environment)
        {
            var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var (name, value) in environment) start.Environment[name] = value;
            using var process = Process.Start(start);
            process.StandardInput.Write(script);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd();
            var errors = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(10000), "sh did not finish");
            Assert.True(process.ExitCode == 0, "sh failed: " + errors);
            return output;
        }
    }
}
