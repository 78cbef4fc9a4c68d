"""The worst pages within the fetch caps, served by the loopback article server, through ``check``.

Each is the real payload from tests/support/hostile_pages.py (the ones ``make bench`` measures).
Time and memory figures live in the benchmark; these tests prove the outcomes: a page that needs
too long is abandoned with one clear line and never holds up an ordinary page beside it, and the
text, links and metadata a page can make us process are bounded.
"""

from __future__ import annotations

import asyncio

from bot.config import Settings
from bot.events import ArticleReady, Finished
from bot.outcome import Outcome
from bot.pipeline import check
from tests.servers.article_server import ArticleServer
from tests.support.hostile_pages import (
    HostilePage,
    huge_text,
    many_links,
    many_words_plain,
    normal_article,
    punycode_charset,
)


def serve(server: ArticleServer, page: HostilePage) -> str:
    return server.add(f"/{page.name}", page.body, content_type=page.content_type)


async def finish(url: str, settings: Settings, order: list[str] | None = None, name: str = "") -> Finished:
    async for event in check(url, settings=settings, offline=True):
        if isinstance(event, Finished):
            if order is not None:
                order.append(name)
            return event
    raise AssertionError("check ended without Finished")


async def started_extracting(server: ArticleServer, path: str) -> None:
    """Until the hostile page has been served (its extraction starts right after)."""
    while server.hits(path) == 0:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.3)


async def test_a_punycode_page_is_read_as_utf8_and_does_not_delay_the_page_beside_it(
    article_server: ArticleServer, settings: Settings
) -> None:
    settings = settings.replace(page_timeout_s=120.0)  # this test is about decoding, not the bound
    hostile_url = serve(article_server, punycode_charset())
    normal_url = serve(article_server, normal_article())
    order: list[str] = []
    hostile = asyncio.create_task(finish(hostile_url, settings, order, "punycode"))
    await started_extracting(article_server, "/punycode-header")
    normal = await finish(normal_url, settings, order, "normal")
    assert normal.outcome is Outcome.OK and normal.report is not None and normal.report.claims
    slow = await hostile
    assert order == ["normal", "punycode"]  # the ordinary page did not queue behind the hostile one
    assert slow.outcome is Outcome.OK and slow.report is not None
    assert slow.report.article.title == "Harbor budget approved"
    assert slow.report.article.text.startswith("The council approved a budget of 3 million dollars")
    assert len(slow.report.article.text) <= settings.max_analysed_chars
    assert any("only its first" in warning for warning in slow.report.warnings)


async def test_a_page_past_its_time_bound_is_abandoned_with_one_clear_line(
    article_server: ArticleServer, settings: Settings
) -> None:
    # Far under what 150k links take to extract even on a quiet machine (0.5 s stopped being: extraction got faster).
    settings = settings.replace(page_timeout_s=0.1)
    hostile_url = serve(article_server, many_links())
    normal_url = serve(article_server, normal_article())
    order: list[str] = []
    hostile = asyncio.create_task(finish(hostile_url, settings, order, "links"))
    await started_extracting(article_server, "/150k-links")
    normal = await finish(normal_url, settings.replace(page_timeout_s=60.0), order, "normal")
    abandoned = await hostile
    assert normal.outcome is Outcome.OK
    assert abandoned.outcome is Outcome.TOO_COMPLEX and abandoned.report is None
    assert abandoned.message == "That page is too big or too complex to analyse in time, so I stopped. (limit 0.1 s)"
    assert abandoned.outcome.is_target_problem  # the command line exits 3
    again = await finish(normal_url, settings.replace(page_timeout_s=60.0))  # the killed worker was replaced
    assert again.outcome is Outcome.OK


async def test_text_links_and_words_are_bounded_with_a_note(article_server: ArticleServer, settings: Settings) -> None:
    settings = settings.replace(page_timeout_s=120.0)
    pages = [huge_text(), many_words_plain(), many_links()]
    urls = [serve(article_server, page) for page in pages]
    results = await asyncio.gather(*(finish(url, settings) for url in urls))
    for page, result in zip(pages, results, strict=True):
        assert result.outcome is Outcome.OK, (page.name, result.message)
        report = result.report
        assert report is not None
        assert 0 < len(report.article.text) <= settings.max_analysed_chars, page.name
        note = next(w for w in report.warnings if "only its first" in w)
        assert f"{len(report.article.text):,}" in note, note
    links_report = results[2].report
    assert links_report is not None
    assert "a a a" in links_report.article.text  # unwrapped anchors keep their text


async def test_an_ordinary_article_is_not_cut(article_server: ArticleServer, settings: Settings) -> None:
    url = serve(article_server, normal_article())
    article = None
    async for event in check(url, settings=settings, offline=True):
        if isinstance(event, ArticleReady):
            article = event.article
        if isinstance(event, Finished):
            assert event.report is not None and not event.report.warnings
    assert article is not None and article.cut_from_chars is None
