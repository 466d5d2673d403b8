using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;

namespace S3Credentials.Core.Operations
{
    /// <summary>What Set-S3BucketDetail changes; a setting left null is left as it is.</summary>
    public sealed class BucketSettingsRequest
    {
        public static readonly string[] CorsMethods = { "GET", "PUT", "POST", "DELETE", "HEAD" };

        public string BucketName { get; set; }
        /// <summary>The bucket policy JSON to write.</summary>
        public string Policy { get; set; }
        public bool RemovePolicy { get; set; }
        public bool? BlockPublicAcls { get; set; }
        public bool? IgnorePublicAcls { get; set; }
        public bool? BlockPublicPolicy { get; set; }
        public bool? RestrictPublicBuckets { get; set; }
        /// <summary>CORS rules as JSON: {"CORSRules":[...]} (the AWS CLI's shape), an array of rules, or one rule.</summary>
        public string Cors { get; set; }
        /// <summary>s3-credentials set-cors-policy's options: one rule, origins * and method GET unless given.</summary>
        public IReadOnlyList<string> CorsAllowedOrigin { get; set; }
        public IReadOnlyList<string> CorsAllowedMethod { get; set; }
        public IReadOnlyList<string> CorsAllowedHeader { get; set; }
        public IReadOnlyList<string> CorsExposeHeader { get; set; }
        public int? CorsMaxAgeSeconds { get; set; }
        public bool RemoveCors { get; set; }
        public string WebsiteIndexDocument { get; set; }
        public string WebsiteErrorDocument { get; set; }
        public bool RemoveWebsite { get; set; }

        internal bool SetsBlock => BlockPublicAcls != null || IgnorePublicAcls != null || BlockPublicPolicy != null || RestrictPublicBuckets != null;
        internal bool SetsCorsOptions => CorsAllowedOrigin != null || CorsAllowedMethod != null || CorsAllowedHeader != null || CorsExposeHeader != null || CorsMaxAgeSeconds != null;
        internal bool SetsWebsite => WebsiteIndexDocument != null || WebsiteErrorDocument != null;

