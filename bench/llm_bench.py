"""LLM cost and latency per article against a scripted OpenAI-compatible server.

``await measure_llm()`` runs the real engine (real openai client, real HTTP on
loopback) on the sample article with a fixed server latency, and returns the
calls, tokens and the end-to-end time of ``LLMEngine.run`` compared with the
critical path of two sequential model calls (2 x latency). Tokens are the test
server's estimate (characters / 4, the Structured Outputs schema included, as a
real server bills it); the scripted answers are shorter than a real model's, so
completion tokens are a floor, prompt tokens are representative.

``await measure_prompt_goal()`` checks the prompt budget per article: prompt
tokens <= 2 x article tokens + 3,000 (the article goes out once per round), on
the sample article and on two real news pages (NYT, BBC) extracted by the real
extractor, links and page furniture included.

``python -m bench.llm_bench [SHARED_DIR]`` prints both as JSON.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.llm import LLMEngine, LLMResult
from bot.models import Article, Candidate, Claim
from tests.servers.openai_server import FactcheckModel, OpenAIServer
from tests.support.llm_inputs import (
    article_from_text,
    candidates_for,
    offline_claims_for,
)

DEFAULT_SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SAMPLE = Path("seeds") / "000_feee107df6f0017a.txt"
NEWS_PAGES = Path("eval-data") / "trafilatura-eval" / "html"
GOAL_PAGES = ("nytimes.com.blackouts.html.gz", "bbc.com.52241221.html.gz")  # the two news pages
GOAL_SLACK_TOKENS = 3_000


def estimate_tokens(text: str) -> int:
    """The test server's tokenizer (characters / 4), so article and prompt are counted alike."""
    return max(1, math.ceil(len(text) / 4))


def _offline_inputs(article: Article, max_claims: int) -> tuple[list[Candidate], list[Claim], str]:
    """The real offline analyzer's candidates and claims; stand-ins while it is not importable."""
    try:
        from bot.pipeline import offline_claims
    except ImportError:
        candidates = candidates_for(article)
        return candidates, offline_claims_for(article, candidates, limit=max_claims), "stand-in scores"
    candidates, claims = offline_claims(article, max_claims=max_claims)
    return candidates, claims, "offline analyzer"


async def measure_llm(
    *,
    text: str | None = None,
    article: Article | None = None,
    shared_dir: Path = DEFAULT_SHARED,
    latency_s: float = 1.0,
    max_claims: int | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Run the engine once on ``article`` or ``text`` (default: the sample article) against a server
    with fixed latency."""
    if article is None:
        if text is None:
            text = (shared_dir / SAMPLE).read_text(encoding="utf-8")
        article = article_from_text(text)
    text = article.text
    base = settings or Settings.from_env({})
    max_claims = max_claims or base.max_claims
    candidates, claims, inputs = await asyncio.to_thread(_offline_inputs, article, max_claims)
    with OpenAIServer(responder=FactcheckModel(claims=max_claims), latency_s=latency_s) as server:
        settings = base.replace(
            openai_base_url=server.base_url, openai_api_key="bench", azure_endpoint=None, llm_deadline_s=120.0
        )
        result: LLMResult | None = None
        async with LLMEngine(settings=settings) as engine:
            started = time.perf_counter()
            async for event in engine.run(
                article=article, candidates=candidates, offline_claims=claims, max_claims=max_claims
            ):
                if isinstance(event, LLMResult):
                    result = event
            elapsed = time.perf_counter() - started
        requests = len(server.chat_requests)
    assert result is not None
    critical = 2 * latency_s
    return {
        "latency_s": latency_s,
        "elapsed_s": round(elapsed, 3),
        "critical_path_s": critical,
        "ratio_to_critical_path": round(elapsed / critical, 3) if critical else None,
        "llm_calls": result.usage.llm_calls,
        "server_requests": requests,
        "prompt_tokens": result.usage.prompt_tokens,
        "completion_tokens": result.usage.completion_tokens,
        "total_tokens": result.usage.total_tokens,
        "claims": len(result.claims),
        "claims_analysed": sum(claim.analysis.value == "ok" for claim in result.claims),
        "dropped_quotes": result.usage.dropped_quotes,
        "failed": result.failed,
        "article_chars": len(text),
        "article_tokens": estimate_tokens(text),
        "prompt_goal": 2 * estimate_tokens(text) + GOAL_SLACK_TOKENS,
        "inputs": inputs,
    }


def _news_article(path: Path) -> Article:
    from bot.extract import extract_file

    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / path.name.removesuffix(".gz")
        page.write_bytes(gzip.decompress(path.read_bytes()))
        return extract_file(page)


async def measure_prompt_goal(*, shared_dir: Path = DEFAULT_SHARED, smoke: bool = False) -> dict[str, Any]:
    """Prompt tokens per article against 2 x article tokens + 3,000, on the sample and the news pages found."""
    articles: dict[str, Article] = {}
    if (shared_dir / SAMPLE).is_file():
        articles["sample"] = article_from_text((shared_dir / SAMPLE).read_text(encoding="utf-8"))
    for name in GOAL_PAGES[: 0 if smoke else None]:
        path = shared_dir / NEWS_PAGES / name
        if path.is_file():
            articles[name.split(".")[0]] = await asyncio.to_thread(_news_article, path)
    per_article = {}
    for name, article in articles.items():
        run = await measure_llm(article=article, latency_s=0.0)
        per_article[name] = {
            key: run[key] for key in ("prompt_tokens", "article_tokens", "prompt_goal", "llm_calls", "claims")
        }
    ratios = [item["prompt_tokens"] / item["prompt_goal"] for item in per_article.values()]
    return {"articles": per_article, "prompt_over_goal_max": round(max(ratios), 3) if ratios else None}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    shared = Path(args[0]) if args else DEFAULT_SHARED
    if not (shared / SAMPLE).exists():
        print(f"skipped: {shared / SAMPLE} not found")
        return 0
    print(json.dumps(asyncio.run(measure_llm(shared_dir=shared)), indent=2))
    print(json.dumps(asyncio.run(measure_prompt_goal(shared_dir=shared)), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
