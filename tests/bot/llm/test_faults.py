"""LLM faults: retries, deadlines and bad answers all end in a report, never a crash."""

from __future__ import annotations

import json
import time

import pytest

from bot.models import AnalysisStatus
from tests.servers.openai_server import (
    FactcheckModel,
    OpenAIServer,
    answer,
    data_block,
    error,
    hang,
    prose,
    rate_limited,
    refusal,
)
from tests.support.llm_harness import LONG_TEXT, assert_offline_fallback, inputs, run_engine

# ---------------------------------------------------------------- retries


async def test_429_retry_after_is_honoured(llm_settings, llm_server):
    article, candidates, offline = inputs()
    llm_server.script(rate_limited(retry_after="1"))
    _, result = await run_engine(llm_settings, article, candidates, offline)
    first, second = llm_server.chat_requests[:2]
    assert second.received_at - first.received_at >= 0.95
    assert first.body == second.body  # the same request, retried
    assert not result.failed
    assert result.usage.llm_calls == len(llm_server.chat_requests) == 3


async def test_retry_after_above_the_cap_is_not_waited_out(llm_settings, llm_server):
    article, candidates, offline = inputs()
    llm_server.script(rate_limited(retry_after="60"))
    started = time.monotonic()
    _, result = await run_engine(llm_settings, article, candidates, offline)
    assert time.monotonic() - started < 5
    assert len(llm_server.chat_requests) == 1
    assert_offline_fallback(result, offline, reason="retry after 60 s")


async def test_500_three_times_gives_up_after_exactly_three_attempts(llm_settings, llm_server):
    article, candidates, offline = inputs()
    llm_server.script(error(500), error(500), error(500))
    _, result = await run_engine(llm_settings, article, candidates, offline)
    assert len(llm_server.chat_requests) == 3
    assert result.usage.llm_calls == 3
    assert_offline_fallback(result, offline, reason="HTTP 500")


async def test_500_then_success_is_retried(llm_settings, llm_server):
    article, candidates, offline = inputs()
    llm_server.script(error(502), None)
    _, result = await run_engine(llm_settings, article, candidates, offline)
    assert not result.failed
    assert len(llm_server.chat_requests) == 3  # 502, round 1, round 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
async def test_client_errors_are_not_retried(llm_settings, llm_server, status):
    article, candidates, offline = inputs()
    llm_server.script(error(status))
    _, result = await run_engine(llm_settings, article, candidates, offline)
    assert len(llm_server.chat_requests) == 1
    assert_offline_fallback(result, offline, reason=f"HTTP {status}")


async def test_401_warning_never_echoes_the_server_message(llm_settings, llm_server):
    article, candidates, offline = inputs()
    llm_server.script(error(401, message="Incorrect API key provided: test-key"))
    _, result = await run_engine(llm_settings, article, candidates, offline)
    assert "test-key" not in " ".join(result.warnings)
    assert "refused the API key" in " ".join(result.warnings)


async def test_insufficient_quota_is_not_retried(llm_settings, llm_server):
    article, candidates, offline = inputs()
    llm_server.script(rate_limited(retry_after="1", code="insufficient_quota"))
    _, result = await run_engine(llm_settings, article, candidates, offline)
    assert len(llm_server.chat_requests) == 1
    assert_offline_fallback(result, offline, reason="insufficient_quota")


async def test_timeouts_are_retried_then_fall_back(llm_settings, llm_server):
    article, candidates, offline = inputs()
    llm_server.script(hang(3), hang(3), hang(3))
    quick = llm_settings.replace(llm_request_timeout_s=0.3)
    _, result = await run_engine(quick, article, candidates, offline)
    assert len(llm_server.chat_requests) == 3
    assert_offline_fallback(result, offline, reason="timed out")


