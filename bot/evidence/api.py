"""GET JSON from a provider's API: one configured URL, bounded in size and time, parsed with a schema.

Provider APIs are operator-chosen endpoints (a self-hosted SearXNG may well sit on a private
address), so they are not sent through the hostile-URL guard; what they return is still
untrusted: every answer is capped, parsed with a pydantic schema that ignores unknown keys,
and never echoed into the report beyond a short reason. Keys travel in headers, never in a
URL that a log could keep.
"""

from __future__ import annotations

import json
from types import TracebackType
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_fixed

from bot.config import Settings
from bot.evidence.hits import ProviderError
from bot.fetch import BoundedDecoder
from bot.outcome import CheckError

MAX_ANSWER_BYTES = 2 * 1024 * 1024
ATTEMPTS = 2  # one retry for a 5xx or a refused connection: the stage deadline bounds the rest
RETRY_WAIT_S = 0.3
# Each reason completes a sentence that starts with the provider's name ("Wikipedia did not answer in time").
_REASONS = {
    400: "rejected the request",
    401: "refused the key",
    403: "refused access (the key, its quota, or the JSON format not enabled)",
    404: "has no such endpoint",
    422: "refused the key",
    429: "hit its rate limit",
}

Schema = TypeVar("Schema", bound=BaseModel)


class _Retryable(Exception):
    def __init__(self, error: ProviderError) -> None:
        super().__init__(error.reason)
        self.error = error


def api_user_agent(settings: Settings) -> str:
    """``factcheck-bot/0.1 (+project URL; contact) httpx/0.28``: what Wikimedia's User-Agent policy asks."""
    product, _, rest = settings.user_agent.partition(" ")
    details = "; ".join(part for part in (rest.strip().strip("()"), (settings.contact or "").strip()) if part)
    library = f"httpx/{httpx.__version__}"
    return f"{product} ({details}) {library}" if details else f"{product} {library}"


class ApiClient:
    """One HTTP client for every provider call of a report; use as ``async with``."""

    def __init__(self, *, settings: Settings, timeout_s: float) -> None:
        self._client = httpx.AsyncClient(
            trust_env=False,
            follow_redirects=False,
            timeout=httpx.Timeout(timeout_s, connect=min(5.0, timeout_s)),
            headers={
                "User-Agent": api_user_agent(settings),
                "Accept": "application/json",
                "Accept-Encoding": "gzip, deflate",
            },
        )

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self._client.aclose()

    async def get_json(
        self, url: str, *, params: dict[str, str], schema: type[Schema], headers: dict[str, str] | None = None
    ) -> Schema:
        """The answer at ``url`` parsed as ``schema``, or ``ProviderError`` with a short reason."""
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(ATTEMPTS),
                wait=wait_fixed(RETRY_WAIT_S),
                retry=retry_if_exception_type(_Retryable),
                reraise=True,
            ):
                with attempt:
                    raw = await self._get(url, params=params, headers=headers or {})
        except _Retryable as exc:
            raise exc.error from None
        try:
            return schema.model_validate(json.loads(raw))
        except (ValueError, ValidationError):
            raise ProviderError("answered with something that is not its JSON") from None

    async def _get(self, url: str, *, params: dict[str, str], headers: dict[str, str]) -> bytes:
        try:
            async with self._client.stream("GET", url, params=params, headers=headers) as response:
                if response.status_code >= 500:
                    raise _Retryable(ProviderError(f"answered with a server error (HTTP {response.status_code})"))
                if response.status_code != 200:
                    reason = _REASONS.get(response.status_code, "answered with an error")
                    raise ProviderError(f"{reason} (HTTP {response.status_code})")
                return await _read_capped(response)
        except httpx.TimeoutException:
            raise ProviderError("did not answer in time") from None
        except (httpx.ConnectError, httpx.RemoteProtocolError):
            raise _Retryable(ProviderError("could not be reached")) from None
        except httpx.HTTPError:
            raise ProviderError("could not be reached") from None


async def _read_capped(response: httpx.Response) -> bytes:
    """The body, decompressed by the fetcher's bounded decoder so a compressed bomb never inflates past the cap."""
    codings = [c.strip().lower() for c in response.headers.get("content-encoding", "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > 1 or (codings and codings[0] not in {"gzip", "x-gzip", "deflate"}):
        raise ProviderError("answered in an encoding we do not read")
    decoder = BoundedDecoder(coding=codings[0] if codings else None, cap=MAX_ANSWER_BYTES)
    try:
        async for chunk in response.aiter_raw():
            decoder.feed(chunk)
        return decoder.finish()
    except CheckError:
        raise ProviderError("answered with more data than a search needs, or a corrupt body") from None
