"""Socket Mode without network: slack_sdk keeps trying; each try is one warning line with the reason."""

from __future__ import annotations

import asyncio
import logging
import socket

from slack_bolt.async_app import AsyncApp

from adapters.slack.app import web_client
from adapters.slack.settings import SlackSettings
from adapters.slack.socket import connect_socket_mode


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


async def test_no_network_is_one_line_per_retry_without_a_traceback(caplog):
    slack = SlackSettings(bot_token="xoxb-test", api_url=f"http://127.0.0.1:{closed_port()}/api/")
    app = AsyncApp(client=web_client(slack), request_verification_enabled=False)

    async def connect() -> None:
        async with connect_socket_mode(app, app_token="xapp-test", ping_interval_s=0.05):
            raise AssertionError("connected to nothing")

    with caplog.at_level(logging.INFO, logger="adapters.slack.socket_mode"):
        attempt = asyncio.create_task(connect())
        for _ in range(200):
            if len([r for r in caplog.records if "Failed to connect" in r.getMessage()]) >= 3:
                break
            await asyncio.sleep(0.02)
        attempt.cancel()
        await asyncio.gather(attempt, return_exceptions=True)
    tries = [r for r in caplog.records if "Failed to connect" in r.getMessage()]
    assert len(tries) >= 3
    assert all(r.levelno == logging.WARNING and r.exc_info is None and "\n" not in r.getMessage() for r in tries)
    assert "cannot connect to 127.0.0.1" in tries[0].getMessage() or "Connect" in tries[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info]
