"""Log in and stay connected; say in one line why not.

Without network ``client.start`` raised ``ClientConnectorDNSError`` at login (the CLI printed
"unexpected error"), and discord.py logs every gateway reconnect with a full traceback. Here the
login is retried with a growing pause, one warning line per attempt naming the reason, and the
gateway's reconnect lines lose their traceback (a logging filter: discord.py's own hook for output).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import aiohttp
import discord

log = logging.getLogger(__name__)

FIRST_PAUSE_S = 2.0
MAX_PAUSE_S = 60.0


def reason(exc: BaseException) -> str:
    """One line: what failed, without a traceback."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"cannot connect to {exc.host}:{exc.port} ({exc.os_error.strerror or exc.os_error})"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class OneLineReconnects(logging.Filter):
    """discord.py's "Attempting a reconnect in N s" with the reason instead of a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None and "reconnect" in record.getMessage():
            record.msg = f"{record.getMessage()}: {reason(record.exc_info[1])}"
            record.args = None
            record.exc_info = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


async def run_until_stopped(
    client: discord.Client, *, token: str, sleep: Callable[[float], Awaitable[object]] = asyncio.sleep
) -> None:
    logging.getLogger("discord.client").addFilter(OneLineReconnects())
    async with client:
        pause = FIRST_PAUSE_S
        while True:
            try:
                await client.login(token)
                break
            except discord.LoginFailure as exc:
                raise ValueError("Discord rejected DISCORD_TOKEN (reset it in the developer portal)") from exc
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                log.warning("Discord login failed: %s; retrying in %.0f s", reason(exc), pause)
                await sleep(pause)
                pause = min(pause * 2, MAX_PAUSE_S)
        try:
            await client.connect(reconnect=True)
        except discord.PrivilegedIntentsRequired as exc:
            raise ValueError(
                "FACTCHECK_DISCORD_AUTO needs the Message Content intent: enable it for the bot in the "
                "developer portal, or unset FACTCHECK_DISCORD_AUTO"
            ) from exc
