"""``factcheck slack``: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on $PORT at /slack/events.

``serve_http`` and ``socket_mode`` are the exact code paths ``run`` uses, exposed so tests and the
benchmark can run the real endpoint on a loopback port against a session they built.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal

import aiohttp
from aiohttp import web

from adapters.queue.runtime import front_dispatch, start_cpu_workers
from adapters.queue.settings import QueueSettings
from adapters.session.dispatch import Dispatch
from adapters.session.settings import SessionSettings
from adapters.session.shutdown import drain, until_signalled
from adapters.slack.app import SlackBot, build_app, check_config
from adapters.slack.settings import SlackSettings
from adapters.slack.signature import signed_only
from adapters.slack.socket import connect_socket_mode
from bot.config import Settings

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


@dataclass(frozen=True)
class HttpServer:
    bot: SlackBot
    url: str  # the events endpoint, e.g. http://127.0.0.1:3000/slack/events
    port: int


Mode = Literal["auto", "http", "socket"]


def run(
    settings: Settings,
    *,
    slack: SlackSettings,
    limits: SessionSettings,
    mode: Mode = "auto",
    queue: QueueSettings | None = None,
) -> None:
    """Run the Slack bot until SIGINT/SIGTERM.

    ``auto`` is Socket Mode when SLACK_APP_TOKEN is set, else HTTP. A Procfile ``web:`` process
    passes ``http`` so it always binds $PORT; a ``slack:`` worker passes ``socket``. With
    ``REDIS_URL`` set (``queue``) this process is a front: it queues checks for ``factcheck worker``.
    """
    if mode == "socket" and not slack.app_token:
        raise ValueError("SLACK_APP_TOKEN is required for Socket Mode")
    use_socket = mode == "socket" or (mode == "auto" and bool(slack.app_token))
    check_config(slack, socket_mode=use_socket)  # configuration errors before any I/O
    queue = queue or QueueSettings()
    if not queue.enabled:
        start_cpu_workers(settings)
    asyncio.run(_main(settings, slack=slack, limits=limits, use_socket=use_socket, queue=queue))


async def _main(
    settings: Settings, *, slack: SlackSettings, limits: SessionSettings, use_socket: bool, queue: QueueSettings
) -> None:
    async with front_dispatch(settings, limits=limits, queue=queue) as session:
        if use_socket:
            async with socket_mode(slack, session=session):
                log.info("Slack Socket Mode connected")
                await until_signalled()
        else:
            async with serve_http(slack, session=session, host="0.0.0.0", port=slack.port) as server:
                log.info("Slack events endpoint listening on port %d at %s", server.port, EVENTS_PATH)
                await until_signalled()


@contextlib.asynccontextmanager
async def serve_http(slack: SlackSettings, *, session: Dispatch, host: str, port: int) -> AsyncIterator[HttpServer]:
    """Serve the events endpoint (bolt's own aiohttp app) until the block exits. ``port=0`` picks one.

    On exit it stops listening first, then lets running checks finish their replies.
    """
    async with aiohttp.ClientSession() as http:
        bot = build_app(slack, session=session, http=http)
        web_app = bot.app.web_app(path=EVENTS_PATH, port=port)
        secret = slack.signing_secret.get_secret_value() if slack.signing_secret else ""
        web_app.middlewares.append(signed_only(signing_secret=secret, path=EVENTS_PATH))
        web_app.router.add_get("/healthz", _healthz)
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, host, port)
            await site.start()
            bound = runner.addresses[0][1]
            shown_host = "127.0.0.1" if host in {"0.0.0.0", ""} else host
            yield HttpServer(bot=bot, url=f"http://{shown_host}:{bound}{EVENTS_PATH}", port=bound)
        finally:
            await runner.cleanup()
            await drain(session)


@contextlib.asynccontextmanager
async def socket_mode(slack: SlackSettings, *, session: Dispatch) -> AsyncIterator[SlackBot]:
    """Connected to Slack over Socket Mode until the block exits; running checks then finish."""
    if not slack.app_token:
        raise ValueError("SLACK_APP_TOKEN is required for Socket Mode")
    async with aiohttp.ClientSession() as http:
        bot = build_app(slack, session=session, socket_mode=True, http=http)
        async with connect_socket_mode(bot.app, app_token=slack.app_token.get_secret_value()):
            try:
                yield bot
            finally:
                await drain(session)


async def _healthz(_request: web.Request) -> web.Response:
    return web.Response(text="ok")
