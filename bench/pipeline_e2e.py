"""End-to-end time of one check over the critical path, through the full ``bot.pipeline.check``.

The sample article is served as an HTML page by the local article server; the scripted
OpenAI-compatible server answers every call after a fixed latency. The floor no implementation
can beat is the page fetch plus the engine's two sequential LLM rounds (find claims, then analyse
them in parallel batches): ``fetch + 2 x latency``. The ratio ``elapsed / floor`` shows what our own
code (extraction, scoring, sourcing, prompts, parsing) adds on top; the fetch time is the one the
pipeline itself recorded in ``Report.timings`` for that run.

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
from tests.servers.article_server import ArticleServer
from tests.servers.openai_server import FactcheckModel, OpenAIServer
from tests.support.slack_harness import article_html

LLM_LATENCY_S = 1.0


def sample_page(text: str) -> str:
    """Plain article text (headline on the first line) as a simple news page."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return article_html(title=lines[0], paragraphs=lines[1:])


async def measure_pipeline_e2e(
    *, text: str, runs: int = 3, warmup: bool = True, latency_s: float = LLM_LATENCY_S
) -> dict:
    """Median, min and max of ``elapsed / (fetch + 2 x latency)`` over ``runs`` fresh checks."""
    base = Settings.from_env({})
    ratios: list[float] = []
    elapsed_s: list[float] = []
    with (
        ArticleServer() as pages,
        OpenAIServer(responder=FactcheckModel(claims=base.max_claims), latency_s=latency_s) as llm,
        tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp,
    ):
        settings = base.replace(
            allow_private_urls=True,
            openai_base_url=llm.base_url,
            openai_api_key="bench",
            cache_path=Path(tmp) / "cache.sqlite3",
        )
        for attempt in range(runs + int(warmup)):
            url = pages.add(f"/sample/{attempt}", body=sample_page(text))  # a new URL: no cache, no reuse
            started = time.perf_counter()
            finished = None
            async for event in check(url, settings=settings):
                if isinstance(event, Finished):
                    finished = event
            elapsed = time.perf_counter() - started
            if finished is None or finished.report is None:
                raise RuntimeError(f"the check failed: {finished and finished.outcome}")
            if warmup and attempt == 0:
                continue  # the first check loads the model and warms imports
            floor = finished.report.timings.fetch_ms / 1000 + 2 * latency_s
            ratios.append(elapsed / floor)
            elapsed_s.append(elapsed)
    return {
        "e2e_over_critical_path": statistics.median(ratios),
        "e2e_over_critical_path_min": min(ratios),
        "e2e_over_critical_path_max": max(ratios),
        "e2e_seconds": statistics.median(elapsed_s),
        "runs": len(ratios),
    }
