"""One Redis client per process: a clear error when Redis is not there, retries for a blip, no password in logs.

At start a process waits up to ``FACTCHECK_REDIS_WAIT_S`` for Redis (a compose file may start it a
moment later), one log line per attempt, then gives up with one line saying where it looked and
why it failed. Once running, every command that meets a dropped connection or a timeout is retried
by redis-py with a growing pause (about 5 s in all) before the error reaches the caller, who
decides whether it may be ignored (a progress pace, a cache write) or must be reported.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from arq.connections import ArqRedis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from adapters.queue.errors import RedisUnavailable
from adapters.queue.settings import QueueSettings

__all__ = ["LOST", "RedisUnavailable", "client", "connect", "reason", "shown_url"]

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 2.0
COMMAND_TIMEOUT_S = 10.0  # no command of ours takes long; a hung Redis must not hang a check
RETRIES = 6  # 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 2 s: a restart or failover, not an outage
BACKOFF_CAP_S = 2.0
# What a lost or slow Redis raises (redis-py wraps socket errors, but a DNS failure can surface as OSError).
LOST = (RedisConnectionError, RedisTimeoutError, OSError)


def shown_url(url: str) -> str:
    """``url`` with any password replaced, fit for a log line or an error."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{user}:***@{host}{port}", parts.path, parts.query, parts.fragment))


def reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def client(url: str, *, queue_name: str, retries: int = RETRIES) -> ArqRedis:
    """A client (arq's Redis, so it can also enqueue) with timeouts and retries; connects on first use."""
    if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ValueError(f"REDIS_URL must start with redis://, rediss:// or unix:// (got {shown_url(url)!r})")
    retry: dict[str, Any] = {}
    if retries:
        retry = {
            "retry": Retry(ExponentialBackoff(cap=BACKOFF_CAP_S, base=0.1), retries),
            # OSError: a refused connect (Redis restarting) is raised as such inside redis-py's retry loop.
            "retry_on_error": [RedisConnectionError, RedisTimeoutError, OSError],
        }
    redis = ArqRedis.from_url(
        url,
        socket_connect_timeout=CONNECT_TIMEOUT_S,
        socket_timeout=COMMAND_TIMEOUT_S,
        socket_keepalive=True,
        health_check_interval=30,
        **retry,
    )
    redis.default_queue_name = queue_name
    return redis


async def connect(settings: QueueSettings) -> ArqRedis:
    """A connected client, or RedisUnavailable once ``redis_wait_s`` has passed without an answer."""
    if settings.redis_url is None:
        raise ValueError("REDIS_URL is not set")
    url = settings.redis_url.get_secret_value()
    probe = client(url, queue_name=settings.queue_name, retries=0)  # start-up waits here, not in redis-py
    deadline = time.monotonic() + settings.redis_wait_s
    pause = 0.5
    while True:
        try:
            await probe.ping()
            await probe.aclose()
            return client(url, queue_name=settings.queue_name)
        except (RedisError, OSError) as exc:
            left = deadline - time.monotonic()
            if left <= 0:
                await probe.aclose()
                raise RedisUnavailable(
                    f"cannot reach Redis at {shown_url(url)} ({reason(exc)}); start it, or fix REDIS_URL"
                ) from None
            log.warning("Redis at %s not reachable (%s); trying again in %.1f s", shown_url(url), reason(exc), pause)
            await asyncio.sleep(min(pause, left))
            pause = min(pause * 2, 5.0)
