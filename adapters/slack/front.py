"""The session's front end in Slack: one thread, one placeholder, the report, the page as a file.

Built from the request and a Web API client alone, so a worker process can answer as well as the
process that received the event. Every write is a single attempt: slack_sdk's rate-limit handler
honours 429 Retry-After, nothing else is retried, since a retried chat.postMessage after a lost
response is a duplicate.

Where the bot cannot post (a private channel or DM it is not in: ``channel_not_found``), a request
that came with a ``response_url`` (the message shortcut, /factcheck) is answered through it instead,
visible to the asker only. Slack lets a response URL be used five times in 30 minutes.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.session.progress import Progress
from adapters.session.refusals import Unanswerable
from adapters.session.request import CheckRequest
from adapters.slack.escape import link
from adapters.slack.render import SlackMessage, render_error, render_pointer, render_progress, render_report
from adapters.view.words import PRIVATE_ANSWER, command_root, pasted_text
from bot.models import Article, Report

log = logging.getLogger(__name__)

# Errors where the same content as plain text (no blocks) may still go through.
_RETRY_AS_TEXT = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"})
# The bot cannot see or write to the conversation.
_NOT_THERE = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
RESPONSE_URL_USES = 5
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")


class SlackFront:
    def __init__(self, *, client: AsyncWebClient, request: CheckRequest) -> None:
        self.client = client
        self.request = request
        self.channel = request.channel
        self.thread_ts = request.thread  # None for /factcheck until its root message is posted
        self.placeholder_ts: str | None = None
        self.first_ts: str | None = None  # the first message of the answer, for the permalink
        self._response_url = request.reply.get("response_url")
        self._private = False  # answering through the response URL (the bot is not in the channel)
        self._response_uses = 0

    # ------------------------------------------------------------ the Front interface

    @property
    def edit_scope(self) -> str | None:
        return f"slack:{self.request.scope}"  # chat.update's Tier 3 is per workspace

    async def acknowledge(self) -> None:
        """Bolt has acked the event already (the HTTP 200 / Socket Mode ack)."""

    async def refuse(self, text: str) -> None:
        if self.request.user and await self._ephemeral(text):
            return
        if not await self._respond(text):
            log.info("could not tell %s: %s", self.request.user or "the asker", text)

    async def post_placeholder(self, progress: Progress) -> None:
        message = render_progress(url=progress.url)
        if self.thread_ts is None and not self._private:
            # /factcheck has no message of its own to thread from: its first post is the thread's root.
            self.thread_ts = await self._post(_plain(command_root(self._asker(), self._subject())), part="root")
        if self.thread_ts is not None and not self._private:
            self.placeholder_ts = await self._post(message, part="placeholder")
        if self._private:
            if not await self._respond(f"{message.text}\n{PRIVATE_ANSWER}"):
                raise Unanswerable("neither the channel nor the response URL took the placeholder")
        elif self.placeholder_ts is None:
            raise Unanswerable("the channel refused the placeholder")

    async def edit_progress(self, progress: Progress) -> None:
        if self.placeholder_ts is None:
            return
        message = render_progress(
            url=progress.url, title=progress.title, claims_total=progress.claims_total, analysed=progress.analysed
        )
        await self._update(self.placeholder_ts, message)

    async def post_report(self, report: Report, *, article: Article | None) -> None:
        await self._answer(render_report(report, article=article))

    async def post_pointer(self, report: Report, *, pointer: str) -> None:
        await self._answer([render_pointer(report, permalink=pointer)])

    async def post_error(self, text: str) -> None:
        await self._answer([render_error(text, url=self.request.url)])

    async def attach_file(self, *, filename: str, content: bytes, note: str) -> None:
        if self._private or self.thread_ts is None:
            return  # files cannot go through a response URL
        try:
            await self.client.files_upload_v2(
                channel=self.channel,
                thread_ts=self.thread_ts,
                content=content,
                filename=filename,
                title=filename,
                initial_comment=note,
            )
        except SlackApiError as exc:
            log.warning("file upload failed: %s", _error(exc))

    async def permalink(self) -> str | None:
        if self._private or self.first_ts is None:
            return None
        try:
            response = await self.client.chat_getPermalink(channel=self.channel, message_ts=self.first_ts)
        except SlackApiError as exc:  # the report is posted; losing the pointer only costs a re-check later
            log.warning("chat.getPermalink failed: %s", _error(exc))
            return None
        permalink = response.get("permalink")
        return permalink if isinstance(permalink, str) else None

    def _asker(self) -> str:
        user = self.request.user
        return f"<@{user}>" if _USER_ID.match(user) else "Someone"

    def _subject(self) -> str:
        request = self.request
        return link(request.target) if request.kind == "url" else pasted_text(len(request.target.split()))

    # ------------------------------------------------------------ writes

    async def _answer(self, messages: list[SlackMessage]) -> None:
        """The first message replaces the placeholder when there is one; the rest follow in the thread."""
        if self._private:
            await self._answer_privately(messages)
            return
        first, rest = messages[0], messages[1:]
        if self.placeholder_ts is not None and await self._update(self.placeholder_ts, first):
            self.first_ts = self.placeholder_ts
        else:
            self.first_ts = await self._post(first, part="answer-0")
            if self._private:  # the channel closed meanwhile
                await self._answer_privately(messages)
                return
        for index, message in enumerate(rest, start=1):
            await self._post(message, part=f"answer-{index}")

    async def _answer_privately(self, messages: list[SlackMessage]) -> None:
        left = RESPONSE_URL_USES - self._response_uses
        for index, message in enumerate(messages[:left]):
            blocks = list(message.blocks)
            if index == left - 1 and len(messages) > left:
                blocks = blocks[:-1] + [_context(f"{PRIVATE_ANSWER} (report shortened)")]
            await self._respond(message.text, blocks=blocks)

    async def _post(self, message: SlackMessage, *, part: str) -> str | None:
        """One chat.postMessage in the thread, unfurls off; the new message's ts, or None.

        ``part`` names the message within the answer: a worker's front (adapters.slack.journaled)
        posts each part once across re-runs of its job."""
        return await self._chat_post(message)

    async def _chat_post(self, message: SlackMessage, *, metadata: dict[str, Any] | None = None) -> str | None:
        try:
            response = await self.client.chat_postMessage(
                channel=self.channel,
                thread_ts=self.thread_ts,
                text=message.text,
                blocks=list(message.blocks) or None,
                unfurl_links=False,
                unfurl_media=False,
                metadata=metadata,
            )
        except SlackApiError as exc:
            error = _error(exc)
            log.warning("chat.postMessage failed: %s", error)
            if error in _NOT_THERE and self._response_url:
                self._private = True
            return None
        ts = response.get("ts")
        return ts if isinstance(ts, str) else None

    async def _update(self, ts: str, message: SlackMessage) -> bool:
        try:
            await self.client.chat_update(channel=self.channel, ts=ts, text=message.text, blocks=list(message.blocks))
            return True
        except SlackApiError as exc:
            error = _error(exc)
            if error not in _RETRY_AS_TEXT:
                log.warning("chat.update failed: %s", error)
                return False
        # Posting anew would leave a duplicate next to the stale placeholder; retry the edit plainly.
        try:
            await self.client.chat_update(channel=self.channel, ts=ts, text=message.text, blocks=[])
            return True
        except SlackApiError as exc:
            log.warning("chat.update without blocks failed: %s", _error(exc))
            return False

    async def _ephemeral(self, text: str) -> bool:
        try:
            await self.client.chat_postEphemeral(channel=self.channel, user=self.request.user, text=text)
            return True
        except SlackApiError as exc:
            log.info("chat.postEphemeral failed: %s", _error(exc))
            return False

    async def _respond(self, text: str, *, blocks: list[dict[str, Any]] | None = None) -> bool:
        """One post to the response URL, visible to the asker only."""
        if not self._response_url or self._response_uses >= RESPONSE_URL_USES:
            return False
        self._response_uses += 1
        body: dict[str, Any] = {"response_type": "ephemeral", "text": text}
        if blocks:
            body["blocks"] = blocks
        webhook = AsyncWebhookClient(self._response_url, session=self.client.session)
        try:
            response = await webhook.send_dict(body)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("response_url post failed: %s", type(exc).__name__)
            return False
        if response.status_code != 200:
            log.warning("response_url answered %d: %s", response.status_code, response.body)
            return False
        return True


def _plain(text: str) -> SlackMessage:
    return SlackMessage(text=text, blocks=())


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text, "verbatim": True}]}


def _error(exc: SlackApiError) -> str | None:
    return exc.response.get("error") if exc.response is not None else None
