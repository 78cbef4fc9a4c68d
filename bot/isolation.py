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
import ctypes
import ctypes.util
import functools
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
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
    try:
        value = function(*args, **kwargs)
    finally:
        give_back_memory()
    return Timed(value, time.perf_counter() - started)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to give back this way
        return None


def give_back_memory() -> None:
    """Return the heap a big page left free to the system (glibc keeps it otherwise).

    Measured: a worker idle at 60 MB stayed at 151 MB after the 5 MB pages, 90 MB after this.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


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
    """``workers`` processes; :meth:`run` awaits one call in one of them, within a time bound.

    pebble marks its whole pool broken when a worker dies while none runs a task (the OOM killer
    choosing an idle worker) and then refuses every call: a broken pool is replaced by a new one,
    and a call it aborted is run once more there.
    """

    def __init__(self, *, workers: int) -> None:
        self.workers = max(1, workers)
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(list(PRELOAD))
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPool:
        return ProcessPool(max_workers=self.workers, context=self._context)

    def _current(self) -> ProcessPool:
        with self._lock:
            if not self._pool.active:  # broken (or stopped): start over
                log.warning("the worker pool broke; starting a new one")
                broken, self._pool = self._pool, self._new_pool()
                broken.stop()
            return self._pool

    def start(self) -> None:
        """Start the forkserver and the workers now (a bot at start-up) instead of on the first page."""
        pool = self._current()
        for _ in range(self.workers):
            pool.schedule(time.sleep, args=(0,))

    async def run(self, function: Callable[..., T], /, *args: Any, budget: Budget | None = None, **kwargs: Any) -> T:
        """``function(*args, **kwargs)`` in a worker; CheckError(TOO_COMPLEX) when it passes ``budget``.

        ``function`` and its arguments must pickle (a module-level function, plain data). A
        CheckError raised by the function is raised here as is. Cancelling the caller (a deadline, a
        shutdown) stops the worker too.
        """
        name = getattr(function, "__name__", repr(function))
        for attempt in (1, 2):
            timeout = None if budget is None else budget.remaining
            if timeout is not None and timeout <= 0:
                raise _too_slow(budget)
            try:
                future = self._current().schedule(_timed, args=(function, args, kwargs), timeout=timeout)
            except RuntimeError:  # pebble's word for a pool that broke since _current() looked
                continue
            try:
                timed: Timed = await asyncio.wrap_future(future)
            except TimeoutError:
                log.warning("abandoned %s after %.1f s in a worker", name, timeout)
                raise _too_slow(budget) from None
            except ProcessExpired as exc:  # its worker was killed from outside (OOM) or crashed in native code
                log.warning("a worker died running %s: %s", name, exc)
                raise CheckError(Outcome.TOO_COMPLEX, "the analysis stopped unexpectedly") from None
            except BrokenProcessPool as exc:  # the whole pool broke under this call: not the call's fault
                log.warning("the worker pool broke running %s (%s), attempt %d", name, exc, attempt)
                continue
            if budget is not None:
                budget.spend(timed.seconds)
            return timed.value
        raise CheckError(Outcome.INTERNAL_ERROR, "the worker processes could not be started")

    def close(self) -> None:
        """Stop the workers now, abandoning whatever they run (the process is ending)."""
        with self._lock:
            pool = self._pool
        pool.stop()
        pool.join(timeout=10)


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
