"""What each Slack trigger means: which links, which thread, or why to stay silent.

Bolt runs these inline (``process_before_response=True``): each acks at once, so Slack gets its
HTTP 200 (or Socket Mode ack) within milliseconds, and hands the work to the check session as a
tracked task. Nothing here waits for a fetch or an LLM.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.session.dispatch import Dispatch
from adapters.session.request import CheckRequest
from adapters.slack.front import SlackFront
from adapters.slack.links import find_links
from adapters.slack.settings import SlackSettings
from adapters.view.words import COMMAND_ACK, COMMAND_USAGE, NOT_ENABLED
from bot.outcome import Outcome, user_message

log = logging.getLogger(__name__)

SHORTCUT_CALLBACK_ID = "factcheck_message"
COMMAND = "/factcheck"
EVENT_TTL_S = 3600.0  # Slack retries within ~5 minutes; an hour is plenty
# Message subtypes that are a person posting; every other subtype (edits, deletions, joins,
# bot posts) is ignored: reacting to our own edits is the classic message_changed loop.
USER_MESSAGE_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})
MIN_PASTED_WORDS = 40  # below this a shortcut on a link-less message is not an article


class Triggers:
    """The listeners, bound to one check session and the Slack settings."""

    def __init__(self, *, slack: SlackSettings, session: Dispatch, max_links: int) -> None:
        self.slack = slack
        self.session = session
        self.max_links = max_links

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
            if event_id and not await self.session.state.handled.first_seen(f"event|{event_id}", ttl_s=EVENT_TTL_S):
                retry = (req.headers.get("x-slack-retry-num") or ["?"])[0]
                log.info("dropping repeated delivery %s of %s", retry, event_id)
                return BoltResponse(status=200, body="")
        return await next_()

    # ------------------------------------------------------------ listeners: ack now, work in a task

    async def on_message(self, ack: AsyncAck, body: dict, event: dict, client: AsyncWebClient, context) -> None:
        await ack()
        self._spawn(self._message(body, event, client, context))

    async def on_mention(self, ack: AsyncAck, body: dict, event: dict, client: AsyncWebClient, context) -> None:
        await ack()
        self._spawn(self._mention(body, event, client, context))

    async def on_command(self, ack: AsyncAck, body: dict, client: AsyncWebClient, context) -> None:
        text = (body.get("text") or "").strip()
        await ack(text=COMMAND_ACK if text else COMMAND_USAGE)
        if text:
            self._spawn(self._command(body, text, client, context))

    async def on_shortcut(self, ack: AsyncAck, body: dict, client: AsyncWebClient, context) -> None:
        await ack()
        self._spawn(self._shortcut(body, client, context))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        self.session.spawn(work)

    # ------------------------------------------------------------ the work

    async def _message(self, body: dict, event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        direct = event.get("channel_type") == "im"  # a DM to the bot is always meant for it
        if (self.slack.mode == "mention" and not direct) or not self.channel_allowed(event.get("channel")):
            return
        for url in self._links(event.get("text")):  # no link: an ordinary conversation message, stay quiet
            await self._check(client, _from_event(body, event, context, target=url, kind="url"))

    async def _mention(self, body: dict, event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        base = _from_event(body, event, context, target="", kind="text")
        if not self.channel_allowed(event.get("channel")):
            await SlackFront(client=client, request=base).refuse(NOT_ENABLED)
            return
        links = self._links(event.get("text"))
        thread_ts = event.get("thread_ts")
        if not links and thread_ts and thread_ts != event.get("ts"):
            links = await self._thread_parent_links(client, channel=base.channel, thread_ts=thread_ts)
        if not links:
            key = f"slack|{base.channel}|{base.source}|no-link"
            if await self.session.state.handled.first_seen(key, ttl_s=EVENT_TTL_S):
                await SlackFront(client=client, request=base).post_error(user_message(Outcome.NO_LINK))
            return
        for url in links:
            await self._check(client, base.model_copy(update={"target": url, "kind": "url"}))

    async def _command(self, body: dict, text: str, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        links = self._links(text)
        request = CheckRequest(
            platform="slack",
            target=links[0] if links else text,
            kind="url" if links else "text",
            source=body.get("trigger_id") or body.get("response_url") or "",
            scope=_scope(context, body),
            channel=body.get("channel_id") or "",
            thread=None,  # the command's answer starts its own thread
            user=body.get("user_id") or "",
            reply={"response_url": body.get("response_url") or ""},
        )
        if not self.channel_allowed(request.channel):
            await SlackFront(client=client, request=request).refuse(NOT_ENABLED)
            return
        await self._check(client, request)

    async def _shortcut(self, body: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        message = body.get("message") or {}
        text = message.get("text") or ""
        request = CheckRequest(
            platform="slack",
            target=text,
            kind="text",
            source=message.get("ts") or "",
            scope=_scope(context, body),
            channel=(body.get("channel") or {}).get("id") or "",
            thread=message.get("thread_ts") or message.get("ts"),
            user=(body.get("user") or {}).get("id") or "",
            reply={"response_url": body.get("response_url") or ""},
        )
        front = SlackFront(client=client, request=request)
        if not self.channel_allowed(request.channel):
            await front.refuse(NOT_ENABLED)
            return
        links = self._links(text)
        if links:
            for url in links:
                await self._check(client, request.model_copy(update={"target": url, "kind": "url"}))
        elif len(text.split()) >= MIN_PASTED_WORDS:
            await self._check(client, request)
        else:
            await front.refuse(user_message(Outcome.NO_LINK))

    async def _check(self, client: AsyncWebClient, request: CheckRequest) -> None:
        await self.session.handle(request, SlackFront(client=client, request=request))

    # ------------------------------------------------------------ helpers

    def channel_allowed(self, channel: str | None) -> bool:
        allowed = {c.lstrip("#").upper() for c in self.slack.channels}
        return not allowed or (channel or "").upper() in allowed

    def _links(self, text: str | None) -> list[str]:
        return find_links(text or "", limit=self.max_links)

    async def _thread_parent_links(self, client: AsyncWebClient, *, channel: str, thread_ts: str) -> list[str]:
        """``@bot`` with no link inside a thread: check the link in the thread's first message."""
        try:
            response = await client.conversations_replies(channel=channel, ts=thread_ts, limit=1)
        except SlackApiError as exc:
            log.info("conversations.replies failed: %s", exc.response.get("error"))
            return []
        messages: list[dict[str, Any]] = response.get("messages") or []
        return self._links(messages[0].get("text")) if messages else []


def _from_event(body: dict, event: dict, context: AsyncBoltContext, *, target: str, kind: str) -> CheckRequest:
    return CheckRequest.model_validate(
        {
            "platform": "slack",
            "target": target,
            "kind": kind,
            "source": event.get("ts") or "",
            "event_id": body.get("event_id") or "",
            "scope": _scope(context, body),
            "channel": event.get("channel") or "",
            "thread": event.get("thread_ts") or event.get("ts"),
            "user": event.get("user") or "",
        }
    )


def _scope(context: AsyncBoltContext, body: dict) -> str:
    team = body.get("team")
    team_id = team.get("id") if isinstance(team, dict) else None
    return context.team_id or context.enterprise_id or team_id or body.get("team_id") or "-"
