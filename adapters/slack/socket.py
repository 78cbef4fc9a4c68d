"""Socket Mode: connect with slack_sdk's aiohttp client; a failed attempt is one log line with its reason."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from adapters.retry_log import one_line_retries

log = logging.getLogger("adapters.slack.socket_mode")
PING_INTERVAL_S = 10.0  # slack_sdk's default; also the pause between two connection attempts


@contextlib.asynccontextmanager
async def connect_socket_mode(
    app: AsyncApp, *, app_token: str, ping_interval_s: float = PING_INTERVAL_S
) -> AsyncIterator[AsyncSocketModeHandler]:
    """Connected until the block exits. Without network it keeps trying (slack_sdk's loop), one line a try."""
    one_line_retries(log, "Failed to connect", "Retrying")
    handler = AsyncSocketModeHandler(app, app_token, logger=log, ping_interval=ping_interval_s)
    try:
        await handler.connect_async()
    except BaseException:  # stopped while still trying: let go of the HTTP session it opened
        await handler.close_async()
        raise
    try:
        yield handler
    finally:
        await handler.disconnect_async()
        await handler.close_async()
