"""The one link policy: which links are live, and what a link's label always shows."""

from __future__ import annotations

import pytest

from adapters.view.links import (
    allowed_urls,
    ascii_host,
    clean_prose,
    defang_url,
    is_live,
    link_label,
    registrable_domain,
)
from bot.models import ArticleInfo, Claim, EngineInfo, Report, Sourcing, SourcingStatus

LONG_SUBDOMAIN = "https://reuters.com.world-europe-" + "x" * 60 + ".attacker.example/world/europe/story"


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.news.bbc.co.uk", "bbc.co.uk"),
        ("reuters.com.world-europe-abc.attacker.example", "attacker.example"),
        ("user.github.io", "user.github.io"),  # a private suffix from the list: each user's site is its own
        ("bücher.example", "xn--bcher-kva.example"),
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
    ],
)
def test_registrable_domain_comes_from_the_bundled_public_suffix_list(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


def test_a_label_keeps_the_registrable_domain_however_long_the_host() -> None:
    label = link_label(LONG_SUBDOMAIN)
    assert len(label) <= 60
    assert "attacker.example" in label  # the cut at 60 characters once hid it behind "reuters.com.world-europe-…"
    assert label.startswith("…")  # the subdomain was shortened from the left, the owner's end kept


def test_a_label_shows_internationalised_hosts_in_their_xn_form() -> None:
    assert link_label("https://аpple.com/login") == "xn--pple-43d.com/login"  # Cyrillic "а"
    assert link_label("https://bücher.example/a") == "xn--bcher-kva.example/a"
    assert ascii_host("例え.jp") == "xn--r8jz45g.jp"


def test_a_label_shows_the_real_host_not_the_userinfo_and_drops_the_query() -> None:
    assert link_label("https://reuters.com@evil.example/") == "evil.example"
    assert link_label("https://www.bbc.co.uk/news/x?token=SECRET") == "bbc.co.uk/news/x"
    assert link_label("http://127.0.0.1:8080/x") == "127.0.0.1:8080/x"


def test_a_path_is_shown_readable_and_shortened() -> None:
    url = "https://ria.ru/2023/%D0%BF%D1%83%D1%82%D0%B8%D0%BD-" + "%D0%B0" * 200
    label = link_label(url)
    assert label.startswith("ria.ru/2023/путин-") and label.endswith("…") and len(label) == 60


def _report(*, link: str | None) -> Report:
    return Report(
        article=ArticleInfo(
            url="https://paper.example/story?utm_source=x",
            title="t",
            site_name=None,
            author=None,
            published=None,
            language="en",
            text="t",
            word_count=1,
        ),
        engine=EngineInfo(mode="offline"),
        claims=[
            Claim(
                id="c1",
                quote="t",
                start=0,
                end=1,
                checkworthiness=0.5,
                sourcing=Sourcing(status=SourcingStatus.NAMED_LINKED, source="Agency", link=link),
            )
        ],
    )


def test_only_the_article_and_the_sources_it_cites_are_live() -> None:
    allowed = allowed_urls(report=_report(link="https://gov.example/report.pdf"))
    assert allowed == {"https://paper.example/story", "https://gov.example/report.pdf"}
    assert is_live("https://paper.example/story#top", allowed)  # the same page, normalized
    assert is_live("https://GOV.example/report.pdf", allowed)
    assert not is_live("https://evil.example/report.pdf", allowed)
    assert not is_live("javascript:alert(1)", allowed)


def test_untrusted_prose_keeps_cited_urls_and_defangs_the_rest() -> None:
    allowed = allowed_urls(report=_report(link="https://gov.example/report.pdf"))
    out = clean_prose("Per https://gov.example/report.pdf, not https://evil.example/x?q=1.", allowed=allowed)
    assert out == "Per https://gov.example/report.pdf, not hxxps://evil[.]example/x?q=1."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[the official report]](https://evil.example/x)", "[the official report] (hxxps://evil[.]example/x)"),
        ("[https://bbc.co.uk](https://evil.example/x)", "hxxps://bbc[.]co[.]uk (hxxps://evil[.]example/x)"),
        ("a ![pixel](https://evil.example/p.png?q=SECRET) b", "a  b"),
        ("x\n[r]: https://evil.example/?q=SECRET\ny", "x\n\ny"),
        ("in\u202evisible\u200b", "invisible"),
        ("www.evil.example/a", "www[.]evil[.]example/a"),
    ],
)
def test_link_tricks_in_untrusted_prose_are_undone(text: str, expected: str) -> None:
    assert clean_prose(text) == expected


def test_defang_keeps_a_url_readable() -> None:
    assert defang_url("https://a.b.example/x.y") == "hxxps://a[.]b[.]example/x.y"