        /// <summary>Refuses contradictions and bad values before any request, naming the parameter; returns the CORS rules to write (null: CORS unchanged).</summary>
        public List<CORSRule> Validate()
        {
            AwsNames.ValidateBucketName(BucketName);
            void Conflict(string a, string b)
                => throw S3CredentialsException.InvalidParameter("ConflictingSettings", b, $"-{a} and -{b} cannot be given together: one writes the setting, the other removes it.");
            if (Policy != null && RemovePolicy) Conflict("Policy", "RemovePolicy");
            if (Cors != null && SetsCorsOptions)
                throw S3CredentialsException.InvalidParameter("ConflictingSettings", "Cors", "-Cors (a JSON document) and the -Cors... options (one rule) cannot be given together.");
            if ((Cors != null || SetsCorsOptions) && RemoveCors) Conflict("Cors", "RemoveCors");
            if (SetsWebsite && RemoveWebsite) Conflict("WebsiteIndexDocument", "RemoveWebsite");
            if (Policy == null && !RemovePolicy && !SetsBlock && Cors == null && !SetsCorsOptions && !RemoveCors && !SetsWebsite && !RemoveWebsite)
                throw S3CredentialsException.InvalidParameter("NothingToSet", "Policy",
                    "Nothing to set: give -Policy or -RemovePolicy, a public access block flag (-BlockPublicAcls ...), -Cors or the -Cors... options or -RemoveCors, -WebsiteIndexDocument or -RemoveWebsite.");
            if (Policy != null)
            {
                var policy = PolicyJson.ParseUserJson(Policy, "Policy", "BucketPolicy", "a bucket policy as JSON");
                if (policy.ValueKind != JsonValueKind.Object || !policy.TryGetProperty("Statement", out _))
                    throw S3CredentialsException.InvalidParameter("BucketPolicyNoStatement", "Policy", "-Policy must be a JSON object with a Statement, such as Get-S3CredentialPolicy -PublicBucket gives.");
            }
            if (WebsiteIndexDocument != null && (WebsiteIndexDocument.Length == 0 || WebsiteIndexDocument.Contains("/")))
                throw S3CredentialsException.InvalidParameter("WebsiteIndexDocumentInvalid", "WebsiteIndexDocument", "-WebsiteIndexDocument is a file name without '/', such as index.html (S3 serves it for every folder).");
            List<CORSRule> rules = null;
            if (Cors != null) rules = ParseCors(Cors);
            else if (SetsCorsOptions)
                rules = new List<CORSRule>
                {
                    new CORSRule
                    {
                        Id = "set-by-s3credentials",
                        AllowedOrigins = (CorsAllowedOrigin ?? new[] { "*" }).ToList(),
                        AllowedMethods = (CorsAllowedMethod ?? new[] { "GET" }).Select(m => m.ToUpperInvariant()).ToList(),
                        AllowedHeaders = CorsAllowedHeader?.ToList(),
                        ExposeHeaders = CorsExposeHeader?.ToList(),
                        MaxAgeSeconds = CorsMaxAgeSeconds,
                    },
                };
            foreach (var rule in rules ?? new List<CORSRule>())
            {
                var method = rule.AllowedMethods?.FirstOrDefault(m => !CorsMethods.Contains(m));
                if (method != null || rule.AllowedMethods == null || rule.AllowedMethods.Count == 0)
                    throw S3CredentialsException.InvalidParameter("CorsMethodInvalid", Cors != null ? "Cors" : "CorsAllowedMethod",
                        $"CORS allowed methods are {string.Join(", ", CorsMethods)}" + (method == null ? "; a rule needs at least one." : $", not '{method}'."));
                if (rule.AllowedOrigins == null || rule.AllowedOrigins.Count == 0)
                    throw S3CredentialsException.InvalidParameter("CorsOriginMissing", Cors != null ? "Cors" : "CorsAllowedOrigin", "A CORS rule needs at least one allowed origin, such as https://www.example.com or *.");
                if (rule.MaxAgeSeconds < 0)
                    throw S3CredentialsException.InvalidParameter("CorsMaxAgeNegative", Cors != null ? "Cors" : "CorsMaxAgeSeconds", "MaxAgeSeconds cannot be negative.");
            }
            return rules;
        }

