"""What a front process hands its requests to: the session itself, or (``REDIS_URL`` set) the job queue.

This module is imported by every front and imports only what the mode in use needs: the one-process
default loads nothing of Redis or arq, and a queueing front loads no pipeline, model or extractor
(about 50 MB it would hold for nothing).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from adapters.queue.settings import QueueSettings
from adapters.session.dispatch import Dispatch
from adapters.session.settings import SessionSettings
from bot.config import Settings


@contextlib.asynccontextmanager
async def front_dispatch(
    settings: Settings, *, limits: SessionSettings, queue: QueueSettings
) -> AsyncIterator[Dispatch]:
    """One process's check session, or the queue for ``factcheck worker`` processes when ``REDIS_URL`` is set."""
    if not queue.enabled:
        from adapters.session.runtime import embedded_session

        async with embedded_session(settings, limits=limits) as session:
            yield session
        return
    from adapters.queue.front import queue_dispatch

    async with queue_dispatch(settings, queue=queue) as dispatch:
        yield dispatch


def start_cpu_workers(settings: Settings) -> None:
    """A one-process bot warms its page workers at launch, so the first link is not the one that waits
    for the forkserver to load trafilatura and the models (with ``REDIS_URL`` the workers do it)."""
    from bot.isolation import shared_pool

    shared_pool(workers=settings.cpu_workers).start()
