using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using S3Credentials.Core.Aws;
using S3Credentials.Core.Credentials;
using S3Credentials.Core.Iam;
using S3Credentials.Core.Models;
using S3Credentials.Core.Policies;

namespace S3Credentials.Core.Operations.NewCredential
{
    /// <summary>A policy the plan will write, with its name (inline user policies) or role (session policy).</summary>
    public sealed class PlannedPolicy
    {
        public PlannedPolicy(string name, string bucketName, PolicyDocument document)
        {
            Name = name;
            BucketName = bucketName;
            Document = document;
        }

        public string Name { get; }
        public string BucketName { get; }
        public PolicyDocument Document { get; }
    }

    /// <summary>
    /// New-S3Credential's request checked and worked out, with no AWS call: names, policies, limits.
    /// Every rule broken is reported naming the parameter and the rule. Get-S3CredentialPolicy shows it.
    /// </summary>
    public sealed class CredentialPlan
    {
        /// <summary>Path of the users and roles this module creates; also how they are listed.</summary>
        public const string ManagedPath = "/s3credentials/";
        /// <summary>Tag on every user and role this module creates.</summary>
        public const string ManagedTagKey = "S3CredentialsManaged";

        /// <summary>True when the tags include <see cref="ManagedTagKey"/>: the user or role is this module's.</summary>
        public static bool HasManagedTag(IEnumerable<IamTag> tags) => tags.Any(t => t.Key == ManagedTagKey);
        public const string DefaultRoleName = "S3Credentials-TemporaryAccess";
        public const int FederatedUserNameMaxLength = 32;
        private static readonly TimeSpan MinimumDuration = TimeSpan.FromMinutes(15);
        private static readonly TimeSpan AssumeRoleMaximum = TimeSpan.FromHours(12);
        private static readonly TimeSpan FederationTokenMaximum = TimeSpan.FromHours(36);
        private static readonly Regex TagKeyPattern = new Regex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$", RegexOptions.CultureInvariant);
        private static readonly Regex TagValuePattern = new Regex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$", RegexOptions.CultureInvariant);

        private CredentialPlan() { }

        public bool IsTemporary => Duration.HasValue;
        public TemporaryCredentialMethod Method { get; private set; }
        public IReadOnlyList<string> BucketNames { get; private set; }
        public AccessLevel Access { get; private set; }
        /// <summary>True when -Policy or -Statement shape the permissions (names then say "custom", as s3-credentials' do).</summary>
        public bool IsCustom { get; private set; }
        /// <summary>ReadWrite, ReadOnly, WriteOnly or Custom.</summary>
        public string AccessName => IsCustom ? "Custom" : Access.ToString();
        public bool HasCustomPolicy { get; private set; }
        public IReadOnlyList<string> Prefixes { get; private set; }
        public TimeSpan? Duration { get; private set; }
        public AwsPartition Partition { get; private set; }

        // Permanent
        public string UserName { get; private set; }
        public string PermissionsBoundaryArn { get; private set; }
        public IReadOnlyList<PlannedPolicy> UserPolicies { get; private set; } = Array.Empty<PlannedPolicy>();

        // Temporary
        public PolicyDocument SessionPolicy { get; private set; }
        public string SessionName { get; private set; }
        public string RoleName { get; private set; }
        /// <summary>-RoleArn: the role to assume, named by ARN (pre-approved or in another account); nothing is looked up or created. Null: the module's own role, <see cref="RoleName"/>.</summary>
        public string RoleArn { get; private set; }

        // Buckets
        public bool CreateBucket { get; private set; }
        public string BucketRegion { get; private set; }
        public bool Public { get; private set; }
        public bool Website { get; private set; }

        public IReadOnlyList<IamTag> Tags { get; private set; }
        /// <summary>True when the user gave tags of their own (beyond the module's tag).</summary>
        public bool HasUserTags => Tags.Count > 1;
        public bool NoWait { get; private set; }
        /// <summary>What the request allows but probably does not mean (a -Policy that names none of the buckets); the cmdlets write them as warnings.</summary>
        public IReadOnlyList<string> Warnings => _warnings;
        private readonly List<string> _warnings = new List<string>();
        private bool _customS3Endpoint;
        private bool _customStsEndpoint;

        /// <summary>The plan for a session: its partition, and any region-shaped -BucketRegion when S3 goes to an endpoint of the user's.</summary>
        public static CredentialPlan Create(NewCredentialRequest request, AwsSession session)
            => Create(request, (session ?? throw new ArgumentNullException(nameof(session))).Partition, customS3Endpoint: session.S3EndpointUrl != null,
                customStsEndpoint: session.StsEndpointUrl != null);

