"""The report cache (``bot.cache.ReportCache``) in Redis, shared by every worker.

Same contract as the SQLite cache: a report per (URL, content hash, engine) and a "latest" pointer
per (URL, engine), both expiring after the cache TTL, plus the key-value layer other stages keep
their own results in (evidence searches and pages) with their own TTL. Keys carry a digest instead
of the URL (links run to thousands of characters); values are compressed (a report holds the
article text, and Redis keeps everything in memory). A Redis that cannot be reached is a miss, and
a write that fails is logged: the check still answers, it only costs a fetch next time.
"""

from __future__ import annotations

import hashlib
import logging
import zlib

from redis.asyncio import Redis
from redis.exceptions import RedisError

from adapters.queue.connection import reason
from bot.models import Report

log = logging.getLogger(__name__)


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:40]


class RedisReportCache:
    def __init__(self, *, redis: Redis, ttl_s: int, namespace: str) -> None:
        self.redis = redis
        self.ttl_s = ttl_s
        self.namespace = namespace

    def _report_key(self, url: str, content_hash: str, engine_id: str) -> str:
        return f"{self.namespace}:report:{digest(engine_id, url, content_hash)}"

    def _latest_key(self, url: str, engine_id: str) -> str:
        return f"{self.namespace}:latest:{digest(engine_id, url)}"

    async def get_latest(self, *, url: str, engine_id: str) -> Report | None:
        try:
            key = await self.redis.get(self._latest_key(url, engine_id))
            raw = await self.redis.get(key.decode()) if key else None
        except RedisError as exc:
            log.warning("report cache unavailable, treated as a miss: %s", reason(exc))
            return None
        return _load(raw)

    async def get(self, *, url: str, content_hash: str, engine_id: str) -> Report | None:
        try:
            raw = await self.redis.get(self._report_key(url, content_hash, engine_id))
        except RedisError as exc:
            log.warning("report cache unavailable, treated as a miss: %s", reason(exc))
            return None
        return _load(raw)

    async def put(self, *, url: str, content_hash: str, engine_id: str, report: Report) -> None:
        if self.ttl_s <= 0:
            return
        key = self._report_key(url, content_hash, engine_id)
        value = zlib.compress(report.model_dump_json().encode("utf-8"), 3)
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.set(key, value, ex=self.ttl_s)
                pipe.set(self._latest_key(url, engine_id), key, ex=self.ttl_s)
                await pipe.execute()
        except RedisError as exc:
            log.warning("could not cache the report of %s: %s", url, reason(exc))

    # -- other values a check keeps between runs (bot.evidence: search answers, pages), with their own TTL

    async def get_value(self, key: str) -> str | None:
        try:
            raw = await self.redis.get(f"{self.namespace}:value:{digest(key)}")
            return zlib.decompress(raw).decode("utf-8") if raw is not None else None
        except RedisError as exc:
            log.warning("value cache unavailable, treated as a miss: %s", reason(exc))
        except (zlib.error, UnicodeDecodeError):
            pass  # a broken entry is a miss
        return None

    async def put_value(self, key: str, value: str, *, ttl_s: int) -> None:
        if ttl_s <= 0:
            return
        try:
            await self.redis.set(
                f"{self.namespace}:value:{digest(key)}", zlib.compress(value.encode("utf-8"), 3), ex=ttl_s
            )
        except RedisError as exc:
            log.warning("could not cache a value: %s", reason(exc))


def _load(raw: bytes | None) -> Report | None:
    if raw is None:
        return None
    try:
        return Report.model_validate_json(zlib.decompress(raw))
    except (ValueError, zlib.error):
        return None  # an entry from an incompatible older schema is a miss, not a crash
