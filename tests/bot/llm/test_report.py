"""The sample article through the real pipeline, answered as a capable model answers (tests/support/llm_sample.py).

Each test is one fault of issue 10, asserted on the report a reader gets.
"""

from __future__ import annotations

import pytest

from bot.llm import limits
from bot.models import AnalysisStatus, Report, SourcingStatus
from tests.servers.openai_server import FactcheckModel, OpenAIServer
from tests.support.llm_harness import check_report, progress
from tests.support.llm_sample import INVENTED_QUOTE, SampleModel
from tests.support.paths import shared_path


@pytest.fixture
async def sample(settings):
    """(report, events, the server's requests) for the sample article, with a 2024-10 model cut-off."""
    path = shared_path("seeds", "000_feee107df6f0017a.txt")
    with OpenAIServer(responder=SampleModel()) as server:
        configured = settings.replace(openai_base_url=server.base_url, openai_api_key="k", model_cutoff="2024-10")
        events, report = await check_report(configured, path)
        yield report, events, server.chat_requests


def _claim(report: Report, phrase: str):
    [claim] = [claim for claim in report.claims if phrase in claim.quote]
    return claim


async def test_the_model_corrects_the_audit_and_the_disagreement_is_recorded(sample):
    report, _, _ = sample
    # The audit gives "As Newsmax reported, the deal allegedly includes ..." to Newsmax alone; the model reads the
    # claim as the Telegram channel's (the block quoted after it), relayed by Newsmax.
    relayed = _claim(report, "As Newsmax reported")
    assert relayed.sourcing.status is SourcingStatus.SECONDHAND
    assert relayed.sourcing.chain == ["Newsmax", "The Telegram account of General SVR"]
    assert relayed.sourcing.gap == "Newsmax relays the Telegram channel's claim; neither is linked."
    assert relayed.sourcing_disagreement is not None
    assert relayed.sourcing_disagreement.fields == ["status", "chain"]
    audit = relayed.sourcing_disagreement.audit
    assert (audit.status, audit.source, audit.cue) == (SourcingStatus.NAMED_UNLINKED, "Newsmax", "reported")
    # "as it continues to wage war" is no speech verb (issue 14): audit and model both say the writer asserts it.
    need = _claim(report, "Russia is in need of this equipment")
    assert need.sourcing_disagreement is None
    assert need.sourcing.status is SourcingStatus.UNATTRIBUTED
    assert need.sourcing.source is None and need.sourcing.cue is None
    assert need.sourcing.gap == "The writer asserts Russia's need without a source."
    # Where the model agrees ("Rep. Jim Banks" is the audit's "Banks"), the audit's wording and cue stay.
    banks = _claim(report, "To find out all of those weapons")
    assert banks.sourcing_disagreement is None
    assert (banks.sourcing.source, banks.sourcing.cue) == ("Banks", "told")
    assert banks.sourcing.gap == "The interview is not linked."  # the model's gap, not the audit's


async def test_one_request_analyses_every_claim_and_writes_the_summary_from_all(sample):
    report, _, requests = sample
    assert [r.schema_name for r in requests] == ["FoundClaims", "ArticleAnalysis"]
    assert report.usage.llm_calls == 2 and len(report.claims) == 8
    analyse = requests[1]
    assert "Analyse the claims c1, c2, c3, c4, c5, c6, c7, c8," in analyse.user
    assert all(f"\u27e6c{n}\u27e7" in analyse.user for n in range(1, 9))
    assert len(report.summary) == limits.SUMMARY_LINES
    assert report.sourcing_verdict.startswith("None of the 8 key claims")


async def test_claims_keep_the_models_importance_order(sample):
    report, events, _ = sample
    assert report.claims[0].quote.startswith("Rep. Jim Banks of Indiana told Newsmax")  # the central claim first
    assert [claim.id for claim in report.claims] == [f"c{n}" for n in range(1, 9)]
    assert [claim.article_order for claim in report.claims] == [1, 5, 2, 7, 8, 6, 3, 4]
    assert sorted(report.claims, key=lambda c: c.start) == sorted(report.claims, key=lambda c: c.article_order)
    # Progress counts up once, whatever order the analyses land in.
    assert progress(events) == [(n, 8) for n in range(1, 9)]


