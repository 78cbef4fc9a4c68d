"""Report cache: the same article, engine and prompt version within the TTL is answered from here.

The interface is deliberately small (string keys, JSON values, a TTL) so a Redis
implementation can replace SQLite without touching the pipeline or the adapters.
Keys: normalized URL + content hash + engine id, and a "latest" pointer per URL
and engine so a repeated link is answered without fetching the page again.
What may be stored is the pipeline's decision (``bot.pipeline.cacheable``): never an empty or
failed report. Expired rows are deleted when the file is opened and then at most hourly as
entries are written, so the file does not grow with every link ever checked.
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
from bot.models import Report


class ReportCache(Protocol):
    async def get_latest(self, *, url: str, engine_id: str) -> Report | None: ...
    async def get(self, *, url: str, content_hash: str, engine_id: str) -> Report | None: ...
    async def put(self, *, url: str, content_hash: str, engine_id: str, report: Report) -> None: ...
    # Any other value a check keeps between runs (bot.evidence: search answers, pages), with its own TTL.
    async def get_value(self, key: str) -> str | None: ...
    async def put_value(self, key: str, value: str, *, ttl_s: int) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    expires_at REAL NOT NULL
);
"""


PURGE_EVERY_S = 3600.0


class SQLiteReportCache:
    """A file-backed cache; safe to share between the tasks of one process."""

    def __init__(self, *, path: Path, ttl_s: int, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.ttl_s = ttl_s
        self._clock = clock
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        self._purged_at = 0.0
        self.purge_expired()

    # -- string layer (what a Redis version would implement with SET EX / GET)

    def _get_sync(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value, expires_at FROM entries WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            if row[1] < self._clock():
                self._db.execute("DELETE FROM entries WHERE key = ?", (key,))
                return None
            return row[0]

    def _set_sync(self, key: str, value: str, ttl_s: int | None = None) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO entries (key, value, expires_at) VALUES (?, ?, ?)",
                (key, value, self._clock() + (self.ttl_s if ttl_s is None else ttl_s)),
            )
        if self._clock() - self._purged_at >= PURGE_EVERY_S:
            self.purge_expired()

    async def _get(self, key: str) -> str | None:
        return await asyncio.to_thread(self._get_sync, key)

    async def _set(self, key: str, value: str) -> None:
        await asyncio.to_thread(self._set_sync, key, value)

    async def get_value(self, key: str) -> str | None:
        return await self._get(key)

    async def put_value(self, key: str, value: str, *, ttl_s: int) -> None:
        await asyncio.to_thread(self._set_sync, key, value, ttl_s)

    # -- reports

    async def get_latest(self, *, url: str, engine_id: str) -> Report | None:
        full_key = await self._get(f"latest|{engine_id}|{url}")
        if full_key is None:
            return None
        raw = await self._get(full_key)
        return _load(raw)

    async def get(self, *, url: str, content_hash: str, engine_id: str) -> Report | None:
        return _load(await self._get(_report_key(url, content_hash, engine_id)))

    async def put(self, *, url: str, content_hash: str, engine_id: str, report: Report) -> None:
        key = _report_key(url, content_hash, engine_id)
        await self._set(key, report.model_dump_json())
        await self._set(f"latest|{engine_id}|{url}", key)

    def purge_expired(self) -> int:
        """Delete every expired entry (reports, pointers, evidence values); how many went."""
        with self._lock:
            now = self._clock()
            cur = self._db.execute("DELETE FROM entries WHERE expires_at < ?", (now,))
            self._purged_at = now
            return cur.rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _report_key(url: str, content_hash: str, engine_id: str) -> str:
    return f"report|{engine_id}|{url}|{content_hash}"


def _load(raw: str | None) -> Report | None:
    if raw is None:
        return None
    try:
        return Report.model_validate_json(raw)
    except ValueError:
        return None  # an entry from an incompatible older schema is a miss, not a crash


def open_cache(settings: Settings) -> SQLiteReportCache:
    return SQLiteReportCache(path=settings.cache_path, ttl_s=settings.cache_ttl_s)
