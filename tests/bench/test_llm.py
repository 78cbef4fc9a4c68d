"""bench.llm_bench.measure_llm, which the benchmark harness calls, returns honest counts."""

from __future__ import annotations

from bench.llm_bench import measure_llm
from tests.bot.llm.test_engine import TEXT


async def test_measure_llm_reports_calls_tokens_and_the_critical_path():
    result = await measure_llm(text=TEXT, latency_s=0.2, max_claims=5)
    assert result["llm_calls"] == result["server_requests"] <= 3
    assert result["claims"] == result["claims_analysed"] > 0
    assert result["total_tokens"] == result["prompt_tokens"] + result["completion_tokens"] > 0
    assert result["critical_path_s"] == 0.4
    assert result["elapsed_s"] >= 0.4  # two sequential rounds cannot beat two latencies
    assert result["failed"] is False
