"""A placeholder message edited as the check goes on, at most once per second.

Edits are coalesced: only the newest text is sent, and ``close`` always sends the
last one, so the message never lags behind the report.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Edit = Callable[[str], Awaitable[object]]


class ThrottledEditor:
    def __init__(self, edit: Edit, *, min_interval_s: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._edit = edit
        self._interval = min_interval_s
        self._clock = clock
        self._pending: str | None = None
        self._shown: str | None = None
        self._last_edit = float("-inf")
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    def update(self, text: str) -> None:
        """Ask for ``text`` to be shown; it is sent now or at the next allowed moment."""
        self._pending = text
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._flush_later())

    async def _flush_later(self) -> None:
        wait = self._last_edit + self._interval - self._clock()
        if wait > 0:
            await asyncio.sleep(wait)
        await self._flush()

    async def _flush(self) -> None:
        async with self._lock:
            text, self._pending = self._pending, None
            if text is None or text == self._shown:
                return
            wait = self._last_edit + self._interval - self._clock()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last_edit = self._clock()
            self._shown = text
            await self._edit(text)

    async def close(self, final: str | None = None) -> None:
        """Send ``final`` (or the last pending text) and stop; no edit happens afterwards."""
        if final is not None:
            self._pending = final
        if self._task is not None:
            # Let a scheduled edit finish rather than cancel a request in flight.
            await self._task
        await self._flush()
