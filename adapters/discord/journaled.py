"""The Discord fronts a queue worker uses: each message of an answer is sent once, whatever re-runs its job.

As in Slack (adapters.slack.journaled): a worker killed mid-check leaves its job to another, which
runs it from the start. Every message the answer sends is written into the job's journal by part
(``text-0`` is the placeholder, ``embeds-1``... the report); a re-run edits the message its first
run sent instead of sending another. A send begun but never recorded is sent again with the same
nonce, and Discord (``enforce_nonce``) answers with the first message instead of a second one. The
thread itself needs nothing: a message starts one thread, and a second attempt finds it (160004).
Once the answer is out, a re-run leaves the thread alone; the full-report page goes out at most once.

A worker has no gateway, so an interaction is rebuilt from the request (``QueuedInteraction``):
the front process deferred it, and the worker answers through its follow-up webhook.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import cast

import discord

from adapters.discord.front import NO_MENTIONS, Destination, DiscordFront, InteractionFront, MessageFront
from adapters.session.journal import ANSWERED, PENDING, PostJournal
from adapters.session.progress import Progress
from adapters.session.request import CheckRequest
from bot.models import Article, Report

log = logging.getLogger(__name__)

FILE_PART = "file"


def nonce_for(job: str, part: str) -> str:
    return hashlib.sha256(f"{job}|{part}".encode()).hexdigest()[:25]  # Discord's nonce: at most 25 characters


class JournaledDestination(Destination):
    def __init__(self, inner: Destination, *, journal: PostJournal) -> None:
        super().__init__(jump_url=inner.jump_url)
        self.inner = inner
        self.journal = journal
        self._sent = 0

    async def text(
        self, content: str, *, file: discord.File | None = None, nonce: str | None = None
    ) -> discord.Message:
        if file is not None:  # the page: sent at most once by the front
            return await self.inner.text(content, file=file)

        async def send(nonce: str) -> discord.Message:
            return await self.inner.text(content, nonce=nonce)

        async def edit(earlier: discord.Message) -> discord.Message:
            return await earlier.edit(content=content, allowed_mentions=NO_MENTIONS)

        return await self._once("text", send, edit)

    async def embeds(
        self, embeds: list[discord.Embed], *, content: str | None = None, nonce: str | None = None
    ) -> discord.Message:
        async def send(nonce: str) -> discord.Message:
            return await self.inner.embeds(embeds, content=content, nonce=nonce)

        async def edit(earlier: discord.Message) -> discord.Message:
            return await earlier.edit(content=content, embeds=embeds, allowed_mentions=NO_MENTIONS)

        return await self._once("embeds", send, edit)

    async def fetch(self, message_id: int) -> discord.Message | None:
        return await self.inner.fetch(message_id)

    async def _once(
        self,
        kind: str,
        send: Callable[[str], Awaitable[discord.Message]],
        edit: Callable[[discord.Message], Awaitable[discord.Message]],
    ) -> discord.Message:
        part = f"{kind}-{self._sent}"
        self._sent += 1
        known = await self.journal.recall(part)
        if known and known != PENDING:
            earlier = await self.inner.fetch(int(known))
            if earlier is not None:
                try:
                    return await edit(earlier)
                except discord.HTTPException as exc:
                    log.info("job %s: could not edit its earlier %s (%s); sending it anew", self.journal.job, part, exc)
        await self.journal.begin(part)
        message = await send(nonce_for(self.journal.job, part))
        await self.journal.record(part, str(message.id))
        return message


class _Once(DiscordFront):
    """What a worker's Discord front adds to the platform front it is mixed in before."""

    journal: PostJournal

    async def _open(self, name: str) -> Destination:
        return JournaledDestination(await super()._open(name), journal=self.journal)

    async def edit_progress(self, progress: Progress) -> None:
        if not await self._answered():
            await super().edit_progress(progress)

    async def post_report(self, report: Report, *, article: Article | None) -> None:
        if not await self._answered():
            await super().post_report(report, article=article)
            await self.journal.record(ANSWERED, "report")

    async def post_pointer(self, report: Report, *, pointer: str) -> None:
        if not await self._answered():
            await super().post_pointer(report, pointer=pointer)
            await self.journal.record(ANSWERED, "pointer")

    async def post_error(self, text: str) -> None:
        if not await self._answered():
            await self._adopt_placeholder()
            await super().post_error(text)
            await self.journal.record(ANSWERED, "error")

    async def attach_file(self, *, filename: str, content: bytes, note: str) -> None:
        if await self.journal.recall(FILE_PART) is not None:
            return  # attached, or possibly attached by a run that died: a page is not worth a duplicate
        await self.journal.begin(FILE_PART)
        await super().attach_file(filename=filename, content=content, note=note)
        await self.journal.record(FILE_PART, "sent")

    async def _answered(self) -> bool:
        if await self.journal.recall(ANSWERED) is None:
            return False
        log.info("job %s: its answer is already posted; nothing sent again", self.journal.job)
        return True

    async def _adopt_placeholder(self) -> None:
        """A failure before any progress of this run: the placeholder a dead run sent gets the error."""
        known = await self.journal.recall("text-0")
        if self._placeholder is not None or not known or known == PENDING:
            return
        answer = await self._ensure_open(None)
        self._placeholder = await answer.fetch(int(known))


