"""Virtual time for tests: a clock and a sleep that advance only when the test says so."""

from __future__ import annotations

import asyncio
import heapq
import itertools


class VirtualClock:
    """``clock()`` reads the time, ``await clock.sleep(s)`` waits for it, ``await clock.advance(s)`` moves it.

    Sleepers wake in time order, each with the clock set to its wake-up time, so code under test sees
    exactly the intervals it asked for, and a test of a one-second pace takes milliseconds.
    """

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(0.0, seconds), next(self._seq), future))
        await future

    async def advance(self, seconds: float) -> None:
        target = self.now + seconds
        await _let_tasks_run()
        while self._sleepers and self._sleepers[0][0] <= target:
            wake, _, future = heapq.heappop(self._sleepers)
            if future.done():
                continue  # its sleeper was cancelled
            self.now = max(self.now, wake)
            future.set_result(None)
            await _let_tasks_run()
        self.now = target
        await _let_tasks_run()


async def _let_tasks_run() -> None:
    for _ in range(20):
        await asyncio.sleep(0)
