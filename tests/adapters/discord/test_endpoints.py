"""adapters.discord.endpoints sets two discord.py class attributes (the library offers no setting for
its API base). These tests fail when an upgrade moves either, so the module is looked at again."""

from __future__ import annotations

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.endpoints import DISCORD_GATEWAY, TESTED_WITH, apply_api_base
from adapters.discord.settings import DISCORD_API_URL, DiscordSettings


def test_discord_py_is_the_version_the_endpoint_override_was_checked_against():
    assert tuple(discord.version_info[:2]) == TESTED_WITH, "re-check adapters/discord/endpoints.py, then bump"


def test_every_route_is_built_from_the_overridden_base_and_restored():
    try:
        apply_api_base(DiscordSettings(api_url="http://127.0.0.1:9/api/v10/"))
        assert Route("GET", "/users/@me").url == "http://127.0.0.1:9/api/v10/users/@me"
        webhook = Route("POST", "/webhooks/{webhook_id}/{webhook_token}", webhook_id=1, webhook_token="t")
        assert webhook.url.startswith("http://127.0.0.1:9/api/v10/webhooks/")
    finally:
        apply_api_base(DiscordSettings())
    assert Route("GET", "/users/@me").url == f"{DISCORD_API_URL}/users/@me"
    assert isinstance(DiscordWebSocket.DEFAULT_GATEWAY, yarl.URL)
    assert DiscordWebSocket.DEFAULT_GATEWAY == DISCORD_GATEWAY
