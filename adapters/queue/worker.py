"""``factcheck worker``: take check jobs from Redis and answer them through the platforms' APIs.

One worker is one process with one event loop, one check session (the same session code as the
one-process bot, on the Redis stores) and up to ``FACTCHECK_WORKER_JOBS`` checks at once; the CPU
stages of its checks run in the pipeline's child processes. Run as many as the load needs, on as
many machines as share the Redis.

Delivery: arq keeps a job queued until it finishes, so the job of a worker that dies mid-check is
run again by another (after the job timeout + 10 s) with the same job id; the session lets it hold
what its first run claimed, and the front's post journal turns its posts into edits of what the
first run posted. A job that keeps failing is given up after ``FACTCHECK_JOB_TRIES`` runs with one
line to the asker. Redis lost while running is retried with one log line per attempt; the worker
carries on when it is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from dataclasses import dataclass
from typing import Any

from arq import Worker
from arq.connections import ArqRedis
from arq.worker import func

from adapters.queue.cache import RedisReportCache
from adapters.queue.connection import LOST, connect, reason
from adapters.queue.jobs import JOB_FUNCTION, RESULT_KEEP_S, dumps, loads
from adapters.queue.journal import RedisPostJournal
from adapters.queue.platforms import Platforms
from adapters.queue.settings import QueueSettings
from adapters.queue.state import redis_state
from adapters.session.journal import ANSWERED
from adapters.session.request import CheckRequest
from adapters.session.session import DEADLINE_MARGIN_S, CheckSession
from adapters.session.settings import SessionSettings
from adapters.view.links import registrable_domain
from bot.config import Settings
from bot.isolation import close_shared_pool, shared_pool
from bot.outcome import Outcome, user_message

log = logging.getLogger(__name__)

POLL_S = 0.05  # how often an idle worker looks for jobs: a burst is picked up within this
SHUTDOWN_GRACE_S = 20  # SIGTERM: running checks get this long to finish, then are left to another worker
RECONNECT_PAUSES_S = (1.0, 2.0, 5.0, 10.0)
POST_MARGIN_S = 15.0  # within a job's timeout, after the check's own deadline: time to post the answer


@dataclass(frozen=True)
class Timing:
    """The job timeout and the check deadline inside it (the deadline always answers first)."""

    job_timeout_s: float
    deadline_s: float


def timing(settings: Settings, queue: QueueSettings) -> Timing:
    deadline = settings.fetch_timeout_s + settings.llm_deadline_s + DEADLINE_MARGIN_S
    if queue.job_timeout_s is None:
        return Timing(job_timeout_s=deadline + POST_MARGIN_S, deadline_s=deadline)
    margin = min(POST_MARGIN_S, queue.job_timeout_s / 4)
    return Timing(job_timeout_s=queue.job_timeout_s, deadline_s=min(deadline, queue.job_timeout_s - margin))


class WorkerRuntime:
    """What every job of this worker shares: the session, the platforms, Redis."""

    def __init__(self, *, session: CheckSession, platforms: Platforms, redis: ArqRedis, queue: QueueSettings) -> None:
        self.session = session
        self.platforms = platforms
        self.redis = redis
        self.queue = queue

    async def run(self, payload: str, *, job_id: str, job_try: int) -> str:
        request = CheckRequest.model_validate_json(payload)
        if request.job != job_id:
            raise ValueError(f"job {job_id} carries a request of job {request.job!r}")
        journal = RedisPostJournal(self.redis, namespace=self.queue.namespace, job=job_id)
        if job_try > 1 and await journal.recall(ANSWERED) is not None:
            log.info("job %s (run %d): answered by an earlier run", job_id, job_try)
            return "answered earlier"
        front = await self.platforms.front(request, journal=journal)
        if job_try > self.queue.job_tries:  # the extra run arq allows us: say so instead of trying again
            log.error("job %s: given up after %d runs", job_id, self.queue.job_tries)
            await front.post_error(user_message(Outcome.INTERNAL_ERROR))
            return "given up"
        log.info("job %s (run %d): %s check of %s", job_id, job_try, request.platform, request.kind)
        outcome = await self.session.handle(request, front)
        log.info("job %s (run %d): %s", job_id, job_try, outcome.value)
        return outcome.value


async def run_check(ctx: dict[str, Any], payload: str) -> str:
    """The job function arq calls (by the name ``JOB_FUNCTION``)."""
    runtime: WorkerRuntime = ctx["runtime"]
    return await runtime.run(payload, job_id=ctx["job_id"], job_try=ctx["job_try"])


def build_worker(runtime: WorkerRuntime, *, queue: QueueSettings, job_timeout_s: float) -> Worker:
    return Worker(
        functions=[func(run_check, name=JOB_FUNCTION)],
        redis_pool=runtime.redis,
        queue_name=queue.queue_name,
        ctx={"runtime": runtime},
        max_jobs=queue.worker_jobs,
        job_timeout=job_timeout_s,
        max_tries=queue.job_tries + 1,  # the last run only tells the asker it was given up
        keep_result=RESULT_KEEP_S,
        poll_delay=POLL_S,
        handle_signals=False,  # ours below: stop taking jobs, let running ones finish, then go
        job_serializer=dumps,
        job_deserializer=loads,
        health_check_key=queue.key("worker-health"),
        health_check_interval=30,
        log_results=False,
    )


async def serve(
    settings: Settings,
    *,
    queue: QueueSettings,
    limits: SessionSettings,
    platforms: Platforms,
    stop: asyncio.Event | None = None,
) -> None:
    """Take jobs until ``stop`` is set (SIGINT/SIGTERM when not given). RedisUnavailable at start."""
    # arq logs each job's arguments at INFO: a request carries a Discord interaction token. Ours say enough.
    logging.getLogger("arq.worker").setLevel(max(logging.WARNING, logging.getLogger("arq.worker").level))
    redis = await connect(queue)
    stop = stop or _signalled()
    times = timing(settings, queue)
    try:
        await _warm_cpu_pool(settings)
        state = redis_state(redis, namespace=queue.namespace, pointer_ttl_s=settings.cache_ttl_s)
        cache = RedisReportCache(redis=redis, ttl_s=settings.cache_ttl_s, namespace=queue.namespace)
        async with (
            platforms,
            CheckSession(
                settings=settings,
                limits=limits,
                state=state,
                cache=cache,
                max_running=queue.worker_jobs,
                max_waiting=0,
                deadline_s=times.deadline_s,
            ) as session,
        ):
            runtime = WorkerRuntime(session=session, platforms=platforms, redis=redis, queue=queue)
            worker = build_worker(runtime, queue=queue, job_timeout_s=times.job_timeout_s)
            log.info(
                "worker taking jobs from %s: %d at once, %.0f s each at most",
                queue.queue_name,
                queue.worker_jobs,
                times.job_timeout_s,
            )
            await _take_jobs(worker, stop=stop)
            await _finish(worker)
    finally:
        close_shared_pool()
        await redis.aclose()


async def _warm_cpu_pool(settings: Settings) -> None:
    """Start the pipeline's child processes (extraction and analysis) before the first job, not during it:
    their forkserver loads and warms trafilatura and the model once (bot.isolation, bot.warmup)."""
    pool = shared_pool(workers=settings.cpu_workers)
    await asyncio.gather(
        *(pool.run(time.sleep, 0.05) for _ in range(pool.workers)),
        # The public suffix list every report's link labels need: parsing it took 130 ms of the event loop
        # on the first report, in the middle of a burst.
        asyncio.to_thread(registrable_domain, "example.com"),
    )


async def _take_jobs(worker: Worker, *, stop: asyncio.Event) -> None:
    """arq's poll loop until ``stop``; a lost Redis restarts it after a pause, one log line each time."""
    failures = 0
    while not stop.is_set():
        loop_task = asyncio.create_task(worker.main())
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({loop_task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if not loop_task.done():
            loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await loop_task
            return
        try:
            loop_task.result()
            return
        except LOST as exc:
            pause = RECONNECT_PAUSES_S[min(failures, len(RECONNECT_PAUSES_S) - 1)]
            failures += 1
            log.warning("lost Redis (%s); taking jobs again in %.0f s", reason(exc), pause)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)
        else:
            failures = 0


async def _finish(worker: Worker) -> None:
    """Running checks get ``SHUTDOWN_GRACE_S`` to finish; what is left is cancelled (arq queues it again)."""
    running = [task for task in worker.tasks.values() if not task.done()]
    if running:
        log.info("stopping: letting %d running checks finish (up to %d s)", len(running), SHUTDOWN_GRACE_S)
        _done, pending = await asyncio.wait(running, timeout=SHUTDOWN_GRACE_S)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    with contextlib.suppress(*LOST):
        await worker.pool.delete(worker.health_check_key)


def _signalled() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


def run(settings: Settings, *, queue: QueueSettings, limits: SessionSettings, platforms: Platforms) -> None:
    """Blocking entry point of ``factcheck worker`` (logging is set up by the CLI)."""
    if not queue.enabled:
        raise ValueError("factcheck worker needs REDIS_URL (the Redis the fronts queue checks in)")
    asyncio.run(serve(settings, queue=queue, limits=limits, platforms=platforms))
