"""Done when (issue 11), on the sample article served locally with stand-in providers and a scripted model:
every counter-point shown cites a retrieved passage whose quote is on the fetched page, or says it is model
knowledge; the article's own links carry verdicts; a provider outage still ends in a report."""

from __future__ import annotations

import httpx

from bot.config import Settings
from bot.events import Finished
from bot.extract import extract_html
from bot.outcome import Outcome
from bot.pipeline import check
from tests.servers.citing_model import CitingModel
from tests.servers.openai_server import OpenAIServer
from tests.servers.search_apis import Fault
from tests.support.evidence_harness import ALL_PROVIDERS
from tests.support.sample_world import SampleWorld, serve_sample


def pointed(world: SampleWorld, settings: Settings, **changes: object) -> Settings:
    env = Settings.from_env(world.apis.env())
    fields = (
        "wikipedia_api_url",
        "fact_check_tools_url",
        "google_fact_check_api_key",
        "searxng_url",
        "brave_search_url",
        "brave_api_key",
    )
    return settings.replace(
        evidence=ALL_PROVIDERS, max_claims=8, **{name: getattr(env, name) for name in fields}, **changes
    )


async def report_for(settings: Settings, url: str):
    events = [event async for event in check(url, settings=settings)]
    finished = events[-1]
    assert isinstance(finished, Finished) and finished.report is not None, finished
    return finished


async def test_every_counter_point_is_cited_on_its_page_or_labelled_and_links_carry_verdicts(
    settings: Settings,
) -> None:
    model = CitingModel(contradicting=("$113 billion", "$7.1 billion"))
    with serve_sample() as world, OpenAIServer(responder=model) as llm:
        configured = pointed(world, settings, openai_base_url=llm.base_url, openai_api_key="test")
        finished = await report_for(configured, world.article_url)
        report = finished.report
        async with httpx.AsyncClient() as client:
            pages = {
                url: extract_html((await client.get(url)).content, url=url).text
                for url in {item.url for claim in report.claims for item in claim.evidence}
            }
    assert finished.outcome is Outcome.OK and report.usage.llm_calls <= 3
    cited = 0
    for claim in report.claims:
        items = {item.id: item for item in claim.evidence}
        for item in items.values():
            assert pages[item.url][item.start : item.end] == item.quote  # the fetched page's own words
            assert item.fragment_url.startswith(item.url + "#:~:text=")
        for point in claim.counter_evidence:
            if point.evidence_ids:
                cited += 1
                assert point.basis == "retrieval" and all(i in items for i in point.evidence_ids)
            else:
                assert point.basis == "model_knowledge" and point.to_verify  # shown as model knowledge, unverified
    assert cited >= 1 and report.evidence_summary.counter_points_cited == cited
    aid = next(check for claim in report.claims for check in claim.link_checks if check.url == world.aid_url)
    assert aid.verdict == "contradicts" and "$113 billion" in (aid.quote or "")
    hundred = next(claim for claim in report.claims if "$100 billion" in claim.quote)
    assert hundred.sourcing.link == world.aid_url and hundred.sourcing.gap == "The linked page contradicts the claim."


async def test_without_a_model_the_link_that_lacks_the_figure_is_named_in_the_gap(settings: Settings) -> None:
    with serve_sample() as world:
        report = (await report_for(pointed(world, settings), world.article_url)).report
    hundred = next(claim for claim in report.claims if "$100 billion" in claim.quote)
    (check_,) = [check for check in hundred.link_checks if check.url == world.aid_url]
    assert check_.verdict == "not_found" and check_.missing[0] == "$100 billion"
    assert hundred.sourcing.gap == "The linked page does not mention $100 billion."


async def test_a_provider_outage_still_ends_in_a_report(settings: Settings) -> None:
    with serve_sample() as world, OpenAIServer(responder=CitingModel()) as llm:
        for provider in ("wikipedia", "fact_check_tools", "searxng", "brave"):
            world.apis.fail(provider, Fault("status", status=500))
        configured = pointed(world, settings, openai_base_url=llm.base_url, openai_api_key="test")
        finished = await report_for(configured, world.article_url)
    assert finished.outcome is Outcome.OK and finished.report.claims
    assert len(finished.report.evidence_summary.failed_providers) == 4
    assert any(check.url == world.aid_url for claim in finished.report.claims for check in claim.link_checks)
