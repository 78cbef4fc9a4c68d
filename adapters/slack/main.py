"""``factcheck slack``: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on $PORT at /slack/events.

``serve_http`` is the exact HTTP code path ``run`` uses, exposed so tests and the benchmark can
run the real endpoint on a loopback port.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.session.pointers import ThreadPointers, open_pointers
from adapters.slack.app import SlackBot, build_app
from bot.cache import ReportCache, open_cache
from bot.config import Settings

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
SHUTDOWN_GRACE_S = 30.0  # let running checks finish their thread replies


@dataclass(frozen=True)
class HttpServer:
    bot: SlackBot
    url: str  # the events endpoint, e.g. http://127.0.0.1:3000/slack/events
    port: int


Mode = Literal["auto", "http", "socket"]


def run(settings: Settings, *, mode: Mode = "auto") -> None:
    """Run the Slack bot until SIGINT/SIGTERM.

    ``auto`` is Socket Mode when SLACK_APP_TOKEN is set, else HTTP. A Procfile ``web:`` process
    passes ``http`` so it always binds $PORT; a ``slack:`` worker passes ``socket``.
    """
    if mode == "socket" and not settings.slack_app_token:
        raise ValueError("SLACK_APP_TOKEN is required for Socket Mode")
    use_socket = mode == "socket" or (mode == "auto" and bool(settings.slack_app_token))
    asyncio.run(_main(settings, use_socket=use_socket))


async def _main(settings: Settings, *, use_socket: bool) -> None:
    cache = open_cache(settings)
    pointers = open_pointers(settings)
    try:
        if use_socket:
            await _run_socket_mode(settings, cache=cache, pointers=pointers)
        else:
            async with serve_http(
                settings, cache=cache, pointers=pointers, host="0.0.0.0", port=settings.port
            ) as server:
                log.info("Slack events endpoint listening on port %d at %s", server.port, EVENTS_PATH)
                await _stopped()
    finally:
        pointers.close()
        cache.close()


@contextlib.asynccontextmanager
async def serve_http(
    settings: Settings,
    *,
    cache: ReportCache | None,
    pointers: ThreadPointers | None = None,
    host: str,
    port: int,
    edit_interval_s: float = 1.0,
    max_running: int | None = None,
    max_waiting: int | None = None,
) -> AsyncIterator[HttpServer]:
    """Serve the events endpoint (bolt's own aiohttp app) until the block exits. ``port=0`` picks one.

    On exit it stops listening first, then lets running checks finish their replies.
    """
    async with aiohttp.ClientSession() as session:
        bot = build_app(
            settings,
            cache=cache,
            pointers=pointers,
            session=session,
            edit_interval_s=edit_interval_s,
            max_running=max_running,
            max_waiting=max_waiting,
        )
        web_app = bot.app.web_app(path=EVENTS_PATH, port=port)
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
            await _drain(bot)


async def _run_socket_mode(settings: Settings, *, cache: ReportCache | None, pointers: ThreadPointers) -> None:
    async with socket_mode(settings, cache=cache, pointers=pointers):
        log.info("Slack Socket Mode connected")
        await _stopped()


@contextlib.asynccontextmanager
async def socket_mode(
    settings: Settings,
    *,
    cache: ReportCache | None,
    pointers: ThreadPointers | None = None,
    edit_interval_s: float = 1.0,
) -> AsyncIterator[SlackBot]:
    """Connected to Slack over Socket Mode until the block exits; running checks then finish."""
    if not settings.slack_app_token:
        raise ValueError("SLACK_APP_TOKEN is required for Socket Mode")
    async with aiohttp.ClientSession() as session:
        bot = build_app(
            settings,
            cache=cache,
            pointers=pointers,
            socket_mode=True,
            session=session,
            edit_interval_s=edit_interval_s,
        )
        handler = AsyncSocketModeHandler(bot.app, settings.slack_app_token.get_secret_value())
        await handler.connect_async()
        try:
            yield bot
        finally:
            await handler.disconnect_async()
            await _drain(bot)
            await handler.close_async()


async def _healthz(_request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def _stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def _drain(bot: SlackBot) -> None:
    try:
        await bot.checker.idle(timeout=SHUTDOWN_GRACE_S)
    except TimeoutError:
        log.warning("stopping with checks still running")
    if bot.checker.engine is not None:
        await bot.checker.engine.aclose()
