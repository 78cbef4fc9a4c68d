from __future__ import annotations

import asyncio
import base64
from urllib.parse import parse_qs, urlsplit

import discord
import pytest

from adapters.discord.endpoints import apply_api_base
from adapters.discord.main import (
    REQUIRED_PERMISSIONS,
    client_id_from_token,
    invite_url,
    serve,
)
from adapters.discord.settings import DiscordSettings
from adapters.session.settings import SessionSettings
from tests.servers.discord_server import FakeDiscord
from tests.support.discord_harness import EXAMPLE_HTML, wait_report
from tests.support.slack_harness import held_page


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_invite_url_asks_for_exactly_the_needed_permissions():
    query = _query(invite_url(DiscordSettings(), client_id=1234))
    assert query["client_id"] == ["1234"]
    assert query["scope"] == ["bot applications.commands"]
    permissions = discord.Permissions(int(query["permissions"][0]))
    assert permissions == REQUIRED_PERMISSIONS
    granted = {name for name, value in permissions if value}
    assert granted == {
        "read_messages",
        "send_messages",
        "send_messages_in_threads",  # read_messages = view_channel
        "create_public_threads",
        "embed_links",
        "attach_files",  # the full report as a page
        "read_message_history",
    }
    assert not permissions.administrator and not permissions.mention_everyone and not permissions.manage_messages


def test_client_id_comes_from_the_token():
    head = base64.b64encode(b"987654321098765432").decode().rstrip("=")
    token = f"{head}.GhIjKl.abcdefghijklmnopqrstuvwxyz"
    assert client_id_from_token(token) == 987654321098765432
    configured = DiscordSettings.from_env({"DISCORD_BOT_TOKEN": token})  # the other name people use
    assert _query(invite_url(configured))["client_id"] == ["987654321098765432"]


def test_invite_url_needs_a_token_or_id():
    with pytest.raises(ValueError):
        invite_url(DiscordSettings())
    with pytest.raises(ValueError):
        client_id_from_token("not-base64!!.x.y")


async def test_serve_rejects_a_bad_token_with_a_clear_error(settings):
    async with FakeDiscord() as fake:
        configured = DiscordSettings(api_url=fake.api_url, token="wrong-token")
        try:
            with pytest.raises(ValueError, match="rejected DISCORD_TOKEN"):
                await serve(settings, discord_settings=configured, limits=SessionSettings())
        finally:
            apply_api_base(DiscordSettings())
        assert [call.route for call in fake.calls] == ["GET /users/@me"]


async def test_serve_runs_the_bot_end_to_end(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE_HTML)
    async with FakeDiscord() as fake:
        configured = DiscordSettings(api_url=fake.api_url, token="fake-token")
        task = asyncio.create_task(serve(settings, discord_settings=configured, limits=SessionSettings()))
        try:
            await fake.wait_identified(timeout=15)
            trigger = await fake.dispatch_message(f"<@{fake.bot_id}> {url}", mentions=[fake.bot_id])
            await wait_report(fake, channel_id=int(trigger["id"]))
        finally:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            apply_api_base(DiscordSettings())


async def test_stopping_lets_a_running_check_post_its_report_before_disconnecting(article_server, settings):
    """The old order closed the connection first, so a check still running could post nothing."""
    release, stop = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    url = article_server.add(
        "/slow", handler=held_page(lambda: asyncio.run_coroutine_threadsafe(release.wait(), loop).result(10))
    )
    async with FakeDiscord() as fake:
        configured = DiscordSettings(api_url=fake.api_url, token="fake-token")
        task = asyncio.create_task(
            serve(settings, discord_settings=configured, limits=SessionSettings(), stopped=stop.wait)
        )
        try:
            await fake.wait_identified(timeout=15)
            trigger = await fake.dispatch_message(f"<@{fake.bot_id}> {url}", mentions=[fake.bot_id])
            await fake.wait_for(lambda c: c.route == "POST /channels/{id}/typing")
            stop.set()  # SIGTERM while the page is still downloading
            await asyncio.sleep(0.1)
            assert not task.done()  # still connected, waiting for the check
            release.set()
            await asyncio.wait_for(task, 20)
        finally:
            release.set()
            apply_api_base(DiscordSettings())
        await wait_report(fake, channel_id=int(trigger["id"]), timeout=1)
