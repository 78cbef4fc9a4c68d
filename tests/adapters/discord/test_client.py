"""The client as Discord sees it: endpoints, intents, command sync, and the quieter triggers."""

from __future__ import annotations

import discord
import pytest

from tests.support.discord_harness import (
    EXAMPLE_HTML,
    assert_nothing_pings,
    running_bot,
    wait_report,
    wait_thread,
)

pytestmark = pytest.mark.timeout(60)

MESSAGE_CONTENT_INTENT = 1 << 15


async def test_rest_and_gateway_come_from_the_configured_api(settings):
    async with running_bot(settings) as bot:
        fake = bot.fake
        routes = [call.route for call in fake.calls]
        assert routes[:3] == ["GET /users/@me", "GET /oauth2/applications/@me", "GET /gateway/bot"]
        assert "PUT /applications/{id}/commands" in routes  # global sync without a test guild
        assert fake.identify is not None and fake.identify["token"] == "fake-token"
        assert not fake.identify["intents"] & MESSAGE_CONTENT_INTENT  # no privileged intent by default
        assert bot.client.get_guild(fake.guild_id) is not None  # GUILD_CREATE reached the cache


async def test_commands_sync_to_the_test_guild_when_set(settings):
    async with running_bot(settings, guild=1_100_000_000_000_000_001) as bot:
        synced = [call for call in bot.fake.calls if call.method == "PUT"]
        assert [call.path for call in synced] == [
            f"/applications/{bot.fake.bot_id}/guilds/{bot.fake.guild_id}/commands"
        ]
        assert {command["name"] for command in synced[0].json} == {"factcheck", "Fact-check"}


async def test_plain_link_is_ignored_without_auto_mode(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE_HTML)
    async with running_bot(settings) as bot:
        await bot.fake.dispatch_message(f"read this {url}")
        # A mention afterwards is answered, so the plain message had its chance to be handled first.
        trigger = await bot.fake.dispatch_message(f"{bot.mention} {url}", mentions=[bot.fake.bot_id])
        thread = await wait_thread(bot.fake)
        assert thread.path.endswith(f"/messages/{trigger['id']}/threads")
        await wait_report(bot.fake, channel_id=int(trigger["id"]))
        assert article_server.hits("/bridge") == 1


async def test_auto_mode_checks_links_in_allowed_channels(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE_HTML)
    async with running_bot(settings, auto=True, channels=("news",)) as bot:
        assert bot.fake.identify["intents"] & MESSAGE_CONTENT_INTENT
        trigger = await bot.fake.dispatch_message(f"read this {url}")
        await wait_thread(bot.fake)
        await wait_report(bot.fake, channel_id=int(trigger["id"]))
        assert_nothing_pings(bot.fake)


async def test_auto_mode_stays_quiet_on_failures(article_server, settings):
    async with running_bot(settings, auto=True) as bot:
        await bot.fake.dispatch_message(f"read this {article_server.url('/missing')}")
        trigger = await bot.fake.dispatch_message(
            f"{bot.mention} {article_server.url('/missing')}", mentions=[bot.fake.bot_id]
        )
        reply = await bot.fake.wait_for(lambda c: c.method == "POST" and c.path.endswith("/messages"))
        # The only message is the answer to the mention, not to the auto-checked one.
        assert reply.json["message_reference"]["message_id"] == int(trigger["id"])
        assert len([c for c in bot.fake.calls if c.method == "POST" and c.path.endswith("/messages")]) == 1


async def test_direct_message_is_answered_in_place(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE_HTML)
    async with running_bot(settings) as bot:
        fake = bot.fake
        trigger = await fake.dispatch_message(f"{url}", channel_id=fake.dm_channel_id, in_guild=False)
        report = await wait_report(fake, channel_id=fake.dm_channel_id)
        first = next(
            c for c in fake.calls if c.method == "POST" and c.path == f"/channels/{fake.dm_channel_id}/messages"
        )
        assert first.json["message_reference"]["message_id"] == int(trigger["id"])  # a reply, no thread
        assert first.seq < report.seq
        assert not [c for c in fake.calls if c.path.endswith("/threads")]
        assert_nothing_pings(fake)


async def test_client_defaults_forbid_every_mention(settings):
    from adapters.discord.client import FactcheckClient
    from adapters.discord.settings import DiscordSettings
    from adapters.session.runtime import embedded_session
    from adapters.session.settings import SessionSettings

    async with embedded_session(settings, limits=SessionSettings(), use_cache=False) as session:
        client = FactcheckClient(discord_settings=DiscordSettings(), session=session)
    allowed = client.allowed_mentions
    assert allowed is not None and allowed.to_dict() == discord.AllowedMentions.none().to_dict()
    assert client.intents.message_content is False
