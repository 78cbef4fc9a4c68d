"""The session's stores in a real Redis, and the same answers from the embedded ones.

Each contract test runs against both implementations (one process in memory, and Redis through two
separate clients, as two processes would hold). Expiry on Redis uses its own clock: those waits are
a few hundred milliseconds, the TTL's own scale.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from redis.exceptions import RedisError

from adapters.queue.connection import client
from adapters.queue.state import redis_state
from adapters.session.embedded import MemoryCooldowns, MemoryDedupe, MemoryEditRate, MemoryInFlight
from adapters.session.state import SessionState


@dataclass
class Pair:
    """Two views of one shared state (two processes), or the same object twice (one process)."""

    one: SessionState
    two: SessionState


def memory_pair() -> Pair:
    state = SessionState(
        handled=MemoryDedupe(),
        cooldowns=MemoryCooldowns(),
        in_flight=MemoryInFlight(),
        budget=None,  # type: ignore[arg-type]  (SQLite-backed; tested with the session)
        edit_rate=MemoryEditRate(),
    )
    return Pair(state, state)


@pytest.fixture(params=["memory", "redis"])
async def pair(request: pytest.FixtureRequest) -> AsyncIterator[Pair]:
    if request.param == "memory":
        yield memory_pair()
        return
    url = request.getfixturevalue("redis_url")
    first, second = client(url, queue_name="q"), client(url, queue_name="q")
    try:
        yield Pair(
            redis_state(first, namespace="t", pointer_ttl_s=60), redis_state(second, namespace="t", pointer_ttl_s=60)
        )
    finally:
        await first.aclose()
        await second.aclose()


async def test_a_delivery_is_first_once(pair: Pair) -> None:
    assert await pair.one.handled.first_seen("slack|C1|1.0|https://a.example/", ttl_s=60)
    assert not await pair.two.handled.first_seen("slack|C1|1.0|https://a.example/", ttl_s=60)
    assert await pair.two.handled.first_seen("slack|C1|1.0|https://b.example/", ttl_s=60)


async def test_a_job_run_again_is_still_the_first_delivery_but_no_one_else_is(pair: Pair) -> None:
    assert await pair.one.handled.first_seen("k", ttl_s=60, holder="job-1")
    assert await pair.two.handled.first_seen("k", ttl_s=60, holder="job-1")  # the re-run after a dead worker
    assert not await pair.two.handled.first_seen("k", ttl_s=60, holder="job-2")
    assert not await pair.two.handled.first_seen("k", ttl_s=60)


async def test_a_cooldown_holds_one_request_per_window(pair: Pair) -> None:
    assert await pair.one.cooldowns.start("slack|U1", holder="msg-1", seconds=30) == 0
    assert await pair.two.cooldowns.start("slack|U1", holder="msg-1", seconds=30) == 0  # its other links
    wait = await pair.two.cooldowns.start("slack|U1", holder="msg-2", seconds=30)
    assert 29 <= wait <= 30
    assert await pair.two.cooldowns.start("slack|U2", holder="msg-3", seconds=30) == 0
    assert await pair.two.cooldowns.start("slack|U1", holder="msg-4", seconds=0) == 0  # off


async def test_one_run_per_key_and_every_waiter_gets_its_result(pair: Pair) -> None:
    assert await pair.one.in_flight.claim("engine|https://a.example/", ttl_s=60)
    assert not await pair.two.in_flight.claim("engine|https://a.example/", ttl_s=60)
    waiters = [asyncio.create_task(pair.two.in_flight.wait("engine|https://a.example/", timeout_s=5)) for _ in range(3)]
    await asyncio.sleep(0.1)
    await pair.one.in_flight.publish("engine|https://a.example/", '{"outcome": "ok"}')
    assert await asyncio.gather(*waiters) == ['{"outcome": "ok"}'] * 3
    assert await pair.two.in_flight.claim("engine|https://a.example/", ttl_s=60)  # free again


async def test_a_job_run_again_takes_over_its_own_run(pair: Pair) -> None:
    assert await pair.one.in_flight.claim("k", ttl_s=60, holder="job-1")
    assert not await pair.two.in_flight.claim("k", ttl_s=60, holder="job-2")
    waiter = asyncio.create_task(pair.two.in_flight.wait("k", timeout_s=5))
    await asyncio.sleep(0.1)  # the waiter has joined the first run
    assert await pair.two.in_flight.claim("k", ttl_s=60, holder="job-1")  # its worker died; the re-run
    await pair.two.in_flight.publish("k", "done")
    assert await waiter == "done"


async def test_a_waiter_gives_up_after_its_timeout(pair: Pair) -> None:
    assert await pair.one.in_flight.claim("k", ttl_s=60)
    assert await pair.two.in_flight.wait("k", timeout_s=0.3) is None


async def test_progress_edits_share_one_pace_per_workspace(pair: Pair) -> None:
    taken = [await (pair.one if i % 2 else pair.two).edit_rate.try_take("slack:T1") for i in range(12)]
    assert taken == [True] * 10 + [False] * 2  # a burst of 10, then 40 a minute
    assert await pair.two.edit_rate.try_take("slack:T2")


async def test_a_dead_runner_without_a_result_releases_its_waiters(redis_url: str) -> None:
    redis = client(redis_url, queue_name="q")
    try:
        state = redis_state(redis, namespace="t", pointer_ttl_s=60)
        assert await state.in_flight.claim("k", ttl_s=0.3)
        started = asyncio.get_running_loop().time()
        assert await state.in_flight.wait("k", timeout_s=10) is None  # the claim expired: nobody will answer
        assert asyncio.get_running_loop().time() - started < 2
    finally:
        await redis.aclose()


async def test_spend_and_pointers_are_shared(redis_url: str) -> None:
    first, second = client(redis_url, queue_name="q"), client(redis_url, queue_name="q")
    try:
        one = redis_state(first, namespace="t", pointer_ttl_s=60)
        two = redis_state(second, namespace="t", pointer_ttl_s=60)
        await one.budget.add("2026-01-02", 0.5)
        await two.budget.add("2026-01-02", 0.25)
        assert await one.budget.spent("2026-01-02") == pytest.approx(0.75)
        assert await one.budget.spent("2026-01-03") == 0
        assert one.pointers is not None and two.pointers is not None
        await one.pointers.put(scope="T1", url="https://a.example/", pointer="https://slack.example/p1")
        assert await two.pointers.get(scope="T1", url="https://a.example/") == "https://slack.example/p1"
        assert await two.pointers.get(scope="T2", url="https://a.example/") is None
        other = redis_state(first, namespace="other-bot", pointer_ttl_s=60)
        assert other.pointers is not None and await other.pointers.get(scope="T1", url="https://a.example/") is None
    finally:
        await first.aclose()
        await second.aclose()


async def test_without_redis_what_may_be_skipped_is_skipped_and_admission_fails_loudly(own_redis) -> None:
    redis = client(own_redis.url, queue_name="q", retries=0)
    try:
        state = redis_state(redis, namespace="t", pointer_ttl_s=60)
        own_redis.stop()
        assert state.pointers is not None
        assert await state.pointers.get(scope="T1", url="https://a.example/") is None
        await state.pointers.put(scope="T1", url="https://a.example/", pointer="p")
        assert not await state.edit_rate.try_take("slack:T1")
        await state.budget.add("2026-01-02", 0.5)  # logged, not raised: the report is already posted
        assert await state.in_flight.wait("k", timeout_s=1) is None
        with pytest.raises(RedisError):
            await state.handled.first_seen("k", ttl_s=60)
        with pytest.raises(RedisError):
            await state.cooldowns.start("u", holder="h", seconds=30)
    finally:
        await redis.aclose()
