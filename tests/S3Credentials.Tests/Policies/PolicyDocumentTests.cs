using System;
using S3Credentials.Core;
using S3Credentials.Core.Policies;
using Xunit;

namespace S3Credentials.Tests.Policies
{
    public sealed class PolicyDocumentTests
    {
        [Fact]
        public void Statement_keys_are_written_as_Sid_Effect_Principal_Action_Resource_Condition()
        {
            var statement = new PolicyStatement(PolicyEffect.Deny, new[] { "s3:ListBucket" }, new[] { "arn:aws:s3:::b" },
                sid: "S1", principal: PolicyPrincipal.Everyone, condition: PolicyCondition.StringLike("s3:prefix", new[] { "a*" }));
            var json = new PolicyDocument(new IPolicyStatement[] { statement }).ToJson();
            Assert.Equal(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S1\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":[\"s3:ListBucket\"],"
                + "\"Resource\":[\"arn:aws:s3:::b\"],\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"a*\"]}}}]}",
                json);
        }

        [Fact]
        public void Optional_elements_are_left_out_and_single_values_stay_lists()
        {
            var json = new PolicyDocument(new IPolicyStatement[] { PolicyStatement.Allow(new[] { "s3:GetObject" }, new[] { "arn:aws:s3:::b/*" }) }).ToJson();
            Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::b/*\"]}]}", json);
        }

        [Fact]
        public void A_statement_without_resources_has_no_Resource_element()
        {
            var statement = new PolicyStatement(PolicyEffect.Allow, new[] { "sts:AssumeRole" }, null, principal: PolicyPrincipal.Aws("arn:aws:iam::123456789012:user/alice"));
            Assert.Equal("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/alice\"},\"Action\":[\"sts:AssumeRole\"]}",
                PolicyJson.Write(statement.WriteTo, indented: false));
        }

        [Fact]
        public void Condition_groups_keys_under_their_operator_in_the_order_given()
        {
            var condition = new PolicyCondition(new[]
            {
                new ConditionClause("StringLike", "s3:prefix", new[] { "a*", "b*" }),
                new ConditionClause("Bool", "aws:SecureTransport", new[] { "true" }),
                new ConditionClause("StringLike", "s3:delimiter", new[] { "/" }),
            });
            var statement = PolicyStatement.Allow(new[] { "s3:ListBucket" }, new[] { "arn:aws:s3:::b" }, condition);
            Assert.Equal(
                "{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::b\"],"
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"a*\",\"b*\"],\"s3:delimiter\":[\"/\"]},\"Bool\":{\"aws:SecureTransport\":[\"true\"]}}}",
                PolicyJson.Write(statement.WriteTo, indented: false));
        }

        [Fact]
        public void A_condition_cannot_test_the_same_operator_and_key_twice()
        {
            Assert.Throws<ArgumentException>(() => new PolicyCondition(new[]
            {
                new ConditionClause("StringLike", "s3:prefix", new[] { "a*" }),
                new ConditionClause("StringLike", "s3:prefix", new[] { "b*" }),
            }));
        }

        [Fact]
        public void A_statement_needs_an_action()
        {
            Assert.Throws<ArgumentException>(() => PolicyStatement.Allow(new string[0], new[] { "*" }));
        }

        [Fact]
        public void Version_can_be_left_out_and_Id_comes_between_Version_and_Statement()
        {
            var statement = PolicyStatement.Allow(new[] { "s3:GetObject" }, new[] { "*" });
            Assert.Equal("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"*\"]}]}",
                new PolicyDocument(new[] { statement }, version: null).ToJson());
            Assert.Equal("{\"Version\":\"2012-10-17\",\"Id\":\"x\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"*\"]}]}",
                new PolicyDocument(new[] { statement }, id: "x").ToJson());
        }

        [Fact]
        public void Indented_json_uses_two_spaces_and_newlines()
        {
            var json = new PolicyDocument(new IPolicyStatement[] { PolicyStatement.Allow(new[] { "s3:PutObject" }, new[] { "arn:aws:s3:::b/*" }) }).ToJson(indented: true);
            Assert.Equal(
                "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\n        \"s3:PutObject\"\n      ],\n"
                + "      \"Resource\": [\n        \"arn:aws:s3:::b/*\"\n      ]\n    }\n  ]\n}",
                json);
        }

        [Fact]
        public void Plus_and_non_ASCII_are_written_as_they_are_and_quotes_are_escaped()
        {
            var statement = PolicyStatement.Allow(new[] { "s3:GetObject" }, new[] { "arn:aws:s3:::b/a+b <é> \"q\\" });
            Assert.Equal("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::b/a+b <é> \\\"q\\\\\"]}",
                PolicyJson.Write(statement.WriteTo, indented: false));
        }

        [Fact]
        public void Raw_statements_are_serialized_in_place_with_their_own_keys_order_and_values()
        {
            var raw = RawPolicyStatement.Parse("{ \"Resource\": \"*\", \"Action\": \"textract:*\", // comment\n \"Effect\": \"Allow\", \"Condition\": {\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": 3600.0}}, }");
            var built = PolicyStatement.Allow(new[] { "s3:GetObject" }, new[] { "arn:aws:s3:::b/*" });
            var json = new PolicyDocument(new IPolicyStatement[] { built, raw, built }).ToJson();
            Assert.Equal(
                "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::b/*\"]},"
                + "{\"Resource\":\"*\",\"Action\":\"textract:*\",\"Effect\":\"Allow\",\"Condition\":{\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":3600.0}}},"
                + "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::b/*\"]}]}",
                json);
        }

        [Theory]
        [InlineData("{}", 2)]
        [InlineData("{ \"a\" : [ 1 , 2 ] }", 11)]
        [InlineData("{\n\t\"a b\":\r\n\"c  d\"\n}", 14)]
        [InlineData("{\"a\":\"x\\\" y\"}", 13)]
        [InlineData("{\"a\":\"\\\\\" , \"b\" : \" \"}", 18)]
        [InlineData("[\"😀\"]", 5)]
        public void CompactLength_ignores_whitespace_outside_strings_only(string json, int expected)
        {
            Assert.Equal(expected, PolicyJson.CompactLength(json));
        }

        [Fact]
        public void CompactLength_of_a_document_is_the_length_of_its_compact_json()
        {
            var document = new PolicyDocument(new IPolicyStatement[] { PolicyStatement.Allow(new[] { "s3:GetObject" }, new[] { "arn:aws:s3:::b/with space/*" }) });
            Assert.Equal(document.ToJson().Length, document.CompactLength);
            Assert.Equal(document.ToJson().Length, PolicyJson.CompactLength(document.ToJson(indented: true)));
        }

        [Fact]
        public void PolicyPrincipal_Aws_needs_an_ARN()
        {
            Assert.Throws<ArgumentException>(() => PolicyPrincipal.Aws("123456789012"));
        }
    }
}
