"""The slack-bolt AsyncApp with every listener registered, in one place.

Acks are inline (``process_before_response=True``: the 200 goes out as soon as the listener
returns) and every listener hands its work to the check session as a task, so Slack never waits
for a fetch or an LLM. No lazy listeners: the session tracks its own tasks (for the drain), so
nothing of bolt's internals is replaced.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.session.dispatch import Dispatch
from adapters.slack.listeners import COMMAND, SHORTCUT_CALLBACK_ID, Triggers
from adapters.slack.settings import SlackSettings

log = logging.getLogger(__name__)
bolt_log = logging.getLogger("adapters.slack.bolt")


class _TokenFromTheClient(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that it is unused when a client is given; the client
    (built from the same variable) is what carries it, so the warning is only noise at every start."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


bolt_log.addFilter(_TokenFromTheClient())


@dataclass(frozen=True)
class SlackBot:
    app: AsyncApp
    session: Dispatch
    triggers: Triggers


def web_client(slack: SlackSettings, *, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """The Web API client: only 429s are retried (honouring Retry-After), never other failures,
    since a retried chat.postMessage after a lost response is a duplicate post.

    With ``session`` every call reuses its connections (slack_sdk otherwise opens a new session,
    so a new TCP and TLS handshake, for every call); bolt's per-request clients share it too.
    """
    return AsyncWebClient(
        token=slack.bot_token.get_secret_value() if slack.bot_token else None,
        base_url=slack.api_url,
        session=session,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )


def build_app(
    slack: SlackSettings,
    *,
    session: Dispatch,
    socket_mode: bool = False,
    http: aiohttp.ClientSession | None = None,
) -> SlackBot:
    """Build the app. ``socket_mode`` turns off request signing (Socket Mode has no HTTP requests)."""
    check_config(slack, socket_mode=socket_mode)
    for channel in slack.channels:
        if not re.fullmatch(r"#?[CGD][A-Z0-9]{6,}", channel.upper()):
            log.warning(
                "FACTCHECK_SLACK_CHANNELS entry %r is not a channel ID (like C0123ABCD); "
                "events carry IDs, so it will never match",
                channel,
            )
    triggers = Triggers(slack=slack, session=session, max_links=session.settings.max_links_per_message)
    app = AsyncApp(
        name="factcheck",
        client=web_client(slack, session=http),
        signing_secret=slack.signing_secret.get_secret_value() if slack.signing_secret else "",
        request_verification_enabled=not socket_mode,
        process_before_response=True,
        before_authorize=triggers.skip_noise,
        logger=bolt_log,
    )
    app.event("message")(triggers.on_message)
    app.event("app_mention")(triggers.on_mention)
    app.command(COMMAND)(triggers.on_command)
    app.shortcut(SHORTCUT_CALLBACK_ID)(triggers.on_shortcut)
    return SlackBot(app=app, session=session, triggers=triggers)


def check_config(slack: SlackSettings, *, socket_mode: bool) -> None:
    """Missing tokens are a ValueError naming the variable."""
    if not slack.bot_token:
        raise ValueError("SLACK_BOT_TOKEN is not set")
    if not socket_mode and not slack.signing_secret:
        raise ValueError("SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)")
