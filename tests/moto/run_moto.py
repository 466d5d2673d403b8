"""Start moto_server for the tests: run_moto.py HOST PORT.

moto 5.2.1 with werkzeug 3.1 re-signs requests in auth mode from the *decoded* request URL, so any
S3 request whose path or query holds percent-encoded characters (%2F, %3D, spaces...) fails with
SignatureDoesNotMatch. moto's request handling is written for the raw URL (that is what it gets in
decorator mode), so hand it the raw request URI the client sent.
"""
import sys

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

from moto.server import main  # noqa: E402  (after the patch)

if __name__ == "__main__":
    host, port = sys.argv[1], sys.argv[2]
    main(["-H", host, "-p", port])
