"""A breaking story: 50 different links pasted at once, through the real Slack bot process.

The bot runs as deployed (``factcheck slack``: HTTP mode, its own process, so its peak RSS is its
own) against three loopback servers in this process: the Slack Web API (``SlackApiServer``), the
article pages (``ArticleServer``) and a scripted OpenAI-compatible model answering after a fixed
1 s (``OpenAIServer``). Every link arrives as its own signed ``message`` event, all sent together.

End-to-end time of a link = from sending its event to the last write (post or edit) of its final
answer in its thread, taken from the arrival times the Slack server records. Only links that got a
report count toward the latency figures; refusals ("busy") and failures are counted separately.
The critical-path floor is 2 x the LLM latency (the engine's two sequential rounds) + one fetch.

``repeat_link_ms``: afterwards, already-checked links are pasted again one at a time (a cache hit
that must not call the LLM); the same end-to-end clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.bot_process import BotProcess, free_port
from bench.extraction import TRAFILATURA_EVAL, load_pages, percentile
from bot.config import Settings
from bot.extract import extract_html
from bot.outcome import CheckError, Outcome, user_message
from tests.servers.article_server import ArticleServer
from tests.servers.openai_server import OpenAIServer
from tests.servers.slack_api_server import SlackApiServer
from tests.support.slack_harness import event_body, message_event, send, slack_env

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "harbor-bridge.html"
LLM_LATENCY_S = 1.0
SETTLE_S = 1.5  # no thread writes for this long after every thread has an answer: the burst is over
BURST_TIMEOUT_S = 180.0
FINAL_PREFIXES = {"Fact-check": "report", ":recycle:": "report", ":warning:": "error"}


@dataclass
class LinkResult:
    url: str
    thread_ts: str
    sent_at: float
    ack_status: int = 0
    kind: str = "none"  # report | busy | error | none (no answer in time)
    done_at: float | None = None

    @property
    def seconds(self) -> float | None:
        return None if self.done_at is None else self.done_at - self.sent_at


@dataclass
class RunResult:
    links: list[LinkResult]
    peak_rss_mb: float
    idle_rss_mb: float
    repeat_ms: list[float] = field(default_factory=list)
    repeat_llm_calls: int = 0
    solo_s: float | None = None  # one link alone, after the warm-up: the no-contention baseline
    warm_rss_mb: float = 0.0  # after the warm-up: model loaded, before the burst


# ------------------------------------------------------------------ pages


def article_pages(shared_dir: Path, count: int) -> list[bytes]:
    """``count`` different real news pages our extractor accepts, else variants of the example."""
    pages: list[bytes] = []
    for page in load_pages(shared_dir) or []:
        try:
            extract_html(page.html)
        except CheckError:
            continue
        pages.append(page.html)
        if len(pages) == count:
            return pages
    html = EXAMPLE.read_bytes()
    while len(pages) < count:  # a distinct sentence per page, so every link is a new article
        marker = f"<p>Update {len(pages)}: the council will vote on the bridge budget on day {len(pages)}.</p>"
        pages.append(html.replace(b"</article>", marker.encode() + b"</article>"))
    return pages


def data_source(shared_dir: Path) -> str:
    return "trafilatura-eval pages" if (shared_dir / TRAFILATURA_EVAL).exists() else "the example article"


# ------------------------------------------------------------------ events


async def send_event(client: httpx.AsyncClient, *, bot_url: str, link: LinkResult, channel: str, event_id: str) -> None:
    """One signed ``message`` event holding the link, as Slack delivers it."""
    body = event_body(message_event(f"Have a look <{link.url}>", channel=channel, ts=link.thread_ts), event_id=event_id)
    link.sent_at = time.monotonic()
    response = await send(client, bot_url, body)
    link.ack_status = response.status_code


def _classify(text: str, busy_text: str) -> str | None:
    if busy_text and busy_text in text:
        return "busy"
    for prefix, kind in FINAL_PREFIXES.items():
        if text.startswith(prefix):
            return kind
    return None


def settle(slack: SlackApiServer, links: list[LinkResult], *, channel: str, busy_text: str) -> bool:
    """Fill in each link's answer kind and last write time; True when every thread has an answer."""
    writes = [c for c in slack.calls() if c.method in {"chat.postMessage", "chat.update"} and c.status == 200]
    for link in links:
        thread = slack.thread(channel, link.thread_ts)
        if not thread:
            continue
        kind = _classify(thread[0].text, busy_text)
        if kind is None:
            continue
        ours = {m.ts for m in thread}
        times = [
            c.at
            for c in writes
            if c.params.get("channel") == channel
            and (
                c.params.get("thread_ts") == link.thread_ts
                or (c.method == "chat.update" and c.params.get("ts") in ours)
            )
        ]
        link.kind, link.done_at = kind, max(times) if times else None
    return all(link.kind != "none" for link in links)


