"""Shared pieces of the fetcher tests: a scripted resolver, a connect log, fixtures.

Imported by tests/bot/test_fetch.py and tests/bot/test_fetch_limits.py (fixtures are
re-exported by import so pytest finds them there).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

import pytest

from bot.config import Settings
from bot.fetch import fetch_page
from bot.netguard import AddressPolicy
from bot.outcome import CheckError
from tests.servers.article_server import ArticleServer
from tests.support import paths

FIXTURES = paths.FIXTURES / "fetch"
ARTICLE = b"<html><head><title>Budget vote</title></head><body><p>The council voted.</p></body></html>"


@dataclass
class FakeResolver:
    """Answers from a table, one list per successive lookup of a name; records every call."""

    table: dict[str, list[list[str]] | Exception]
    calls: list[str] = field(default_factory=list)

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        entry = self.table.get(host)
        if entry is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if isinstance(entry, Exception):
            raise entry
        nth = self.calls.count(host)
        return list(entry[min(nth, len(entry)) - 1])


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every TCP connect attempted in this test (asyncio connects via socket.connect)."""
    seen: list[tuple[str, int]] = []
    real = socket.socket.connect

    def recording(sock: socket.socket, address: tuple) -> None:  # type: ignore[type-arg]
        seen.append((address[0], address[1]))
        return real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", recording)
    return seen


@pytest.fixture
def strict() -> Settings:
    """Production defaults (public only) with a test-sized deadline."""
    return Settings.from_env({}).replace(fetch_timeout_s=5.0)


@pytest.fixture
def server():
    with ArticleServer() as srv:
        srv.add("/article", ARTICLE)
        yield srv


def allow(*servers: ArticleServer) -> AddressPolicy:
    return AddressPolicy.allowing(*((s.host, s.port) for s in servers))


async def refused(url: str, *, settings: Settings, **kwargs: object) -> CheckError:
    with pytest.raises(CheckError) as caught:
        await fetch_page(url, settings=settings, **kwargs)  # type: ignore[arg-type]
    return caught.value


def head(status: str = "200 OK", **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
