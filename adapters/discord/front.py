"""The session's front ends in Discord: a thread from the asking message, or replies where none is possible.

Two ways in share one body: a message (mention, DM, auto mode) and an interaction (/factcheck, the
"Fact-check" menu). The thread is opened lazily, named after the article, when there is first
something to show; a check answered at once (a repeated link, a quick failure) opens none.

Every send and edit passes ``AllowedMentions.none()`` itself (the client default is the same; this
keeps one forgotten default from pinging a server), and content that may carry a URL goes out with
embeds suppressed. Sends are never retried here: discord.py handles 429, and a retried send after a
lost response would post twice.
"""

from __future__ import annotations

import io
import logging
from typing import Any, Literal

import discord

from adapters.discord.render import progress_text, render_messages, thread_name
from adapters.discord.safety import neutralise
from adapters.session.progress import Progress
from adapters.session.request import CheckRequest
from adapters.view.words import already_checked
from bot.models import Article, Report

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
THREAD_ARCHIVE_MINUTES: Literal[1440] = 1440
THREAD_ALREADY_EXISTS = 160004  # Discord's error code: this message already started a thread


class Destination:
    """Where the answer's messages go: a thread (or channel), replies to the trigger, or interaction follow-ups."""

    def __init__(
        self,
        *,
        channel: discord.abc.Messageable | None = None,
        reply_to: discord.Message | discord.PartialMessage | None = None,
        followup: discord.Webhook | None = None,
        jump_url: str | None = None,
    ) -> None:
        self._channel = channel
        self._reply_to = reply_to  # the first message replies to the trigger; the rest follow in its channel
        self._followup = followup
        self.jump_url = jump_url

    async def text(
        self, content: str, *, file: discord.File | None = None, nonce: str | None = None
    ) -> discord.Message:
        """``nonce``: a repeated send with the same nonce within minutes is the first message again (channels only)."""
        files = [file] if file is not None else []
        if self._followup is not None:
            return await self._followup.send(
                content, files=files, allowed_mentions=NO_MENTIONS, suppress_embeds=True, wait=True
            )
        if self._reply_to is not None:
            reply_to, self._reply_to = self._reply_to, None
            return await reply_to.reply(
                content,
                files=files,
                allowed_mentions=NO_MENTIONS,
                suppress_embeds=True,
                mention_author=False,
                **_nonce(nonce),
            )
        assert self._channel is not None
        return await self._channel.send(
            content, files=files, allowed_mentions=NO_MENTIONS, suppress_embeds=True, **_nonce(nonce)
        )

    async def embeds(
        self, embeds: list[discord.Embed], *, content: str | None = None, nonce: str | None = None
    ) -> discord.Message:
        # The content (the report's triage) wraps its links so they do not unfurl: suppress_embeds would hide ours.
        if self._followup is not None:
            return await self._followup.send(
                content or discord.utils.MISSING, embeds=embeds, allowed_mentions=NO_MENTIONS, wait=True
            )
        if self._reply_to is not None:
            reply_to, self._reply_to = self._reply_to, None
            return await reply_to.reply(
                content, embeds=embeds, allowed_mentions=NO_MENTIONS, mention_author=False, **_nonce(nonce)
            )
        assert self._channel is not None
        return await self._channel.send(content, embeds=embeds, allowed_mentions=NO_MENTIONS, **_nonce(nonce))

    async def fetch(self, message_id: int) -> discord.Message | None:
        """A message this destination sent earlier (a queued job run again takes it over), or None if gone."""
        try:
            if self._followup is not None:
                return await self._followup.fetch_message(message_id)
            channel = self._channel if self._channel is not None else getattr(self._reply_to, "channel", None)
            if channel is None:
                return None
            return await channel.fetch_message(message_id)
        except discord.NotFound:
            return None


