"""One retry layer for LLM requests: tenacity here, the SDK's own retries off.

Transient faults (connection errors, timeouts, 408/409/429/5xx) are retried with
full-jitter exponential backoff, or after the server's Retry-After when it sends
one. A Retry-After longer than the cap is not waited out: like openai-python, we
give up at once rather than retry early into another 429. Client errors
(400/401/403/404/422) and ``insufficient_quota`` never get better by retrying.
"""

from __future__ import annotations

import asyncio
import email.utils
import math
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

T = TypeVar("T")

_RETRY_STATUSES = frozenset({408, 409, 429})
_BACKOFF = wait_random_exponential(multiplier=0.5, max=8.0)


def retry_after_s(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (``retry-after-ms``, then ``retry-after``), or None."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            ms = float(raw_ms)
        except ValueError:
            ms = math.nan
        if math.isfinite(ms) and ms >= 0:
            return ms / 1000.0
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - time.time()
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


def is_insufficient_quota(exc: BaseException) -> bool:
    code = getattr(exc, "code", None)
    body = getattr(exc, "body", None)
    if code == "insufficient_quota":
        return True
    return isinstance(body, dict) and body.get("type") == "insufficient_quota"


def is_transient(exc: BaseException) -> bool:
    """Would the same request plausibly succeed a moment later?"""
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        if is_insufficient_quota(exc):
            return False
        return exc.status_code in _RETRY_STATUSES or exc.status_code >= 500
    return False


def describe_error(exc: BaseException) -> str:
    """A short, secret-free reason (never the server's message, which may echo a key)."""
    if isinstance(exc, RetryAfterTooLong):
        return f"rate limited by the model server (retry after {exc.seconds:.0f} s)"
    if isinstance(exc, openai.APITimeoutError):
        return "the model server timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "could not connect to the model server"
    if isinstance(exc, openai.APIStatusError):
        if is_insufficient_quota(exc):
            return "the model account has no quota left (insufficient_quota)"
        names = {
            400: "the model server rejected the request",
            401: "the model server refused the API key",
            403: "the model server denied access",
            404: "the model or endpoint was not found",
            422: "the model server could not process the request",
            429: "rate limited by the model server",
        }
        reason = names.get(exc.status_code, "the model server failed")
        return f"{reason} (HTTP {exc.status_code})"
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):
        return "the LLM deadline for this report passed"
    return type(exc).__name__


class RetryAfterTooLong(Exception):
    """The server asked for a longer pause than we are willing to wait."""

    def __init__(self, seconds: float, cause: BaseException) -> None:
        super().__init__(f"retry after {seconds:.1f} s")
        self.seconds = seconds
        self.__cause__ = cause


def _wait(retry_state: RetryCallState) -> float:
    exc = retry_state.outcome.exception() if retry_state.outcome else None
    asked = retry_after_s(exc) if exc is not None else None
    if asked is not None:
        return asked
    return _BACKOFF(retry_state)


async def with_retries(
    request: Callable[[], Awaitable[T]],
    *,
    attempts: int,
    retry_after_cap_s: float,
    deadline: float,
    on_attempt: Callable[[], None] | None = None,
) -> T:
    """Run ``request`` with at most ``attempts`` tries, never sleeping past ``deadline`` (loop time)."""
    loop = asyncio.get_running_loop()
    out_of_attempts = stop_after_attempt(max(1, attempts))

    def _stop(retry_state: RetryCallState) -> bool:
        # tenacity computes the upcoming sleep before asking stop: refuse a sleep that would end past the deadline.
        return out_of_attempts(retry_state) or loop.time() + retry_state.upcoming_sleep >= deadline

    def _retryable(exc: BaseException) -> bool:
        return is_transient(exc)

    retrying = AsyncRetrying(
        stop=_stop,
        wait=_wait,
        retry=retry_if_exception(_retryable),
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            if on_attempt is not None:
                on_attempt()
            try:
                return await request()
            except openai.APIStatusError as exc:
                asked = retry_after_s(exc)
                if asked is not None and asked > retry_after_cap_s and is_transient(exc):
                    raise RetryAfterTooLong(asked, exc) from exc
                raise
    raise AssertionError("unreachable: tenacity reraises the last error")