        /// <param name="customS3Endpoint">S3 goes to a store of the user's, whose regions may have any region-shaped name; otherwise -BucketRegion must be a known AWS region.</param>
        /// <param name="customStsEndpoint">STS goes to a store of the user's, whose role ARNs may have an empty or named account (<see cref="RoleArns"/>).</param>
        public static CredentialPlan Create(NewCredentialRequest request, AwsPartition partition, bool customS3Endpoint = false, bool customStsEndpoint = false)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var plan = new CredentialPlan { Partition = partition ?? AwsPartition.Aws, NoWait = request.NoWait, _customS3Endpoint = customS3Endpoint, _customStsEndpoint = customStsEndpoint };

            plan.BucketNames = CheckBuckets(request.BucketNames);
            plan.Prefixes = CheckPrefixes(request.Prefixes);
            plan.CheckTemporaryOptions(request);
            plan.CheckBucketOptions(request);
            plan.Tags = CheckTags(request.Tags);
            plan.BuildPolicies(request);
            if (plan.IsTemporary)
                plan.NameSession(request);
            else
                plan.NameUser(request);
            return plan;
        }

        /// <summary>The bucket names trimmed, each once, in order; at least one, each valid.</summary>
        internal static IReadOnlyList<string> CheckBuckets(IReadOnlyList<string> bucketNames)
        {
            var names = (bucketNames ?? Array.Empty<string>()).Where(b => b != null).Select(b => b.Trim()).Distinct(StringComparer.Ordinal).ToList();
            if (names.Count == 0)
                throw S3CredentialsException.InvalidParameter("BucketNameMissing", "BucketName", "-BucketName needs at least one bucket name.");
            foreach (var name in names)
                AwsNames.ValidateBucketName(name);
            return names;
        }

        private static IReadOnlyList<string> CheckPrefixes(IReadOnlyList<string> prefixes)
        {
            var list = (prefixes ?? Array.Empty<string>()).Distinct(StringComparer.Ordinal).ToList();
            foreach (var prefix in list)
                S3Names.ValidatePrefix(prefix);
            return list;
        }

        private void CheckTemporaryOptions(NewCredentialRequest request)
        {
            Duration = request.Duration;
            Method = request.Method ?? TemporaryCredentialMethod.AssumeRole;
            if (request.Duration == null)
            {
                if (request.Method != null)
                    throw S3CredentialsException.InvalidParameter("MethodWithoutDuration", "Method", "-Method chooses how temporary credentials are made: give -Duration too.");
                if (!string.IsNullOrEmpty(request.RoleName))
                    throw S3CredentialsException.InvalidParameter("RoleNameWithoutDuration", "RoleName", "-RoleName is the role assumed for temporary credentials: give -Duration too.");
                if (!string.IsNullOrEmpty(request.RoleArn))
                    throw S3CredentialsException.InvalidParameter("RoleArnWithoutDuration", "RoleArn", "-RoleArn is the role assumed for temporary credentials: give -Duration too.");
                return;
            }
            if (request.NoWait)
                throw S3CredentialsException.InvalidParameter("NoWaitWithDuration", "NoWait", "-NoWait skips waiting for a new access key; temporary credentials (-Duration) work at once, so it does not apply.");
            if (!string.IsNullOrEmpty(request.UserName))
                throw S3CredentialsException.InvalidParameter("UserNameWithDuration", "UserName", "-UserName names the IAM user of permanent credentials; temporary credentials (-Duration) make no user.");
            if (!string.IsNullOrEmpty(request.PermissionsBoundary))
                throw S3CredentialsException.InvalidParameter("PermissionsBoundaryWithDuration", "PermissionsBoundary", "-PermissionsBoundary applies to the IAM user of permanent credentials, not to temporary credentials (-Duration).");
            if (Method == TemporaryCredentialMethod.FederationToken)
            {
                if (request.Tags != null && request.Tags.Count > 0)
                    throw S3CredentialsException.InvalidParameter("TagWithFederationToken", "Tag", "-Tag labels the user or role this command creates; -Method FederationToken creates neither.");
                if (!string.IsNullOrEmpty(request.RoleName))
                    throw S3CredentialsException.InvalidParameter("RoleNameWithFederationToken", "RoleName", "-RoleName is for -Method AssumeRole; GetFederationToken assumes no role.");
                if (!string.IsNullOrEmpty(request.RoleArn))
                    throw S3CredentialsException.InvalidParameter("RoleArnWithFederationToken", "RoleArn", "-RoleArn is for -Method AssumeRole; GetFederationToken assumes no role.");
                DurationParser.EnsureWithin(request.Duration.Value, MinimumDuration, FederationTokenMaximum, "GetFederationToken");
            }
            else
            {
                DurationParser.EnsureWithin(request.Duration.Value, MinimumDuration, AssumeRoleMaximum, "AssumeRole");
                if (!string.IsNullOrEmpty(request.RoleArn))
                {
                    if (!string.IsNullOrEmpty(request.RoleName))
                        throw S3CredentialsException.InvalidParameter("RoleArnWithRoleName", "RoleArn", "-RoleArn names the role to assume, -RoleName the module's own role to find or create: give one or the other.");
                    if (request.Tags != null && request.Tags.Count > 0)
                        throw S3CredentialsException.InvalidParameter("TagWithRoleArn", "Tag", "-Tag labels the role this command creates; with -RoleArn it creates none.");
                    RoleName = RoleArns.Validate(request.RoleArn, Partition, _customStsEndpoint);
                    RoleArn = request.RoleArn;
                    return;
                }
                RoleName = string.IsNullOrEmpty(request.RoleName) ? DefaultRoleName : request.RoleName;
                AwsNames.ValidateRoleName(RoleName);
            }
        }