async def test_near_verbatim_quotes_are_kept_as_the_articles_own_words(sample):
    report, _, _ = sample
    article = report.article.text
    for claim in report.claims:
        assert article[claim.start : claim.end] == claim.quote
    # "..." typed for the article's "…": the article's own character is kept.
    assert "weapons \u2026 are going to end up" in _claim(report, "To find out").quote
    # Shortened with " ... ": the span runs from the first piece to the last.
    telegram = _claim(report, "The Telegram account of General SVR")
    assert telegram.quote.endswith("in exchange for weapons") and "which Russia, like the U.S." in telegram.quote
    # A light paraphrase falls back to the article's sentence.
    assert _claim(report, "Russia is in need").quote.endswith("continues to wage war with Ukraine.")
    assert _claim(report, "We\u2019ve given Ukraine").quote == (
        "We\u2019ve given Ukraine around $100 billion to fund the war against Russia"
    )


async def test_an_invented_quote_is_named_in_the_warnings_and_its_slot_refilled(sample):
    report, _, _ = sample
    assert report.unmatched_quotes == [INVENTED_QUOTE]
    assert report.usage.dropped_quotes == 1
    [warning] = [w for w in report.warnings if "does not contain" in w]
    assert f"\u201c{INVENTED_QUOTE}\u201d" in warning and "in its place (claim 8)" in warning
    refill = report.claims[-1]
    assert refill.selected_by == "offline" and refill.quote.startswith("As Newsmax reported")
    assert refill.analysis is AnalysisStatus.OK and refill.claimant is None
    assert all(claim.selected_by == "model" for claim in report.claims[:-1])


async def test_realistic_answer_shapes_are_read(sample):
    report, _, _ = sample
    # Reasoning before the JSON, prose with braces after it, a fence, ids written "C1", "3", "c4".
    assert all(claim.analysis is AnalysisStatus.OK for claim in report.claims)
    assert any("claim 9, which it was not asked about" in w for w in report.warnings)


async def test_limits_are_stated_once_and_cuts_are_reported(sample):
    report, _, requests = sample
    system = requests[1].system
    assert f"at most {limits.COUNTER_POINTS} of the strongest reasons" in system
    assert f"at most {limits.QUESTIONS} questions" in system
    assert f"`summary`: {limits.SUMMARY_LINES} short lines" in system
    thirty = _claim(report, "only 30 percent")
    assert len(thirty.counter_evidence) == limits.COUNTER_POINTS
    assert "The LLM gave 4 counter-points for claim 5; the report keeps the first 3." in report.warnings
    assert "The LLM wrote 4 summary lines; the report keeps the first 3." in report.warnings


async def test_model_knowledge_is_labelled_and_the_cutoff_shown(sample):
    report, _, requests = sample
    assert report.engine.model_cutoff == "2024-10"
    assert "your knowledge ends around 2024-10" in requests[1].system
    for claim in report.claims:
        assert claim.context_basis == "model_knowledge"
        assert all(point.basis == "model_knowledge" and point.to_verify for point in claim.counter_evidence)
    svr = _claim(report, "Rep. Jim Banks of Indiana").counter_evidence[1]
    assert svr.text.endswith("that Putin was gravely ill.")  # its own "(to verify)" is gone: the report labels it
    assert svr.verify_with == "BBC Monitoring and other fact-checks of General SVR claims"
    assert _claim(report, "$7 billion").article_support is None
    assert _claim(report, "Rep. Jim Banks of Indiana").article_support.startswith("Only Rep. Banks's word")


