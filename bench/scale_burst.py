"""The breaking-story burst in the scale-out mode: one Slack front, Redis, and 1 or 2 ``factcheck worker`` processes.

Everything runs as deployed, on this machine: ``factcheck slack`` (HTTP mode) as the front,
``factcheck worker`` processes (each with its pipeline child processes), a real redis-server, and the
same loopback servers and scripted 1 s model as ``bench/burst.py``, whose clock this shares: a link's
time runs from sending its signed event to the last write of its report in its thread.

Per run (a fresh Redis, front and workers each time, warmed with two links per worker first):

- ``latencies``: every link's end-to-end seconds; the p95 is the figure.
- ``throughput``: reported links per second, from the first event sent to the last report written.
  The 1-worker run against the 2-worker run is the scale-out figure: what a second worker adds.

Three rounds of (1 worker, 2 workers) back to back: the figures are medians with their min and max, and the
ratio is the median of each round's own, so a change in the machine's load falls on both sides of it.
- ``pss_mb``: the largest sum, at one instant (sampled every 0.25 s), of the proportional set size of
  every process of the deployment: front, workers, their forkservers and pipeline children, and
  redis-server. PSS splits a shared page between its users, so the sum is the memory really used.
- ``cpu_ms_per_link``: CPU time (user + system) of all those processes during the burst, over the links.

``extraction_ratio``: our extraction (``bot.stages.page_article``, metadata, links and page checks
included) against plain ``trafilatura.extract`` on the same pages, CPU time of 3 passes, each in a fresh
process that sees each page once (as a bot does), the two interleaved page by page; the median pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from bench.burst import (
    LLM_LATENCY_S,
    LinkResult,
    article_pages,
    data_source,
    fetch_floor_s,
    send_event,
    servers,
    wait_for_answers,
)
from bench.extraction import percentile
from bench.extraction_ratio import EXTRACTION_PASSES, extraction_ratio
from bot.config import Settings
from bot.outcome import Outcome, user_message
from tests.servers.openai_server import OpenAIServer
from tests.servers.slack_api_server import SlackApiServer
from tests.support.redis_harness import RedisServer, redis_server_binary
from tests.support.scale_harness import FactcheckProcess, front_process

SAMPLE_S = 0.25
ROUNDS = 3  # 1 then 2 workers, three times: this machine's load changes more than our code does


@dataclass
class Deployment:
    """The processes of one run, measured from outside."""

    roots: list[psutil.Process]
    peak_pss_mb: float = 0.0
    processes: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def tree(self) -> list[psutil.Process]:
        found: list[psutil.Process] = []
        for root in self.roots:
            with contextlib.suppress(psutil.Error):
                found += [root, *root.children(recursive=True)]
        return found

    def cpu_s(self) -> float:
        total = 0.0
        for process in self.tree():
            with contextlib.suppress(psutil.Error):
                times = process.cpu_times()
                total += times.user + times.system
        return total

    def pss_mb(self) -> float:
        total = 0
        for process in self.tree():
            with contextlib.suppress(psutil.Error):
                info = process.memory_full_info()
                total += getattr(info, "pss", info.rss)
        return total / 2**20

    def watch(self) -> threading.Thread:
        def sample() -> None:
            while not self._stop.wait(SAMPLE_S):
                self.peak_pss_mb = max(self.peak_pss_mb, self.pss_mb())
                self.processes = max(self.processes, len(self.tree()))

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        return thread

    def stop_watching(self) -> None:
        self._stop.set()


@dataclass
class ScaleRun:
    workers: int
    links: list[LinkResult]
    makespan_s: float
    cpu_ms_per_link: float
    peak_pss_mb: float
    idle_pss_mb: float
    processes: int

    @property
    def reported(self) -> list[float]:
        return [link.seconds for link in self.links if link.kind == "report" and link.seconds is not None]

    @property
    def throughput(self) -> float:
        return len(self.reported) / self.makespan_s if self.makespan_s > 0 else 0.0


def deployment_env(settings: Settings, *, slack: SlackApiServer, llm: OpenAIServer, redis_url: str) -> dict[str, str]:
    from tests.support.slack_harness import slack_env

    env = slack_env(settings, api=slack, port=0)
    env.update(
        {
            "OPENAI_BASE_URL": llm.base_url,
            "OPENAI_API_KEY": "bench",
            "REDIS_URL": redis_url,
            "FACTCHECK_LOG_LEVEL": "WARNING",
            # Sizing (bench/README.md): one pipeline child per worker, so 2 workers hold 2 on this 2-core machine.
            "FACTCHECK_CPU_WORKERS": "1",
        }
    )
    return env


async def one_run(
    *,
    workers: int,
    run: int,
    urls: list[str],
    warm_urls: list[str],
    slack: SlackApiServer,
    llm: OpenAIServer,
    tmp: Path,
) -> ScaleRun:
    busy_text = user_message(Outcome.BUSY)
    settings = Settings.from_env({}).replace(cache_path=tmp / f"cache{run}.sqlite3", evidence=("off",))
    redis = RedisServer(binary=redis_server_binary()).start()
    env = deployment_env(settings, slack=slack, llm=llm, redis_url=redis.url)
    started: list[FactcheckProcess] = []
    try:
        front = front_process(env)
        started = [
            front,
            *(FactcheckProcess("worker", env={**env, "FACTCHECK_LOG_LEVEL": "INFO"}) for _ in range(workers)),
        ]
        await asyncio.gather(front.ready_http(), *(w.ready_log("worker taking jobs") for w in started[1:]))
        assert redis.process is not None
        deployment = Deployment(
            roots=[psutil.Process(p.process.pid) for p in started] + [psutil.Process(redis.process.pid)]
        )
        base = 1_750_000_000 + run * 10_000
        limits = httpx.Limits(max_connections=len(urls) + 10, max_keepalive_connections=len(urls) + 10)
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            warm = [LinkResult(url=u, thread_ts=f"{base - 1 - i}.000100", sent_at=0.0) for i, u in enumerate(warm_urls)]
            await asyncio.gather(
                *(
                    send_event(client, bot_url=front.url, link=w, channel=f"CSWARM{run}", event_id=f"EvS{run}W{i}")
                    for i, w in enumerate(warm)
                )
            )
            await wait_for_answers(slack, warm, channel=f"CSWARM{run}", busy_text=busy_text)
            idle_pss = deployment.pss_mb()
            links = [LinkResult(url=u, thread_ts=f"{base + i}.000100", sent_at=0.0) for i, u in enumerate(urls)]
            watcher = deployment.watch()
            cpu_before = deployment.cpu_s()
            first = time.monotonic()
            await asyncio.gather(
                *(
                    send_event(client, bot_url=front.url, link=link, channel=f"CSCALE{run}", event_id=f"EvS{run}B{i}")
                    for i, link in enumerate(links)
                )
            )
            await wait_for_answers(slack, links, channel=f"CSCALE{run}", busy_text=busy_text)
            cpu_after = deployment.cpu_s()
            deployment.stop_watching()
            watcher.join()
        done = [link.done_at for link in links if link.done_at is not None]
        return ScaleRun(
            workers=workers,
            links=links,
            makespan_s=(max(done) - first) if done else 0.0,
            cpu_ms_per_link=(cpu_after - cpu_before) * 1000 / len(links),
            peak_pss_mb=deployment.peak_pss_mb,
            idle_pss_mb=idle_pss,
            processes=deployment.processes,
        )
    finally:
        for process in started:
            process.close()
        redis.close()


async def measure_scale(
    *,
    shared_dir: Path,
    links: int = 50,
    worker_counts: tuple[int, ...] = (1, 2),
    rounds: int = 1,
    extraction_passes: int = EXTRACTION_PASSES,
    llm_latency_s: float = LLM_LATENCY_S,
) -> dict:
    """The burst with each number of workers in ``worker_counts`` (the last is the headline figure), ``rounds``
    times: the counts alternate within a round, so a change in the machine's load falls on both alike. Figures
    are medians over the rounds, with ``_min`` and ``_max``; the ratio is the median of each round's own."""
    warm_count = 2 * max(worker_counts)
    pages = await asyncio.to_thread(article_pages, shared_dir, links + warm_count)
    settings = Settings.from_env({}).replace(allow_private_urls=True)
    runs: dict[int, list[ScaleRun]] = {workers: [] for workers in worker_counts}
    load_before = os.getloadavg()[0]
    with (
        servers(pages, llm_latency_s=llm_latency_s) as (slack, llm, all_urls),
        tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp,
    ):
        urls, warm_urls = all_urls[:links], all_urls[links:]
        floor = 2 * llm_latency_s + await fetch_floor_s(urls, settings=settings)
        for round_ in range(rounds):
            for i, workers in enumerate(worker_counts):
                last = await one_run(
                    workers=workers,
                    run=round_ * len(worker_counts) + i,
                    urls=urls,
                    warm_urls=warm_urls[: 2 * workers],
                    slack=slack,
                    llm=llm,
                    tmp=Path(tmp),
                )
                runs[workers].append(last)
                p95 = percentile(last.reported, 95) if last.reported else float("nan")
                print(
                    f"[bench] scale, {workers} workers: p95 {p95:.2f} s, {last.throughput:.2f} links/s, "
                    f"{last.peak_pss_mb:.0f} MB PSS, {last.cpu_ms_per_link:.0f} ms CPU a link, "
                    f"load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
    extraction = await asyncio.to_thread(extraction_ratio, pages[:links], passes=extraction_passes)
    headline = worker_counts[-1]
    out: dict = {
        "links": links,
        "scale_links": links,
        "source": data_source(shared_dir),
        "critical_path_s": floor,
        "workers": headline,
        "rounds": rounds,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        # every link of every headline run answered, else the goal is not met
        "scale_reported": min(len(run.reported) for run in runs[headline]),
        "scale_processes": max(run.processes for run in runs[headline]),
        "scale_idle_pss_mb": statistics.median(run.idle_pss_mb for run in runs[headline]),
        **extraction,
    }
    for workers, measured in runs.items():
        figures = {
            f"scale_p95_s_{workers}_workers": [percentile(r.reported, 95) for r in measured if r.reported],
            f"scale_throughput_{workers}_workers": [r.throughput for r in measured],
            f"scale_cpu_ms_per_link_{workers}_workers": [r.cpu_ms_per_link for r in measured],
            f"scale_pss_mb_{workers}_workers": [r.peak_pss_mb for r in measured],
        }
        for key, values in figures.items():
            out.update(_spread(key, values))
    out.update(_spread("scale_burst50_p95_s", [percentile(r.reported, 95) for r in runs[headline] if r.reported]))
    out.update(_spread("scale_pss_mb", [r.peak_pss_mb for r in runs[headline]]))
    out.update(_spread("scale_cpu_ms_per_link", [r.cpu_ms_per_link for r in runs[headline]]))
    if len(worker_counts) > 1:
        first = worker_counts[0]
        ratios = [
            two.throughput / one.throughput
            for one, two in zip(runs[first], runs[headline], strict=True)
            if one.throughput > 0
        ]
        out.update(_spread("scale_throughput_ratio", ratios))
    return out


def _spread(key: str, values: list[float]) -> dict[str, float]:
    """``key`` (the median), and ``key_min`` / ``key_max`` when there is more than one value."""
    if not values:
        return {}
    if len(values) == 1:
        return {key: values[0]}
    return {key: statistics.median(values), f"{key}_min": min(values), f"{key}_max": max(values)}


async def scale_figures(
    *, shared_dir: Path, smoke: bool, smoke_llm_latency_s: float
) -> tuple[dict[str, float | None], dict[str, str]]:
    """The ``make bench`` section: values and notes (one worker, two links and a quick model in a smoke run)."""
    counts = (1,) if smoke else (1, 2)
    result = await measure_scale(
        shared_dir=shared_dir,
        links=2 if smoke else 50,
        worker_counts=counts,
        rounds=1 if smoke else ROUNDS,
        extraction_passes=1 if smoke else EXTRACTION_PASSES,
        llm_latency_s=smoke_llm_latency_s if smoke else LLM_LATENCY_S,
    )
    values: dict[str, float | None] = {
        k: float(v) for k, v in result.items() if isinstance(v, int | float) and not isinstance(v, bool)
    }
    per_run = "; ".join(
        f"{n} worker{'s' if n > 1 else ''}: p95 {result.get(f'scale_p95_s_{n}_workers') or float('nan'):.2f} s, "
        f"{result[f'scale_throughput_{n}_workers']:.2f} links/s, {result[f'scale_pss_mb_{n}_workers']:.0f} MB, "
        f"{result[f'scale_cpu_ms_per_link_{n}_workers']:.0f} ms CPU a link"
        for n in counts
    )
    notes = {
        "scale_burst50_p95_s": f"{result['scale_reported']} of {result['links']} reported; front + Redis + "
        f"{result['workers']} worker(s), 1 pipeline child each; floor {result['critical_path_s']:.2f} s; "
        f"median of {result['rounds']} round(s), load average {result['load_before']:.1f} before, "
        f"{result['load_after']:.1f} after; {per_run}",
        "scale_pss_mb": f"{result['scale_processes']} processes at most (front, workers, forkservers, children, "
        f"redis-server); {result['scale_idle_pss_mb']:.0f} MB before the burst",
        "scale_cpu_ms_per_link": "user + system CPU of every process of the deployment in the burst, over the links",
        "extraction_over_trafilatura": f"{result['extraction_ms_per_page']:.1f} ms a page against "
        f"{result['trafilatura_ms_per_page']:.1f} ms, {result['links']} pages each seen once, page by page, "
        "median of 3 passes each in a fresh process",
    }
    if smoke:
        notes["scale_throughput_ratio"] = "skipped (smoke run: one worker)"
    return values, notes


if __name__ == "__main__":  # python -m bench.scale_burst [links [rounds]]: the figures alone
    import json
    import sys

    from bench.run import shared_dir

    links = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else ROUNDS
    figures = asyncio.run(measure_scale(shared_dir=shared_dir(), links=links, rounds=rounds))
    print(json.dumps(figures, indent=1))
