"""Socket Mode: connect with slack_sdk's aiohttp client, and say in one line why a connection failed."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def connect_socket_mode(app: AsyncApp, *, app_token: str) -> AsyncIterator[AsyncSocketModeHandler]:
    handler = AsyncSocketModeHandler(app, app_token)
    await handler.connect_async()
    try:
        yield handler
    finally:
        await handler.disconnect_async()
        await handler.close_async()
