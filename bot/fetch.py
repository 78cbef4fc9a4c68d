"""Download one article page from a hostile URL, within hard limits.

Every hop is validated, resolved once and pinned (``bot.netguard``); redirects
are followed by hand; one wall-clock deadline covers DNS, every hop and the
body; the body is capped by its DECODED size, decompressed here from raw bytes
so a gzip bomb never inflates past the cap; only HTML/XHTML/plain text is
accepted. Transient failures (connect errors, 5xx, 429) are retried with
tenacity, nothing else is. The body is returned as bytes: extraction decodes it.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import logging
import math
import re
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpcore
import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, wait_random_exponential

from bot.config import Settings
from bot.netguard import AddressPolicy, PinnedBackend, Resolver, system_resolver, validate_url, vet
from bot.outcome import CheckError, Outcome

log = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PAYWALL_STATUSES = frozenset({401, 402, 403})
OK_STATUSES = frozenset({200, 203})
ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"
ACCEPT_ENCODING = "gzip, deflate"  # the only codings we decode ourselves, one at most
_GZIP_OR_ZLIB = 32 + zlib.MAX_WBITS  # wbits=47: auto-detect gzip or zlib header
_RAW_DEFLATE = -zlib.MAX_WBITS  # some servers send "deflate" without the zlib header
_INFLATE_STEP = 64 * 1024  # output per decompress() call: bounds every intermediate buffer
_MEDIA_TYPE = re.compile(r"^[a-z0-9!#$&^_.+-]{1,64}/[a-z0-9!#$&^_.+-]{1,64}$")
_CHARSET = re.compile(r"^[A-Za-z0-9._:+-]{1,40}$")
_BACKOFF = wait_random_exponential(multiplier=0.25, max=2.0)  # full jitter


@dataclass(frozen=True)
class FetchedPage:
    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content_type: str  # media type only, e.g. "text/html"
    charset: str | None  # from the Content-Type header, not decoded
    body: bytes  # content-encoding removed; charset NOT decoded
    redirects: tuple[str, ...]  # every Location followed, in order


class _Transient(Exception):
    """A failure worth another attempt; ``error`` is what the user hears if none is left."""

    def __init__(self, error: CheckError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


async def fetch_page(
    url: str, *, settings: Settings, policy: AddressPolicy | None = None, resolver: Resolver | None = None
) -> FetchedPage:
    """Fetch an article page or raise ``CheckError`` with the outcome to report."""
    policy = policy or AddressPolicy.from_settings(settings)
    resolver = resolver or system_resolver
    start = validate_url(url, policy=policy)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.fetch_timeout_s

    def remaining() -> float:
        return max(0.0, deadline - loop.time())

    def stop(state: RetryCallState) -> bool:
        if state.attempt_number >= max(1, settings.fetch_attempts):
            return True
        failure = state.outcome.exception() if state.outcome else None
        # A server asking us to come back after our deadline gets its error now.
        return isinstance(failure, _Transient) and (failure.retry_after or 0.0) >= remaining()

    def wait(state: RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome else None
        if isinstance(failure, _Transient) and failure.retry_after is not None:
            return failure.retry_after
        return min(_BACKOFF(state), remaining())

    def note_retry(state: RetryCallState) -> None:
        failure = state.outcome.exception() if state.outcome else None
        log.info(
            "fetch attempt %d for %s failed (%s); retrying in %.1f s",
            state.attempt_number,
            start.host,
            failure,
            state.upcoming_sleep,
        )

    try:
        async with asyncio.timeout_at(deadline):
            async for attempt in AsyncRetrying(
                stop=stop, wait=wait, reraise=True, before_sleep=note_retry, retry=retry_if_exception_type(_Transient)
            ):
                with attempt:
                    return await _fetch_once(
                        url, start, settings=settings, policy=policy, resolver=resolver, remaining=remaining
                    )
    except _Transient as exc:
        raise exc.error from None
    except TimeoutError:
        raise CheckError(Outcome.TOO_SLOW, f"no complete answer within {settings.fetch_timeout_s:g} s") from None
    raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover


@functools.lru_cache(maxsize=1)
def _default_ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~30 ms; doing it per fetch stalled the event loop under a burst.
    # The context holds no per-connection state, so one is shared by every fetch.
    return httpx.create_ssl_context(trust_env=False)


def guarded_transport(*, backend: PinnedBackend, ssl_context: ssl.SSLContext | None = None) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connections go only where ``backend`` pins them.

    httpx has no public hook for a network backend, so the transport's pool is
    replaced by one built on ``backend``, with the same TLS verification httpx
    would use (certifi, never the environment).
    """
    context = ssl_context or _default_ssl_context()
    transport = httpx.AsyncHTTPTransport(verify=context, trust_env=False, retries=0)
    transport._pool = httpcore.AsyncConnectionPool(  # noqa: SLF001 (see docstring)
        ssl_context=context,
        max_connections=4,
        max_keepalive_connections=2,
        keepalive_expiry=5.0,
        http1=True,
        http2=False,
        retries=0,
        network_backend=backend,
    )
    return transport


