"""Progress bookkeeping: the pipeline's events as one ``Progress`` value, and the one throttled editor.

Chat clients and rate limits both dislike edit storms, so progress goes through one worker task per
answer: newer progress replaces progress not yet shown, an edit happens only when ``interval_s``
has passed since the previous one, and a state is only shown once it has stood for ``settle_s`` (a
check that finishes quickly goes straight from placeholder to answer). An optional shared
``EditRate`` paces progress edits across every check of a workspace (Slack's chat.update is Tier 3);
the final answer never waits for it. The clock and the sleep are injected, so tests run on virtual
time instead of sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from adapters.session.state import EditRate
from bot.events import ArticleReady, ClaimAnalysed, ClaimsFound, Event, Finished

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class Progress:
    """Where one check stands, as every front end shows it."""

    url: str | None
    title: str | None = None
    words: int | None = None
    claims_total: int | None = None
    analysed: int = 0

    def after(self, event: Event) -> Progress:
        """This progress once ``event`` has happened."""
        if isinstance(event, ArticleReady):
            return replace(self, title=event.article.title, words=event.article.word_count)
        if isinstance(event, ClaimsFound):
            return replace(self, claims_total=len(event.claims), analysed=0)
        if isinstance(event, ClaimAnalysed):
            return replace(self, claims_total=event.total, analysed=event.index)
        if isinstance(event, Finished) and event.report is not None:
            total = len(event.report.claims)
            return replace(self, claims_total=total, analysed=total)
        return self


Edit = Callable[[Progress], Awaitable[object]]


class ProgressEditor:
    def __init__(
        self,
        edit: Edit,
        *,
        interval_s: float = 1.0,
        settle_s: float = 0.3,
        rate: EditRate | None = None,
        rate_scope: str = "",
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._edit = edit
        self.interval_s = interval_s
        self.settle_s = settle_s
        self._rate = rate
        self._rate_scope = rate_scope
        self._clock = clock
        self._sleep = sleep
        self._last_edit = float("-inf")  # the placeholder is a post, not an edit
        self._pending: Progress | None = None
        self._pending_since = 0.0
        self._stopping = asyncio.Event()  # cuts short a wait that was only for progress
        self._worker: asyncio.Task[None] | None = None
        self.edits = 0

    def show(self, progress: Progress) -> None:
        """Queue progress; only the newest queued progress is ever shown."""
        if self._stopping.is_set():
            return
        if self._pending is None:
            self._pending_since = self._clock()
        self._pending = progress
        if self._worker is None:
            self._worker = asyncio.create_task(self._drain())

    async def settle(self) -> None:
        """Drop progress not yet shown, let an edit in flight land, then wait out the interval since the
        last edit: the caller's final edit of the same message goes out as soon as the pace allows."""
        self._stopping.set()
        self._pending = None
        worker = self._worker
        if worker is not None:
            await worker
        wait = self._last_edit + self.interval_s - self._clock()
        if wait > 0:
            await self._sleep(wait)

    async def close(self) -> None:
        """Stop at once, cancelling an edit in flight (the check itself failed)."""
        self._stopping.set()
        self._pending = None
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker

    async def _drain(self) -> None:
        try:
            while self._pending is not None and not self._stopping.is_set():
                due = max(self._last_edit + self.interval_s, self._pending_since + self.settle_s)
                wait = due - self._clock()
                if wait > 0:
                    await self._wait_unless_stopping(wait)
                    continue  # decide again: a newer state or the end may have come meanwhile
                progress, self._pending = self._pending, None
                if self._rate is not None and not await self._rate.try_take(self._rate_scope):
                    # Over the shared pace: keep the newest progress and try again an interval later.
                    self._pending = self._pending or progress
                    self._pending_since = self._clock() + self.interval_s - self.settle_s
                    continue
                self._last_edit = self._clock()
                self.edits += 1
                try:
                    await self._edit(progress)
                except Exception:  # progress is cosmetic: a failed edit must not end the check
                    log.warning("progress edit failed", exc_info=True)
        finally:
            self._worker = None

    async def _wait_unless_stopping(self, seconds: float) -> None:
        stop = asyncio.ensure_future(self._stopping.wait())
        pause = asyncio.ensure_future(self._sleep(seconds))
        try:
            await asyncio.wait({stop, pause}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (stop, pause):
                task.cancel()
