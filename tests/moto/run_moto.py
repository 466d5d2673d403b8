"""Start moto_server for the tests: run_moto.py HOST PORT.

Five changes that bring moto 5.2.1's auth mode closer to AWS (the first two and the sixth only make it stricter;
the third makes it check presigned URLs as S3 does instead of failing every one; the fifth teaches it the date
conditions on aws:TokenIssueTime that revoke role sessions), and a fourth for speed (only the AWS managed policies
the tests use are loaded: see MANAGED_POLICIES_USED_BY_TESTS below). 5. and 6. are described where they are made.

1. moto with werkzeug 3.1 re-signs requests from the *decoded* request URL, so any S3 request whose
   path or query holds percent-encoded characters (%2F, %3D, spaces...) fails with
   SignatureDoesNotMatch. moto's request handling is written for the raw URL (that is what it gets in
   decorator mode), so hand it the raw request URI the client sent.
2. moto evaluates only StringEquals conditions, and gives identity policies no request context, so a
   ListBucket statement limited by {"StringLike": {"s3:prefix": [...]}} allowed every listing. Add
   StringLike (AWS's * and ? wildcards) and the s3:prefix key of S3 requests (the prefix query
   parameter, "" when absent), as IAM documents them.
3. moto's auth mode reads the signature only from the Authorization header, so every presigned S3 URL
   (SigV4 query-string authentication: X-Amz-Credential, X-Amz-Signature... in the query) failed with
   HTTP 500 (KeyError 'Authorization'). Check them as S3 does: the signature over the canonical request
   (every query parameter but X-Amz-Signature, the signed headers, UNSIGNED-PAYLOAD), the session token
   in X-Amz-Security-Token against the key, X-Amz-Expires (1 to 604800 seconds) and the expiry
   (X-Amz-Date + X-Amz-Expires), then the identity policies as for any request. Still not checked
   (moto never checks it): the expiry of the temporary credentials themselves.
"""
import re
import sys
import threading
from urllib.parse import parse_qs, urlsplit

import flask
from werkzeug.sansio.request import Request as SansIORequest

_decoded_url = SansIORequest.url


def _raw_url(self):
    raw = self.environ.get("RAW_URI") or self.environ.get("REQUEST_URI")
    if not raw:
        return _decoded_url.__get__(self, type(self))
    if raw.startswith(("http://", "https://")):
        return raw
    return f"{self.scheme}://{self.host}{raw}"


flask.Request.url = property(_raw_url)

from moto.iam import access_control, policy_conditions  # noqa: E402

_request_context = threading.local()


def _string_like(expected, actual):
    patterns = expected if isinstance(expected, list) else [expected]
    for pattern in patterns:
        regex = "^" + "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern) + "$"
        if re.match(regex, actual, re.DOTALL):
            return True
    return False


policy_conditions.CONDITION_OPERATIONS["StringLike"] = _string_like

_check_conditions = access_control.IAMPolicyStatement._check_conditions


def _check_conditions_with_request_context(self, incoming_condition_values):
    if incoming_condition_values is None:
        incoming_condition_values = getattr(_request_context, "values", None)
    return _check_conditions(self, incoming_condition_values)


access_control.IAMPolicyStatement._check_conditions = _check_conditions_with_request_context

_check_action_permitted = access_control.IAMRequestBase.check_action_permitted


def _check_with_request_context(self, resource):
    values = {}
    if isinstance(self, access_control.S3IAMRequest):
        query = parse_qs(urlsplit(self._path).query, keep_blank_values=True)
        values["s3:prefix"] = (query.get("prefix") or [""])[0]
    token_issue_time = getattr(self._access_key, "token_issue_time", None)  # see 5. below
    if token_issue_time is not None:
        values["aws:TokenIssueTime"] = token_issue_time
    _request_context.values = values
    try:
        return _check_action_permitted(self, resource)
    finally:
        _request_context.values = None


access_control.IAMRequestBase.check_action_permitted = _check_with_request_context

from datetime import datetime, timedelta, timezone  # noqa: E402
from urllib.parse import unquote  # noqa: E402

