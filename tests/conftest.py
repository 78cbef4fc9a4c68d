"""Shared fixtures. Tests never touch the network beyond loopback."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from bot.config import Settings
from tests.servers.article_server import ArticleServer

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FACTCHECK_SHARED_DIR", REPO.parent / "shared"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _no_real_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real tokens in the developer's shell must never reach a test."""
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "AZURE_OPENAI_", "SLACK_", "DISCORD_", "FACTCHECK_")):
            monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def article_server():
    with ArticleServer() as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Offline settings that may reach loopback test servers and cache under tmp_path."""
    return dataclasses.replace(
        Settings.from_env({}),
        allow_private_urls=True,
        cache_path=tmp_path / "cache.sqlite3",
    )


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or skip the test cleanly when it is absent (a user's machine)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (shared eval data is only on the project machines)")
    return path
