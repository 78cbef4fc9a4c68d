"""Where a check's messages go: a thread, a reply in place, or interaction follow-ups.

Every send and edit here passes ``AllowedMentions.none()`` itself (the client default
is the same; this keeps a single forgotten default from pinging a server), and
content-only messages, which may carry URLs, go out with embeds suppressed so the
thread does not fill with link previews. Sends are never retried here: discord.py
handles 429, and a retried send after a lost response would post twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

import discord

NO_MENTIONS = discord.AllowedMentions.none()
THREAD_ARCHIVE_MINUTES = 1440

log = logging.getLogger(__name__)


class Destination(Protocol):
    async def post(self, content: str) -> discord.Message: ...
    async def post_embeds(self, embeds: list[discord.Embed]) -> discord.Message: ...


async def edit_text(message: discord.Message, content: str) -> None:
    """Progress edits are best effort: a failed one must not stop the report itself."""
    try:
        await message.edit(content=content, allowed_mentions=NO_MENTIONS, suppress=True)
    except discord.HTTPException as exc:
        log.warning("progress edit failed: %s", exc)


@dataclass
class ChannelDestination:
    """A thread (or any messageable): plain sends."""

    channel: discord.abc.Messageable

    async def post(self, content: str) -> discord.Message:
        return await self.channel.send(content, allowed_mentions=NO_MENTIONS, suppress_embeds=True)

    async def post_embeds(self, embeds: list[discord.Embed]) -> discord.Message:
        return await self.channel.send(embeds=embeds, allowed_mentions=NO_MENTIONS)


@dataclass
class ReplyDestination:
    """No thread possible: the first message replies to the trigger, the rest follow it."""

    message: discord.Message
    _replied: bool = field(default=False, init=False)

    async def post(self, content: str) -> discord.Message:
        if not self._replied:
            self._replied = True
            return await self.message.reply(
                content, allowed_mentions=NO_MENTIONS, suppress_embeds=True, mention_author=False
            )
        return await self.message.channel.send(content, allowed_mentions=NO_MENTIONS, suppress_embeds=True)

    async def post_embeds(self, embeds: list[discord.Embed]) -> discord.Message:
        if not self._replied:
            self._replied = True
            return await self.message.reply(embeds=embeds, allowed_mentions=NO_MENTIONS, mention_author=False)
        return await self.message.channel.send(embeds=embeds, allowed_mentions=NO_MENTIONS)


@dataclass
class FollowupDestination:
    """An interaction where no thread is possible: webhook follow-ups (no intent needed)."""

    interaction: discord.Interaction

    async def post(self, content: str) -> discord.Message:
        return await self.interaction.followup.send(
            content, allowed_mentions=NO_MENTIONS, suppress_embeds=True, wait=True
        )

    async def post_embeds(self, embeds: list[discord.Embed]) -> discord.Message:
        return await self.interaction.followup.send(embeds=embeds, allowed_mentions=NO_MENTIONS, wait=True)


def can_start_thread(channel: object) -> bool:
    """Only a guild text channel can hold a public thread started from a message."""
    if not isinstance(channel, discord.TextChannel):
        return False
    me = channel.guild.me
    if me is None:
        return True  # unknown permissions: try, and fall back on Forbidden
    permissions = channel.permissions_for(me)
    return permissions.create_public_threads and permissions.send_messages_in_threads


async def start_thread(message: discord.Message, *, name: str) -> discord.Thread | None:
    """A public thread from ``message``, or None when this channel cannot have one."""
    if message.guild is None or not can_start_thread(message.channel):
        return None
    try:
        return await message.create_thread(name=name, auto_archive_duration=THREAD_ARCHIVE_MINUTES)
    except (discord.Forbidden, discord.HTTPException, ValueError) as exc:
        # A message already in a thread or forum cannot start one; reply in place instead.
        log.info("thread not created (%s); replying in place", exc)
        return None
