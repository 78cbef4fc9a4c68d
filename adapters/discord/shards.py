"""One bot in many servers: the gateway connection split into shards, in one process or over several.

Discord requires sharding past 2,500 servers, and discord.py advises ``AutoShardedClient`` from about
1,000. ``FACTCHECK_DISCORD_SHARDS=auto`` lets Discord pick the count (``GET /gateway/bot``) and runs
every shard here; a number fixes the count, and ``FACTCHECK_DISCORD_SHARD_IDS`` then picks the shards
this process runs, so front processes split the servers between them (shard = (guild_id >> 22) % count,
DMs on shard 0). Every process of one bot must be given the same count, and each shard to exactly one
process: a shard run twice sees its events twice (the queue's job id still keeps it to one answer).
"""

from __future__ import annotations

from typing import Any

import discord

from adapters.discord.client import FactcheckClient
from adapters.discord.settings import DiscordSettings
from adapters.session.dispatch import Dispatch


class ShardedFactcheckClient(FactcheckClient, discord.AutoShardedClient):
    """The same handlers on discord.py's sharded client."""


def shard_options(settings: DiscordSettings) -> dict[str, Any]:
    if settings.shards is None:
        return {}
    if settings.shards == "auto":
        return {"shard_count": None}
    return {"shard_count": int(settings.shards), "shard_ids": list(settings.shard_ids) or None}


def build_client(settings: DiscordSettings, *, session: Dispatch) -> FactcheckClient:
    """One connection (the default), or the shards the settings name."""
    if settings.shards is None:
        return FactcheckClient(discord_settings=settings, session=session)
    return ShardedFactcheckClient(discord_settings=settings, session=session, **shard_options(settings))