async def test_one_deadline_per_report(llm_settings, llm_server):
    article, candidates, offline = inputs()
    llm_server.script(hang(30))
    tight = llm_settings.replace(llm_deadline_s=1.0, llm_request_timeout_s=60.0)
    started = time.monotonic()
    _, result = await run_engine(tight, article, candidates, offline)
    assert time.monotonic() - started < 1.0 + 2.0
    assert_offline_fallback(result, offline, reason="deadline")


# ---------------------------------------------------------------- bad answers


async def test_prose_twice_falls_back_after_one_repair(llm_settings, llm_server):
    article, candidates, offline = inputs()
    llm_server.script(prose(), prose("Sorry, I cannot produce JSON."))
    _, result = await run_engine(llm_settings, article, candidates, offline)
    assert len(llm_server.chat_requests) == 2
    repair = llm_server.chat_requests[1]
    assert [m["role"] for m in repair.messages] == ["system", "user"]
    assert prose().content in data_block(repair)  # its answer comes back as data, the article does not
    assert "The city council approved" not in repair.user
    assert "prose" in repair.user.split("<<<")[0]
    assert_offline_fallback(
        result, offline, reason="the model answered in prose instead of JSON, even after one repair"
    )


async def test_schema_breaking_json_is_repaired_once(llm_settings, llm_server):
    article, candidates, offline = inputs()
    quote = "The city council approved a budget of $4.2 billion on Monday"
    broken = {"claims": [{"text": quote}]}
    fixed = {"claims": [{"sentence": "S1", "quote": quote, "claimant": "officials", "why_it_matters": "x"}]}
    llm_server.script(answer(broken), answer(fixed), None)
    _, result = await run_engine(llm_settings, article, candidates, offline)
    assert len(llm_server.chat_requests) == 3  # round 1, its repair, round 2
    repair_note = llm_server.chat_requests[1].user.split("<<<")[0]
    assert "claims.0.quote" in repair_note  # the model gets the precise path
    assert not result.failed and result.claims and all(c.analysis is AnalysisStatus.OK for c in result.claims)


async def test_json_in_a_code_fence_with_prose_is_accepted(llm_settings, llm_server):
    article, candidates, offline = inputs()
    found = FactcheckModel().find_claims  # the block is needed: answer round 1 from the request itself
    llm_server.script(
        lambda request: answer("Sure! Here it is:\n```json\n" + json.dumps(found(data_block(request))) + "\n```")
    )
    _, result = await run_engine(llm_settings, article, candidates, offline)
    assert not result.failed and len(llm_server.chat_requests) == 2


async def test_quotes_not_in_the_article_are_dropped_named_and_refilled(llm_settings):
    article, candidates, offline = inputs()
    with OpenAIServer(responder=FactcheckModel(claims=2, fake_quotes=2)) as server:
        settings = llm_settings.replace(openai_base_url=server.base_url)
        _, result = await run_engine(settings, article, candidates, offline, max_claims=8)
    assert result.usage.dropped_quotes == 2 and len(result.unmatched_quotes) == 2
    assert len(result.claims) == 4  # the two invented quotes' slots go to the best offline claims
    assert [c.selected_by for c in result.claims] == ["model", "model", "offline", "offline"]
    [warning] = result.warnings
    assert "quoted 2 passages that the article does not contain" in warning
    assert "Invented sentence number 0" in warning and "Invented sentence number 1" in warning
    assert "(claims 3 and 4)" in warning
    assert all(article.text[c.start : c.end] == c.quote for c in result.claims)
    assert all(c.analysis is AnalysisStatus.OK for c in result.claims)


async def test_all_quotes_invented_still_analyses_the_offline_claims(llm_settings, llm_server):
    article, candidates, offline = inputs()
    invented = {
        "sentence": None,
        "quote": "Aliens built the city hall in 1850.",
        "claimant": None,
        "why_it_matters": "x",
    }
    llm_server.script(answer({"claims": [invented]}))
    _, result = await run_engine(llm_settings, article, candidates, offline)
    assert len(llm_server.chat_requests) == 2
    assert result.usage.dropped_quotes == 1 and not result.failed
    [claim] = result.claims
    assert claim.selected_by == "offline" and claim.analysis is AnalysisStatus.OK
    assert claim.quote == max(offline, key=lambda c: c.checkworthiness).quote
    assert any("Aliens built the city hall" in w for w in result.warnings)


