"""Stopping a bot process gently: wait for SIGINT/SIGTERM, then let running checks post their answers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from adapters.session.dispatch import Dispatch

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_S = 30.0  # running checks get this long to finish their replies


async def until_signalled() -> None:
    """Return on SIGINT or SIGTERM (where the loop can watch signals)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def drain(session: Dispatch, *, grace_s: float = SHUTDOWN_GRACE_S) -> None:
    """Let running checks finish, for at most ``grace_s``; the platform connection must still be open."""
    try:
        await session.drain(timeout=grace_s)
    except TimeoutError:
        log.warning("stopping with checks still running")