        private void CheckBucketOptions(NewCredentialRequest request)
        {
            CreateBucket = request.CreateBucket;
            Public = request.Public;
            Website = request.Website;
            BucketRegion = string.IsNullOrEmpty(request.BucketRegion) ? null : request.BucketRegion;
            if (!CreateBucket)
            {
                if (Public)
                    throw S3CredentialsException.InvalidParameter("PublicWithoutCreateBucket", "Public", "-Public makes a bucket that this command creates public: give -CreateBucket too (existing buckets are never changed).");
                if (Website)
                    throw S3CredentialsException.InvalidParameter("WebsiteWithoutCreateBucket", "Website", "-Website configures a bucket that this command creates: give -CreateBucket too (existing buckets are never changed).");
                if (BucketRegion != null)
                    throw S3CredentialsException.InvalidParameter("BucketRegionWithoutCreateBucket", "BucketRegion", "-BucketRegion is where -CreateBucket creates buckets: give -CreateBucket too.");
            }
            // s3-credentials' --website makes the bucket public unasked; here making data readable by everyone is always stated.
            if (Website && !Public)
                throw S3CredentialsException.InvalidParameter("WebsiteWithoutPublic", "Website",
                    "-Website serves the bucket's objects to anyone through S3's website endpoint, which answers 403 Forbidden for a private bucket: give -Public too, which makes the bucket readable by everyone (this command never does that unasked).");
            if (BucketRegion != null && !SessionResolver.IsRegionName(BucketRegion))
                throw S3CredentialsException.InvalidParameter("BucketRegionInvalid", "BucketRegion", $"-BucketRegion '{BucketRegion}' is not a region name such as us-east-1 or eu-west-2.");
            if (BucketRegion != null && !_customS3Endpoint && !AwsRegions.IsKnown(BucketRegion))
                throw AwsRegions.Unknown("BucketRegionUnknown", "BucketRegion", "-BucketRegion", BucketRegion);
            if (BucketRegion != null && AwsPartition.ForRegion(BucketRegion) != Partition)
                throw S3CredentialsException.InvalidParameter("BucketRegionOtherPartition", "BucketRegion", $"-BucketRegion '{BucketRegion}' is in another partition than -Region ({Partition.Name}).");
        }

