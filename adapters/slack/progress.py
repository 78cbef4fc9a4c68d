"""One placeholder message, edited as the check progresses, at most once per interval.

Chat clients and Slack's rate limits both dislike edit storms, so progress goes through one
worker task per message: newer content replaces content not yet sent, and an edit happens only
when ``interval_s`` has passed since the previous edit. The final content is always the last edit.

The final answer is what the reader waits for, so progress never delays it more than it must:
a progress state is only sent once it has stood for ``settle_s`` (a check that finishes quickly,
such as a repeated link answered from the cache, goes straight from placeholder to report), and
the final edit goes out as soon as the interval since the previous edit allows.

Progress edits also share one workspace-wide ``EditBudget``: chat.update is a Tier 3 method
(about 50 calls a minute), so with many checks running, progress edits wait their turn instead of
earning 429s that would delay every final report. Final edits never wait for the budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import SlackMessage

log = logging.getLogger(__name__)

# Errors where the same content as plain text (no blocks) may still go through.
_RETRY_AS_TEXT = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"})


class EditBudget:
    """A token bucket for progress edits across every message of one app."""

    def __init__(self, *, per_minute: float = 40, burst: int = 10, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate_s = per_minute / 60
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._updated = clock()

    def try_take(self) -> bool:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate_s)
        self._updated = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False


class ThrottledEditor:
    def __init__(
        self,
        *,
        client: AsyncWebClient,
        channel: str,
        ts: str,
        interval_s: float = 1.0,
        settle_s: float = 0.3,
        budget: EditBudget | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.channel = channel
        self.ts = ts
        self.interval_s = interval_s
        self.settle_s = settle_s
        self.budget = budget
        self._clock = clock
        self._last_edit = float("-inf")  # the placeholder is a post, not an edit
        self._pending: SlackMessage | None = None
        self._pending_since = 0.0
        self._final = False
        self._final_queued = asyncio.Event()  # cuts short a wait that was only for progress
        self._worker: asyncio.Task[None] | None = None
        self._last_ok = True
        self.edits = 0

    def show(self, message: SlackMessage) -> None:
        """Queue progress; only the newest queued content is ever sent."""
        if self._pending is None:
            self._pending_since = self._clock()
        self._pending = message
        if self._worker is None:
            self._worker = asyncio.create_task(self._drain())

    async def finish(self, message: SlackMessage) -> bool:
        """Send the final content (after any edit in flight and the interval); True if it landed."""
        self._final = True
        self._final_queued.set()
        self.show(message)
        worker = self._worker
        if worker is not None:
            await worker
        return self._last_ok

    async def close(self) -> None:
        """Drop anything not yet sent (used when the job itself fails)."""
        self._pending = None
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass

    async def _drain(self) -> None:
        try:
            while self._pending is not None:
                due = self._last_edit + self.interval_s
                if not self._final:
                    due = max(due, self._pending_since + self.settle_s)
                wait = due - self._clock()
                if wait > 0:
                    if self._final:
                        await asyncio.sleep(wait)
                    else:
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(self._final_queued.wait(), wait)
                    continue  # decide again: the final may have arrived meanwhile
                message, self._pending = self._pending, None
                if not self._final and self.budget is not None and not self.budget.try_take():
                    # Over the workspace pace: keep the newest progress and try again later.
                    self._pending = self._pending or message
                    self._pending_since = self._clock() + self.interval_s
                    continue
                self._last_edit = self._clock()
                self._last_ok = await self._send(message)
        finally:
            self._worker = None

    async def _send(self, message: SlackMessage) -> bool:
        self.edits += 1
        try:
            await self.client.chat_update(
                channel=self.channel, ts=self.ts, text=message.text, blocks=list(message.blocks)
            )
            return True
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            if error not in _RETRY_AS_TEXT:
                log.warning("chat.update failed: %s", error)
                return False
        # Posting anew would leave a duplicate next to the stale placeholder; retry the edit plainly.
        try:
            await self.client.chat_update(channel=self.channel, ts=self.ts, text=message.text, blocks=[])
            return True
        except SlackApiError as exc:
            log.warning("chat.update without blocks failed: %s", exc.response.get("error"))
            return False