class JournaledMessageFront(_Once, MessageFront):
    def __init__(
        self,
        *,
        request: CheckRequest,
        message: discord.Message | discord.PartialMessage,
        client: discord.Client,
        journal: PostJournal,
    ) -> None:
        super().__init__(request=request, message=message, client=client)
        self.journal = journal

    @classmethod
    async def for_job(
        cls, client: discord.Client, request: CheckRequest, journal: PostJournal
    ) -> JournaledMessageFront:
        front = await MessageFront.from_request(client, request)
        return cls(request=request, message=front.message, client=client, journal=journal)


class JournaledInteractionFront(_Once, InteractionFront):
    def __init__(
        self,
        *,
        request: CheckRequest,
        interaction: discord.Interaction,
        target: discord.Message | discord.PartialMessage | None,
        journal: PostJournal,
    ) -> None:
        super().__init__(request=request, interaction=interaction, target=cast(discord.Message | None, target))
        self.journal = journal

    @classmethod
    async def for_job(
        cls, client: discord.Client, request: CheckRequest, journal: PostJournal
    ) -> JournaledInteractionFront:
        channel = await client.fetch_channel(int(request.channel))
        interaction = QueuedInteraction(
            client,
            application_id=int(request.reply["application_id"]),
            token=request.reply["interaction_token"],
            channel=channel,
        )
        target = None
        if "reply_to" in request.reply and isinstance(channel, discord.TextChannel | discord.Thread):
            target = channel.get_partial_message(int(request.reply["reply_to"]))
        return cls(request=request, interaction=cast(discord.Interaction, interaction), target=target, journal=journal)


class _QueuedResponse:
    """The front process deferred the interaction: for the worker its first response is done."""

    def is_done(self) -> bool:
        return True

    async def defer(self, **_: object) -> None:
        return None


class QueuedInteraction:
    """What ``InteractionFront`` uses of a ``discord.Interaction``, rebuilt in a worker from the request.

    The interaction token (valid 15 minutes) reaches the follow-up webhook and the deferred
    "thinking" message (``@original``) over REST, with no gateway."""

    def __init__(self, client: discord.Client, *, application_id: int, token: str, channel: object) -> None:
        self.client = client
        self.channel = channel
        self.response = _QueuedResponse()
        self.followup = discord.Webhook.partial(application_id, token, client=client)

    async def delete_original_response(self) -> None:
        # The deferred response has no id of its own to the worker; Discord names it "@original".
        await self.followup.delete_message(cast(int, "@original"))
