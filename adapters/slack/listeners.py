"""What each Slack trigger means: which link, which thread, or why to stay silent.

Bolt calls the ``ack_*`` functions inline (the HTTP 200 / Socket Mode ack) and the ``on_*``
functions lazily, after the ack has gone out. Lazy functions never call ``ack``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.checker import SlackChecker, ThreadTarget
from adapters.slack.dedupe import TtlDedupe
from adapters.slack.escape import link
from adapters.slack.render import SlackMessage, render_error
from bot.config import Settings
from bot.links import find_links
from bot.outcome import Outcome, user_message

log = logging.getLogger(__name__)

SHORTCUT_CALLBACK_ID = "factcheck_message"
COMMAND = "/factcheck"
# Message subtypes that are a person posting; every other subtype (edits, deletions, joins,
# bot posts) is ignored: reacting to our own edits is the classic message_changed loop.
USER_MESSAGE_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})
MIN_PASTED_WORDS = 40  # below this a shortcut on a link-less message is not an article
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")

NOT_ENABLED = "Fact-checks are not enabled in this channel."
CANT_POST = "I can't post in this channel. Invite me first (`/invite @Fact-check`), or use a channel I am in."
COMMAND_USAGE = "Usage: `/factcheck <article link>` or `/factcheck <pasted article text>`."
COMMAND_ACK = "On it: the fact-check will appear in a thread in this channel."


class Triggers:
    """The listeners, bound to one checker and the settings."""

    def __init__(self, *, settings: Settings, checker: SlackChecker, events_seen: TtlDedupe) -> None:
        self.settings = settings
        self.checker = checker
        self.events_seen = events_seen

    # ------------------------------------------------------------ global middleware

    async def skip_noise(self, body: dict, req: AsyncBoltRequest, next_) -> BoltResponse | None:
        """Before authorize: ack and drop edits, deletions, bot posts and repeated deliveries
        (Slack retries with the same event_id and ``X-Slack-Retry-Num``; Socket Mode's
        ``retry_attempt`` arrives as the same header since slack-bolt 1.29)."""
        if body.get("type") == "event_callback":
            event = body.get("event") or {}
            if event.get("bot_id") or (
                event.get("type") == "message"
                and (event.get("subtype") not in USER_MESSAGE_SUBTYPES or event.get("hidden"))
            ):
                return BoltResponse(status=200, body="")
            event_id = body.get("event_id")
            if event_id and not self.events_seen.first_seen(f"event|{event_id}"):
                retry = (req.headers.get("x-slack-retry-num") or ["?"])[0]
                log.info("dropping repeated delivery %s of %s", retry, event_id)
                return BoltResponse(status=200, body="")
        return await next_()

    # ------------------------------------------------------------ acks (inline, fast)

    @staticmethod
    async def ack_event(ack: AsyncAck) -> None:
        await ack()

    @staticmethod
    async def ack_command(ack: AsyncAck, body: dict) -> None:
        await ack(text=COMMAND_ACK if (body.get("text") or "").strip() else COMMAND_USAGE)

    # ------------------------------------------------------------ lazy work (after the ack)

    async def on_message(self, event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        direct = event.get("channel_type") == "im"  # a DM to the bot is always meant for it
        if (self.settings.slack_mode == "mention" and not direct) or not self.channel_allowed(event.get("channel")):
            return
        links = self._links(event.get("text"))
        if not links:
            return  # an ordinary conversation message: stay quiet
        where = self._where(context, event)
        for url in links:
            await self.checker.check_in_thread(client, where=where, target=url, url=url)

    async def on_mention(self, event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        channel = event.get("channel")
        if not self.channel_allowed(channel):
            await self._ephemeral(client, channel=channel, user=event.get("user"), text=NOT_ENABLED)
            return
        where = self._where(context, event)
        links = self._links(event.get("text"))
        if not links and event.get("thread_ts") and event.get("thread_ts") != event.get("ts"):
            links = await self._thread_parent_links(client, channel=channel, thread_ts=event["thread_ts"])
        if not links:
            if self.checker.handled.first_seen(f"{channel}|{event.get('ts')}|no-link"):
                await self.checker.post(
                    client,
                    channel=channel,
                    thread_ts=where.thread_ts,
                    message=render_error(user_message(Outcome.NO_LINK)),
                )
            return
        for url in links:
            await self.checker.check_in_thread(client, where=where, target=url, url=url)

    async def on_command(
        self, body: dict, client: AsyncWebClient, respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        text = (body.get("text") or "").strip()
        channel = body.get("channel_id")
        if not text:
            return  # the ack already showed the usage
        if not self.channel_allowed(channel):
            await respond(text=NOT_ENABLED, response_type="ephemeral")
            return
        links = self._links(text)
        url = links[0] if links else None
        user = body.get("user_id") or ""
        who = f"<@{user}>" if _USER_ID.match(user) else "Someone"
        what = link(url) if url else f"pasted text ({len(text.split())} words)"
        root = await self.checker.post(
            client,
            channel=channel,
            thread_ts=None,
            message=_plain(f"{who} asked for a fact-check of {what}. The report is in this thread."),
        )
        if root is None:
            await respond(text=CANT_POST, response_type="ephemeral")
            return
        where = ThreadTarget(scope=self._scope(context, body), channel=channel, thread_ts=root, source_ts=root)
        await self.checker.check_in_thread(client, where=where, target=url or text, url=url)

    async def on_shortcut(self, body: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id")
        user = (body.get("user") or {}).get("id")
        if not self.channel_allowed(channel):
            await self._ephemeral(client, channel=channel, user=user, text=NOT_ENABLED)
            return
        text = message.get("text") or ""
        links = self._links(text)
        where = ThreadTarget(
            scope=self._scope(context, body),
            channel=channel,
            thread_ts=message.get("thread_ts") or message.get("ts"),
            source_ts=message.get("ts"),
        )
        if links:
            for url in links:
                await self.checker.check_in_thread(client, where=where, target=url, url=url)
        elif len(text.split()) >= MIN_PASTED_WORDS:
            await self.checker.check_in_thread(client, where=where, target=text, url=None)
        else:
            await self._ephemeral(client, channel=channel, user=user, text=user_message(Outcome.NO_LINK))

    # ------------------------------------------------------------ helpers

    def channel_allowed(self, channel: str | None) -> bool:
        allowed = {c.lstrip("#").upper() for c in self.settings.slack_channels}
        return not allowed or (channel or "").upper() in allowed

    def _links(self, text: str | None) -> list[str]:
        return find_links(text or "", limit=self.settings.max_links_per_message)

    def _where(self, context: AsyncBoltContext, event: dict) -> ThreadTarget:
        return ThreadTarget(
            scope=context.team_id or context.enterprise_id or "-",
            channel=event.get("channel"),
            thread_ts=event.get("thread_ts") or event.get("ts"),
            source_ts=event.get("ts"),
        )

    @staticmethod
    def _scope(context: AsyncBoltContext, body: dict) -> str:
        return context.team_id or (body.get("team") or {}).get("id") or body.get("team_id") or "-"

    async def _thread_parent_links(self, client: AsyncWebClient, *, channel: str, thread_ts: str) -> list[str]:
        """``@bot`` with no link inside a thread: check the link in the thread's first message."""
        try:
            response = await client.conversations_replies(channel=channel, ts=thread_ts, limit=1)
        except SlackApiError as exc:
            log.info("conversations.replies failed: %s", exc.response.get("error"))
            return []
        messages: list[dict[str, Any]] = response.get("messages") or []
        return self._links(messages[0].get("text")) if messages else []

    @staticmethod
    async def _ephemeral(client: AsyncWebClient, *, channel: str | None, user: str | None, text: str) -> None:
        if not channel or not user:
            return
        try:
            await client.chat_postEphemeral(channel=channel, user=user, text=text)
        except SlackApiError as exc:
            log.info("chat.postEphemeral failed: %s", exc.response.get("error"))


def _plain(text: str) -> SlackMessage:
    return SlackMessage(text=text, blocks=())
