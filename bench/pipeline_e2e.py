"""End-to-end time of one check over the critical path, through the full ``bot.pipeline.check``, with evidence.

The example article's world is served on loopback (``tests/servers/evidence_world.py``): the
article, the pages it links to, other coverage and stand-ins for the Wikipedia, Fact Check Tools,
SearXNG and Brave APIs, each answer and each evidence page delayed by ``provider_latency_s`` as over
the internet. A scripted model that cites the passages (``tests/servers/citing_model.py``) answers
every call after a fixed latency. The critical path no implementation can beat is the page fetch,
round 1, the evidence stage and round 2, one after the other: ``fetch + latency + evidence +
latency``. The ratio ``elapsed / floor`` shows what our own code (extraction, scoring, sourcing,
prompts, parsing, citation checks) adds on top; the fetch and evidence times are the ones the
pipeline itself recorded in ``Report.timings`` for that run.

The same runs give the evidence figures: the stage's time per article, the pages it fetched, the
LLM calls and the prompt tokens with the passages in round 2.

``bench.llm_bench.measure_llm`` times ``LLMEngine.run`` alone; this is the same idea one level up.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bot.config import Settings
from bot.events import Finished
from bot.pipeline import check
from tests.servers.citing_model import CitingModel
from tests.servers.evidence_world import serve_world
from tests.servers.openai_server import OpenAIServer
from tests.support.evidence_harness import world_settings
from tests.support.slack_harness import article_html

LLM_LATENCY_S = 1.0
PROVIDER_LATENCY_S = 0.25  # a search API or a page over the internet; loopback answers in under a millisecond


def sample_page(text: str) -> str:
    """Plain article text (headline on the first line) as a simple news page."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return article_html(title=lines[0], paragraphs=lines[1:])


async def measure_pipeline_e2e(
    *,
    runs: int = 3,
    warmup: bool = True,
    latency_s: float = LLM_LATENCY_S,
    provider_latency_s: float = PROVIDER_LATENCY_S,
) -> dict:
    """Median, min and max of ``elapsed / (fetch + latency + evidence + latency)`` over ``runs`` fresh checks."""
    ratios: list[float] = []
    elapsed_s: list[float] = []
    evidence_ms: list[float] = []
    pages: list[int] = []
    calls: list[int] = []
    prompt_tokens: list[int] = []
    with (
        serve_world(latency_s=provider_latency_s) as world,
        OpenAIServer(responder=CitingModel(), latency_s=latency_s) as llm,
        tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp,
    ):
        base = Settings.from_env({}).replace(allow_private_urls=True, cache_path=Path(tmp) / "cache.sqlite3")
        settings = world_settings(world, base, openai_base_url=llm.base_url, openai_api_key="bench")
        for attempt in range(runs + int(warmup)):
            started = time.perf_counter()
            finished = None
            async for event in check(world.article_url, settings=settings):  # no cache: every run fetches
                if isinstance(event, Finished):
                    finished = event
            elapsed = time.perf_counter() - started
            if finished is None or finished.report is None or finished.report.evidence_summary is None:
                raise RuntimeError(f"the check failed: {finished and finished.outcome}")
            if warmup and attempt == 0:
                continue  # the first check loads the models and warms imports
            report = finished.report
            timings = report.timings
            floor = (timings.fetch_ms + timings.evidence_ms) / 1000 + 2 * latency_s
            ratios.append(elapsed / floor)
            elapsed_s.append(elapsed)
            evidence_ms.append(timings.evidence_ms)
            pages.append(report.evidence_summary.pages_fetched)
            calls.append(report.usage.llm_calls)
            prompt_tokens.append(report.usage.prompt_tokens)
    return {
        "e2e_over_critical_path": statistics.median(ratios),
        "e2e_over_critical_path_min": min(ratios),
        "e2e_over_critical_path_max": max(ratios),
        "e2e_seconds": statistics.median(elapsed_s),
        "evidence_ms_per_article": statistics.median(evidence_ms),
        "evidence_ms_per_article_min": min(evidence_ms),
        "evidence_ms_per_article_max": max(evidence_ms),
        "evidence_pages_per_report": statistics.median(pages),
        "llm_calls_with_evidence": max(calls),
        "llm_prompt_tokens_with_evidence": statistics.median(prompt_tokens),
        "provider_latency_s": provider_latency_s,
        "runs": len(ratios),
    }
