"""The session's shared state in Redis: the same small interfaces as ``adapters.session.embedded``.

Every front and worker process sees one answer. Each check-and-set is one Lua script or one
command, so two processes cannot both win. Where an unreachable Redis may be shrugged off without
wrong answers, it is, with a log line: a pointer or a progress edit skipped, a spend not counted
(logged as an error, since the budget then runs behind). Where it may not (admission), the error
reaches the session, whose catch-all tells the asker something went wrong.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from redis.asyncio import Redis
from redis.exceptions import RedisError

from adapters.queue.cache import digest
from adapters.queue.connection import reason
from adapters.session.state import SessionState

log = logging.getLogger(__name__)

# SET NX (value ARGV[1], ttl ARGV[2] ms), or the key already holds the caller's holder ARGV[3] (a re-run
# of the same job): 1 when the caller holds it now.
_CLAIM = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if ARGV[3] ~= '' and redis.call('GET', KEYS[1]) == ARGV[3] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""
# 0 when the window is the caller's (new, or already held by the same holder), else the ms left.
_COOLDOWN = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return 0 end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 0
end
return left
"""
# Delete the key only while it still holds ARGV[1].
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
# A token bucket on the server's clock (every process shares it): ARGV rate per second, burst.
_BUCKET = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local held = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(held[1]) or burst
local updated = tonumber(held[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 60)
return taken
"""


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


class RedisDedupe:
    def __init__(self, redis: Redis, *, namespace: str) -> None:
        self.redis = redis
        self.namespace = namespace
        self._claim = redis.register_script(_CLAIM)

    async def first_seen(self, key: str, *, ttl_s: float, holder: str = "") -> bool:
        key = f"{self.namespace}:seen:{digest(key)}"
        return bool(await self._claim(keys=[key], args=[holder or "1", _ms(ttl_s), holder]))


class RedisCooldowns:
    def __init__(self, redis: Redis, *, namespace: str) -> None:
        self.redis = redis
        self.namespace = namespace
        self._start = redis.register_script(_COOLDOWN)

    async def start(self, user: str, *, holder: str, seconds: float) -> float:
        if seconds <= 0:
            return 0.0
        left_ms = await self._start(keys=[f"{self.namespace}:cooldown:{digest(user)}"], args=[holder, _ms(seconds)])
        return int(left_ms) / 1000


class RedisInFlight:
    """A claim per key holding a run token; the runner's result goes to a key waiters poll.

    A waiter follows the token it finds, so a re-run of the same job (same holder, same token)
    answers the askers who joined the run that died.
    """

    RESULT_TTL_S = 120.0
    POLL_S = (0.05, 0.1, 0.2, 0.4)

    def __init__(self, redis: Redis, *, namespace: str) -> None:
        self.redis = redis
        self.namespace = namespace
        self._claim = redis.register_script(_CLAIM)
        self._release = redis.register_script(_RELEASE)
        self._tokens: dict[str, str] = {}  # keys this process runs -> their token

    def _keys(self, key: str) -> tuple[str, str]:
        name = digest(key)
        return f"{self.namespace}:inflight:{name}", f"{self.namespace}:inflight-result:{name}"

    async def claim(self, key: str, *, ttl_s: float, holder: str = "") -> bool:
        token = holder or uuid.uuid4().hex
        claim_key, _ = self._keys(key)
        if await self._claim(keys=[claim_key], args=[token, _ms(ttl_s), holder]):
            self._tokens[key] = token
            return True
        return False

    async def publish(self, key: str, result: str) -> None:
        token = self._tokens.pop(key, None)
        if token is None:
            return
        claim_key, result_key = self._keys(key)
        try:
            await self.redis.set(result_key, f"{token}\n{result}", ex=round(self.RESULT_TTL_S))
            await self._release(keys=[claim_key], args=[token])
        except RedisError as exc:  # the answer is posted; only the askers who joined it wait in vain
            log.warning("could not hand the result of a shared check to its waiters: %s", reason(exc))

    async def wait(self, key: str, *, timeout_s: float) -> str | None:
        claim_key, result_key = self._keys(key)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        polls = 0
        try:
            while True:
                token_raw, result_raw = await self.redis.mget([claim_key, result_key])
                token = token_raw.decode() if token_raw else None
                if result_raw:
                    result_token, _, result = result_raw.decode().partition("\n")
                    if token is None or result_token == token:
                        return result  # the run we joined ended (its claim is released with the result)
                if token is None:
                    return None  # the runner is gone without a result (its claim expired)
                left = deadline - loop.time()
                if left <= 0:
                    return None
                await asyncio.sleep(min(left, self.POLL_S[min(polls, len(self.POLL_S) - 1)]))
                polls += 1
        except RedisError as exc:
            log.warning("lost track of a shared check: %s", reason(exc))
            return None


class RedisDailyBudget:
    KEEP_S = 8 * 24 * 3600

    def __init__(self, redis: Redis, *, namespace: str) -> None:
        self.redis = redis
        self.namespace = namespace

    async def spent(self, day: str) -> float:
        raw = await self.redis.get(f"{self.namespace}:spend:{day}")
        return float(raw) if raw else 0.0

    async def add(self, day: str, usd: float) -> None:
        key = f"{self.namespace}:spend:{day}"
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.incrbyfloat(key, usd)
                pipe.expire(key, self.KEEP_S)
                await pipe.execute()
        except RedisError as exc:
            log.error("could not count $%.4f of LLM spend for %s (the budget runs behind): %s", usd, day, reason(exc))


class RedisEditRate:
    def __init__(self, redis: Redis, *, namespace: str, per_minute: float = 40, burst: int = 10) -> None:
        self.redis = redis
        self.namespace = namespace
        self.rate_s = per_minute / 60
        self.burst = burst
        self._take = redis.register_script(_BUCKET)

    async def try_take(self, scope: str) -> bool:
        try:
            return bool(await self._take(keys=[f"{self.namespace}:edits:{scope}"], args=[self.rate_s, self.burst]))
        except RedisError as exc:  # progress is cosmetic: skip the edit rather than risk the platform's limit
            log.warning("edit pace unavailable, progress edit skipped: %s", reason(exc))
            return False


class RedisThreadPointers:
    def __init__(self, redis: Redis, *, namespace: str, ttl_s: float) -> None:
        self.redis = redis
        self.namespace = namespace
        self.ttl_s = ttl_s

    def _key(self, scope: str, url: str) -> str:
        return f"{self.namespace}:pointer:{digest(scope, url)}"

    async def get(self, *, scope: str, url: str) -> str | None:
        try:
            raw = await self.redis.get(self._key(scope, url))
        except RedisError as exc:
            log.warning("thread pointers unavailable, checking again: %s", reason(exc))
            return None
        return raw.decode() if raw else None

    async def put(self, *, scope: str, url: str, pointer: str) -> None:
        if self.ttl_s <= 0:
            return
        try:
            await self.redis.set(self._key(scope, url), pointer, ex=max(1, round(self.ttl_s)))
        except RedisError as exc:
            log.warning("could not remember where the report went: %s", reason(exc))


def redis_state(redis: Redis, *, namespace: str, pointer_ttl_s: float) -> SessionState:
    """Every store of the session on one Redis client."""
    return SessionState(
        handled=RedisDedupe(redis, namespace=namespace),
        cooldowns=RedisCooldowns(redis, namespace=namespace),
        in_flight=RedisInFlight(redis, namespace=namespace),
        budget=RedisDailyBudget(redis, namespace=namespace),
        edit_rate=RedisEditRate(redis, namespace=namespace),
        pointers=RedisThreadPointers(redis, namespace=namespace, ttl_s=pointer_ttl_s),
    )