from botocore.auth import S3SigV4QueryAuth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402

_iam_request_init = access_control.IAMRequestBase.__init__
_check_signature = access_control.IAMRequestBase.check_signature
_calculate_signature = access_control.IAMRequestBase._calculate_signature


def _query_pairs(path):
    query = urlsplit(path).query
    return [(unquote(k), unquote(v)) for k, _, v in (p.partition("=") for p in query.split("&") if p)]


def _init_with_query_auth(self, account_id, method, path, data, body, headers, action):
    query = dict(_query_pairs(path))
    self._presigned = isinstance(self, access_control.S3IAMRequest) and "Authorization" not in headers and "X-Amz-Signature" in query
    if self._presigned:
        # Hand moto's checks the header form of the same values; the token goes where moto looks for it.
        headers = dict(headers.items())
        headers["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={query.get('X-Amz-Credential', '')}, "
            f"SignedHeaders={query.get('X-Amz-SignedHeaders', '')}, Signature={query['X-Amz-Signature']}"
        )
        if "X-Amz-Security-Token" in query:
            headers["X-Amz-Security-Token"] = query["X-Amz-Security-Token"]
        self._presigned_date = query.get("X-Amz-Date", "")
        self._presigned_expires = query.get("X-Amz-Expires", "")
    _iam_request_init(self, account_id, method, path, data, body, headers, action)


