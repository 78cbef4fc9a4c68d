"""Where a link's report was posted, per workspace or server: the adapter side of "already checked".

The report cache (bot.cache) knows articles, not chat platforms; the thread a report went to is a
platform fact, so it is kept here, behind a small interface a Redis implementation can also meet.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from bot.config import Settings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS thread_pointers (
    scope TEXT NOT NULL,
    url TEXT NOT NULL,
    pointer TEXT NOT NULL,
    expires_at REAL NOT NULL,
    PRIMARY KEY (scope, url)
);
"""


class ThreadPointers(Protocol):
    """A link's report thread (a permalink or jump URL) within one scope (Slack team, Discord guild)."""

    async def get(self, *, scope: str, url: str) -> str | None: ...
    async def put(self, *, scope: str, url: str, pointer: str) -> None: ...


class SQLiteThreadPointers:
    """Pointers in a table of their own, in the same SQLite file as the report cache by default."""

    def __init__(self, *, path: Path, ttl_s: float, clock: Callable[[], float] = time.time) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.ttl_s = ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)

    def _get_sync(self, scope: str, url: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT pointer FROM thread_pointers WHERE scope = ? AND url = ? AND expires_at > ?",
                (scope, url, self._clock()),
            ).fetchone()
        return row[0] if row else None

    def _put_sync(self, scope: str, url: str, pointer: str) -> None:
        now = self._clock()
        with self._lock:
            self._db.execute("DELETE FROM thread_pointers WHERE expires_at <= ?", (now,))
            self._db.execute(
                "INSERT OR REPLACE INTO thread_pointers (scope, url, pointer, expires_at) VALUES (?, ?, ?, ?)",
                (scope, url, pointer, now + self.ttl_s),
            )

    async def get(self, *, scope: str, url: str) -> str | None:
        return await asyncio.to_thread(self._get_sync, scope, url)

    async def put(self, *, scope: str, url: str, pointer: str) -> None:
        await asyncio.to_thread(self._put_sync, scope, url, pointer)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def open_pointers(settings: Settings) -> SQLiteThreadPointers:
    """Pointers live as long as the reports they point to (a pointer is only used while its report is cached)."""
    return SQLiteThreadPointers(path=settings.cache_path, ttl_s=settings.cache_ttl_s)
