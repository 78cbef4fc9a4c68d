"""``factcheck discord`` (run the bot) and ``factcheck discord invite`` (print the invite URL)."""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Awaitable, Callable

import discord

from adapters.discord.connect import run_until_stopped
from adapters.discord.endpoints import apply_api_base
from adapters.discord.settings import DiscordSettings
from adapters.discord.shards import build_client
from adapters.queue.runtime import front_dispatch, start_cpu_workers
from adapters.queue.settings import QueueSettings
from adapters.session.settings import SessionSettings
from adapters.session.shutdown import until_signalled
from bot.config import Settings

log = logging.getLogger(__name__)

# Exactly what the bot does: read the channel, reply, start a public thread from a message and post
# in it, send embeds, attach the report page, and reply to a message (needs history).
REQUIRED_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    attach_files=True,
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


def invite_url(discord_settings: DiscordSettings, *, client_id: int | None = None) -> str:
    """The OAuth2 URL that adds the bot with exactly the permissions it needs."""
    if client_id is None:
        if not discord_settings.token:
            raise ValueError("set DISCORD_TOKEN or pass the application (client) id")
        client_id = client_id_from_token(discord_settings.token.get_secret_value())
    return discord.utils.oauth_url(client_id, permissions=REQUIRED_PERMISSIONS, scopes=SCOPES)


async def serve(
    settings: Settings,
    *,
    discord_settings: DiscordSettings,
    limits: SessionSettings,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    stopped: Callable[[], Awaitable[object]] = until_signalled,
    queue: QueueSettings | None = None,
) -> None:
    """Connect and answer until SIGINT/SIGTERM (or ``stopped()`` returns); running checks then finish their answers.
    Configuration problems raise ValueError with the fix. With ``REDIS_URL`` set (``queue``) this process is a
    front: it queues checks for ``factcheck worker``."""
    if not discord_settings.token:
        raise ValueError("DISCORD_TOKEN is not set")
    apply_api_base(discord_settings)
    async with front_dispatch(settings, limits=limits, queue=queue or QueueSettings()) as session:
        client = build_client(discord_settings, session=session)
        await run_until_stopped(
            client,
            token=discord_settings.token.get_secret_value(),
            session=session,
            stopped=stopped,
            sleep=sleep,
        )


def run(
    settings: Settings,
    *,
    discord_settings: DiscordSettings,
    limits: SessionSettings,
    queue: QueueSettings | None = None,
) -> None:
    """Blocking entry point for the ``discord`` process (logging is set up by the CLI)."""
    if queue is None or not queue.enabled:
        start_cpu_workers(settings)
    asyncio.run(serve(settings, discord_settings=discord_settings, limits=limits, queue=queue))