def _check_signature_with_query_auth(self):
    if getattr(self, "_presigned", False):
        try:
            signed_at = datetime.strptime(self._presigned_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
            expires = int(self._presigned_expires)
        except ValueError:
            self._raise_access_denied()
        if not 1 <= expires <= 604800 or datetime.now(timezone.utc) > signed_at + timedelta(seconds=expires):
            self._raise_access_denied()  # S3: AccessDenied, "Request has expired"
    _check_signature(self)


def _calculate_signature_with_query_auth(self):
    if not getattr(self, "_presigned", False):
        return _calculate_signature(self)
    signed_headers = self._get_string_between("SignedHeaders=", ",", self._headers["Authorization"]).split(";")
    request = AWSRequest(
        method=self._method,
        url=urlsplit(self._path).path,
        headers=self._create_headers_for_aws_request(signed_headers, self._headers),
    )
    request.params = [(k, v) for k, v in _query_pairs(self._path) if k != "X-Amz-Signature"]
    request.context["timestamp"] = self._presigned_date
    auth = S3SigV4QueryAuth(self._access_key.create_credentials(), self._service, self._region, expires=int(self._presigned_expires))
    canonical_request = auth.canonical_request(request)
    return auth.signature(auth.string_to_sign(request, canonical_request), request)


access_control.IAMRequestBase.__init__ = _init_with_query_auth
access_control.IAMRequestBase.check_signature = _check_signature_with_query_auth
access_control.IAMRequestBase._calculate_signature = _calculate_signature_with_query_auth

# 5. Revoking role sessions, as the console's "revoke active sessions" does: an inline policy on the role denying
#    everything to sessions whose aws:TokenIssueTime is DateLessThan a moment. moto knows neither the operator nor the
#    key, and a statement whose condition does not hold counts as a denial there, so every Deny with a condition
#    denied everything. As IAM documents them: DateLessThan compares ISO 8601 times (or epoch seconds), any listed
#    value matching; aws:TokenIssueTime is when the temporary credentials were issued (AssumeRole's moment, kept on
#    each assumed role) and is absent from requests signed with long-term keys, where a date condition on it does not
#    match; a statement whose condition does not match does not apply (neither allows nor denies).
from moto.sts import models as sts_models  # noqa: E402


def _policy_time(value):
    text = str(value)
    if re.fullmatch(r"[0-9]+", text):
        return datetime.fromtimestamp(int(text), timezone.utc)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _date_less_than(expected, actual):
    return any(_policy_time(actual) < _policy_time(value) for value in (expected if isinstance(expected, list) else [expected]))


def _date_greater_than(expected, actual):
    return any(_policy_time(actual) > _policy_time(value) for value in (expected if isinstance(expected, list) else [expected]))


policy_conditions.CONDITION_OPERATIONS["DateLessThan"] = _date_less_than
policy_conditions.CONDITION_OPERATIONS["DateGreaterThan"] = _date_greater_than
_DATE_OPERATORS = {"DateLessThan", "DateGreaterThan"}
_verify_condition = policy_conditions.TrustCondition.verify_condition


def _verify_condition_on_present_keys(self, actual_values):
    if self._condition in _DATE_OPERATORS and len(actual_values) < len(self.context_keys):
        return False  # a key the request does not have: the date condition does not match
    return _verify_condition(self, actual_values)


policy_conditions.TrustCondition.verify_condition = _verify_condition_on_present_keys

_statement_is_action_permitted = access_control.IAMPolicyStatement.is_action_permitted


def _statement_applies_only_when_its_condition_holds(self, action, resource="*", principal=None, incoming_condition_values=None):
    result = _statement_is_action_permitted(self, action, resource, principal, incoming_condition_values)
    if result == access_control.PermissionResult.DENIED and self._statement.get("Condition") and not self._check_conditions(incoming_condition_values):
        return access_control.PermissionResult.NEUTRAL
    return result


access_control.IAMPolicyStatement.is_action_permitted = _statement_applies_only_when_its_condition_holds

_assumed_role_init = sts_models.AssumedRole.__init__


def _assumed_role_init_with_issue_time(self, *args, **kwargs):
    _assumed_role_init(self, *args, **kwargs)
    self.token_issue_time = datetime.now(timezone.utc).isoformat()


sts_models.AssumedRole.__init__ = _assumed_role_init_with_issue_time
_assumed_role_key_init = access_control.AssumedRoleAccessKey.__init__


def _assumed_role_key_init_with_issue_time(self, account_id, partition, access_key_id, headers):
    _assumed_role_key_init(self, account_id, partition, access_key_id, headers)
    for assumed_role in access_control.sts_backends[account_id][partition].assumed_roles:
        if assumed_role.access_key_id == access_key_id:
            self.token_issue_time = getattr(assumed_role, "token_issue_time", None)


access_control.AssumedRoleAccessKey.__init__ = _assumed_role_key_init_with_issue_time

# 6. moto accepted a deactivated access key as if it were active. IAM refuses it (S3: InvalidAccessKeyId), which is how
#    permanent credentials are revoked: refuse keys whose status is not Active.
_user_key_init = access_control.IAMUserAccessKey.__init__


def _user_key_init_active_only(self, account_id, partition, access_key_id, headers):
    _user_key_init(self, account_id, partition, access_key_id, headers)
    for user in self.backend.list_users("/", None, None):
        for key in user.access_keys:
            if key.access_key_id == access_key_id and key.status != "Active":
                raise access_control.CreateAccessKeyFailure(reason="InvalidId")


access_control.IAMUserAccessKey.__init__ = _user_key_init_active_only

# 4. Only the AWS managed policies the tests use. MOTO_IAM_LOAD_MANAGED_POLICIES=true makes moto load all of its
#    ~1,300 on start and again on every POST /moto-api/reset, which was most of the test suites' time; the xunit and
#    Pester suites both start moto through this file, so this one list serves both. A test that attaches another
#    AWS managed policy adds its name here (moto answers NoSuchEntity for one that is not loaded).
MANAGED_POLICIES_USED_BY_TESTS = ["AmazonS3FullAccess", "AmazonS3ReadOnlyAccess"]

import json  # noqa: E402
import os  # noqa: E402

from moto.iam import models as iam_models  # noqa: E402

os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
iam_models.aws_managed_policies_data = json.dumps(
    {name: policy for name, policy in json.loads(iam_models.aws_managed_policies_data).items() if name in MANAGED_POLICIES_USED_BY_TESTS}
)

from moto.server import main  # noqa: E402  (after the patch)

if __name__ == "__main__":
    host, port = sys.argv[1], sys.argv[2]
    main(["-H", host, "-p", port])
