"""The whole evidence stage on the example article's world: quotes, independence, faults, deadline, cache."""

from __future__ import annotations

import time
from urllib.parse import unquote

from bot.cache import open_cache
from bot.config import Settings
from bot.evidence.assemble import attach_offline
from bot.evidence.providers import PACE
from bot.evidence.stage import gather_evidence
from bot.netguard import AddressPolicy
from tests.servers.article_server import ArticleServer, hang
from tests.servers.evidence_world import World
from tests.servers.search_answers import Doc
from tests.servers.search_apis import Fault
from tests.support.evidence_harness import article_and_claims, claim_with


async def test_every_quote_is_the_pages_own_text_with_a_fragment_link_to_it(
    world: World, evidence_settings: Settings
) -> None:
    article, claims = await article_and_claims(world.article_url, evidence_settings)
    pack = await gather_evidence(article=article, claims=claims, settings=evidence_settings)
    pages = pack.pages()
    items = [
        item for claim in attach_offline(claims, pack, article_published=article.published) for item in claim.evidence
    ]
    assert len(items) >= 5 and pack.warnings == []
    for item in items:
        assert pages[item.url].text[item.start : item.end] == item.quote
        base, _, directive = item.fragment_url.partition("#:~:text=")
        assert base == item.url and directive
        words = " ".join(unquote(part) for part in directive.split(",") if not part.endswith("-"))
        assert all(word in item.quote for word in words.split())
        assert item.stance is None  # no model: nobody judged support or contradiction
    audit = next(item for item in items if "2.3 billion" in item.quote)
    assert audit.publisher == "Riverside Gazette" and audit.timing == "before" and audit.independent
    assert {item.provider for item in items} >= {"wikipedia", "links"} and {"searxng", "brave"} & {
        i.provider for i in items
    }


async def test_earlier_fact_checks_and_traced_links(world: World, evidence_settings: Settings) -> None:
    article, claims = await article_and_claims(world.article_url, evidence_settings)
    pack = await gather_evidence(article=article, claims=claims, settings=evidence_settings)
    cost = pack.claims[claim_with(claims, "$4 billion").id]
    (review,) = cost.prior
    assert review.rating == "Misleading" and review.publisher == "Riverside Fact Desk"
    statement = pack.claims[claim_with(claims, "Priya Nandakumar").id]
    (check,) = statement.link_checks.values()
    assert check.url == world.link_urls["https://riverside.example.gov/news/bridge-statement"]
    assert check.verdict == "not_found" and check.missing == ["2025"]  # the statement says 2024


async def test_a_copy_of_the_article_and_its_own_site_are_not_evidence(
    world: World, evidence_settings: Settings
) -> None:
    reprint = await _article_html(world)
    with ArticleServer() as wire:
        copy_url = wire.add("/wire/harbor-bridge", reprint.replace("The Riverside Ledger", "Valley Wire"))
        world.apis.add_web(
            Doc(
                copy_url,
                "Harbor Bridge will cost taxpayers $4 billion",
                "Harbor Bridge cost taxpayers $4 billion mayor",
            )
        )
        own_url = world.site("ledger").add(
            "/2026/03/01/bridge-costs", "<html><body><p>Harbor Bridge cost taxpayers</p></body></html>"
        )
        world.apis.add_web(Doc(own_url, "Earlier Ledger story", "Harbor Bridge cost taxpayers $4 billion mayor"))
        article, claims = await article_and_claims(world.article_url, evidence_settings)
        pack = await gather_evidence(article=article, claims=claims, settings=evidence_settings)
    urls = {found.source.page.final_url for state in pack.claims.values() for found in state.passages}
    assert copy_url not in urls and own_url not in urls
    assert wire.hits("/wire/harbor-bridge") == 1  # read once, recognised as a copy
    assert world.site("ledger").hits("/2026/03/01/bridge-costs") == 0  # the article's own site: never fetched
    assert any("copies of the article" in warning for warning in pack.warnings)


async def _article_html(world: World) -> str:
    import httpx

    async with httpx.AsyncClient() as client:
        return (await client.get(world.article_url)).text


