"""CPU work of a check in a small warm pool of worker processes, each call under a hard time bound.

A page decides how long its extraction and analysis take (a quadratic codec, a huge tree), and a
thread cannot be stopped, so the CPU stages run in child processes that can be: pebble's
``ProcessPool`` kills a worker whose task passes its timeout (or whose caller gave up) and starts a
new one, while the other workers go on with the other checks. The event loop awaits the result.

The workers are forked from a forkserver that imported the heavy modules (trafilatura, lxml, the
check-worthiness model) and ran one page through them once, so a replacement worker is ready in
milliseconds, its first page does not pay the one-time set-up, and the workers share those pages
of memory. Work is served first come, first served; a task's timeout counts from when a worker
starts it, not while it waits for one.

This is the one mechanism for CPU work in other processes: the embedded bot, the command line and
the queue workers of the scale-out (issue 13) all use :func:`shared_pool`.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

from bot.outcome import CheckError, Outcome

log = logging.getLogger(__name__)

T = TypeVar("T")

# Imported once by the forkserver; every worker is a fork of it (see bot/warmup.py).
PRELOAD = ("bot.warmup",)


@dataclass(frozen=True, slots=True)
class Timed:
    """What a task returned and how long it ran in the worker (queueing not included)."""

    value: Any
    seconds: float


def _timed(function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Timed:
    # Runs in the worker: the budget of a page is spent by running, not by waiting for a worker.
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return Timed(value, time.perf_counter() - started)


class Budget:
    """The hard time bound of one page, shared by the tasks that work on it (extraction, analysis)."""

    def __init__(self, seconds: float) -> None:
        self.total = seconds
        self.spent = 0.0

    @property
    def remaining(self) -> float:
        return max(0.0, self.total - self.spent)

    def spend(self, seconds: float) -> None:
        self.spent += seconds


class WorkerPool:
    """``workers`` processes; :meth:`run` awaits one call in one of them, within a time bound."""

    def __init__(self, *, workers: int) -> None:
        self.workers = max(1, workers)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(PRELOAD))
        self._pool = ProcessPool(max_workers=self.workers, context=context)

    def start(self) -> None:
        """Start the forkserver and the workers now (a bot at start-up) instead of on the first page."""
        for _ in range(self.workers):
            self._pool.schedule(time.sleep, args=(0,))

    async def run(self, function: Callable[..., T], /, *args: Any, budget: Budget | None = None, **kwargs: Any) -> T:
        """``function(*args, **kwargs)`` in a worker; CheckError(TOO_COMPLEX) when it passes ``budget``.

        ``function`` and its arguments must pickle (a module-level function, plain data). A
        CheckError raised by the function is raised here as is. Cancelling the caller (a deadline, a
        shutdown) stops the worker too.
        """
        timeout = None if budget is None else budget.remaining
        if timeout is not None and timeout <= 0:
            raise _too_slow(budget)
        future = self._pool.schedule(_timed, args=(function, args, kwargs), timeout=timeout)
        try:
            timed: Timed = await asyncio.wrap_future(future)
        except TimeoutError:
            log.warning("abandoned %s after %.1f s in a worker", getattr(function, "__name__", function), timeout)
            raise _too_slow(budget) from None
        except ProcessExpired as exc:  # killed from outside (the OOM killer) or crashed in native code
            log.warning("a worker died running %s: %s", getattr(function, "__name__", function), exc)
            raise CheckError(Outcome.TOO_COMPLEX, "the analysis stopped unexpectedly") from None
        if budget is not None:
            budget.spend(timed.seconds)
        return timed.value

    def close(self) -> None:
        """Stop the workers now, abandoning whatever they run (the process is ending)."""
        self._pool.stop()
        self._pool.join(timeout=10)


def _too_slow(budget: Budget | None) -> CheckError:
    limit = f"limit {budget.total:g} s" if budget is not None else None
    return CheckError(Outcome.TOO_COMPLEX, limit)


_shared: WorkerPool | None = None
_shared_lock = threading.Lock()


def shared_pool(*, workers: int) -> WorkerPool:
    """The process-wide pool, created on first use with ``workers`` processes."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = WorkerPool(workers=workers)
        return _shared


def close_shared_pool() -> None:
    """Stop the process-wide pool, if one was started (the next :func:`shared_pool` makes a new one)."""
    global _shared
    with _shared_lock:
        pool, _shared = _shared, None
    if pool is not None:
        pool.close()
