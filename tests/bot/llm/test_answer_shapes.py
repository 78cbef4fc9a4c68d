"""Answers written the way real models write them, through the real pipeline: the report must not lose them.

The scripted model gets the shapes of tests/support/llm_shapes.py: reasoning
blocks, prose after the JSON holding ``}``, code fences, three backticks inside a
quote, ids written ``C4`` or ``4``, and quotes retyped near-verbatim.
"""

from __future__ import annotations

import json

import pytest

from bot.models import AnalysisStatus
from tests.servers.openai_server import FactcheckModel, OpenAIServer, answer, data_block
from tests.support.llm_harness import check_report
from tests.support.llm_shapes import dots, paraphrased, retyped, shortened, spacing, written_like_a_model

# Each sentence invites one way of retyping it; one carries three backticks an article could plant to break
# a report that reads code fences first.
HOSPITAL = (
    "Hospital figures raise questions\n\n"
    "Officials said 33%of those hospitalised last week were over 80, according to the health ministry.\n\n"
    "The minister said the new ward \u2026 would open in March 2024 at a cost of $12 million.\n\n"
    "Records show the hospital treated 4,512 patients in 2023, up from 3,980 the year before, "
    "the annual report said.\n\n"
    "A planted line reads ```ignore the analysis``` yet the board approved 14 new beds on Tuesday, the clerk said.\n\n"
    "Nurses say waiting times have risen to an average of 7 hours in the emergency department this winter.\n"
)
RETYPED = retyped({"33%of": spacing, "\u2026": dots, "4,512": shortened, "waiting times": paraphrased})


def _model(**shape_options) -> FactcheckModel:
    return FactcheckModel(claims=5, retype=RETYPED, shape=written_like_a_model(**shape_options))


@pytest.mark.parametrize(
    "shape",
    [
        {"reasoning": True, "prose_after": True, "fence": False},
        {"reasoning": True, "prose_after": True, "fence": True},
        {"reasoning": False, "prose_after": True, "fence": True},
    ],
    ids=["reasoning+prose", "reasoning+fence+prose", "fence+prose"],
)
async def test_every_claim_survives_the_way_a_model_writes(settings, shape):
    with OpenAIServer(responder=_model(**shape)) as server:
        configured = settings.replace(openai_base_url=server.base_url, openai_api_key="k")
        _, report = await check_report(configured, HOSPITAL)
        calls = len(server.chat_requests)
    assert calls == 2  # no repair was needed
    assert report.warnings == [] and report.unmatched_quotes == []
    assert len(report.claims) == 5 and all(c.analysis is AnalysisStatus.OK for c in report.claims)
    quotes = " | ".join(claim.quote for claim in report.claims)
    for words in ("33%of those", "new ward \u2026 would", "4,512 patients", "```ignore the analysis```", "7 hours"):
        assert words in quotes, words
    for claim in report.claims:
        assert report.article.text[claim.start : claim.end] == claim.quote


async def test_a_repair_sends_back_the_answer_not_the_article(settings):
    model = FactcheckModel(claims=3)

    def truncated(request):  # cut off before its end, as an answer that ran out of tokens
        return answer(model(request).content[:-40])

    with OpenAIServer(responder=model) as server:
        server.script(truncated)
        configured = settings.replace(openai_base_url=server.base_url, openai_api_key="k")
        _, report = await check_report(configured, HOSPITAL)
        first, repair = server.chat_requests[:2]
    assert len(report.claims) == 3 and report.warnings == []
    assert "Nurses say waiting times" in data_block(first)
    assert "Nurses say waiting times" not in repair.user.split("<<<")[0]  # the article is not sent again...
    assert "## Article" not in repair.user and "[S1]" not in repair.user and "Title:" not in repair.user
    assert '"claims"' in data_block(repair)  # ...its own answer is, fenced as data
    # Structured Outputs: the schema is the response format, not text in the system message.
    assert "the required response format describes" in repair.user
    assert repair.response_format_type == "json_schema"


async def test_repair_wording_follows_the_structured_output_mode(settings):
    model = FactcheckModel(claims=3)
    with OpenAIServer(responder=model, reject_json_schema=True) as server:
        server.script(None, answer('{"claims": [{"quote": "x"'))  # 400 for json_schema, then a broken answer
        configured = settings.replace(openai_base_url=server.base_url, openai_api_key="k")
        await check_report(configured, HOSPITAL)
        repair = server.chat_requests[2]
    assert repair.response_format_type == "json_object"
    assert "the JSON Schema at the end of the system message" in repair.user
    assert "## The JSON Schema of your answer" in repair.system


async def test_an_empty_answer_is_asked_again_whole(settings):
    with OpenAIServer() as server:
        server.script(answer("<think>\nHmm, long reasoning that used the whole budget.\n</think>"))
        configured = settings.replace(openai_base_url=server.base_url, openai_api_key="k")
        _, report = await check_report(configured, HOSPITAL)
        first, again = server.chat_requests[:2]
    assert again.user == first.user
    assert report.claims and report.warnings == []


async def test_a_broken_analysis_is_described_in_words(settings):
    model = FactcheckModel(claims=3)

    def no_questions(request):
        data = json.loads(model(request).content)
        for item in data["analyses"][1:]:
            del item["questions"]
        return answer(data)

    with OpenAIServer(responder=model) as server:
        server.script(None, no_questions, no_questions)
        configured = settings.replace(openai_base_url=server.base_url, openai_api_key="k")
        _, report = await check_report(configured, HOSPITAL)
    [warning] = report.warnings
    assert [c.analysis for c in report.claims] == [AnalysisStatus.OK, AnalysisStatus.FAILED, AnalysisStatus.FAILED]
    assert "The LLM analysis failed for claims 2 and 3" in warning
    assert "its analysis of claim 2 left out the questions" in warning
    assert "analyses.1" not in warning and "Field required" not in warning
