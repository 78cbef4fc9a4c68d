"""Refuse unsigned requests before anything parses them.

Bolt verifies the signature after it has parsed the body, so a malformed unsigned body (not JSON,
a broken form) made it answer 500 and log a traceback. This aiohttp middleware checks Slack's
signature (slack_sdk's ``SignatureVerifier``) on the raw bytes first: anything not from Slack gets
401 and one log line.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.typedefs import Middleware
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def signed_only(*, signing_secret: str, path: str) -> Middleware:
    verifier = SignatureVerifier(signing_secret)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path != path or request.method != "POST":
            return await handler(request)
        body = await request.read()  # aiohttp keeps it: bolt reads the same bytes again
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        try:
            valid = verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
        except ValueError:  # a timestamp that is not a number
            valid = False
        if not valid:
            log.info("refused an unsigned or stale request (%d bytes)", len(body))
            return web.Response(status=401, text="invalid request")
        return await handler(request)

    return middleware