class DiscordFront:
    """The shared body: lazy thread, placeholder, paced edits, report embeds, the page as a file."""

    def __init__(self, *, request: CheckRequest) -> None:
        self.request = request
        self._answer: Destination | None = None
        self._placeholder: discord.Message | None = None
        self._progress: Progress | None = None

    @property
    def edit_scope(self) -> str | None:
        return None  # discord.py paces edits per channel itself

    # ------------------------------------------------------------ what each way in provides

    async def acknowledge(self) -> None:
        raise NotImplementedError

    async def refuse(self, text: str) -> None:
        raise NotImplementedError

    async def _open(self, name: str) -> Destination:
        """The thread (or reply target) for this answer."""
        raise NotImplementedError

    async def _say_alone(self, text: str) -> None:
        """A short reply when no thread was opened (a failure before any progress)."""
        raise NotImplementedError

    # ------------------------------------------------------------ the Front interface

    async def post_placeholder(self, progress: Progress) -> None:
        self._progress = progress  # the thread waits for the article's title

    async def edit_progress(self, progress: Progress) -> None:
        self._progress = progress
        text = progress_text(title=_title(progress), total=progress.claims_total, done=progress.analysed)
        if self._placeholder is None:
            answer = await self._ensure_open(_title(progress))
            self._placeholder = await answer.text(text)
            return
        await self._edit_placeholder(text)

    async def post_report(self, report: Report, *, article: Article | None) -> None:
        answer = await self._ensure_open(report.article.title or report.article.url or "Pasted text")
        if self._placeholder is not None:
            count = len(report.claims)
            title = report.article.title or _title(self._progress)
            await self._edit_placeholder(progress_text(title=title, total=count, done=count, finished=True))
        for message in render_messages(report, article=article):
            await answer.embeds(message.embeds, content=message.content or None)

    async def post_pointer(self, report: Report, *, pointer: str) -> None:
        await self._say_alone(already_checked(pointer))

    async def post_error(self, text: str) -> None:
        if self._placeholder is not None:
            await self._edit_placeholder(f"⚠ {text}")
        else:
            await self._say_alone(text)

    async def attach_file(self, *, filename: str, content: bytes, note: str) -> None:
        if self._answer is None:
            return
        try:
            await self._answer.text(note, file=discord.File(io.BytesIO(content), filename=filename))
        except discord.HTTPException as exc:
            log.warning("could not attach the page: %s", exc)

    async def permalink(self) -> str | None:
        return self._answer.jump_url if self._answer is not None else None

    # ------------------------------------------------------------ helpers

    async def _ensure_open(self, title: str | None) -> Destination:
        if self._answer is None:
            self._answer = await self._open(thread_name(title))
        return self._answer

    async def _edit_placeholder(self, text: str) -> None:
        placeholder = self._placeholder
        assert placeholder is not None
        try:
            if isinstance(placeholder, discord.WebhookMessage):  # a follow-up keeps the flags it was sent with
                await placeholder.edit(content=text, allowed_mentions=NO_MENTIONS)
            else:
                await placeholder.edit(content=text, allowed_mentions=NO_MENTIONS, suppress=True)
        except discord.HTTPException as exc:  # progress is cosmetic; the report still goes out
            log.warning("placeholder edit failed: %s", exc)


class MessageFront(DiscordFront):
    """A message asked (a mention, a DM, or any message in auto mode): thread from it, or reply to it."""

    def __init__(
        self, *, request: CheckRequest, message: discord.Message | discord.PartialMessage, client: discord.Client
    ) -> None:
        super().__init__(request=request)
        self.message = message
        self.client = client

    @classmethod
    async def from_request(cls, client: discord.Client, request: CheckRequest) -> MessageFront:
        """The front a worker builds from the request alone (REST, no gateway): the asking message by id."""
        channel = await client.fetch_channel(int(request.channel))
        if not isinstance(channel, discord.TextChannel | discord.Thread | discord.DMChannel):
            raise ValueError(f"channel {request.channel} cannot hold messages")
        return cls(request=request, message=channel.get_partial_message(int(request.reply["reply_to"])), client=client)

    async def acknowledge(self) -> None:
        try:
            await self.message.channel.typing()  # one indicator (about 10 s) while the page is fetched
        except discord.HTTPException:
            pass  # cosmetic only

    async def refuse(self, text: str) -> None:
        await _reply(self.message, text)

    async def _say_alone(self, text: str) -> None:
        if self.request.addressed:
            await _reply(self.message, text)
        else:  # auto mode stays quiet rather than lecture a channel
            log.info("auto check of a message ended quietly: %s", text)

    async def _open(self, name: str) -> Destination:
        thread = await start_thread(self.client, self.message, name=name)
        if thread is None:
            return Destination(channel=self.message.channel, reply_to=self.message)
        return Destination(channel=thread, jump_url=thread.jump_url)


