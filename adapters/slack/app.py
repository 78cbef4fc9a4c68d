"""The slack-bolt AsyncApp with every listener registered, in one place.

Acks are inline (``process_before_response=True``: the 200 goes out as soon as the ack function
returns) and the work runs in lazy listeners, so Slack never waits for a fetch or an LLM.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.lazy_listener.async_internals import to_runnable_function
from slack_bolt.lazy_listener.async_runner import AsyncLazyListenerRunner
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.session.pointers import ThreadPointers
from adapters.slack.checker import DEDUPE_TTL_S, SlackChecker
from adapters.slack.dedupe import TtlDedupe
from adapters.slack.listeners import COMMAND, SHORTCUT_CALLBACK_ID, Triggers
from bot.cache import ReportCache
from bot.config import Settings
from bot.pipeline import build_engine

SLACK_API_URL = "https://slack.com/api/"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlackBot:
    app: AsyncApp
    checker: SlackChecker
    triggers: Triggers


class TrackedLazyRunner(AsyncLazyListenerRunner):
    """Bolt's asyncio lazy runner, but holding each task in ``jobs``: bolt keeps no reference
    (a pending task can be garbage-collected), and shutdown and tests need to wait for them.
    Tasks are registered before the ack goes out, so waiting after a 200 never misses one."""

    def __init__(self, *, logger: logging.Logger, jobs: set[asyncio.Future]) -> None:
        self.logger = logger
        self.jobs = jobs

    def start(self, function: Callable[..., Awaitable[None]], request: AsyncBoltRequest) -> None:
        work = to_runnable_function(internal_func=function, logger=self.logger, request=request)
        job = asyncio.ensure_future(work)
        self.jobs.add(job)
        job.add_done_callback(self.jobs.discard)


class SharedSession:
    """One aiohttp session for every Web API call, shared (not copied) by bolt's lazy listeners.

    Bolt deep-copies each request, its client included, before a lazy listener runs; an aiohttp
    session cannot be copied (and copying it would defeat the point), so this thin wrapper
    answers ``deepcopy`` with itself and otherwise is the session.
    """

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    def __getattr__(self, name: str):
        return getattr(self._session, name)

    def __deepcopy__(self, memo: dict) -> SharedSession:
        return self


def web_client(settings: Settings, *, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """The Web API client: only 429s are retried (honouring Retry-After), never other failures,
    since a retried chat.postMessage after a lost response is a duplicate post.

    With ``session`` every call reuses its connections (slack_sdk otherwise opens a new session,
    so a new TCP and TLS handshake, for every call); bolt's per-request clients share it too.
    """
    base_url = settings.slack_api_url or SLACK_API_URL
    if not base_url.endswith("/"):
        base_url += "/"
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None,
        base_url=base_url,
        session=SharedSession(session) if session is not None else None,  # type: ignore[arg-type]
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )


def build_app(
    settings: Settings,
    *,
    cache: ReportCache | None = None,
    pointers: ThreadPointers | None = None,
    socket_mode: bool = False,
    session: aiohttp.ClientSession | None = None,
    edit_interval_s: float = 1.0,
    max_running: int | None = None,
    max_waiting: int | None = None,
) -> SlackBot:
    """Build the app. ``socket_mode`` turns off request signing (Socket Mode has no HTTP requests).

    ``max_running``/``max_waiting`` default to ``settings.max_concurrent``/``settings.max_queued``.
    """
    if not settings.slack_bot_token:
        raise ValueError("SLACK_BOT_TOKEN is not set")
    if not socket_mode and not settings.slack_signing_secret:
        raise ValueError("SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)")

    for channel in settings.slack_channels:
        if not re.fullmatch(r"#?[CGD][A-Z0-9]{6,}", channel.upper()):
            log.warning(
                "FACTCHECK_SLACK_CHANNELS entry %r is not a channel ID (like C0123ABCD); "
                "events carry IDs, so it will never match",
                channel,
            )
    checker = SlackChecker(
        settings=settings,
        cache=cache,
        pointers=pointers,
        engine=build_engine(settings, offline=False),
        edit_interval_s=edit_interval_s,
        max_running=max_running,
        max_waiting=max_waiting,
    )
    triggers = Triggers(settings=settings, checker=checker, events_seen=TtlDedupe(ttl_s=DEDUPE_TTL_S))
    app = AsyncApp(
        name="factcheck",
        client=web_client(settings, session=session),
        signing_secret=settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else "",
        request_verification_enabled=not socket_mode,
        process_before_response=True,
        before_authorize=triggers.skip_noise,
        logger=logging.getLogger("adapters.slack.bolt"),
    )
    app.listener_runner.lazy_listener_runner = TrackedLazyRunner(logger=app.logger, jobs=checker.jobs)
    app.event("message")(ack=triggers.ack_event, lazy=[triggers.on_message])
    app.event("app_mention")(ack=triggers.ack_event, lazy=[triggers.on_mention])
    app.command(COMMAND)(ack=triggers.ack_command, lazy=[triggers.on_command])
    app.shortcut(SHORTCUT_CALLBACK_ID)(ack=triggers.ack_event, lazy=[triggers.on_shortcut])
    return SlackBot(app=app, checker=checker, triggers=triggers)
