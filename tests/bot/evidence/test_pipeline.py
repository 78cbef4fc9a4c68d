"""The evidence step through ``bot.pipeline.check``, without a model: the offline report an editor reads."""

from __future__ import annotations

from bot.cache import open_cache
from bot.config import Settings
from bot.events import ClaimsFound, Finished
from bot.evidence import notes
from bot.outcome import Outcome
from bot.pipeline import check
from tests.servers.evidence_world import World
from tests.servers.search_apis import Fault
from tests.support.evidence_harness import claim_with


async def report_of(url: str, settings: Settings, **kwargs):
    events = [event async for event in check(url, settings=settings, **kwargs)]
    assert isinstance(events[-1], Finished) and isinstance(events[-2], ClaimsFound)
    return events[-1]


async def test_offline_report_shows_traced_links_earlier_fact_checks_and_related_passages(
    world: World, evidence_settings: Settings
) -> None:
    finished = await report_of(world.article_url, evidence_settings)
    assert finished.outcome is Outcome.OK
    report = finished.report
    cost = claim_with(report.claims, "$4 billion")
    assert [review.rating for review in cost.prior_fact_checks] == ["Misleading"]
    assert cost.evidence and all(item.stance is None for item in cost.evidence)
    assert cost.independent_sources == len({item.publisher for item in cost.evidence})
    statement = claim_with(report.claims, "Priya Nandakumar")
    assert [(c.verdict, c.missing) for c in statement.link_checks] == [("not_found", ["2025"])]
    # The sourcing audit's gap says what the trace found.
    assert statement.sourcing.link == statement.link_checks[0].url
    assert statement.sourcing.gap == "The linked page does not mention 2025."
    budget = claim_with(report.claims, "2026 budget document")
    assert [c.verdict for c in budget.link_checks] == ["supports"] and budget.link_checks[0].quote
    summary = report.evidence_summary
    assert summary is not None and summary.stance_judged is False
    assert summary.providers == ["links", "fact_check_tools", "wikipedia", "searxng", "brave"]
    assert summary.links_checked == 2 and summary.prior_fact_checks == 1 and summary.pages_fetched >= 4
    assert summary.passages == sum(len(claim.evidence) for claim in report.claims)
    ids = [item.id for claim in report.claims for item in claim.evidence]
    assert ids == [f"e{n}" for n in range(1, len(ids) + 1)]
    assert report.timings.evidence_ms > 0 and report.warnings == []
    assert report.notice.endswith(notes.unjudged())  # the reader is told nobody judged these passages


async def test_every_provider_down_still_ends_in_a_report(world: World, evidence_settings: Settings) -> None:
    for provider in ("wikipedia", "fact_check_tools", "searxng", "brave"):
        world.apis.fail(provider, Fault("status", status=503))
    finished = await report_of(world.article_url, evidence_settings)
    assert finished.outcome is Outcome.OK and finished.report.claims
    assert len([w for w in finished.report.warnings if "server error (HTTP 503)" in w]) == 4
    assert finished.report.evidence_summary.failed_providers == ["fact_check_tools", "wikipedia", "searxng", "brave"]


async def test_evidence_off_leaves_the_report_as_before(world: World, settings: Settings) -> None:
    finished = await report_of(world.article_url, settings)
    assert finished.report.evidence_summary is None and world.apis.requests() == []
    assert all(not claim.evidence and not claim.link_checks for claim in finished.report.claims)


async def test_a_cached_report_keeps_its_evidence(world: World, evidence_settings: Settings) -> None:
    cache = open_cache(evidence_settings)
    first = (await report_of(world.article_url, evidence_settings, cache=cache)).report
    requests = len(world.apis.requests())
    again = (await report_of(world.article_url, evidence_settings, cache=cache)).report
    assert again.cached and len(world.apis.requests()) == requests
    assert [c.evidence for c in again.claims] == [c.evidence for c in first.claims]
