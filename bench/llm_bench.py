"""LLM cost and latency per article against a scripted OpenAI-compatible server.

``await measure_llm()`` runs the real engine (real openai client, real HTTP on
loopback) on the sample article with a fixed server latency, and returns the
calls, tokens and the end-to-end time of ``LLMEngine.run`` compared with the
critical path of two sequential model calls (2 x latency). Tokens are the test
server's estimate (characters / 4); the scripted answers are shorter than a real
model's, so completion tokens are a floor, prompt tokens are representative.

``python -m bench.llm_bench [SHARED_DIR]`` prints the result as JSON.
"""

from __future__ import annotations

import asyncio
import json
import sys
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
    shared_dir: Path = DEFAULT_SHARED,
    latency_s: float = 1.0,
    max_claims: int | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Run the engine once on ``text`` (default: the sample article) against a server with fixed latency."""
    if text is None:
        text = (shared_dir / SAMPLE).read_text(encoding="utf-8")
    base = settings or Settings.from_env({})
    max_claims = max_claims or base.max_claims
    article = article_from_text(text)
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
        "inputs": inputs,
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    shared = Path(args[0]) if args else DEFAULT_SHARED
    if not (shared / SAMPLE).exists():
        print(f"skipped: {shared / SAMPLE} not found")
        return 0
    print(json.dumps(asyncio.run(measure_llm(shared_dir=shared)), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