        private static IReadOnlyList<IamTag> CheckTags(IReadOnlyDictionary<string, string> tags)
        {
            var list = new List<IamTag>();
            foreach (var tag in tags ?? new Dictionary<string, string>())
            {
                if (tag.Key == null || !TagKeyPattern.IsMatch(tag.Key))
                    throw S3CredentialsException.InvalidParameter("TagKeyInvalid", "Tag", $"-Tag key '{tag.Key}' is not a valid IAM tag key: 1 to 128 letters, digits, spaces and _.:/=+-@.");
                if (tag.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                    throw S3CredentialsException.InvalidParameter("TagKeyReserved", "Tag", $"-Tag key '{tag.Key}' starts with 'aws:', which AWS reserves.");
                if (string.Equals(tag.Key, ManagedTagKey, StringComparison.OrdinalIgnoreCase))
                    throw S3CredentialsException.InvalidParameter("TagKeyReserved", "Tag", $"-Tag key '{tag.Key}' is the tag this module sets itself.");
                if (!TagValuePattern.IsMatch(tag.Value ?? ""))
                    throw S3CredentialsException.InvalidParameter("TagValueInvalid", "Tag", $"-Tag value of '{tag.Key}' is not a valid IAM tag value: at most 256 letters, digits, spaces and _.:/=+-@.");
                list.Add(new IamTag(tag.Key, tag.Value ?? ""));
            }
            if (list.Count > 49)
                throw S3CredentialsException.InvalidParameter("TooManyTags", "Tag", $"-Tag has {list.Count} tags; IAM allows 50 per user or role and this module sets one itself.");
            list.Insert(0, new IamTag(ManagedTagKey, "true"));
            return list;
        }

        private void BuildPolicies(NewCredentialRequest request)
        {
            // Any -Policy given, even empty, is a custom policy: Parse refuses an empty one rather than granting read-write access.
            HasCustomPolicy = request.Policy != null;
            var statements = (request.Statements ?? Array.Empty<string>()).Select(s => (IPolicyStatement)RawPolicyStatement.Parse(s, "Statement")).ToList();
            IsCustom = HasCustomPolicy || statements.Count > 0;
            if (HasCustomPolicy)
            {
                if (request.Access != null)
                    throw S3CredentialsException.InvalidParameter("PolicyWithAccess", "Access", "-Access has no effect with -Policy, which states the permissions itself: give one or the other.");
                if (Prefixes.Count > 0)
                    throw S3CredentialsException.InvalidParameter("PolicyWithPrefix", "Prefix", "-Prefix has no effect with -Policy: write the prefixes into the policy's resources instead.");
            }
            Access = request.Access ?? AccessLevel.ReadWrite;
            var template = HasCustomPolicy ? CustomPolicyTemplate.Parse(request.Policy) : null;
            var notNamed = template?.BucketsNotNamed(BucketNames) ?? new List<string>();
            if (notNamed.Count > 0)
                _warnings.Add($"-Policy has no {CustomPolicyTemplate.BucketPlaceholder} placeholder and names no ARN of bucket {string.Join(", ", notNamed.Select(b => "'" + b + "'"))}: " +
                    "the credentials get exactly what the policy says, whatever -BucketName is. Write the placeholder where the bucket belongs, such as arn:" + Partition.Name + ":s3:::" + CustomPolicyTemplate.BucketPlaceholder + "/*.");

            if (IsTemporary)
            {
                SessionPolicy = HasCustomPolicy
                    ? template.ForSession(BucketNames, statements)
                    : S3AccessPolicies.SessionPolicy(BucketNames, Access, Prefixes, statements, Partition);
                PolicySize.EnsureFits(SessionPolicy, PolicySize.SessionPolicyLimit, HasCustomPolicy ? "Policy" : "BucketName",
                    PolicySize.SessionPolicyAdvice);
                return;
            }

            UserPolicies = BucketNames.Select(bucket => new PlannedPolicy(
                S3AccessPolicies.InlinePolicyName(Access, bucket, IsCustom),
                bucket,
                template != null ? template.ForBucket(bucket, statements) : S3AccessPolicies.PermanentUserPolicy(bucket, Access, Prefixes, statements, Partition))).ToList();
            PolicySize.EnsureFitTogether(UserPolicies.Select(p => p.Document).ToList(), PolicySize.UserInlinePoliciesLimit, HasCustomPolicy ? "Policy" : "BucketName",
                PolicySize.UserPolicyAdvice);
            PermissionsBoundaryArn = PermissionsBoundaries.Resolve(request.PermissionsBoundary, Access, IsCustom, Partition);
        }

        private void NameUser(NewCredentialRequest request)
        {
            UserName = string.IsNullOrEmpty(request.UserName) ? S3Names.DefaultUserName(Access, BucketNames, IsCustom) : request.UserName;
            AwsNames.ValidateUserName(UserName);
        }

        private void NameSession(NewCredentialRequest request)
        {
            var name = S3Names.DefaultRoleSessionName(Access, BucketNames, IsCustom);
            SessionName = Method == TemporaryCredentialMethod.FederationToken ? S3Names.FitToLength(name.Replace(',', '.'), FederatedUserNameMaxLength) : name;
        }
    }
}
