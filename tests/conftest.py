"""Shared fixtures. Tests never touch the network beyond loopback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import Settings
from tests.servers.article_server import ArticleServer

# Fixtures shared by several test packages live with their harness and are registered here once.
pytest_plugins = [
    "tests.support.fetch_harness",
    "tests.support.slack_harness",
    "tests.support.llm_harness",
    "tests.support.evidence_harness",
    "tests.support.redis_harness",
]


@pytest.fixture(autouse=True)
def _no_real_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real tokens in the developer's shell must never reach a test."""
    for name in list(os.environ):
        if name.startswith(
            ("OPENAI_", "AZURE_OPENAI_", "SLACK_", "DISCORD_", "FACTCHECK_", "GOOGLE_FACT_CHECK_", "BRAVE_", "REDIS_")
        ):
            monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def article_server():
    with ArticleServer() as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Offline settings that may reach loopback test servers and cache under tmp_path.

    Evidence retrieval is off: its default providers are on the internet. Evidence tests turn it on
    against the loopback providers (tests/support/evidence_harness.py).
    """
    return Settings.from_env({}).replace(
        allow_private_urls=True,
        cache_path=tmp_path / "cache.sqlite3",
        evidence=("off",),
    )
