"""A front process in the scale-out mode: acknowledge, de-duplicate, enqueue; the workers do the rest.

``QueueDispatch`` stands where the check session stands in one process (``adapters.session.dispatch``):
the Slack and Discord listeners call the same ``handle``, which here acknowledges the asker (an
interaction's defer within Discord's 3 s), queues the request for a worker and returns. Nothing
else runs in the front: no fetch, no extraction, no model.

If Redis cannot be reached, the delivery is not dropped silently: de-duplication lets it through
(the job id de-duplicates again at enqueue), and a request that cannot be queued after the client's
retries is answered with one line saying the check could not start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Coroutine
from typing import Any, TypeVar

from redis.exceptions import RedisError

from adapters.queue.connection import LOST, connect, reason
from adapters.queue.jobs import Enqueuer
from adapters.queue.settings import QueueSettings
from adapters.queue.state import redis_state
from adapters.session.front import Front
from adapters.session.request import CheckRequest
from adapters.session.state import EventDedupe, SessionState
from adapters.view.words import QUEUE_UNREACHABLE
from bot.config import Settings
from bot.outcome import Outcome, user_message

log = logging.getLogger(__name__)

T = TypeVar("T")


class FailOpenDedupe:
    """De-duplication that lets a delivery through when Redis is unreachable, saying so in the log.

    It runs before Slack gets its acknowledgement, so it gives Redis one second, not the client's
    usual retries: Slack wants its answer within three."""

    TIMEOUT_S = 1.0

    def __init__(self, inner: EventDedupe) -> None:
        self.inner = inner

    async def first_seen(self, key: str, *, ttl_s: float, holder: str = "") -> bool:
        try:
            async with asyncio.timeout(self.TIMEOUT_S):
                return await self.inner.first_seen(key, ttl_s=ttl_s, holder=holder)
        except (RedisError, TimeoutError, *LOST) as exc:
            log.warning("cannot de-duplicate a delivery (Redis: %s); letting it through", reason(exc))
            return True


class QueueDispatch:
    def __init__(self, *, settings: Settings, state: SessionState, enqueuer: Enqueuer) -> None:
        self.settings = settings
        self.state = state
        self.enqueuer = enqueuer
        self._tasks: set[asyncio.Task[Any]] = set()

    async def handle(self, request: CheckRequest, front: Front) -> Outcome:
        try:
            await front.acknowledge()
        except Exception:  # the defer or typing indicator is courtesy; the check is queued anyway
            log.warning("could not acknowledge %s request %s", request.platform, request.source, exc_info=True)
        try:
            queued = await self.enqueuer.submit(request)
        except (RedisError, *LOST) as exc:
            log.error("could not queue a %s check (Redis: %s); telling the asker", request.platform, reason(exc))
            with contextlib.suppress(Exception):
                await front.post_error(user_message(Outcome.INTERNAL_ERROR, QUEUE_UNREACHABLE))
            return Outcome.INTERNAL_ERROR
        if not queued:
            log.info("%s request %s is queued or answered already", request.platform, request.source)
        return Outcome.OK

    def spawn(self, work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def drain(self, timeout: float = 30.0) -> None:
        async with asyncio.timeout(timeout):
            while self._tasks - {asyncio.current_task()}:
                await asyncio.gather(*(self._tasks - {asyncio.current_task()}), return_exceptions=True)


@contextlib.asynccontextmanager
async def queue_dispatch(settings: Settings, *, queue: QueueSettings) -> AsyncIterator[QueueDispatch]:
    """The front's dispatch on Redis (RedisUnavailable when Redis cannot be reached at start)."""
    redis = await connect(queue)
    try:
        state = redis_state(redis, namespace=queue.namespace, pointer_ttl_s=settings.cache_ttl_s)
        state = SessionState(
            handled=FailOpenDedupe(state.handled),
            cooldowns=state.cooldowns,
            in_flight=state.in_flight,
            budget=state.budget,
            edit_rate=state.edit_rate,
            pointers=state.pointers,
        )
        enqueuer = Enqueuer(redis, namespace=queue.namespace, queue_name=queue.queue_name)
        dispatch = QueueDispatch(settings=settings, state=state, enqueuer=enqueuer)
        log.info("front in scale-out mode: checks go to the workers through Redis (queue %s)", queue.queue_name)
        try:
            yield dispatch
        finally:
            with contextlib.suppress(TimeoutError):
                await dispatch.drain(timeout=10)
    finally:
        await redis.aclose()