@asynccontextmanager
async def _guarded_client(
    settings: Settings, policy: AddressPolicy
) -> AsyncIterator[tuple[httpx.AsyncClient, PinnedBackend]]:
    # A fresh pool per attempt: no connection made by any other client is ever reused.
    backend = PinnedBackend(policy=policy)
    timeout = httpx.Timeout(settings.fetch_timeout_s, connect=min(5.0, settings.fetch_timeout_s / 3))
    headers = {"User-Agent": settings.user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}
    async with httpx.AsyncClient(
        transport=guarded_transport(backend=backend),
        trust_env=False,
        follow_redirects=False,
        timeout=timeout,
        headers=headers,
    ) as client:
        yield client, backend


async def _fetch_once(
    requested: str,
    start: httpx.URL,
    *,
    settings: Settings,
    policy: AddressPolicy,
    resolver: Resolver,
    remaining: Callable[[], float],
) -> FetchedPage:
    redirects: list[str] = []
    current = start
    async with _guarded_client(settings, policy) as (client, backend):
        while True:
            backend.pin(await vet(current, policy=policy, resolver=resolver))
            response = await _send(client, current)
            try:
                if response.status_code in REDIRECT_STATUSES:
                    # The redirect body is never read, so never decoded.
                    current = _next_hop(
                        response, current, policy=policy, followed=len(redirects), limit=settings.max_redirects
                    )
                    redirects.append(str(current))
                    continue
                _check_status(response, remaining=remaining)
                content_type, charset = _content_type(response)
                body = await _read_body(response, cap=settings.max_bytes)
                return FetchedPage(
                    url=requested,
                    final_url=str(current),
                    status=response.status_code,
                    content_type=content_type,
                    charset=charset,
                    body=body,
                    redirects=tuple(redirects),
                )
            finally:
                await response.aclose()


async def _send(client: httpx.AsyncClient, url: httpx.URL) -> httpx.Response:
    try:
        return await client.send(client.build_request("GET", url), stream=True)
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        if _caused_by_tls(exc):  # a bad certificate will not get better on retry
            raise CheckError(Outcome.FETCH_FAILED, "TLS handshake or certificate check failed") from exc
        raise _Transient(CheckError(Outcome.FETCH_FAILED, "could not connect")) from exc
    except httpx.TimeoutException as exc:
        raise CheckError(Outcome.TOO_SLOW, "the site stopped answering") from exc
    except httpx.RemoteProtocolError as exc:
        if str(exc).startswith("Invalid URL in location header"):  # httpx's words for a Location it cannot parse
            raise CheckError(Outcome.INVALID_URL, _MALFORMED_REDIRECT) from exc
        raise CheckError(Outcome.FETCH_FAILED, "the connection broke") from exc
    except httpx.HTTPError as exc:
        raise CheckError(Outcome.FETCH_FAILED, "the connection broke") from exc
    except httpx.InvalidURL as exc:
        # The request's URL was validated, so this is the response's Location: httpx parses it
        # (for response.next_request) before returning, and data:, javascript:, mailto: or
        # http:host fail there.
        raise CheckError(Outcome.INVALID_URL, _MALFORMED_REDIRECT) from exc


_MALFORMED_REDIRECT = "the site redirected to an address that is not a usable http(s) link"


def _caused_by_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "SSL" in str(exc) or "certificate" in str(exc)


def _next_hop(
    response: httpx.Response, current: httpx.URL, *, policy: AddressPolicy, followed: int, limit: int
) -> httpx.URL:
    if followed >= limit:
        raise CheckError(Outcome.TOO_MANY_REDIRECTS, f"more than {limit}")
    locations = response.headers.get_list("location")
    if len(locations) != 1 or not locations[0].strip():
        raise CheckError(Outcome.HTTP_ERROR, f"HTTP {response.status_code} without a usable Location")
    location = locations[0].strip()
    try:
        target = None if _UNSAFE.search(location) else httpx.URL(location)
        # "http://" alone would join into the current URL: a scheme without a host is malformed.
        joined = None if target is None or (target.scheme and not target.host) else current.join(target)
    except (httpx.InvalidURL, UnicodeError, ValueError):
        joined = None
    if joined is None:
        raise CheckError(Outcome.INVALID_URL, _MALFORMED_REDIRECT)
    # Re-validate the absolute result exactly as a pasted link; vet() resolves it next.
    return validate_url(str(joined), policy=policy)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")


def _check_status(response: httpx.Response, *, remaining: Callable[[], float]) -> None:
    status = response.status_code
    if status in OK_STATUSES:
        return
    error = CheckError(Outcome.PAYWALL if status in PAYWALL_STATUSES else Outcome.HTTP_ERROR, f"HTTP {status}")
    if status == 429:
        raise _Transient(error, retry_after=_retry_after(response.headers.get("retry-after"), remaining()))
    if status >= 500:
        raise _Transient(error)
    raise error


