"""Where the client talks to Discord: the one place that points discord.py elsewhere.

discord.py offers no setting for its API base: every REST URL (webhooks and interaction callbacks
included) is built from the class attribute ``discord.http.Route.BASE``, and a plain ``Client``
connects to ``DiscordWebSocket.DEFAULT_GATEWAY``. With ``FACTCHECK_DISCORD_API_URL`` set (tests, a
proxy), REST goes there and the gateway URL comes from that API's ``GET /gateway/bot``, as it would
from Discord. Nothing else in the project touches discord.py's internals; tests/adapters/discord/
test_endpoints.py fails when an upgrade changes either attribute, so this module is re-checked then.
"""

from __future__ import annotations

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.settings import DISCORD_API_URL, DiscordSettings

DISCORD_GATEWAY = yarl.URL("wss://gateway.discord.gg/")
TESTED_WITH = (2, 7)  # discord.py major.minor these two attributes were checked against


def apply_api_base(settings: DiscordSettings) -> None:
    """Point discord.py's REST routes at ``settings.api_url`` (or back at Discord).

    Call before the client logs in: routes built earlier keep their URL.
    """
    Route.BASE = (settings.api_url or DISCORD_API_URL).rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = DISCORD_GATEWAY


async def apply_gateway(client: discord.Client, settings: DiscordSettings) -> None:
    """With an overridden API, connect to the gateway that API names (``GET /gateway/bot``)."""
    if not settings.api_url:
        return
    _shards, url, _limits = await client.http.get_bot_gateway()
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