class InteractionFront(DiscordFront):
    """/factcheck (the bot's first reply starts the thread) or the menu (the thread hangs off its message).

    Refusals before the defer answer privately at once; after it, the public "thinking" message is
    removed and the words follow privately, so a refused or failed check leaves no trace.
    """

    def __init__(
        self, *, request: CheckRequest, interaction: discord.Interaction, target: discord.Message | None = None
    ) -> None:
        super().__init__(request=request)
        self.interaction = interaction
        self.target = target

    async def acknowledge(self) -> None:
        if not self.interaction.response.is_done():
            await self.interaction.response.defer(thinking=True)

    async def refuse(self, text: str) -> None:
        if not self.interaction.response.is_done():
            await reply_privately(self.interaction, text)
            return
        await self._privately(text)

    async def _say_alone(self, text: str) -> None:
        if self._answer is not None:  # the original response already points somewhere: answer there
            await self._answer.text(text)
        else:
            await self._privately(text)

    async def post_pointer(self, report: Report, *, pointer: str) -> None:
        await self.interaction.followup.send(
            already_checked(pointer), allowed_mentions=NO_MENTIONS, suppress_embeds=True, wait=True
        )

    async def _open(self, name: str) -> Destination:
        followup = self.interaction.followup
        client = self.interaction.client
        if self.target is not None:
            # The menu's message is the trigger: the thread hangs off it, the reply points there.
            thread = await start_thread(client, self.target, name=name)
            if thread is not None:
                await followup.send(
                    f"Fact-checking in <#{thread.id}>", allowed_mentions=NO_MENTIONS, suppress_embeds=True, wait=True
                )
                return Destination(channel=thread, jump_url=thread.jump_url)
            return Destination(followup=followup)
        # /factcheck has no message of its own: the first follow-up replaces the "thinking" message
        # (keeping its embeds suppressed, since a title may hold a URL) and the thread starts from it.
        first = await followup.send(
            f"🔎 Fact-checking **{neutralise(name)}**", allowed_mentions=NO_MENTIONS, suppress_embeds=True, wait=True
        )
        channel = self.interaction.channel
        thread = None
        if isinstance(channel, discord.TextChannel):
            thread = await start_thread(client, channel.get_partial_message(first.id), name=name)
        if thread is None:
            return Destination(followup=followup)
        return Destination(channel=thread, jump_url=thread.jump_url)

    async def _privately(self, text: str) -> None:
        """A deferred public response cannot turn private: remove it, then follow up privately."""
        try:
            await self.interaction.delete_original_response()
        except discord.HTTPException:
            log.info("could not delete the deferred response; sending the words anyway")
        await self.interaction.followup.send(
            text, ephemeral=True, allowed_mentions=NO_MENTIONS, suppress_embeds=True, wait=True
        )


def can_start_thread(channel: object) -> bool:
    """Only a guild text channel can hold a public thread started from a message."""
    if not isinstance(channel, discord.TextChannel):
        return False
    me = channel.guild.me
    if me is None:
        return True  # unknown permissions: try, and fall back on Forbidden
    permissions = channel.permissions_for(me)
    return permissions.create_public_threads and permissions.send_messages_in_threads


async def start_thread(
    client: discord.Client, message: discord.Message | discord.PartialMessage, *, name: str
) -> discord.Thread | discord.PartialMessageable | None:
    """A public thread from ``message`` (or the one it already started), or None when there can be none."""
    if message.guild is None or not can_start_thread(message.channel):
        return None
    try:
        return await message.create_thread(name=name, auto_archive_duration=THREAD_ARCHIVE_MINUTES)
    except discord.HTTPException as exc:
        if exc.code == THREAD_ALREADY_EXISTS:
            # Another link of the same message: its thread has the message's id; answer there too.
            return client.get_partial_messageable(
                message.id, guild_id=message.guild.id, type=discord.ChannelType.public_thread
            )
        # A message already in a thread or forum cannot start one; reply in place instead.
        log.info("thread not created (%s); replying in place", exc)
    except ValueError as exc:
        log.info("thread not created (%s); replying in place", exc)
    return None


async def reply_privately(interaction: discord.Interaction, text: str) -> None:
    """The first response to an interaction, seen only by its user."""
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS, suppress_embeds=True)


async def _reply(message: discord.Message | discord.PartialMessage, text: str) -> None:
    await message.reply(text, allowed_mentions=NO_MENTIONS, suppress_embeds=True, mention_author=False)


def _nonce(nonce: str | None) -> dict[str, Any]:
    """discord.py sends ``enforce_nonce`` with a nonce: Discord then answers a repeat with the first message."""
    return {"nonce": nonce} if nonce else {}


def _title(progress: Progress | None) -> str | None:
    if progress is None:
        return None
    return progress.title or progress.url or ("Pasted text" if progress.url is None else None)
