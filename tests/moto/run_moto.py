"""Start moto_server for the tests: run_moto.py HOST PORT.

Three changes that bring moto 5.2.1's auth mode closer to AWS (the first two only make it stricter; the
third makes it check presigned URLs as S3 does instead of failing every one), and a fourth for speed (only the AWS
managed policies the tests use are loaded: see MANAGED_POLICIES_USED_BY_TESTS below):

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

_s3_check_action_permitted = access_control.S3IAMRequest.check_action_permitted


def _s3_check_with_prefix(self, resource):
    query = parse_qs(urlsplit(self._path).query, keep_blank_values=True)
    _request_context.values = {"s3:prefix": (query.get("prefix") or [""])[0]}
    try:
        return _s3_check_action_permitted(self, resource)
    finally:
        _request_context.values = None


access_control.S3IAMRequest.check_action_permitted = _s3_check_with_prefix

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
