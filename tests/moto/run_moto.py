"""Start moto_server for the tests: run_moto.py HOST PORT.

Two changes that bring moto 5.2.1's auth mode closer to AWS, both only stricter:

1. moto with werkzeug 3.1 re-signs requests from the *decoded* request URL, so any S3 request whose
   path or query holds percent-encoded characters (%2F, %3D, spaces...) fails with
   SignatureDoesNotMatch. moto's request handling is written for the raw URL (that is what it gets in
   decorator mode), so hand it the raw request URI the client sent.
2. moto evaluates only StringEquals conditions, and gives identity policies no request context, so a
   ListBucket statement limited by {"StringLike": {"s3:prefix": [...]}} allowed every listing. Add
   StringLike (AWS's * and ? wildcards) and the s3:prefix key of S3 requests (the prefix query
   parameter, "" when absent), as IAM documents them.
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

from moto.server import main  # noqa: E402  (after the patch)

if __name__ == "__main__":
    host, port = sys.argv[1], sys.argv[2]
    main(["-H", host, "-p", port])
