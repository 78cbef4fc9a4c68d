"""The one entry point, end to end over real loopback HTTP, offline engine."""

from __future__ import annotations

import html

from bot.cache import open_cache
from bot.events import ArticleReady, ClaimsFound, Finished
from bot.models import SourcingStatus
from bot.outcome import Outcome
from bot.pipeline import OFFLINE_NOTICE, check
from tests.support.paths import REPO, shared_path

EXAMPLE = (REPO / "examples" / "harbor-bridge.html").read_bytes()


async def run(target, **kwargs):
    return [event async for event in check(target, **kwargs)]


async def test_url_to_offline_report(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE)
    events = await run(url, settings=settings)
    assert [type(e) for e in events] == [ArticleReady, ClaimsFound, Finished]
    finished = events[-1]
    assert finished.outcome is Outcome.OK
    report = finished.report
    assert report.engine.mode == "offline" and report.notice == OFFLINE_NOTICE
    assert report.article.title.startswith("Mayor's Harbor Bridge")
    assert report.article.site_name == "The Riverside Ledger"
    assert 1 <= len(report.claims) <= settings.max_claims
    text = report.article.text
    for claim in report.claims:
        assert text[claim.start : claim.end] == claim.quote
        assert 0.0 <= claim.checkworthiness <= 1.0
        assert claim.context is None and claim.counter_evidence == [] and claim.questions == []
    assert any("$4 billion" in c.quote for c in report.claims)
    assert [c.start for c in report.claims] == sorted(c.start for c in report.claims)
    assert report.timings.total_ms > 0 and report.timings.fetch_ms > 0
    assert report.timings.claims_ms > 0 and report.timings.sourcing_ms > 0 and report.timings.extract_ms > 0


async def test_max_claims_is_honoured(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE)
    events = await run(url, settings=settings, max_claims=2)
    assert len(events[-1].report.claims) <= 2


async def test_failures_end_in_finished_with_an_outcome(article_server, settings):
    article_server.add("/pdf", b"%PDF-1.7", content_type="application/pdf")
    article_server.add("/empty", b"<html><body></body></html>")
    cases = {
        article_server.url("/missing"): Outcome.HTTP_ERROR,
        article_server.url("/pdf"): Outcome.NOT_ARTICLE,
        article_server.url("/empty"): Outcome.NO_ARTICLE_TEXT,
        "ftp://example.com/file": Outcome.INVALID_URL,
    }
    for target, outcome in cases.items():
        events = await run(target, settings=settings)
        assert len(events) == 1 and isinstance(events[0], Finished), target
        assert events[0].outcome is outcome, target
        assert events[0].report is None and events[0].message


async def test_private_address_refused_without_a_request(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE)
    strict = settings.replace(allow_private_urls=False)
    (finished,) = await run(url, settings=strict)
    assert finished.outcome in {Outcome.BLOCKED_URL, Outcome.INVALID_URL}
    assert article_server.hits() == 0


async def test_cache_answers_a_repeated_link_without_fetching(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE)
    cache = open_cache(settings)
    first = (await run(url, settings=settings, cache=cache))[-1].report
    assert article_server.hits("/bridge") == 1
    again = await run(url + "?utm_source=slack", settings=settings, cache=cache)
    assert article_server.hits("/bridge") == 1
    second = again[-1].report
    assert second.cached and not first.cached
    assert [c.quote for c in second.claims] == [c.quote for c in first.claims]
    assert isinstance(again[0], ArticleReady) and again[0].article.title == first.article.title


async def test_pasted_text(settings):
    text = (
        "City Hall says the harbor bridge will cost $4 billion, three times the first estimate. "
        "Property taxes rose 23 percent since 2022, the steepest rise in the state."
    )
    events = await run(text, settings=settings)
    report = events[-1].report
    assert report.article.url is None
    assert report.claims and all(text[c.start : c.end] == c.quote for c in report.claims)


def _sample_page(text: str) -> bytes:
    """The sample article wrapped in HTML, with links where the text cites Newsmax."""
    title, *paragraphs = [line for line in text.splitlines() if line.strip()]
    body = []
    for para in paragraphs:
        escaped = html.escape(para)
        escaped = escaped.replace(
            "As Newsmax reported", 'As <a href="https://www.newsmax.com/politics/x">Newsmax reported</a>', 1
        )
        body.append(f"<p>{escaped}</p>")
    return (
        f"<html><head><title>{html.escape(title)}</title></head><body><article>"
        f"<h1>{html.escape(title)}</h1>{''.join(body)}</article></body></html>"
    ).encode()


async def test_sample_article_claims_and_sourcing(article_server, settings):
    text = shared_path("seeds", "000_feee107df6f0017a.txt").read_text(encoding="utf-8")
    url = article_server.add("/sample", _sample_page(text))
    report = (await run(url, settings=settings))[-1].report
    by_phrase = {}
    for phrase in ("$7 billion", "negotiations with the Taliban", "$100 billion", "only 30 percent"):
        matches = [c for c in report.claims if phrase in c.quote]
        assert matches, f"no key claim mentions {phrase!r}: {[c.quote for c in report.claims]}"
        by_phrase[phrase] = matches[0]
    assert by_phrase["$100 billion"].sourcing.status is SourcingStatus.UNATTRIBUTED
    assert by_phrase["only 30 percent"].sourcing.status is SourcingStatus.UNATTRIBUTED
    assert by_phrase["negotiations with the Taliban"].sourcing.status is SourcingStatus.SECONDHAND
    assert by_phrase["$100 billion"].sourcing.gap
