"""Retrieval results kept between reports, through the report cache's key-value layer, with their own TTL.

Search answers are keyed by provider, language and query; pages by URL. A failed search or a
dead page is never stored, so the next report tries again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)

VERSION = "1"  # bump when what is stored changes shape


class ValueCache(Protocol):
    async def get_value(self, key: str) -> str | None: ...
    async def put_value(self, key: str, value: str, *, ttl_s: int) -> None: ...


class EvidenceStore:
    """JSON values under ``evidence|<version>|<kind>|<digest>``; a broken cache is a miss, never an error."""

    def __init__(self, cache: ValueCache | None, *, ttl_s: int) -> None:
        self._cache = cache if ttl_s > 0 else None
        self._ttl_s = ttl_s
        self.hits = 0

    @staticmethod
    def key(kind: str, *parts: str) -> str:
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
        return f"evidence|{VERSION}|{kind}|{digest}"

    async def get(self, kind: str, *parts: str) -> Any | None:
        if self._cache is None:
            return None
        try:
            raw = await self._cache.get_value(self.key(kind, *parts))
            value = json.loads(raw) if raw is not None else None
        except Exception:  # noqa: BLE001 (a cache fault must not cost the report its evidence)
            log.warning("evidence cache read failed", exc_info=True)
            return None
        if value is not None:
            self.hits += 1
        return value

    async def put(self, kind: str, *parts: str, value: Any) -> None:
        if self._cache is None:
            return
        try:
            await self._cache.put_value(self.key(kind, *parts), json.dumps(value), ttl_s=self._ttl_s)
        except Exception:  # noqa: BLE001
            log.warning("evidence cache write failed", exc_info=True)
