"""The embedded (one process) implementations of the session's shared state.

Each method does its check-and-set without awaiting in between, so under asyncio it is atomic:
two deliveries of one event cannot both win. The daily spend is kept in SQLite so a restart does
not hand out a second day's budget.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from adapters.session.pointers import SQLiteThreadPointers
from adapters.session.state import SessionState
from bot.config import Settings

Clock = Callable[[], float]


class MemoryDedupe:
    """A bounded TTL set (oldest entries go first when full)."""

    def __init__(self, *, max_entries: int = 50_000, clock: Clock = time.monotonic) -> None:
        self.max_entries = max_entries
        self._clock = clock
        self._seen: OrderedDict[str, tuple[float, str]] = OrderedDict()  # key -> (expiry, holder)

    async def first_seen(self, key: str, *, ttl_s: float, holder: str = "") -> bool:
        now = self._clock()
        seen = self._seen.get(key)
        if seen is not None and seen[0] > now:
            return bool(holder) and seen[1] == holder
        self._seen.pop(key, None)
        self._seen[key] = (now + ttl_s, holder)
        while len(self._seen) > self.max_entries:
            self._seen.popitem(last=False)
        return True


class MemoryCooldowns:
    """The start of each user's current window and who started it."""

    def __init__(self, *, max_users: int = 10_000, clock: Clock = time.monotonic) -> None:
        self.max_users = max_users
        self._clock = clock
        self._windows: OrderedDict[str, tuple[float, str, float]] = OrderedDict()  # user -> (start, holder, length)

    async def start(self, user: str, *, holder: str, seconds: float) -> float:
        if seconds <= 0:
            return 0.0
        now = self._clock()
        window = self._windows.get(user)
        if window is not None:
            started, current, length = window
            if now - started < length:
                return 0.0 if current == holder else length - (now - started)
        self._windows.pop(user, None)
        self._windows[user] = (now, holder, seconds)
        if len(self._windows) > self.max_users:
            self._evict(now)
        return 0.0

    def _evict(self, now: float) -> None:
        for user, (started, _holder, length) in list(self._windows.items()):
            if now - started >= length:
                del self._windows[user]
        while len(self._windows) > self.max_users:  # all still cooling: drop the oldest
            self._windows.popitem(last=False)


class MemoryInFlight:
    """A future per running key; waiters share it."""

    def __init__(self) -> None:
        self._running: dict[str, asyncio.Future[str]] = {}
        self._holders: dict[str, str] = {}

    async def claim(self, key: str, *, ttl_s: float, holder: str = "") -> bool:
        if key in self._running:
            return bool(holder) and self._holders.get(key) == holder
        self._running[key] = asyncio.get_running_loop().create_future()
        self._holders[key] = holder
        return True

    async def publish(self, key: str, result: str) -> None:
        self._holders.pop(key, None)
        future = self._running.pop(key, None)
        if future is not None and not future.done():
            future.set_result(result)

    async def wait(self, key: str, *, timeout_s: float) -> str | None:
        future = self._running.get(key)
        if future is None:
            return None
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout_s)
        except TimeoutError:
            return None


class MemoryEditRate:
    """A token bucket per scope: ``per_minute`` on average, ``burst`` at once."""

    def __init__(self, *, per_minute: float = 40, burst: int = 10, clock: Clock = time.monotonic) -> None:
        self.rate_s = per_minute / 60
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # scope -> (tokens, updated)

    async def try_take(self, scope: str) -> bool:
        now = self._clock()
        tokens, updated = self._buckets.get(scope, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - updated) * self.rate_s)
        taken = tokens >= 1
        self._buckets[scope] = (tokens - 1 if taken else tokens, now)
        return taken


class SQLiteDailyBudget(AbstractContextManager["SQLiteDailyBudget"]):
    """Spend per UTC day in a table of its own; days older than a week are dropped."""

    def __init__(self, *, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS daily_spend (day TEXT PRIMARY KEY, usd REAL NOT NULL)")

    def _spent_sync(self, day: str) -> float:
        with self._lock:
            row = self._db.execute("SELECT usd FROM daily_spend WHERE day = ?", (day,)).fetchone()
        return float(row[0]) if row else 0.0

    def _add_sync(self, day: str, usd: float) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO daily_spend (day, usd) VALUES (?, ?)"
                " ON CONFLICT(day) DO UPDATE SET usd = usd + excluded.usd",
                (day, usd),
            )
            self._db.execute("DELETE FROM daily_spend WHERE day < date(?, '-7 days')", (day,))

    async def spent(self, day: str) -> float:
        return await asyncio.to_thread(self._spent_sync, day)

    async def add(self, day: str, usd: float) -> None:
        await asyncio.to_thread(self._add_sync, day, usd)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __exit__(self, *exc: object) -> None:
        self.close()


class EmbeddedState:
    """The one-process state, opened from the settings and closed with the process."""

    def __init__(self, settings: Settings, *, clock: Clock = time.monotonic) -> None:
        self._pointers = SQLiteThreadPointers(path=settings.cache_path, ttl_s=settings.cache_ttl_s)
        self._budget = SQLiteDailyBudget(path=settings.cache_path)
        self.state = SessionState(
            handled=MemoryDedupe(clock=clock),
            cooldowns=MemoryCooldowns(clock=clock),
            in_flight=MemoryInFlight(),
            budget=self._budget,
            edit_rate=MemoryEditRate(clock=clock),
            pointers=self._pointers,
        )

    def close(self) -> None:
        self._budget.close()
        self._pointers.close()