async def test_no_quote_found_and_nothing_to_refill_falls_back_to_offline(llm_settings, llm_server):
    article, candidates, _ = inputs()
    invented = {
        "sentence": None,
        "quote": "Aliens built the city hall in 1850.",
        "claimant": None,
        "why_it_matters": "x",
    }
    llm_server.script(answer({"claims": [invented]}))
    _, result = await run_engine(llm_settings, article, candidates, [])
    assert len(llm_server.chat_requests) == 1
    assert_offline_fallback(result, [], reason="none of the model's quotes were found in the article")
    assert result.unmatched_quotes == ["Aliens built the city hall in 1850."]


async def test_failed_analysis_batch_keeps_the_other_claims(llm_settings):
    article, candidates, offline = inputs(LONG_TEXT)
    model = FactcheckModel(claims=10)

    def flaky(request):
        if request.schema_name == "ClaimAnalyses":  # the second batch (no summary)
            return error(500)
        return model(request)

    with OpenAIServer(responder=flaky) as server:
        settings = llm_settings.replace(openai_base_url=server.base_url)
        _, result = await run_engine(settings, article, candidates, offline, max_claims=10)
    ok = [c for c in result.claims if c.analysis is AnalysisStatus.OK]
    failed = [c for c in result.claims if c.analysis is AnalysisStatus.FAILED]
    assert [c.id for c in ok] == ["c1", "c2", "c3", "c4", "c5"]
    assert [c.id for c in failed] == ["c6", "c7", "c8", "c9", "c10"]
    assert all(c.context is None and not c.counter_evidence for c in failed)
    assert not result.failed and len(result.summary) == 3
    assert any("claims 6, 7, 8, 9 and 10" in w and "HTTP 500" in w for w in result.warnings)
    assert len(server.chat_requests) == 1 + 1 + 3  # round 1, first batch, second batch x3 attempts


async def test_analysis_missing_a_claim_marks_only_that_claim(llm_settings, llm_server):
    article, candidates, offline = inputs()
    model = FactcheckModel(claims=2)

    def drop_c2(request):
        reply = model(request)
        data = json.loads(reply.content)
        data["analyses"] = [a for a in data["analyses"] if a["claim_id"] != "c2"]
        return answer(data)

    llm_server.script(model, drop_c2, drop_c2)
    _, result = await run_engine(llm_settings, article, candidates, offline)
    assert [c.analysis for c in result.claims] == [AnalysisStatus.OK, AnalysisStatus.FAILED]
    assert any("The LLM analysis failed for claim 2 " in w for w in result.warnings)


async def test_partly_invalid_analysis_is_salvaged_after_the_repair(llm_settings, llm_server):
    article, candidates, offline = inputs()
    model = FactcheckModel(claims=2)

    def break_c1(request):
        data = json.loads(model(request).content)
        data["analyses"][0]["confidence"] = "certain"  # not low/medium/high
        return answer(data)

    llm_server.script(model, break_c1, break_c1)
    _, result = await run_engine(llm_settings, article, candidates, offline)
    assert len(llm_server.chat_requests) == 3
    assert [c.analysis for c in result.claims] == [AnalysisStatus.FAILED, AnalysisStatus.OK]
    assert len(result.summary) == 3


async def test_a_refusal_is_not_asked_again(llm_settings, llm_server):
    article, candidates, offline = inputs()
    llm_server.script(refusal())
    _, result = await run_engine(llm_settings, article, candidates, offline)
    assert len(llm_server.chat_requests) == 1
    assert_offline_fallback(result, offline, reason="the model refused to answer")
