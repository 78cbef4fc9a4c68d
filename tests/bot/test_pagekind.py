"""Pages that are not articles get one clear line instead of a report (issue 14: teasers, index pages, recipes)."""

from __future__ import annotations

import gzip

import pytest

from bot.extract import extract_html
from bot.models import Article
from bot.outcome import CheckError, Outcome
from bot.pagekind import not_an_article
from tests.support.paths import shared_path


def _page(name: str) -> bytes:
    return gzip.decompress(shared_path("eval-data", "trafilatura-eval", "html", f"{name}.gz").read_bytes())


@pytest.mark.parametrize(
    ("page", "outcome", "reason"),
    [
        # The teaser whose one "claim" was "Related Videos Related articles ...".
        ("caymancompass.com-prison.html", Outcome.PAYWALL, "this looks like a paywalled teaser"),
        ("haitiantimes.com-family.html", Outcome.PAYWALL, "this looks like a paywalled teaser"),
        ("denkanstoos.com.2012.html", Outcome.NO_ARTICLE_TEXT, "this looks like a list of links, not an article"),
        ("elavegan.com-Peanut.html", Outcome.NO_ARTICLE_TEXT, "this looks like a recipe, not a news article"),
    ],
)
def test_not_articles_are_refused_with_what_they_look_like(page: str, outcome: Outcome, reason: str) -> None:
    with pytest.raises(CheckError) as caught:
        extract_html(_page(page))
    assert caught.value.outcome is outcome and caught.value.detail == reason
    assert outcome.is_target_problem  # the CLI exits 3
    assert reason in caught.value.user_message


@pytest.mark.parametrize(
    "page",
    # Short complete stories with paywall markup or a subscribe footer, and a long one ending in "Subscribe now".
    ["twincities.com-mayor.html", "pagesix.com.myers.html", "nationnews.com-schools.html", "bbc.com.52241221.html"],
)
def test_real_stories_pass(page: str) -> None:
    assert extract_html(_page(page)).text


def test_a_file_listing_is_not_an_article() -> None:
    # An Apache "Index of" page: the report once carried a date taken from a file name.
    rows = [
        "Parent Directory -",
        "budget-2023-final.pdf 2023-01-16 09:12 1.2M",
        "council-minutes-0112.txt 2023-01-12 17:40 14K",
        "council-minutes-0105.txt 2023-01-05 17:02 12K",
        "press/ 2022-12-20 11:31 -",
    ]
    article = Article(title="Index of /pub/council", text="\n".join(rows))
    refused = not_an_article(article)
    assert refused is not None and refused.reason == "this looks like a listing of files, not an article"


def test_a_directory_listing_served_by_a_real_server_is_not_an_article(tmp_path) -> None:
    # A folder of dated files as Python's own http.server lists it (on loopback): the report once took its date
    # from a file name.
    import functools
    import threading
    import urllib.request
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    for month in (1, 2, 3):
        for day in (5, 12, 19, 26):
            (tmp_path / f"council-minutes-2023-{month:02d}-{day:02d}.txt").write_text("minutes", encoding="utf-8")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/", timeout=10) as response:  # noqa: S310
            html = response.read()
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(CheckError) as caught:
        extract_html(html, url="http://127.0.0.1/minutes/")
    assert caught.value.detail == "this looks like a listing of files, not an article"
