"""The worker's Discord front against the fake Discord: each message of an answer sent once across runs of its job."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest

from adapters.discord.endpoints import apply_api_base
from adapters.discord.journaled import JournaledMessageFront, nonce_for
from adapters.discord.settings import DiscordSettings
from adapters.queue.connection import client as redis_client
from adapters.queue.journal import RedisPostJournal
from adapters.session.journal import ANSWERED
from adapters.session.progress import Progress
from adapters.session.request import CheckRequest
from tests.servers.discord_server import FakeDiscord
from tests.support.report_samples import hostile_report

URL = "https://news.example/story"
JOB = "t:discord:job1"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        apply_api_base(DiscordSettings(api_url=server.api_url))
        try:
            yield server
        finally:
            apply_api_base(DiscordSettings())


@pytest.fixture
async def rest(fake: FakeDiscord) -> AsyncIterator[discord.Client]:
    client = discord.Client(intents=discord.Intents.none(), allowed_mentions=discord.AllowedMentions.none())
    await client.login("fake-token")
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator:
    connection = redis_client(redis_url, queue_name="q")
    yield connection
    await connection.aclose()


async def asked(fake: FakeDiscord) -> CheckRequest:
    message = fake.message(content=f"<@{fake.bot_id}> {URL}")  # no gateway here: it only has to exist for REST
    fake.messages[int(message["id"])] = message
    return CheckRequest(
        platform="discord",
        target=URL,
        kind="url",
        source=str(message["id"]),
        scope=str(fake.guild_id),
        channel=str(fake.channel_id),
        user=str(fake.user_id),
        reply={"reply_to": str(message["id"]), "trigger": "mention"},
        job=JOB,
    )


async def front(rest: discord.Client, redis, request: CheckRequest) -> JournaledMessageFront:
    journal = RedisPostJournal(redis, namespace="t", job=JOB)
    return await JournaledMessageFront.for_job(rest, request, journal)


def bot_messages_in(fake: FakeDiscord, thread_id: int) -> list[dict]:
    return [
        m for m in fake.messages.values() if int(m["channel_id"]) == thread_id and int(m["author"]["id"]) == fake.bot_id
    ]


async def test_a_run_again_edits_the_placeholder_and_the_report_its_first_run_sent(fake, rest, redis) -> None:
    request = await asked(fake)
    thread_id = int(request.source)  # a thread started from a message has the message's id
    first = await front(rest, redis, request)
    await first.edit_progress(Progress(url=URL, title="Harbor budget", claims_total=3, analysed=1))
    await first.post_report(hostile_report(), article=None)  # ...and the worker dies before the job is done
    sent = bot_messages_in(fake, thread_id)
    await redis.hdel(f"t:posts:{JOB}", ANSWERED)  # died between the report's messages and writing it down

    again = await front(rest, redis, request)
    await again.edit_progress(Progress(url=URL, title="Harbor budget", claims_total=3, analysed=2))
    await again.post_report(hostile_report(), article=None)
    assert [m["id"] for m in bot_messages_in(fake, thread_id)] == [m["id"] for m in sent]  # edited, none new
    assert len([c for c in fake.calls if c.path.endswith("/threads")]) == 2  # the second found the thread (160004)


async def test_a_send_begun_but_never_written_down_is_the_same_message_to_discord(fake, rest, redis) -> None:
    request = await asked(fake)
    thread_id = int(request.source)
    first = await front(rest, redis, request)
    await first.edit_progress(Progress(url=URL, title="Harbor budget"))
    journal = RedisPostJournal(redis, namespace="t", job=JOB)
    await journal.begin("text-0")  # as if the process died while Discord was answering the send

    again = await front(rest, redis, request)
    await again.edit_progress(Progress(url=URL, title="Harbor budget"))
    assert len(bot_messages_in(fake, thread_id)) == 1  # Discord answered the repeated nonce with the first message
    [first_send, second_send] = [
        c for c in fake.calls if c.method == "POST" and c.path == f"/channels/{thread_id}/messages"
    ]
    assert first_send.json["nonce"] == second_send.json["nonce"] == nonce_for(JOB, "text-0")
    assert second_send.json["enforce_nonce"] is True


async def test_once_the_answer_is_out_a_run_again_sends_nothing(fake, rest, redis) -> None:
    request = await asked(fake)
    first = await front(rest, redis, request)
    await first.edit_progress(Progress(url=URL, title="Harbor budget"))
    await first.post_report(hostile_report(), article=None)
    await first.attach_file(filename="report.html", content=b"<!doctype html><p>page</p>", note="The page")
    before = len([c for c in fake.calls if c.method in {"POST", "PATCH"}])
    again = await front(rest, redis, request)
    await again.edit_progress(Progress(url=URL, title="Harbor budget"))
    await again.post_error("Something went wrong")
    await again.attach_file(filename="report.html", content=b"<!doctype html><p>page</p>", note="The page")
    assert len([c for c in fake.calls if c.method in {"POST", "PATCH"}]) == before


def test_shards_are_one_connection_by_default_or_the_ones_named() -> None:
    from adapters.discord.shards import ShardedFactcheckClient, build_client, shard_options

    assert shard_options(DiscordSettings()) == {}
    assert shard_options(DiscordSettings.from_env({"FACTCHECK_DISCORD_SHARDS": "auto"})) == {"shard_count": None}
    named = DiscordSettings.from_env({"FACTCHECK_DISCORD_SHARDS": "4", "FACTCHECK_DISCORD_SHARD_IDS": "2,3"})
    assert shard_options(named) == {"shard_count": 4, "shard_ids": [2, 3]}
    for bad, says in (
        ({"FACTCHECK_DISCORD_SHARD_IDS": "1"}, "needs a shard count"),
        ({"FACTCHECK_DISCORD_SHARDS": "2", "FACTCHECK_DISCORD_SHARD_IDS": "2"}, "below the shard count 2"),
        ({"FACTCHECK_DISCORD_SHARDS": "many"}, "FACTCHECK_DISCORD_SHARDS"),
    ):
        with pytest.raises(ValueError, match=says):
            DiscordSettings.from_env(bad)
    from adapters.queue.front import QueueDispatch
    from bot.config import Settings

    dispatch = QueueDispatch(settings=Settings.from_env({}), state=None, enqueuer=None)  # type: ignore[arg-type]
    client = build_client(named, session=dispatch)
    assert isinstance(client, ShardedFactcheckClient) and client.shard_count == 4 and client.shard_ids == [2, 3]