async def wait_for_answers(slack: SlackApiServer, links: list[LinkResult], *, channel: str, busy_text: str) -> None:
    deadline = time.monotonic() + BURST_TIMEOUT_S
    while time.monotonic() < deadline:
        if settle(slack, links, channel=channel, busy_text=busy_text):
            last = max((c.at for c in slack.calls()), default=0.0)
            if time.monotonic() - last >= SETTLE_S:
                settle(slack, links, channel=channel, busy_text=busy_text)
                return
        await asyncio.sleep(0.05)


# ------------------------------------------------------------------ one run


def bot_env(*, slack: SlackApiServer, llm: OpenAIServer, cache_path: Path, port: int) -> dict[str, str]:
    settings = Settings.from_env({}).replace(cache_path=cache_path)
    return {**slack_env(settings, api=slack, port=port), "OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": "bench"}


async def one_run(
    *,
    run: int,
    urls: list[str],
    warmup_url: str,
    solo_url: str | None,
    slack: SlackApiServer,
    llm: OpenAIServer,
    workdir: Path,
    repeats: int,
) -> RunResult:
    busy_text = user_message(Outcome.BUSY)
    channel = f"CBURST{run}"
    port = free_port()
    bot = BotProcess(
        port=port, env=bot_env(slack=slack, llm=llm, cache_path=workdir / f"cache{run}.sqlite3", port=port)
    )
    try:
        await bot.ready()
        idle_rss = bot.rss_mb()
        base = 1_700_000_000 + run * 10_000
        links = [LinkResult(url=url, thread_ts=f"{base + i}.000100", sent_at=0.0) for i, url in enumerate(urls)]
        limits = httpx.Limits(max_connections=len(links) + 5, max_keepalive_connections=len(links) + 5)
        async with httpx.AsyncClient(limits=limits) as client:
            # A running bot has checked something before: load the model and warm the imports first.
            warm = LinkResult(url=warmup_url, thread_ts=f"{base - 1}.000100", sent_at=0.0)
            await send_event(client, bot_url=bot.url, link=warm, channel=f"CWARM{run}", event_id=f"Ev{run}W")
            await wait_for_answers(slack, [warm], channel=f"CWARM{run}", busy_text=busy_text)
            solo = LinkResult(url=solo_url or "", thread_ts=f"{base - 2}.000100", sent_at=0.0)
            if solo_url:
                await send_event(client, bot_url=bot.url, link=solo, channel=f"CSOLO{run}", event_id=f"Ev{run}S")
                await wait_for_answers(slack, [solo], channel=f"CSOLO{run}", busy_text=busy_text)
            warm_rss = bot.rss_mb()
            await asyncio.gather(
                *(
                    send_event(client, bot_url=bot.url, link=link, channel=channel, event_id=f"Ev{run}B{i}")
                    for i, link in enumerate(links)
                )
            )
            await wait_for_answers(slack, links, channel=channel, busy_text=busy_text)
            peak = bot.peak_rss_mb()
            repeat_ms, repeat_calls = await repeat_links(
                client, bot=bot, slack=slack, llm=llm, run=run, links=links, repeats=repeats, busy_text=busy_text
            )
        return RunResult(
            links=links,
            peak_rss_mb=max(peak, bot.peak_rss_mb()),
            idle_rss_mb=idle_rss,
            repeat_ms=repeat_ms,
            repeat_llm_calls=repeat_calls,
            solo_s=solo.seconds if solo.kind == "report" else None,
            warm_rss_mb=warm_rss,
        )
    finally:
        bot.stop()


async def repeat_links(
    client: httpx.AsyncClient,
    *,
    bot: BotProcess,
    slack: SlackApiServer,
    llm: OpenAIServer,
    run: int,
    links: list[LinkResult],
    repeats: int,
    busy_text: str,
) -> tuple[list[float], int]:
    """Paste already-reported links again, one at a time, in a new message each."""
    reported = [link for link in links if link.kind == "report"][:repeats]
    channel = f"CREPEAT{run}"
    timings: list[float] = []
    calls_before = len(llm.chat_requests)
    for i, first in enumerate(reported):
        again = LinkResult(url=first.url, thread_ts=f"{1_800_000_000 + run * 100 + i}.000200", sent_at=0.0)
        await send_event(client, bot_url=bot.url, link=again, channel=channel, event_id=f"Ev{run}R{i}")
        await wait_for_answers(slack, [again], channel=channel, busy_text=busy_text)
        if again.kind == "report" and again.seconds is not None:
            timings.append(again.seconds * 1000)
    return timings, len(llm.chat_requests) - calls_before


async def fetch_floor_s(urls: list[str], *, settings: Settings) -> float:
    """Median time of one fetch of each page, alone (the fetch part of the critical path)."""
    from bot.fetch import fetch_page

    times = []
    for url in urls:
        started = time.perf_counter()
        await fetch_page(url, settings=settings)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def pipeline_repeat_ms(url: str, *, settings: Settings, workdir: Path, repeats: int) -> list[float]:
    """The same link twice through ``bot.pipeline.check`` with a cache, no adapter: the cache itself."""
    from bot.cache import open_cache
    from bot.pipeline import check

    settings = settings.replace(cache_path=workdir / "pipeline-cache.sqlite3")
    cache = open_cache(settings)
    try:
        async for _ in check(url, settings=settings, offline=True, cache=cache):
            pass
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            async for event in check(url, settings=settings, offline=True, cache=cache):
                last = event
            if getattr(last, "report", None) is not None and last.report.cached:
                timings.append((time.perf_counter() - started) * 1000)
        return timings
    finally:
        cache.close()


