"""The retry policy: which faults are retried, how long we wait, and the hard limits."""

from __future__ import annotations

import asyncio
import email.utils
import time

import httpx2
import openai
import pytest

from bot.llm.retry import (
    RetryAfterTooLong,
    describe_error,
    is_transient,
    retry_after_s,
    with_retries,
)

REQUEST = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")


def status_error(
    status: int, *, headers: dict[str, str] | None = None, code: str | None = None
) -> openai.APIStatusError:
    response = httpx2.Response(status, headers=headers or {}, request=REQUEST)
    body = {"message": "x", "type": code or "error", "code": code}
    classes = {
        400: openai.BadRequestError,
        401: openai.AuthenticationError,
        403: openai.PermissionDeniedError,
        404: openai.NotFoundError,
        409: openai.ConflictError,
        422: openai.UnprocessableEntityError,
        429: openai.RateLimitError,
    }
    cls = classes.get(status, openai.InternalServerError if status >= 500 else openai.APIStatusError)
    return cls("x", response=response, body=body)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("20", 20.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("121", 121.0),
        ("-10", None),
        ("inf", None),
        ("nan", None),
        ("", None),
        ("Zun, 29 Sep 2023 25:61:00 GMT", None),
        ("99999999999999999999999999999999999", 1e35),
    ],
)
def test_retry_after_header_values(header, expected):
    seconds = retry_after_s(status_error(429, headers={"retry-after": header}))
    assert seconds == (pytest.approx(expected) if expected is not None else None)


def test_retry_after_http_date_and_ms():
    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert retry_after_s(status_error(429, headers={"retry-after": future})) == pytest.approx(30, abs=2)
    assert retry_after_s(status_error(429, headers={"retry-after-ms": "250", "retry-after": "9"})) == pytest.approx(
        0.25
    )
    assert retry_after_s(status_error(429)) is None
    assert retry_after_s(ValueError("no response")) is None


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_transient_statuses_are_retried(status):
    assert is_transient(status_error(status))


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_final(status):
    assert not is_transient(status_error(status))


def test_insufficient_quota_is_final_and_connection_errors_are_transient():
    assert not is_transient(status_error(429, code="insufficient_quota"))
    assert is_transient(openai.APIConnectionError(request=REQUEST))
    assert is_transient(openai.APITimeoutError(request=REQUEST))
    assert not is_transient(ValueError("a bug"))


async def _run(errors: list[BaseException], *, attempts: int = 3, cap: float = 5.0, deadline_in: float = 30.0):
    calls = 0

    async def request() -> str:
        nonlocal calls
        calls += 1
        if errors:
            raise errors.pop(0)
        return "ok"

    loop = asyncio.get_running_loop()
    try:
        result = await with_retries(
            request, attempts=attempts, retry_after_cap_s=cap, deadline=loop.time() + deadline_in
        )
    except BaseException as exc:  # noqa: BLE001 - the test inspects what surfaced
        return calls, exc
    return calls, result


async def test_stops_after_the_attempt_limit():
    zero_wait = {"retry-after": "0"}
    calls, outcome = await _run([status_error(503, headers=zero_wait)] * 5, attempts=3)
    assert calls == 3 and isinstance(outcome, openai.InternalServerError)


async def test_succeeds_after_transient_failures():
    calls, outcome = await _run([status_error(500, headers={"retry-after": "0"})] * 2)
    assert (calls, outcome) == (3, "ok")


async def test_retry_after_over_the_cap_gives_up_at_once():
    calls, outcome = await _run([status_error(429, headers={"retry-after": "60"})], cap=5.0)
    assert calls == 1 and isinstance(outcome, RetryAfterTooLong) and outcome.seconds == 60
    assert "retry after 60 s" in describe_error(outcome)


async def test_a_wait_past_the_deadline_is_not_started():
    started = time.monotonic()
    calls, outcome = await _run([status_error(429, headers={"retry-after": "3"})], cap=10.0, deadline_in=1.0)
    assert calls == 1 and isinstance(outcome, openai.RateLimitError)
    assert time.monotonic() - started < 1.0


async def test_final_errors_are_not_retried():
    calls, outcome = await _run([status_error(401)])
    assert calls == 1 and isinstance(outcome, openai.AuthenticationError)
    assert describe_error(outcome) == "the model server refused the API key (HTTP 401)"
