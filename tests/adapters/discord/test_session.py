"""Discord through the one session: every link of a message (up to FACTCHECK_MAX_LINKS) in its one
thread, and the same queue-then-busy admission as Slack (Discord used to refuse as soon as the
running slots were full)."""

from __future__ import annotations

import asyncio

import discord
import pytest

from adapters.discord.endpoints import apply_api_base
from adapters.discord.front import MessageFront
from adapters.discord.settings import DiscordSettings
from adapters.session.request import CheckRequest
from adapters.session.runtime import embedded_session
from adapters.session.settings import SessionSettings
from bot.outcome import Outcome, user_message
from tests.servers.discord_server import FakeDiscord
from tests.support.discord_harness import (
    EXAMPLE_HTML,
    assert_nothing_pings,
    is_report,
    running_bot,
)
from tests.support.slack_harness import held_page, news_article

pytestmark = pytest.mark.timeout(60)


async def test_every_link_of_a_message_is_answered_in_its_one_thread(article_server, settings):
    first = article_server.add("/bridge", EXAMPLE_HTML)
    second = article_server.add("/tax", news_article())
    async with running_bot(settings) as bot:
        fake = bot.fake
        trigger = await fake.dispatch_message(f"{bot.mention} {first} and {second}", mentions=[fake.bot_id])
        thread_id = int(trigger["id"])
        await fake.wait_for(lambda c: len([x for x in fake.thread_messages(thread_id) if is_report(x)]) >= 2)
        await bot.session.drain()
        threads = [c for c in fake.calls if c.path.endswith("/threads")]
        assert len(threads) == 2 and len(fake.threads) == 1  # the second was told 160004 and used the first
        reports = [c for c in fake.thread_messages(thread_id) if is_report(c)]
        titles = [FakeDiscord.message_body(c)["content"].split("\n", 1)[0] for c in reports]
        assert any("Harbor Bridge" in t for t in titles) and any("sales tax" in t for t in titles)
        assert article_server.hits("/bridge") == 1 and article_server.hits("/tax") == 1
        assert_nothing_pings(fake)


async def test_full_slots_queue_the_next_check_and_only_then_refuse(article_server, settings):
    release = asyncio.Event()
    loop = asyncio.get_running_loop()
    slow = article_server.add(
        "/slow", handler=held_page(lambda: asyncio.run_coroutine_threadsafe(release.wait(), loop).result(10))
    )
    queued = article_server.add("/queued", news_article("Queued story about the harbour"))
    refused = article_server.add("/refused", news_article("Refused story"))
    async with running_bot(settings, max_concurrent=1, max_queued=1) as bot:
        fake = bot.fake
        first = await fake.dispatch_message(f"{bot.mention} {slow}", mentions=[fake.bot_id])
        second = await fake.dispatch_message(f"{bot.mention} {queued}", mentions=[fake.bot_id])
        for _ in range(100):
            if bot.session.running == 2:
                break
            await asyncio.sleep(0.02)
        third = await fake.dispatch_message(f"{bot.mention} {refused}", mentions=[fake.bot_id])
        busy = await fake.wait_for(
            lambda c: user_message(Outcome.BUSY) in str(FakeDiscord.message_body(c).get("content"))
        )
        assert str(busy.json["message_reference"]["message_id"]) == third["id"]
        assert article_server.hits("/queued") == 0  # waiting for the slot, not refused
        release.set()
        await bot.session.drain()
        for trigger in (first, second):
            assert [c for c in fake.thread_messages(int(trigger["id"])) if is_report(c)]
        assert article_server.hits("/refused") == 0
        assert_nothing_pings(fake)


async def test_a_worker_answers_a_mention_from_the_request_alone(article_server, settings):
    """A worker has no gateway connection: it logs in over REST, finds the asking message by its ids
    in the queued request, and answers in a thread from it, as the front process would have."""
    url = article_server.add("/bridge", EXAMPLE_HTML)
    async with FakeDiscord() as fake:
        asked = fake.message(content=f"<@{fake.bot_id}> {url}", mentions=[fake.bot_id])
        fake.messages[int(asked["id"])] = asked
        queued = CheckRequest(
            platform="discord",
            target=url,
            kind="url",
            source=asked["id"],
            scope=str(fake.guild_id),
            channel=str(fake.channel_id),
            user=str(fake.user_id),
            reply={"reply_to": asked["id"], "trigger": "mention"},
        ).model_dump_json()
        config = DiscordSettings(api_url=fake.api_url, token="fake-token")
        apply_api_base(config)
        client = discord.Client(intents=discord.Intents.none(), allowed_mentions=discord.AllowedMentions.none())
        try:
            await client.login("fake-token")
            request = CheckRequest.model_validate_json(queued)
            async with embedded_session(settings, limits=SessionSettings(), edit_interval_s=0.05) as session:
                outcome = await session.handle(request, await MessageFront.from_request(client, request))
        finally:
            await client.close()
            apply_api_base(DiscordSettings())
        assert outcome is Outcome.OK
        [thread] = [c for c in fake.calls if c.path.endswith("/threads")]
        assert thread.path == f"/channels/{fake.channel_id}/messages/{asked['id']}/threads"
        assert [c for c in fake.thread_messages(int(asked["id"])) if is_report(c)]
        assert fake.identify is None  # never touched the gateway
        assert_nothing_pings(fake)