def _retry_after(value: str | None, remaining: float) -> float | None:
    """Seconds the server asked us to wait (delta or HTTP-date), or None when unusable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if not math.isfinite(seconds) or seconds < 0:
        return None
    # Past our own deadline a wait is pointless: report it so stop() gives up now.
    return seconds if seconds < remaining else math.inf


def _content_type(response: httpx.Response) -> tuple[str, str | None]:
    values = response.headers.get_list("content-type")
    if not values or not values[0].strip():
        raise CheckError(Outcome.NOT_ARTICLE, "no content type")
    if len(values) > 1 or "," in values[0]:
        raise CheckError(Outcome.NOT_ARTICLE, "several content types")
    media, _, params = values[0].partition(";")
    media = media.strip().lower()
    if media not in ARTICLE_TYPES:
        # The detail reaches chat: only echo a well-formed media type, never raw header text.
        raise CheckError(Outcome.NOT_ARTICLE, media if _MEDIA_TYPE.match(media) else "unknown content type")
    charset = None
    for param in params.split(";"):
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            value = raw.strip().strip("\"'").strip()
            charset = value if _CHARSET.match(value) else None
    _content_coding(response)  # refuse unsupported codings before reading a byte
    return media, charset


def _content_coding(response: httpx.Response) -> str | None:
    codings = [
        token.strip().lower()
        for value in response.headers.get_list("content-encoding")
        for token in value.split(",")
        if token.strip()
    ]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > 1:
        raise CheckError(Outcome.NOT_ARTICLE, "stacked content encodings")
    if codings and codings[0] not in {"gzip", "x-gzip", "deflate"}:
        raise CheckError(Outcome.NOT_ARTICLE, "unsupported content encoding")
    return codings[0] if codings else None


async def _read_body(response: httpx.Response, *, cap: int) -> bytes:
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > cap:
        raise CheckError(Outcome.TOO_LARGE, f"{int(declared)} bytes declared, limit {cap}")
    decoder = BoundedDecoder(coding=_content_coding(response), cap=cap)
    raw_total = 0
    try:
        async for chunk in response.aiter_raw():
            raw_total += len(chunk)
            if raw_total > cap:
                raise CheckError(Outcome.TOO_LARGE, f"over {cap} bytes")
            decoder.feed(chunk)
    except httpx.TimeoutException as exc:
        raise CheckError(Outcome.TOO_SLOW, "the site stopped sending") from exc
    except httpx.HTTPError as exc:
        raise CheckError(Outcome.FETCH_FAILED, "the connection broke during the download") from exc
    return decoder.finish()


def _is_zlib_header(head: bytes) -> bool:
    """RFC 1950: method 8 (deflate) and a header checksum divisible by 31."""
    return head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


class BoundedDecoder:
    """Streams gzip/deflate (or identity) and refuses to produce more than ``cap`` bytes.

    ``decompress(data, max_length)`` inflates at most one small step at a time
    and keeps the rest of the input in ``unconsumed_tail``, so memory stays
    ~cap however explosive the input (a 200 KB bomb of 200 MiB never exists in
    full, nor does one cap-sized intermediate buffer).
    """

    def __init__(self, *, coding: str | None, cap: int) -> None:
        self._cap = cap
        self._chunks: list[bytes] = []
        self._size = 0
        self._coding = coding
        self._head = b""  # "deflate" only: bytes held until the zlib header can be judged
        self._inflater = zlib.decompressobj(wbits=_GZIP_OR_ZLIB) if coding in {"gzip", "x-gzip"} else None

    def feed(self, data: bytes) -> None:
        if self._coding is None:
            self._keep(data)
            return
        if self._inflater is None:  # "deflate": zlib-wrapped as specified, or raw as some servers send
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, b""
            self._inflater = zlib.decompressobj(wbits=_GZIP_OR_ZLIB if _is_zlib_header(data) else _RAW_DEFLATE)
        while data and not self._inflater.eof:  # bytes after the end of the stream are ignored
            self._inflate(data)
            data = self._inflater.unconsumed_tail

    def _inflate(self, data: bytes) -> None:
        assert self._inflater is not None
        while True:
            step = min(_INFLATE_STEP, self._cap - self._size + 1)
            try:
                out = self._inflater.decompress(data, step)
            except zlib.error as exc:
                raise CheckError(Outcome.FETCH_FAILED, "corrupt compressed body") from exc
            self._keep(out)
            # A full step may leave output pending inside zlib: drain it before more input.
            if len(out) < step or self._inflater.unconsumed_tail or self._inflater.eof:
                return
            data = b""

    def finish(self) -> bytes:
        if self._head:  # a "deflate" body of a single byte cannot be a stream
            raise CheckError(Outcome.FETCH_FAILED, "corrupt compressed body")
        if self._inflater is not None and not self._inflater.eof:
            try:
                self._keep(self._inflater.flush(self._cap - self._size + 1))
            except zlib.error as exc:
                raise CheckError(Outcome.FETCH_FAILED, "corrupt compressed body") from exc
        return b"".join(self._chunks)

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._cap:
            raise CheckError(Outcome.TOO_LARGE, f"over {self._cap} bytes once decompressed")
        if data:
            self._chunks.append(data)
