"""The worst pages within the fetch caps: wall time and peak memory of one check each (issue 12).

Each page (``tests/support/hostile_pages.py``, the payloads the tests use) is served by the loopback
article server and checked by the real command, ``factcheck check URL --offline --no-cache``, in its
own process. Every 20 ms the sampler reads that process and every process it started (the
forkserver, the extraction worker, multiprocessing's resource tracker):

- ``pss``: the largest sum over them at one instant of their proportional set size, each shared
  page split between the processes sharing it. This is the memory the check really takes.
- ``rss``: the same sum of resident sizes: an upper bound, counting pages the worker shares with
  the forkserver it was forked from twice.
- ``process_rss``: the largest resident size of any one process (the worker that had the page).

Then each worst page is checked beside an ordinary article in one process (``bot.pipeline.check``,
as the bots run it, 2 workers): how long the ordinary one took while the hostile one was running.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from tests.servers.article_server import ArticleServer
from tests.support.hostile_pages import HostilePage, normal_article, worst_pages

REPO = Path(__file__).resolve().parent.parent
SAMPLE_S = 0.02
CHECK_TIMEOUT_S = 300.0


@dataclasses.dataclass
class Peaks:
    rss_mb: float = 0.0
    pss_mb: float = 0.0
    process_rss_mb: float = 0.0
    processes: int = 1


def _tree(root: psutil.Process) -> list[psutil.Process]:
    try:
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _sample(root: psutil.Process, done: threading.Event, peaks: Peaks) -> None:
    while not done.is_set():
        rss = pss = 0
        processes = _tree(root)
        for process in processes:
            try:
                info = process.memory_full_info()
            except psutil.Error:
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
            peaks.process_rss_mb = max(peaks.process_rss_mb, info.rss / 2**20)
        peaks.rss_mb = max(peaks.rss_mb, rss / 2**20)
        peaks.pss_mb = max(peaks.pss_mb, pss / 2**20)
        peaks.processes = max(peaks.processes, len(processes))
        done.wait(SAMPLE_S)


def check_one(url: str, *, cache_dir: Path) -> dict[str, Any]:
    """One ``factcheck check`` of ``url``: wall seconds, exit code, the last stderr line, peak memory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FACTCHECK_", "AZURE_"))}
    env.update(FACTCHECK_ALLOW_PRIVATE_URLS="1", FACTCHECK_CACHE_PATH=str(cache_dir / "cache.sqlite3"))
    command = [sys.executable, "-m", "adapters.cli", "check", url, "--offline", "--no-cache", "--format", "json"]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    peaks, done = Peaks(), threading.Event()
    sampler = threading.Thread(target=_sample, args=(psutil.Process(process.pid), done, peaks), daemon=True)
    sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=CHECK_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
    finally:
        done.set()
        sampler.join()
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "exit": process.returncode,
        "rss_mb": round(peaks.rss_mb, 1),
        "pss_mb": round(peaks.pss_mb, 1),
        "process_rss_mb": round(peaks.process_rss_mb, 1),
        "processes": peaks.processes,
        "last_line": lines[-1] if lines else "",
        "report_bytes": len(stdout),
    }


async def _beside(hostile_url: str, normal_url: str, server: ArticleServer, hostile_path: str) -> dict[str, Any]:
    """The hostile page and an ordinary one checked together in one process: how long each took."""
    from bot.config import Settings
    from bot.events import Finished
    from bot.isolation import close_shared_pool, shared_pool
    from bot.pipeline import check

    settings = Settings.from_env({}).replace(allow_private_urls=True)
    shared_pool(workers=settings.cpu_workers).start()

    async def one(url: str) -> tuple[float, str]:
        started = time.perf_counter()
        outcome = "none"
        async for event in check(url, settings=settings, offline=True):
            if isinstance(event, Finished):
                outcome = event.outcome.value
        return time.perf_counter() - started, outcome

    try:
        await one(normal_url)  # the workers warm and the ordinary page's own time, alone
        alone_s, _ = await one(normal_url)
        hostile = asyncio.create_task(one(hostile_url))
        await asyncio.to_thread(_wait_for_hit, server, hostile_path)  # the ordinary page comes once it is in
        normal_s, normal_outcome = await one(normal_url)
        hostile_s, hostile_outcome = await hostile
    finally:
        close_shared_pool()
    return {
        "beside_hostile_s": round(hostile_s, 2),
        "beside_hostile_outcome": hostile_outcome,
        "beside_normal_s": round(normal_s, 2),
        "beside_normal_outcome": normal_outcome,
        "normal_alone_s": round(alone_s, 2),
    }


def _wait_for_hit(server: ArticleServer, path: str) -> None:
    while server.hits(path) == 0:
        time.sleep(0.01)
    time.sleep(0.2)


def measure_hostile(*, pages: list[HostilePage] | None = None, beside: bool = True) -> dict[str, dict[str, Any]]:
    pages = worst_pages() if pages is None else pages
    results: dict[str, dict[str, Any]] = {}
    with ArticleServer() as server, tempfile.TemporaryDirectory() as tmp:
        normal = normal_article()
        normal_url = server.add("/normal", normal.body, content_type=normal.content_type)
        for page in pages:
            path = f"/{page.name}"
            url = server.add(path, page.body, content_type=page.content_type)
            result: dict[str, Any] = {"what": page.what, **check_one(url, cache_dir=Path(tmp))}
            if beside:
                result.update(asyncio.run(_beside(url, normal_url, server, path)))
            results[page.name] = result
            print(f"[bench] hostile {page.name}: {result}", file=sys.stderr, flush=True)
    return results


if __name__ == "__main__":  # python -m bench.hostile [page names] [--no-beside]: the figures alone
    names = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    chosen = [page for page in worst_pages() if not names or page.name in names]
    for name, figures in measure_hostile(pages=chosen, beside="--no-beside" not in sys.argv).items():
        print(name, figures)