        private static List<CORSRule> ParseCors(string json)
        {
            var root = PolicyJson.ParseUserJson(json, "Cors", "Cors", "CORS rules as JSON, such as {\"CORSRules\":[{\"AllowedOrigins\":[\"*\"],\"AllowedMethods\":[\"GET\"]}]}");
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("CORSRules", out var inner)) root = inner;
            var elements = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : new List<JsonElement> { root };
            if (elements.Count == 0 || elements.Any(e => e.ValueKind != JsonValueKind.Object))
                throw S3CredentialsException.InvalidParameter("CorsNotRules", "Cors", "-Cors must hold CORS rules: {\"CORSRules\":[...]}, an array of rules, or one rule object.");
            List<string> List(JsonElement rule, string name)
                => rule.TryGetProperty(name, out var value) ? (value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString()).ToList() : new List<string> { value.GetString() }) : null;
            return elements.Select(rule => new CORSRule
            {
                Id = rule.TryGetProperty("ID", out var id) ? id.GetString() : null,
                AllowedOrigins = List(rule, "AllowedOrigins"),
                AllowedMethods = List(rule, "AllowedMethods")?.Select(m => m?.ToUpperInvariant()).ToList(),
                AllowedHeaders = List(rule, "AllowedHeaders"),
                ExposeHeaders = List(rule, "ExposeHeaders"),
                MaxAgeSeconds = rule.TryGetProperty("MaxAgeSeconds", out var age) && age.ValueKind == JsonValueKind.Number ? age.GetInt32() : (int?)null,
            }).ToList();
        }
    }

    /// <summary>
    /// Set-S3BucketDetail: writes a bucket's policy, public access block, CORS rules and website (s3-credentials'
    /// set-bucket-policy, set-public-access-block, set-cors-policy). Each setting is read first, so the question (and
    /// -WhatIf) shows the exact document that would be written and the one it replaces. The public access block is
    /// written first, so a public policy is not refused by the block it lifts. Each setting is a step on the
    /// <see cref="StepRunner"/>: when a later write fails (or Ctrl+C stops it), the earlier ones get back the documents they
    /// replaced, and whatever could not be put back is named in a warning and in the error. A declined question stops the walk
    /// the same way: no later setting is asked about, the earlier ones are put back. Returns the bucket's details afterwards
    /// (null when nothing was changed).
    /// </summary>
    public static class BucketSettingsOperation
    {
        public static async Task<S3BucketDetail> RunAsync(AwsSession session, BucketSettingsRequest request, IOperationHost host, CancellationToken cancellationToken)
        {
            if (host == null) throw new ArgumentNullException(nameof(host));
            var rules = request.Validate();
            var bucket = request.BucketName;
            var changed = false;
            using (var s3 = session.CreateS3Client())
            {
                // Read-only first: every setting's current document, so each step's question names what it replaces and
                // its undo can put that back.
                var steps = await StepsAsync(s3, request, rules, host, cancellationToken).ConfigureAwait(false);
                // Each setting is its own question. As everywhere on the runner, a declined one stops the walk: no later setting
                // is asked about, and the ones already written get back the documents they replaced.
                var runner = new StepRunner(host);
                try
                {
                    foreach (var step in steps)
                    {
                        var outcome = await runner.RunAsync(step, cancellationToken).ConfigureAwait(false);
                        if (outcome == StepOutcome.Declined)
                        {
                            await runner.RollBackDeclinedAsync().ConfigureAwait(false);
                            return null;
                        }
                        if (outcome == StepOutcome.Made)
                            changed = true;
                    }
                }
                catch (Exception e)
                {
                    // A later write failed or was stopped: the settings written before it get back the documents they replaced.
                    throw await runner.RollBackAfterAsync(e, cancellationToken).ConfigureAwait(false);
                }
            }
            if (!changed)
                return null;
            var detail = (await BucketDetailOperation.RunAsync(session, new[] { bucket }, 1, host, cancellationToken).ConfigureAwait(false)).Single();
            if (detail.Error != null) throw detail.Error;
            return detail.Value;
        }

        /// <summary>
        /// The steps of Set-S3BucketDetail, in order (the public access block first, so a public policy is not refused by the
        /// block it lifts): each writes one setting, or removes it, and its undo puts back the document it replaced, or removes
        /// the setting when there was none. A setting with nothing to remove is no step.
        /// </summary>
        internal static async Task<IReadOnlyList<OperationStep>> StepsAsync(IAmazonS3 s3, BucketSettingsRequest request, List<CORSRule> rules, IOperationHost host, CancellationToken cancellationToken)
        {
            var bucket = request.BucketName;
            var steps = new List<OperationStep>();
            if (request.SetsBlock)
            {
                var current = (await ReadAsync(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, cancellationToken), "NoSuchPublicAccessBlockConfiguration"))?.PublicAccessBlockConfiguration;
                var next = new PublicAccessBlockConfiguration
                {
                    BlockPublicAcls = request.BlockPublicAcls ?? current?.BlockPublicAcls ?? false,
                    IgnorePublicAcls = request.IgnorePublicAcls ?? current?.IgnorePublicAcls ?? false,
                    BlockPublicPolicy = request.BlockPublicPolicy ?? current?.BlockPublicPolicy ?? false,
                    RestrictPublicBuckets = request.RestrictPublicBuckets ?? current?.RestrictPublicBuckets ?? false,
                };
                steps.Add(Step(host, bucket, "public access block", BlockJson(next), current == null ? null : BlockJson(current),
                    ct => s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest { BucketName = bucket, PublicAccessBlockConfiguration = next }, ct),
                    current == null
                        ? (Func<CancellationToken, Task>)(ct => s3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket }, ct))
                        : ct => s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest { BucketName = bucket, PublicAccessBlockConfiguration = current }, ct)));
            }
            if (request.Policy != null || request.RemovePolicy)
            {
                var raw = await CurrentPolicyRawAsync(s3, bucket, cancellationToken).ConfigureAwait(false);
                var current = raw == null ? null : Indented(raw);
                var next = request.Policy == null ? null : Indented(request.Policy);
                Func<CancellationToken, Task> put(string policy) => ct => s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = policy }, ct);
                Func<CancellationToken, Task> delete = ct => s3.DeleteBucketPolicyAsync(new DeleteBucketPolicyRequest { BucketName = bucket }, ct);
                if (next != null || current != null)
                    steps.Add(Step(host, bucket, "bucket policy", next, current, next != null ? put(request.Policy) : delete, raw != null ? put(raw) : delete));
            }
            if (rules != null || request.RemoveCors)
            {
                var currentRules = await CurrentCorsRulesAsync(s3, bucket, cancellationToken).ConfigureAwait(false);
                var current = currentRules == null ? null : CorsJson(currentRules);
                var next = rules == null ? null : CorsJson(rules);
                Func<CancellationToken, Task> put(List<CORSRule> r) => ct => s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest { BucketName = bucket, Configuration = new CORSConfiguration { Rules = r } }, ct);
                Func<CancellationToken, Task> delete = ct => s3.DeleteCORSConfigurationAsync(new DeleteCORSConfigurationRequest { BucketName = bucket }, ct);
                if (next != null || current != null)
                    steps.Add(Step(host, bucket, "CORS rules", next, current, rules != null ? put(rules) : delete, currentRules != null ? put(currentRules) : delete));
            }
            if (request.SetsWebsite || request.RemoveWebsite)
            {
                var response = await s3.GetBucketWebsiteAsync(new GetBucketWebsiteRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
                var current = response.HttpStatusCode == HttpStatusCode.NotFound ? null : response.WebsiteConfiguration;
                var next = request.RemoveWebsite ? null : new WebsiteConfiguration
                {
                    IndexDocumentSuffix = request.WebsiteIndexDocument ?? current?.IndexDocumentSuffix ?? "index.html",
                    ErrorDocument = request.WebsiteErrorDocument ?? current?.ErrorDocument,
                };
                var currentJson = current?.IndexDocumentSuffix == null ? null : WebsiteJson(current);
                Func<CancellationToken, Task> put(WebsiteConfiguration w) => ct => s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest { BucketName = bucket, WebsiteConfiguration = w }, ct);
                Func<CancellationToken, Task> delete = ct => s3.DeleteBucketWebsiteAsync(new DeleteBucketWebsiteRequest { BucketName = bucket }, ct);
                if (next != null || currentJson != null)
                    steps.Add(Step(host, bucket, "website", next == null ? null : WebsiteJson(next), currentJson, next != null ? put(next) : delete, currentJson != null ? put(current) : delete));
            }
            return steps;
        }

        /// <summary>
        /// One setting's step. The question, and -WhatIf's line: the document written and the one it replaces. The undo puts
        /// back the document replaced, or removes the setting when there was none (both also right when the write never landed).
        /// </summary>
        private static OperationStep Step(IOperationHost host, string bucket, string setting, string next, string current,
            Func<CancellationToken, Task> write, Func<CancellationToken, Task> restore)
        {
            var action = next == null
                ? $"Remove the {setting}:\n{current}"
                : $"Set the {setting} to:\n{next}\nreplacing" + (current == null ? " none" : ":\n" + current);
            host.Verbose($"Bucket '{bucket}': {action}");
            return new OperationStep($"bucket {bucket}", action)
            {
                Do = async ct => { await write(ct).ConfigureAwait(false); return true; },
                Undo = restore,
                UndoDescription = current == null ? $"the {setting} of bucket '{bucket}' (there was none before)" : $"the {setting} of bucket '{bucket}' (it replaced another)",
            };
        }

        private static async Task<T> ReadAsync<T>(Func<Task<T>> read, string absentCode) where T : class
        {
            try { return await read().ConfigureAwait(false); }
            catch (AmazonS3Exception e) when (e.ErrorCode == absentCode) { return null; }
        }

        private static async Task<string> CurrentPolicyRawAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
        {
            var response = await ReadAsync(() => s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket }, cancellationToken), "NoSuchBucketPolicy").ConfigureAwait(false);
            if (response == null || !((int)response.HttpStatusCode >= 200 && (int)response.HttpStatusCode < 300) || string.IsNullOrEmpty(response.Policy))
                return null;
            return response.Policy;
        }

        private static async Task<List<CORSRule>> CurrentCorsRulesAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
        {
            var response = await ReadAsync(() => s3.GetCORSConfigurationAsync(new GetCORSConfigurationRequest { BucketName = bucket }, cancellationToken), "NoSuchCORSConfiguration").ConfigureAwait(false);
            var rules = response?.Configuration?.Rules;
            return rules == null || rules.Count == 0 ? null : rules;
        }

        internal static async Task<string> CurrentCorsAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken, bool indented = true)
        {
            var rules = await CurrentCorsRulesAsync(s3, bucket, cancellationToken).ConfigureAwait(false);
            return rules == null ? null : CorsJson(rules, indented);
        }

        private static string Indented(string json)
        {
            using (var document = JsonDocument.Parse(json.TrimStart('\uFEFF'), PolicyJson.LenientReading))
                return PolicyJson.Write(w => document.RootElement.WriteTo(w), indented: true);
        }

        private static string BlockJson(PublicAccessBlockConfiguration block) => PolicyJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("BlockPublicAcls", block.BlockPublicAcls ?? false);
            w.WriteBoolean("IgnorePublicAcls", block.IgnorePublicAcls ?? false);
            w.WriteBoolean("BlockPublicPolicy", block.BlockPublicPolicy ?? false);
            w.WriteBoolean("RestrictPublicBuckets", block.RestrictPublicBuckets ?? false);
            w.WriteEndObject();
        }, indented: true);

        /// <summary>CORS rules as the AWS CLI writes them: {"CORSRules":[{"ID":...,"AllowedOrigins":[...],...}]}.</summary>
        internal static string CorsJson(IEnumerable<CORSRule> rules, bool indented = true) => PolicyJson.Write(w =>
        {
            void List(string name, List<string> values)
            {
                if (values == null || values.Count == 0) return;
                w.WriteStartArray(name);
                foreach (var value in values) w.WriteStringValue(value);
                w.WriteEndArray();
            }
            w.WriteStartObject();
            w.WriteStartArray("CORSRules");
            foreach (var rule in rules)
            {
                w.WriteStartObject();
                if (!string.IsNullOrEmpty(rule.Id)) w.WriteString("ID", rule.Id);
                List("AllowedOrigins", rule.AllowedOrigins);
                List("AllowedMethods", rule.AllowedMethods);
                List("AllowedHeaders", rule.AllowedHeaders);
                List("ExposeHeaders", rule.ExposeHeaders);
                if (rule.MaxAgeSeconds is int age) w.WriteNumber("MaxAgeSeconds", age);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }, indented);

        private static string WebsiteJson(WebsiteConfiguration website) => PolicyJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("IndexDocument");
            w.WriteString("Suffix", website.IndexDocumentSuffix);
            w.WriteEndObject();
            if (!string.IsNullOrEmpty(website.ErrorDocument))
            {
                w.WriteStartObject("ErrorDocument");
                w.WriteString("Key", website.ErrorDocument);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }, indented: true);

        /// <summary>The website endpoint of a bucket: http://BUCKET.s3-website-REGION... for the older regions, s3-website.REGION for the rest.</summary>
        public static string WebsiteUrl(string bucket, string region, AwsPartition partition)
        {
            var dash = new[] { "us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1", "us-gov-west-1" };
            return $"http://{bucket}.s3-website{(dash.Contains(region) ? "-" : ".")}{region}.{partition.DnsSuffix}";
        }
    }
}