async def test_opinion_and_inconsistencies_are_flagged_in_the_articles_words(sample):
    report, _, _ = sample
    opinion, inconsistency = report.flags
    assert opinion.kind == "opinion_as_fact"
    assert opinion.passages[0].text.startswith("This is Biden flushing billions")
    assert inconsistency.kind == "inconsistency" and len(inconsistency.passages) == 2
    assert inconsistency.passages[0].text == "But now our own weapons will be used to fight\u2026our own weapons."
    for flag in report.flags:
        for passage in flag.passages:
            assert report.article.text[passage.start : passage.end] == passage.text
    assert "1 flag from the LLM was left out: the passage it quotes is not in the article." in report.warnings


# ---------------------------------------------------------------- links: the model's reading wins

BLACKOUTS = b"""<html><head><title>Rolling Blackouts in California Have Power Experts Stumped</title></head><body><article>
<h1>Rolling Blackouts in California Have Power Experts Stumped</h1>
<p>As temperatures began to rise in California on Friday, the manager of much of the state's electric grid called on
utilities to cut power to hundreds of thousands of customers.</p>
<p>The California Independent System Operator, the nonprofit entity that controls the flow of electricity for 80
percent of California, said it acted after three power plants shut down and wind power production dropped.</p>
<p>The sweltering weather has smothered California, while
<a href="https://www.nytimes.com/2020/08/19/us/california-wildfires-vacaville.html">wildfire season</a> has started
earlier than usual.</p>
<p>Saturday's peak demand reached 44,947 megawatts, much lower than the 46,797 megawatts on Friday, according to
<a href="https://www.caiso.com/Documents/CaliforniaISOPeakLoadHistory.pdf">California ISO data</a>.</p>
</article></body></html>"""
PEAK_DATA = "https://www.caiso.com/Documents/CaliforniaISOPeakLoadHistory.pdf"
WILDFIRES = "https://www.nytimes.com/2020/08/19/us/california-wildfires-vacaville.html"


def _blackouts_reading(_claim_id: str, words: str, audit: dict) -> dict:
    """How a careful model reads the sourcing of the page above."""
    if words.startswith("The California Independent System Operator"):
        # The audit gave this statement the peak-load link of a later paragraph: the statement is not linked.
        return {
            "status": "named_unlinked",
            "source": "California ISO",
            "link": None,
            "gap": "Its statement is not linked.",
        }
    if words.startswith("As temperatures began"):
        # The audit found no source; the model reads the grid operator's published data, linked as [L2].
        return {"status": "named_linked", "source": "California ISO data", "link": 2, "gap": None}
    return audit


async def test_the_models_link_reading_replaces_the_audits(settings, article_server):
    url = article_server.add("/blackouts", BLACKOUTS)
    with OpenAIServer(responder=FactcheckModel(claims=4, reading=_blackouts_reading)) as server:
        configured = settings.replace(openai_base_url=server.base_url, openai_api_key="k")
        _, report = await check_report(configured, url)
        analyse = server.chat_requests[1]
    assert f"[L1] {WILDFIRES}" in analyse.user and f"[L2] {PEAK_DATA}" in analyse.user
    statement = _claim(report, "The California Independent System Operator")
    assert statement.sourcing.status is SourcingStatus.NAMED_UNLINKED
    assert statement.sourcing.link is None and statement.sourcing.gap == "Its statement is not linked."
    # The audit no longer lends this claim the data link of another sentence (issue 14): on the link they agree.
    assert statement.sourcing_disagreement is None or statement.sourcing_disagreement.audit.link is None
    # Named and linked by the model: the audit's "no source" gap does not survive.
    rise = _claim(report, "As temperatures began")
    assert rise.sourcing.status is SourcingStatus.NAMED_LINKED
    assert (rise.sourcing.link, rise.sourcing.gap) == (PEAK_DATA, None)
    assert rise.sourcing_disagreement.audit.gap.startswith("No source given")
    # Where the model agrees, nothing is recorded and the audit's link stays.
    wildfire = _claim(report, "wildfire season")
    assert wildfire.sourcing_disagreement is None and wildfire.sourcing.link == WILDFIRES
