"""``factcheck discord`` without network: the login is retried, one warning line per try with its reason."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from adapters.discord.endpoints import apply_api_base
from adapters.discord.main import serve
from adapters.discord.settings import DiscordSettings
from adapters.session.settings import SessionSettings


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_no_network_is_one_line_per_login_retry(settings, caplog):
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 3:
            raise asyncio.CancelledError  # the operator stops the bot

    unreachable = DiscordSettings(api_url=f"http://127.0.0.1:{closed_port()}/api/v10", token="fake-token")
    try:
        with caplog.at_level(logging.INFO), pytest.raises(asyncio.CancelledError):
            await serve(settings, discord_settings=unreachable, limits=SessionSettings(), sleep=pause)
    finally:
        apply_api_base(DiscordSettings())
    assert pauses == [2.0, 4.0, 8.0]  # a growing pause
    tries = [r for r in caplog.records if "login failed" in r.getMessage()]
    assert len(tries) == 3
    assert all(r.levelno == logging.WARNING and "cannot connect to 127.0.0.1" in r.getMessage() for r in tries)
    assert not [r for r in caplog.records if r.exc_info]
