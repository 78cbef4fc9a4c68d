"""``factcheck discord`` (run the bot) and ``factcheck discord invite`` (print the invite URL)."""

from __future__ import annotations

import asyncio
import base64
import binascii

import discord

from adapters.discord.client import build_client
from adapters.discord.endpoints import apply_api_base
from adapters.session.pointers import open_pointers
from bot.cache import open_cache
from bot.config import Settings

# Exactly what the bot does: read the channel, reply, start a public thread from a
# message and post in it, send embeds, and reply to a message (needs history).
REQUIRED_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    read_message_history=True,
)
SCOPES = ("bot", "applications.commands")


def client_id_from_token(token: str) -> int:
    """A bot token's first part is the bot user's id (= the application id) in base64."""
    head = token.split(".", 1)[0]
    try:
        return int(base64.b64decode(head + "=" * (-len(head) % 4), validate=False).decode("ascii"))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ValueError("cannot read the application id from DISCORD_TOKEN; pass the client id") from exc


def invite_url(settings: Settings, *, client_id: int | None = None) -> str:
    """The OAuth2 URL that adds the bot with exactly the permissions it needs."""
    if client_id is None:
        if not settings.discord_token:
            raise ValueError("set DISCORD_TOKEN or pass the application (client) id")
        client_id = client_id_from_token(settings.discord_token.get_secret_value())
    return discord.utils.oauth_url(client_id, permissions=REQUIRED_PERMISSIONS, scopes=SCOPES)


async def serve(settings: Settings) -> None:
    """Connect and answer until cancelled. Configuration problems raise ValueError with the fix."""
    if not settings.discord_token:
        raise ValueError("DISCORD_TOKEN is not set")
    apply_api_base(settings)
    cache = open_cache(settings)
    pointers = open_pointers(settings)
    client = build_client(settings, cache=cache, pointers=pointers)
    try:
        async with client:
            await client.start(settings.discord_token.get_secret_value())
    except discord.LoginFailure as exc:
        raise ValueError("Discord rejected DISCORD_TOKEN (reset it in the developer portal)") from exc
    except discord.PrivilegedIntentsRequired as exc:
        raise ValueError(
            "FACTCHECK_DISCORD_AUTO needs the Message Content intent: enable it for the bot in the "
            "developer portal, or unset FACTCHECK_DISCORD_AUTO"
        ) from exc
    finally:
        engine = client.services.engine
        if engine is not None:
            await engine.aclose()
        pointers.close()
        cache.close()


def run(settings: Settings) -> None:
    """Blocking entry point for the ``discord`` worker process (logging is set up by the CLI)."""
    asyncio.run(serve(settings))