@contextlib.contextmanager
def servers(
    pages: list[bytes], *, llm_latency_s: float = LLM_LATENCY_S
) -> Iterator[tuple[SlackApiServer, OpenAIServer, list[str]]]:
    """The three loopback servers, every page served at its own URL."""
    with SlackApiServer() as slack, OpenAIServer(latency_s=llm_latency_s) as llm, ArticleServer() as articles:
        urls = [articles.add(f"/story/{i}", body=page) for i, page in enumerate(pages)]
        yield slack, llm, urls


async def measure_burst(
    *,
    shared_dir: Path,
    links: int = 50,
    runs: int = 3,
    repeats: int = 5,
    solo: bool = True,
    llm_latency_s: float = LLM_LATENCY_S,
) -> dict:
    """Figures of ``runs`` bursts of ``links`` links (a fresh bot process and cache each run).

    ``burst50_p95_s`` is the median over runs of each run's p95 over reported links; min/max show
    the spread. All latencies go in ``latencies_s`` for the plot.
    """
    pages = await asyncio.to_thread(article_pages, shared_dir, links + 1)
    # The single link re-serves the warm-up page at a new URL: a fresh check (no cache hit) on code
    # paths already warmed, so it shows steady-state latency, not a library's one-time lazy setup.
    pages.append(pages[-1])
    settings = Settings.from_env({}).replace(allow_private_urls=True, evidence=("off",))  # no internet here
    results: list[RunResult] = []
    with (
        servers(pages, llm_latency_s=llm_latency_s) as (slack, llm, all_urls),
        tempfile.TemporaryDirectory(prefix="bench-burst-") as tmp,
    ):
        urls, warmup_url, solo_url = all_urls[:links], all_urls[links], all_urls[links + 1]
        floor = 2 * llm_latency_s + await fetch_floor_s(urls, settings=settings)
        cache_ms = await pipeline_repeat_ms(warmup_url, settings=settings, workdir=Path(tmp), repeats=repeats)
        for run in range(runs):
            results.append(
                await one_run(
                    run=run,
                    urls=urls,
                    warmup_url=warmup_url,
                    solo_url=solo_url if solo else None,
                    slack=slack,
                    llm=llm,
                    workdir=Path(tmp),
                    repeats=repeats,
                )
            )
    p95s, latencies = [], []
    for result in results:
        seconds = [link.seconds for link in result.links if link.kind == "report" and link.seconds is not None]
        latencies += seconds
        if seconds:
            p95s.append(percentile(seconds, 95))
    reported = [sum(link.kind == "report" for link in r.links) for r in results]
    repeat_ms = [ms for r in results for ms in r.repeat_ms]
    peaks = [r.peak_rss_mb for r in results]
    out: dict = {
        "links": links,
        "runs": runs,
        "source": data_source(shared_dir),
        "critical_path_s": floor,
        "latencies_s": latencies,
        "failed": sum(links - n for n in reported),
        "burst50_reported": statistics.median(reported),
        "burst50_busy": statistics.median([sum(link.kind == "busy" for link in r.links) for r in results]),
        "burst50_errors": statistics.median([sum(link.kind in {"error", "none"} for link in r.links) for r in results]),
        "burst50_rss_mb": statistics.median(peaks),
        "burst50_rss_mb_min": min(peaks),
        "burst50_rss_mb_max": max(peaks),
        "burst50_idle_rss_mb": statistics.median(r.idle_rss_mb for r in results),
        "burst50_warm_rss_mb": statistics.median(r.warm_rss_mb for r in results),
        "repeat_link_llm_calls": sum(r.repeat_llm_calls for r in results),
    }
    if p95s:
        out.update(
            burst50_p95_s=statistics.median(p95s),
            burst50_p95_s_min=min(p95s),
            burst50_p95_s_max=max(p95s),
            burst50_p50_s=percentile(latencies, 50),
        )
    solos = [r.solo_s for r in results if r.solo_s is not None]
    if solos:
        out.update(
            slack_single_link_s=statistics.median(solos), slack_single_link_over_floor=statistics.median(solos) / floor
        )
    if cache_ms:
        out.update(
            repeat_link_pipeline_ms=statistics.median(cache_ms),
            repeat_link_pipeline_ms_min=min(cache_ms),
            repeat_link_pipeline_ms_max=max(cache_ms),
        )
    if repeat_ms:
        out.update(
            repeat_link_ms=statistics.median(repeat_ms),
            repeat_link_ms_min=min(repeat_ms),
            repeat_link_ms_max=max(repeat_ms),
        )
    return out


if __name__ == "__main__":
    from bench.run import shared_dir

    figures = asyncio.run(
        measure_burst(shared_dir=shared_dir(), links=int(sys.argv[1]) if len(sys.argv) > 1 else 50, runs=1)
    )
    figures.pop("latencies_s")
    print(json.dumps(figures, indent=1))
