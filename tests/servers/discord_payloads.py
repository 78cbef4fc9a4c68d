"""Payloads of a small Discord world (one guild, one channel, the bot and two members).

Shaped like the real API's answers closely enough for discord.py to parse them;
used by the fake Discord server in ``discord_server.py``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# Permissions of @everyone in the fake guild: view, send, embed links, attach files, read history,
# create public threads, send in threads. Enough for every path the bot takes.
EVERYONE_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 35) | (1 << 38)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class DiscordWorld:
    guild_id: int = 1_100_000_000_000_000_001
    channel_id: int = 1_100_000_000_000_000_002
    bot_id: int = 1_100_000_000_000_000_003  # also the application id, as for real bots
    user_id: int = 1_100_000_000_000_000_004
    other_user_id: int = 1_100_000_000_000_000_005
    dm_channel_id: int = 1_100_000_000_000_000_006
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._ids = itertools.count(1_200_000_000_000_000_000)

    def snowflake(self) -> int:
        return next(self._ids)

    def user(self, user_id: int, *, bot: bool = False) -> dict[str, Any]:
        names = {self.bot_id: "FactBot", self.user_id: "alice", self.other_user_id: "bob"}
        return {
            "id": str(user_id),
            "username": names.get(user_id, f"user{user_id}"),
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": bot,
            "flags": 0,
        }

    def member(self, user_id: int) -> dict[str, Any]:
        return {
            "user": self.user(user_id, bot=user_id == self.bot_id),
            "roles": [],
            "joined_at": now_iso(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(EVERYONE_PERMISSIONS),
        }

    def text_channel(self) -> dict[str, Any]:
        return {
            "id": str(self.channel_id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": "news",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "rate_limit_per_user": 0,
            "last_message_id": None,
        }

    def guild(self) -> dict[str, Any]:
        return {
            "id": str(self.guild_id),
            "name": "Newsroom",
            "icon": None,
            "owner_id": str(self.other_user_id),
            "roles": [
                {
                    "id": str(self.guild_id),  # @everyone has the guild's id
                    "name": "@everyone",
                    "permissions": str(EVERYONE_PERMISSIONS),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "emojis": [],
            "stickers": [],
            "features": [],
            "channels": [self.text_channel()],
            "threads": [],
            "members": [self.member(self.bot_id)],
            "member_count": 3,
            "large": False,
            "unavailable": False,
            "joined_at": now_iso(),
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "system_channel_flags": 0,
        }

    def message(
        self,
        *,
        content: str,
        channel_id: int | None = None,
        author_id: int | None = None,
        mentions: list[int] | None = None,
        reference: dict[str, Any] | None = None,
        embeds: list[dict[str, Any]] | None = None,
        flags: int = 0,
        message_id: int | None = None,
        in_guild: bool = True,
    ) -> dict[str, Any]:
        author_id = self.user_id if author_id is None else author_id
        data: dict[str, Any] = {
            "id": str(message_id or self.snowflake()),
            "channel_id": str(channel_id or self.channel_id),
            "author": self.user(author_id, bot=author_id == self.bot_id),
            "content": content,
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [self.user(uid, bot=uid == self.bot_id) for uid in (mentions or [])],
            "mention_roles": [],
            "attachments": [],
            "embeds": embeds or [],
            "pinned": False,
            "type": 19 if reference else 0,
            "flags": flags,
            "components": [],
        }
        if in_guild:
            data["guild_id"] = str(self.guild_id)
            member = self.member(author_id)
            member.pop("user")
            data["member"] = member
        if reference:
            data["message_reference"] = reference
            ref_id = int(reference["message_id"])
            if ref_id in self.messages:
                data["referenced_message"] = self.messages[ref_id]
        return data

    def application(self) -> dict[str, Any]:
        return {
            "id": str(self.bot_id),
            "name": "FactBot",
            "description": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.user(self.other_user_id),
            "verify_key": "0" * 64,
            "flags": 0,
            "summary": "",
            "team": None,
            "rpc_origins": [],
            "interactions_endpoint_url": None,
        }
