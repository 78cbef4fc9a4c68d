"""What the bot sent the local Discord, as tests read it: the recorded REST calls and helpers on them."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RestCall:
    seq: int
    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any  # parsed body (multipart "payload_json" included), or None
    at: float = 0.0  # loop time on arrival: lets tests check edit spacing
    files: tuple[tuple[str, bytes], ...] = ()  # multipart file parts: (filename, content)

    @property
    def route(self) -> str:
        """Method and path with every snowflake and token replaced by ``{id}``."""
        return f"{self.method} " + re.sub(r"/(\d{5,}|[A-Za-z0-9_\-]{30,}|@original)(?=/|$)", "/{id}", self.path)


class CallLog:
    """Mixed into FakeDiscord: reads its ``calls``, interaction tokens and the change condition."""

    # ------------------------------------------------------------ assertions

    async def wait_for(self, predicate: Callable[[RestCall], bool], *, timeout: float = 10.0) -> RestCall:
        """The first recorded call matching ``predicate``, waiting for it if needed."""

        async def _wait() -> RestCall:
            async with self._changed:
                while True:
                    for call in self.calls:
                        if predicate(call):
                            return call
                    await self._changed.wait()

        return await asyncio.wait_for(_wait(), timeout)

    def interaction_tokens(self) -> list[str]:
        return list(self._interaction_tokens)

    def original_id(self, token: str) -> int:
        """The message id of an interaction's original response."""
        return self._originals[f"original:{token}"]

    def calls_to(self, route: str) -> list[RestCall]:
        return [call for call in self.calls if call.route == route]

    def sent_messages(self) -> list[RestCall]:
        """Every call that creates or edits a visible message."""
        return [
            call
            for call in self.calls
            if call.method in {"POST", "PATCH"}
            and (
                re.fullmatch(r"/channels/\d+/messages(/\d+)?", call.path)
                or call.path.startswith("/webhooks/")
                or (call.path.endswith("/callback") and (call.json or {}).get("type") == 4)
            )
        ]

    @staticmethod
    def message_body(call: RestCall) -> dict[str, Any]:
        """The message part of a call's JSON (interaction callbacks nest it under ``data``)."""
        body = call.json if isinstance(call.json, dict) else {}
        if call.path.endswith("/callback"):
            return body.get("data") or {}
        return body

    def thread_messages(self, thread_id: int) -> list[RestCall]:
        return [c for c in self.calls if c.path.startswith(f"/channels/{thread_id}/messages")]
