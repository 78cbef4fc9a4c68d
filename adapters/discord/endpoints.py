"""Where the client talks to Discord: the one place that may point it elsewhere.

discord.py builds every REST URL (webhooks and interaction callbacks included)
from the class attribute ``discord.http.Route.BASE``, and a plain ``Client``
connects to ``DiscordWebSocket.DEFAULT_GATEWAY`` without asking the API. With
``FACTCHECK_DISCORD_API_URL`` set (tests, a proxy), REST goes there and the
gateway URL comes from that API's ``GET /gateway/bot``, as it would from Discord.
"""

from __future__ import annotations

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.config import Settings

DISCORD_API_BASE = "https://discord.com/api/v10"
DISCORD_GATEWAY = yarl.URL("wss://gateway.discord.gg/")


def apply_api_base(settings: Settings) -> None:
    """Point discord.py's REST routes at ``settings.discord_api_url`` (or back at Discord).

    Call before the client logs in: routes built earlier keep their URL.
    """
    Route.BASE = (settings.discord_api_url or DISCORD_API_BASE).rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = DISCORD_GATEWAY


async def apply_gateway(client: discord.Client, settings: Settings) -> None:
    """With an overridden API, connect to the gateway that API names (``GET /gateway/bot``)."""
    if not settings.discord_api_url:
        return
    _shards, url, _limits = await client.http.get_bot_gateway()
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
