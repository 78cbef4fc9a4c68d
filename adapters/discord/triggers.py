"""The three ways in: a mention (or auto mode, or a DM), /factcheck, and the "Fact-check" menu.

Each turns a Discord event into check requests and hands them to the session with a front. An
interaction must get its first response within 3 seconds: requests without a link are refused at
once, privately, and the session's own refusals (cooldown, budget) come before its ``acknowledge``
(the defer), so they can answer privately too.
"""

from __future__ import annotations

import logging

import discord

from adapters.discord.front import InteractionFront, MessageFront, reply_privately
from adapters.discord.settings import DiscordSettings
from adapters.session.dispatch import Dispatch
from adapters.session.request import CheckRequest
from adapters.view.words import USE_THE_MENU
from bot.links import find_links, normalize_url
from bot.outcome import Outcome, user_message

log = logging.getLogger(__name__)


class Triggers:
    def __init__(self, *, discord_settings: DiscordSettings, session: Dispatch) -> None:
        self.settings = discord_settings
        self.session = session
        self.max_links = session.settings.max_links_per_message

    # ---------------------------------------------------------------- messages

    async def on_message(self, message: discord.Message, *, client: discord.Client) -> None:
        me = client.user
        if me is None or message.author.bot or message.author.id == me.id:
            return
        # A direct message is addressed to the bot as much as a mention is.
        mentioned = mentions_me(message, me) or message.guild is None
        if not mentioned and not self.auto_allowed(message):
            return
        links = self._links(message.content)
        if not links and mentioned and message.reference is not None:
            replied = await _replied_to(message)
            if replied is None or not (replied.content or "").strip():
                # Without the Message Content intent Discord blanks the replied-to message (unless it is
                # the bot's own, a DM, or mentions the bot), and fetching it gives the same blank.
                await _reply(message, USE_THE_MENU)
                return
            links = self._links(replied.content)
        if not links:
            if mentioned:
                await _reply(message, user_message(Outcome.NO_LINK))
            return
        for url in links:
            request = CheckRequest(
                platform="discord",
                target=url,
                kind="url",
                source=str(message.id),
                scope=str(message.guild.id) if message.guild else "",
                channel=str(message.channel.id),
                user=str(message.author.id),
                addressed=mentioned,
                reply={"reply_to": str(message.id), "trigger": "mention" if mentioned else "auto"},
            )
            await self.session.handle(request, MessageFront(request=request, message=message, client=client))

    def auto_allowed(self, message: discord.Message) -> bool:
        """Auto mode: enabled, and the channel is allowed (by id or name; empty list = all)."""
        if not self.settings.auto or message.guild is None:
            return False
        allowed = self.settings.channels
        channel = message.channel
        return not allowed or str(channel.id) in allowed or getattr(channel, "name", None) in allowed

    def _links(self, text: str | None) -> list[str]:
        return find_links(text or "", limit=self.max_links)

    # ---------------------------------------------------------------- interactions

    async def on_slash(self, interaction: discord.Interaction, *, url: str | None, text: str | None) -> None:
        target, kind = _slash_target(url=url, text=text, max_links=self.max_links)
        await self._run_interaction(interaction, target=target, kind=kind, message=None)

    async def on_menu(self, interaction: discord.Interaction, message: discord.Message) -> None:
        links = self._links(message.content)
        await self._run_interaction(interaction, target=links[0] if links else None, kind="url", message=message)

    async def _run_interaction(
        self, interaction: discord.Interaction, *, target: str | None, kind: str, message: discord.Message | None
    ) -> None:
        if target is None:  # no I/O before the first response: this answers at once, privately
            await reply_privately(interaction, user_message(Outcome.NO_LINK))
            return
        request = CheckRequest.model_validate(
            {
                "platform": "discord",
                "target": target,
                "kind": kind,
                "source": str(interaction.id),
                "scope": str(interaction.guild_id) if interaction.guild_id else "",
                "channel": str(interaction.channel_id or ""),
                "user": str(interaction.user.id),
                "reply": {
                    "interaction_token": interaction.token,
                    "application_id": str(interaction.application_id),
                    "trigger": "menu" if message is not None else "slash",
                    **({"reply_to": str(message.id)} if message is not None else {}),
                },
            }
        )
        await self.session.handle(request, InteractionFront(request=request, interaction=interaction, target=message))


def mentions_me(message: discord.Message, me: discord.abc.User) -> bool:
    """A direct mention of the bot or of its own role; ``@everyone`` (which ``mentioned_in`` counts) is not one."""
    if any(user.id == me.id for user in message.mentions):
        return True
    own_role = message.guild.self_role if message.guild is not None else None
    return own_role is not None and own_role in message.role_mentions


def _slash_target(*, url: str | None, text: str | None, max_links: int) -> tuple[str | None, str]:
    if url:
        normalized = normalize_url(url)
        if normalized is not None:
            return normalized, "url"
        found = find_links(url, limit=1)
        return (found[0], "url") if found else (None, "url")
    if text and text.strip():
        found = find_links(text, limit=max_links)
        # A pasted text that is just a link is a link; otherwise check the text itself.
        if found and text.strip().strip("<>") == found[0]:
            return found[0], "url"
        return text, "text"
    return None, "url"


async def _replied_to(message: discord.Message) -> discord.Message | None:
    """The message ``message`` replies to: from the event when Discord sent it, else fetched."""
    reference = message.reference
    if reference is None:
        return None
    resolved = reference.resolved
    if isinstance(resolved, discord.Message):
        return resolved  # what Discord sent; fetching it again would be blanked by the same rule
    if reference.message_id is None:
        return None  # deleted, or not a message
    try:
        return await message.channel.fetch_message(reference.message_id)
    except discord.HTTPException:
        return None


async def _reply(message: discord.Message, text: str) -> None:
    await message.reply(
        text, allowed_mentions=discord.AllowedMentions.none(), suppress_embeds=True, mention_author=False
    )
