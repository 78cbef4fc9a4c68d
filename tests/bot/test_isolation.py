"""The worker pool: a stuck task is killed at its bound, its worker replaced, the others untouched."""

from __future__ import annotations

import asyncio
import codecs
import os
import signal
import time

import pytest

from bot.isolation import Budget, WorkerPool
from bot.outcome import CheckError, Outcome
from bot.stages import Limits, text_article
from tests.support.hostile_pages import punycode_charset


def pid_after(seconds: float) -> int:
    """Runs in a worker: holds it ``seconds``, so two calls at once land on two workers."""
    time.sleep(seconds)
    return os.getpid()


async def worker_pids(pool: WorkerPool) -> set[int]:
    return set(await asyncio.gather(*(pool.run(pid_after, 0.3) for _ in range(pool.workers))))


@pytest.fixture
def pool():
    workers = WorkerPool(workers=2)
    workers.start()
    yield workers
    workers.close()


async def test_a_stuck_task_is_killed_at_its_bound_and_its_worker_replaced(pool: WorkerPool) -> None:
    # The real payload: Python's punycode codec on a page's bytes takes minutes (quadratic).
    body = punycode_charset(size=1_000_000).body
    before = await worker_pids(pool)
    assert len(before) == 2

    stuck = asyncio.create_task(pool.run(codecs.decode, body, "punycode", budget=Budget(1.0)))
    await asyncio.sleep(0.2)
    beside = await pool.run(os.getpid)  # the other worker still answers meanwhile
    assert not stuck.done()

    with pytest.raises(CheckError) as caught:
        await stuck
    assert caught.value.outcome is Outcome.TOO_COMPLEX and caught.value.detail == "limit 1 s"

    after = await worker_pids(pool)
    assert len(after) == 2 and before & after == {beside}  # the stuck worker has a successor


async def test_errors_in_the_worker_arrive_whole(pool: WorkerPool) -> None:
    with pytest.raises(UnicodeDecodeError):
        await pool.run(codecs.decode, b"\xff\xfe\x00", "utf-8")
    limits = Limits(max_chars=1_000, max_links=10, max_bytes=1_000)
    with pytest.raises(CheckError) as caught:
        await pool.run(text_article, "hi", limits=limits)
    assert caught.value.outcome is Outcome.NO_ARTICLE_TEXT
    assert caught.value.detail == "the text is too short to check"


async def test_one_budget_is_shared_by_the_stages_of_a_page(pool: WorkerPool) -> None:
    budget = Budget(0.5)
    await pool.run(codecs.decode, b"abc", "ascii", budget=budget)
    assert 0 < budget.spent < 0.5 and budget.remaining == pytest.approx(0.5 - budget.spent)
    budget.spend(1.0)
    with pytest.raises(CheckError) as caught:
        await pool.run(os.getpid, budget=budget)  # nothing left: not even started
    assert caught.value.outcome is Outcome.TOO_COMPLEX


async def test_a_caller_that_gives_up_stops_its_worker(pool: WorkerPool) -> None:
    body = punycode_charset(size=1_000_000).body
    before = await worker_pids(pool)
    task = asyncio.create_task(pool.run(codecs.decode, body, "punycode"))  # no bound of its own
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    after = await worker_pids(pool)  # the pool replaces the stopped worker before this gets it
    assert len(after) == 2 and len(before & after) == 1


async def test_a_pool_broken_by_killed_idle_workers_is_replaced(pool: WorkerPool) -> None:
    # pebble gives up on its whole pool when a worker dies with no task running (the OOM killer
    # choosing an idle worker); the bot must not answer "Something went wrong" from then on.
    for pid in await worker_pids(pool):
        os.kill(pid, signal.SIGKILL)
    await asyncio.sleep(0.5)  # pebble notices on its next round
    after = await worker_pids(pool)
    assert len(after) == 2
    assert await pool.run(codecs.decode, b"caf\xc3\xa9", "utf-8") == "café"


def test_a_front_process_never_loads_the_extractor_or_the_models() -> None:
    """Extraction runs only in the killable workers: a front holding trafilatura or the encoder would pay
    their memory in every process and could be tempted to extract on its own loop. numpy (~19 MB) loads
    only when the front itself scores or splits something, not to name a model in a cache key."""
    import subprocess
    import sys

    from tests.support.paths import REPO

    code = (
        "import sys\n"
        "import bot.pipeline\n"
        "from adapters.slack import main as slack_main\n"
        "from adapters.discord import main as discord_main\n"
        "from adapters import cli\n"
        "print([m for m in ('trafilatura', 'onnxruntime', 'bot.extract', 'numpy') if m in sys.modules])\n"
    )
    loaded = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]", loaded.stdout