async def test_a_search_hit_on_a_private_address_is_refused_without_a_connection(
    world: World, evidence_settings: Settings, connects
) -> None:
    world.apis.add_web(
        Doc("http://10.0.0.1/harbor-bridge", "Harbor Bridge cost", "Harbor Bridge cost taxpayers $4 billion mayor")
    )
    world.apis.add_web(
        Doc(
            "http://169.254.169.254/latest/meta-data/",
            "Harbor Bridge metadata",
            "Harbor Bridge cost taxpayers $4 billion",
        )
    )
    endpoints = [(server.host, server.port) for server in world.sites.values()]
    strict = evidence_settings.replace(allow_private_urls=False)
    article, claims = await article_and_claims(world.article_url, evidence_settings)
    pack = await gather_evidence(
        article=article, claims=claims, settings=strict, policy=AddressPolicy.allowing(*endpoints)
    )
    assert not any(host in {"10.0.0.1", "169.254.169.254"} for host, _ in connects)
    assert any(state.passages for state in pack.claims.values())  # the public ones still count


async def test_a_provider_down_or_answering_garbage_costs_only_its_results(
    world: World, evidence_settings: Settings
) -> None:
    world.apis.fail("wikipedia", Fault("status", status=500))
    world.apis.fail("brave", Fault("garbage"))
    world.apis.fail("fact_check_tools", Fault("rate_limited"))
    article, claims = await article_and_claims(world.article_url, evidence_settings)
    pack = await gather_evidence(article=article, claims=claims, settings=evidence_settings)
    assert set(pack.failed) == {"wikipedia", "brave", "fact_check_tools"}
    assert any(w.startswith("Wikipedia answered with a server error (HTTP 500)") for w in pack.warnings)
    assert any(w.startswith("Brave Search answered with something that is not its JSON") for w in pack.warnings)
    assert any(w.startswith("Google Fact Check Tools hit its rate limit") for w in pack.warnings)
    # An outage is reported once and not retried per claim: only the calls already under way when it showed.
    assert len(world.apis.requests("brave")) <= PACE["brave"] < len(claims)
    providers = {found.source.hit.provider for state in pack.claims.values() for found in state.passages}
    assert providers == {"searxng", "links"}


async def test_the_stage_deadline_keeps_what_is_back(world: World, evidence_settings: Settings) -> None:
    world.apis.fail("wikipedia", Fault("hang", seconds=30))
    world.site("gazette").add("/gazette/bridge-audit", handler=hang(30))
    quick = evidence_settings.replace(evidence_deadline_s=1.5, evidence_page_timeout_s=10.0)
    article, claims = await article_and_claims(world.article_url, quick)
    started = time.perf_counter()
    pack = await gather_evidence(article=article, claims=claims, settings=quick)
    assert time.perf_counter() - started < 4.0
    assert any("stopped at its 1.5 s limit" in warning for warning in pack.warnings)
    checks = [check for state in pack.claims.values() for check in state.link_checks.values()]
    assert len(checks) == 2  # the article's links were back in time


async def test_a_second_report_is_answered_from_the_cache(world: World, evidence_settings: Settings) -> None:
    cache = open_cache(evidence_settings)
    article, claims = await article_and_claims(world.article_url, evidence_settings)
    first = await gather_evidence(article=article, claims=claims, settings=evidence_settings, cache=cache)
    requests, page_hits = len(world.apis.requests()), world.page_hits()
    second = await gather_evidence(article=article, claims=claims, settings=evidence_settings, cache=cache)
    assert len(world.apis.requests()) == requests and world.page_hits() == page_hits
    assert second.pages_fetched == 0 and second.cache_hits > 0 and first.pages_fetched > 0
    texts = lambda pack: [f.text for s in pack.claims.values() for f in s.passages]  # noqa: E731
    assert texts(second) == texts(first)


async def test_the_page_budget_is_kept(world: World, evidence_settings: Settings) -> None:
    tight = evidence_settings.replace(evidence_pages_per_report=2)
    article, claims = await article_and_claims(world.article_url, tight)
    pack = await gather_evidence(article=article, claims=claims, settings=tight)
    assert pack.pages_fetched <= 2 and any("Only 2 pages" in warning for warning in pack.warnings)


async def test_searxng_is_reported_only_when_none_of_its_searches_was_answered(
    world: World, evidence_settings: Settings
) -> None:
    article, claims = await article_and_claims(world.article_url, evidence_settings)
    answered = await gather_evidence(article=article, claims=claims, settings=evidence_settings)
    assert "searxng" not in answered.failed  # some queries found nothing while its engines timed out: no failure
    world.apis.state.web.clear()  # now every query comes back empty with unresponsive engines
    empty = await gather_evidence(article=article, claims=claims, settings=evidence_settings)
    assert "searxng" in empty.failed
    assert any(w.startswith("SearXNG got no answer from its search engines") for w in empty.warnings)
