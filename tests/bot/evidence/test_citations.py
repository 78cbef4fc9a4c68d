"""Round 2 with sources: the model cites retrieved passages by number, the engine checks every quote."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx

from bot.config import Settings
from bot.events import Finished
from bot.extract import extract_html
from bot.models import Report
from bot.pipeline import check
from tests.servers.citing_model import CitingModel
from tests.servers.evidence_world import World
from tests.servers.openai_requests import REPAIR_OPENING, marked_claims
from tests.servers.openai_server import OpenAIServer, SeenRequest, data_block
from tests.support.evidence_harness import claim_with


async def llm_report(world: World, settings: Settings, model: CitingModel) -> tuple[Report, list[SeenRequest]]:
    with OpenAIServer(responder=model) as llm:
        configured = settings.replace(openai_base_url=llm.base_url, openai_api_key="test", max_claims=8)
        events = [event async for event in check(world.article_url, settings=configured)]
        finished = events[-1]
        assert isinstance(finished, Finished) and finished.report is not None, finished
        return finished.report, llm.chat_requests


async def page_text(url: str) -> str:
    async with httpx.AsyncClient() as client:
        return extract_html((await client.get(url)).content, url=url).text


async def test_every_counter_point_cites_a_quote_on_its_page_or_says_model_knowledge(
    world: World, evidence_settings: Settings
) -> None:
    report, requests = await llm_report(world, evidence_settings, CitingModel())
    assert len(requests) == 2 and not any(r.user.startswith(REPAIR_OPENING) for r in requests)
    assert report.evidence_summary is not None and report.evidence_summary.stance_judged
    cited_points = 0
    for claim in report.claims:
        items = {item.id: item for item in claim.evidence}
        for item in items.values():
            text = await page_text(item.url)
            assert text[item.start : item.end] == item.quote  # the page's own words, at their offsets
            directive = unquote(item.fragment_url.split("#:~:text=", 1)[1])
            assert directive.split(",")[0].removesuffix("-") in item.quote or "-," in item.fragment_url
            assert item.stance in {"contradicts", "context"}
        for point in claim.counter_evidence:
            if point.evidence_ids:
                cited_points += 1
                assert point.basis == "retrieval" and not point.to_verify
                assert all(i in items and items[i].stance == "contradicts" for i in point.evidence_ids)
            else:
                assert point.basis == "model_knowledge" and point.to_verify
        flags = [bool(point.evidence_ids) for point in claim.counter_evidence]
        assert flags == sorted(flags, reverse=True)  # cited ones first
        assert set(claim.context_evidence_ids) <= set(items)
        assert claim.context_basis == ("retrieval" if claim.context_evidence_ids else "model_knowledge")
    summary = report.evidence_summary
    assert cited_points >= 2 and summary.counter_points_cited == cited_points
    assert summary.counter_points == sum(len(c.counter_evidence) for c in report.claims)
    audit = [item for claim in report.claims for item in claim.evidence if "2.3 billion" in item.quote]
    assert audit and all(item.stance == "contradicts" and item.publisher == "Riverside Gazette" for item in audit)


async def test_passages_travel_fenced_as_data_and_the_rules_in_the_system_prompt(
    world: World, evidence_settings: Settings
) -> None:
    model = CitingModel()
    _, requests = await llm_report(world, evidence_settings, model)
    round2 = requests[-1]
    block = data_block(round2)
    assert "## Retrieved passages" in block and "[E1] for c" in block
    assert "The Harbor Bridge will cost about $2.3 billion" in block
    assert "[E1]" not in round2.system and "`sources`" in round2.system
    assert "## Retrieved passages" not in requests[0].user  # round 1 comes before retrieval
    assert sum(len(v) for v in model.seen_passages.values()) >= 5


async def test_a_quote_absent_from_the_page_drops_its_citation(world: World, evidence_settings: Settings) -> None:
    report, _ = await llm_report(world, evidence_settings, CitingModel(misquote={"E1", "E2", "E3"}, foreign=True))
    ids = {item.id for claim in report.claims for item in claim.evidence}
    assert not ids & {"e1", "e2", "e3"}
    for claim in report.claims:
        for point in claim.counter_evidence:
            assert not set(point.evidence_ids) & {"e1", "e2", "e3"}
        assert not set(claim.context_evidence_ids) & {"e1", "e2", "e3"}
    assert any("quote from e1 is not on that page" in w for w in report.warnings)
    assert any("cited e99, which was not given" in w for w in report.warnings)


async def test_the_model_can_find_a_linked_page_contradicting_its_claim(
    world: World, evidence_settings: Settings
) -> None:
    report, _ = await llm_report(world, evidence_settings, CitingModel(contradicting=("revised plan approved",)))
    statement = claim_with(report.claims, "Priya Nandakumar")
    (check_,) = statement.link_checks
    assert check_.verdict == "contradicts" and "revised plan approved" in (check_.quote or "")
    assert statement.sourcing.gap == "The linked page contradicts the claim."


async def test_with_evidence_off_round_2_has_no_passages(world: World, settings: Settings) -> None:
    report, requests = await llm_report(world, settings, CitingModel())
    assert "Retrieved passages" not in requests[-1].user and report.evidence_summary is None
    assert all(not claim.evidence for claim in report.claims)


@dataclass
class SilentOnStatement(CitingModel):
    """Analyses every claim but the spokesperson's: that one's analysis fails."""

    def analyse(self, block: str, *, with_summary: bool, asked: list[str]) -> dict[str, Any]:
        result = super().analyse(block, with_summary=with_summary, asked=asked)
        skip = {cid for cid, words in marked_claims(block).items() if "Priya Nandakumar" in words}
        result["analyses"] = [a for a in result["analyses"] if a["claim_id"] not in skip]
        return result


async def test_a_claim_whose_analysis_failed_keeps_its_traced_link(world: World, evidence_settings: Settings) -> None:
    report, _ = await llm_report(world, evidence_settings, SilentOnStatement())
    statement = claim_with(report.claims, "Priya Nandakumar")
    assert statement.analysis.value == "failed"
    assert [(c.verdict, c.missing) for c in statement.link_checks] == [("not_found", ["2025"])]
    assert statement.evidence and all(item.stance is None for item in statement.evidence)
    ids = [item.id for claim in report.claims for item in claim.evidence]
    assert len(ids) == len(set(ids))  # one numbering for the whole report
