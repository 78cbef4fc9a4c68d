"""Where a front end hands its requests: the check session itself, or (scale-out) the job queue.

Both track the front end's handling of a trigger as tasks (``spawn``, ``drain`` at shutdown) and
hold the shared ``state`` (the Slack front de-duplicates deliveries in it). ``CheckSession`` runs a
request here and now; ``adapters.queue.front.QueueDispatch`` acknowledges it and queues it for a
``factcheck worker``, which runs it through a ``CheckSession`` of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, Protocol, TypeVar

from adapters.session.front import Front
from adapters.session.request import CheckRequest
from adapters.session.state import SessionState
from bot.config import Settings
from bot.outcome import Outcome

T = TypeVar("T")


class Dispatch(Protocol):
    settings: Settings
    state: SessionState

    async def handle(self, request: CheckRequest, front: Front) -> Outcome:
        """Take ``request`` (run it, or queue it); never raises for a failed check."""
        ...

    def spawn(self, work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Run ``work`` (a front end's handling of one trigger) as a task ``drain`` waits for."""
        ...

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait until every tracked task has finished (shutdown, tests)."""
        ...
