"""The three ways in: a mention (or auto mode), /factcheck, and the "Fact-check" menu.

Interactions answer within Discord's 3-second window: checks that need no I/O
(cooldown, "no link") answer at once, ephemerally; everything else runs after
``defer()``. Errors after the defer replace the public "thinking" message with
an ephemeral one, so a failed check leaves no trace in the channel.
"""

from __future__ import annotations

import logging

import discord

from adapters.discord.destinations import (
    NO_MENTIONS,
    ChannelDestination,
    Destination,
    FollowupDestination,
    ReplyDestination,
    start_thread,
)
from adapters.discord.flow import (
    Request,
    Services,
    cooldown_refusal,
    earlier_post,
    request_from_text,
    run_check,
)
from adapters.discord.safety import neutralise
from bot.links import normalize_url
from bot.outcome import Outcome, user_message

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- messages


def mentions_me(message: discord.Message, me: discord.abc.User) -> bool:
    """A direct mention of the bot or of its own role; ``@everyone`` (which ``mentioned_in`` counts) is not one."""
    if any(user.id == me.id for user in message.mentions):
        return True
    own_role = message.guild.self_role if message.guild is not None else None
    return own_role is not None and own_role in message.role_mentions


def auto_allowed(message: discord.Message, services: Services) -> bool:
    """Auto mode: enabled, and the channel is allowed (by id or name; empty list = all)."""
    settings = services.settings
    if not settings.discord_auto or message.guild is None:
        return False
    allowed = settings.discord_channels
    channel = message.channel
    return not allowed or str(channel.id) in allowed or getattr(channel, "name", None) in allowed


async def handle_message(message: discord.Message, *, me: discord.abc.User, services: Services) -> None:
    if message.author.bot or message.author.id == me.id:
        return
    # A direct message is addressed to the bot as much as a mention is.
    mentioned = mentions_me(message, me) or message.guild is None
    if not mentioned and not auto_allowed(message, services):
        return
    scope = str(message.guild.id) if message.guild else None
    request = request_from_text(message.content, scope=scope, user_id=message.author.id)
    if request is None and mentioned and message.reference is not None:
        referenced = await _referenced(message)
        if referenced is not None:
            request = request_from_text(referenced.content, scope=scope, user_id=message.author.id)
    if request is None:
        if mentioned:
            await _reply(message, user_message(Outcome.NO_LINK))
        return
    refusal = cooldown_refusal(services, message.author.id)
    if refusal is not None:
        if mentioned:  # auto mode stays quiet rather than lecture a channel
            await _reply(message, refusal)
        return
    if (previous := await earlier_post(services, request)) is not None:
        await _reply(message, f"This link was already checked here: {previous}")
        return

    async def open_destination(name: str) -> tuple[Destination, str | None]:
        thread = await start_thread(message, name=name)
        if thread is None:
            return ReplyDestination(message), None
        return ChannelDestination(thread), thread.jump_url

    async def fail(text: str) -> None:
        if mentioned:
            await _reply(message, text)
        else:
            log.info("auto check of a message failed quietly: %s", text)

    try:
        await message.channel.typing()  # one indicator (≈10 s) while the page is fetched
    except discord.HTTPException:
        pass  # cosmetic only
    await run_check(request, services=services, open_destination=open_destination, fail=fail)


async def _referenced(message: discord.Message) -> discord.Message | None:
    reference = message.reference
    if reference is None:
        return None
    if isinstance(reference.resolved, discord.Message):
        return reference.resolved
    if reference.message_id is None:
        return None
    try:
        return await message.channel.fetch_message(reference.message_id)
    except discord.HTTPException:
        return None


async def _reply(message: discord.Message, text: str) -> None:
    await message.reply(text, allowed_mentions=NO_MENTIONS, suppress_embeds=True, mention_author=False)


# ---------------------------------------------------------------- interactions


def request_from_options(interaction: discord.Interaction, *, url: str | None, text: str | None) -> Request | None:
    scope = str(interaction.guild_id) if interaction.guild_id else None
    if url:
        normalized = normalize_url(url)
        if normalized is not None:
            return Request(target=normalized, url=normalized, scope=scope, user_id=interaction.user.id)
        return request_from_text(url, scope=scope, user_id=interaction.user.id)
    if text and text.strip():
        found = request_from_text(text, scope=scope, user_id=interaction.user.id)
        # A pasted text that is just a link is a link; otherwise check the text itself.
        if found is not None and text.strip().strip("<>") == found.url:
            return found
        return Request(target=text, url=None, scope=scope, user_id=interaction.user.id)
    return None


async def handle_slash(
    interaction: discord.Interaction, *, url: str | None, text: str | None, services: Services
) -> None:
    request = request_from_options(interaction, url=url, text=text)
    await _run_interaction(interaction, request, services=services, target_message=None)


async def handle_context_menu(
    interaction: discord.Interaction, message: discord.Message, *, services: Services
) -> None:
    scope = str(interaction.guild_id) if interaction.guild_id else None
    request = request_from_text(message.content, scope=scope, user_id=interaction.user.id)
    await _run_interaction(interaction, request, services=services, target_message=message)


async def _run_interaction(
    interaction: discord.Interaction,
    request: Request | None,
    *,
    services: Services,
    target_message: discord.Message | None,
) -> None:
    # No I/O before the first response: these checks answer at once, privately.
    if request is None:
        await reply_privately_now(interaction, user_message(Outcome.NO_LINK))
        return
    refusal = cooldown_refusal(services, interaction.user.id)
    if refusal is not None:
        await reply_privately_now(interaction, refusal)
        return
    await interaction.response.defer(thinking=True)

    if (previous := await earlier_post(services, request)) is not None:
        await interaction.edit_original_response(
            content=f"This link was already checked here: {previous}", allowed_mentions=NO_MENTIONS
        )
        return

    async def open_destination(name: str) -> tuple[Destination, str | None]:
        thread: discord.Thread | None = None
        if target_message is not None:
            # The menu's message is the trigger: the thread hangs off it, the reply points there.
            thread = await start_thread(target_message, name=name)
            if thread is not None:
                await interaction.edit_original_response(
                    content=f"Fact-checking in {thread.mention}", allowed_mentions=NO_MENTIONS
                )
        else:
            # The slash command has no message of its own: the bot's first reply starts the thread.
            first = await interaction.edit_original_response(
                content=f"🔎 Fact-checking **{neutralise(name)}**", allowed_mentions=NO_MENTIONS
            )
            thread = await start_thread(first, name=name)
        if thread is None:
            return FollowupDestination(interaction), None
        return ChannelDestination(thread), thread.jump_url

    async def fail(text: str) -> None:
        await reply_privately_after_defer(interaction, text)

    await run_check(request, services=services, open_destination=open_destination, fail=fail)


async def reply_privately_now(interaction: discord.Interaction, text: str) -> None:
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS, suppress_embeds=True)


async def reply_privately_after_defer(interaction: discord.Interaction, text: str) -> None:
    """A deferred public response cannot turn private: remove it, then follow up privately."""
    try:
        await interaction.delete_original_response()
    except discord.HTTPException:
        log.info("could not delete the deferred response; sending the error anyway")
    await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS, suppress_embeds=True, wait=True)
