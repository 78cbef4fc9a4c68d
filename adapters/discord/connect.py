"""Log in and stay connected; say in one line why not.

Without network ``client.start`` raised ``ClientConnectorDNSError`` at login (the CLI printed
"unexpected error"), and discord.py logs every gateway reconnect with a full traceback. Here the
login is retried with a growing pause, one warning line per attempt naming the reason, and the
gateway's reconnect lines lose their traceback (adapters.retry_log).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import aiohttp
import discord

from adapters.retry_log import one_line_retries, reason
from adapters.session.dispatch import Dispatch
from adapters.session.shutdown import drain

log = logging.getLogger(__name__)

FIRST_PAUSE_S = 2.0
MAX_PAUSE_S = 60.0


async def run_until_stopped(
    client: discord.Client,
    *,
    token: str,
    session: Dispatch,
    stopped: Callable[[], Awaitable[object]],
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> None:
    """Log in (retrying while the network is down), stay connected until ``stopped()`` returns, then let
    running checks post their answers while the connection is still open, and only then close it."""
    one_line_retries(logging.getLogger("discord.client"), "reconnect")
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
        connection = asyncio.ensure_future(client.connect(reconnect=True))
        stop = asyncio.ensure_future(stopped())
        try:
            await asyncio.wait({connection, stop}, return_when=asyncio.FIRST_COMPLETED)
            if connection.done():
                connection.result()  # a fatal gateway error (a missing intent) says why here
        except discord.PrivilegedIntentsRequired as exc:
            raise ValueError(
                "FACTCHECK_DISCORD_AUTO needs the Message Content intent: enable it for the bot in the "
                "developer portal, or unset FACTCHECK_DISCORD_AUTO"
            ) from exc
        finally:
            stop.cancel()
            await drain(session)  # still connected: running checks can post their answers
            connection.cancel()
            await asyncio.gather(connection, return_exceptions=True)
