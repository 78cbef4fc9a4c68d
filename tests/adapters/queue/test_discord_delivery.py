"""Discord in the scale-out mode, with real parts: a sharded ``factcheck discord`` front and a ``factcheck worker``.

The front connects to the fake Discord's gateway as one shard of two, acknowledges (typing, or the
interaction's defer within 3 s) and queues; the worker, with no gateway at all, answers over REST:
in the thread of the asking message, or through the interaction's follow-up webhook.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.servers.article_server import ArticleServer
from tests.servers.discord_server import FakeDiscord
from tests.support.discord_harness import assert_nothing_pings, is_report
from tests.support.scale_harness import FactcheckProcess
from tests.support.slack_harness import news_article

pytestmark = pytest.mark.timeout(240)


def discord_env(settings, *, fake: FakeDiscord, redis_url: str, **extra: str) -> dict[str, str]:
    return {
        "DISCORD_TOKEN": fake.token,
        "FACTCHECK_DISCORD_API_URL": fake.api_url,
        "FACTCHECK_ALLOW_PRIVATE_URLS": "1",
        "FACTCHECK_CACHE_PATH": str(settings.cache_path),
        "FACTCHECK_COOLDOWN_S": "0",
        "FACTCHECK_EVIDENCE": "off",
        "FACTCHECK_LOG_LEVEL": "INFO",
        "REDIS_URL": redis_url,
        "FACTCHECK_REDIS_WAIT_S": "5",
        **extra,
    }


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


@contextlib.contextmanager
def processes() -> Iterator[list[FactcheckProcess]]:
    started: list[FactcheckProcess] = []
    try:
        yield started
    finally:
        for process in started:
            process.close()


async def test_a_sharded_discord_front_queues_and_a_worker_answers_mentions_and_commands(
    settings, fake: FakeDiscord, article_server: ArticleServer, redis_url: str
) -> None:
    url = article_server.add("/story", body=news_article().encode())
    env = discord_env(settings, fake=fake, redis_url=redis_url)
    with processes() as started:
        front = FactcheckProcess(
            "discord", env={**env, "FACTCHECK_DISCORD_SHARDS": "2", "FACTCHECK_DISCORD_SHARD_IDS": "1"}
        )
        worker = FactcheckProcess("worker", env=env)
        started += [front, worker]
        await asyncio.gather(fake.wait_identified(timeout=60), worker.ready_log("worker taking jobs"))
        assert fake.identify is not None and fake.identify["shard"] == [1, 2]
        await front.wait_log("synced", timeout=30)

        asked = await fake.dispatch_message(f"<@{fake.bot_id}> please check {url}", mentions=[fake.bot_id])
        thread_id = int(asked["id"])  # the thread started from the asking message
        await fake.wait_for(lambda c: is_report(c) and c.path == f"/channels/{thread_id}/messages", timeout=90)

        interaction = await fake.dispatch_slash(url=url + "?again=1")
        token = interaction["token"]
        deferred = await fake.wait_for(lambda c: c.path.endswith("/callback"), timeout=30)
        assert deferred.json["type"] == 5  # the front deferred within Discord's 3 s; the worker answers later
        # The worker's first follow-up replaces the deferred "thinking" message; the thread starts from it.
        original = await fake.wait_for(
            lambda c: c.method == "POST" and c.path.startswith("/webhooks/") and token in c.path, timeout=90
        )
        assert "Fact-checking" in str(original.json)
        await fake.wait_for(
            lambda c: is_report(c) and c.path.startswith("/channels/") and c.seq > original.seq, timeout=90
        )
        log = worker.log()

    assert log.count("discord check of url") == 2
    assert "typing" in " ".join(c.path for c in fake.calls)  # the front's acknowledgement of the mention
    sent_by_front = [c for c in fake.calls if c.method == "POST" and c.path.endswith("/messages")]
    assert all(c.seq > deferred.seq or c.path == f"/channels/{thread_id}/messages" for c in sent_by_front)
    assert_nothing_pings(fake)
