"""The post journal (``adapters.session.journal``) in Redis: one hash per job, kept a week.

An unreachable Redis must not silence an answer: a failed read is "nothing posted yet" and a failed
write is logged, so the post goes out, only without the protection against a second copy.
"""

from __future__ import annotations

import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from adapters.queue.connection import reason
from adapters.session.journal import PENDING

log = logging.getLogger(__name__)

KEEP_S = 7 * 24 * 3600  # longer than any re-run of a job can come (arq keeps its retry count a day)


class RedisPostJournal:
    def __init__(self, redis: Redis, *, namespace: str, job: str) -> None:
        self.redis = redis
        self._job = job
        self.key = f"{namespace}:posts:{job}"

    @property
    def job(self) -> str:
        return self._job

    async def recall(self, part: str) -> str | None:
        try:
            raw = await self.redis.hget(self.key, part)  # type: ignore[misc]  # redis-py's sync/async union
        except RedisError as exc:
            log.warning("post journal unavailable, posting %s without it: %s", part, reason(exc))
            return None
        return raw.decode() if raw is not None else None

    async def begin(self, part: str) -> None:
        await self._write(part, PENDING)

    async def record(self, part: str, ref: str) -> None:
        await self._write(part, ref)

    async def _write(self, part: str, value: str) -> None:
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.hset(self.key, part, value)
                pipe.expire(self.key, KEEP_S)
                await pipe.execute()
        except RedisError as exc:
            log.warning("post journal unavailable, %s not written down: %s", part, reason(exc))
