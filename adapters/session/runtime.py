"""One process's check session with its embedded state: what ``factcheck slack|discord|check`` open."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from adapters.session.embedded import EmbeddedState
from adapters.session.session import CheckSession
from adapters.session.settings import SessionSettings
from bot.cache import open_cache
from bot.config import Settings


@contextlib.asynccontextmanager
async def embedded_session(
    settings: Settings, *, limits: SessionSettings, use_cache: bool = True, **options: Any
) -> AsyncIterator[CheckSession]:
    """A session on this process's state (SQLite beside the report cache, the rest in memory).

    On exit it lets running checks finish their replies, then closes the engine and the stores.
    """
    cache = open_cache(settings) if use_cache else None
    embedded = EmbeddedState(settings)
    try:
        async with CheckSession(
            settings=settings, limits=limits, state=embedded.state, cache=cache, **options
        ) as session:
            yield session
    finally:
        embedded.close()
        if cache is not None:
            cache.close()
