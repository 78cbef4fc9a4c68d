"""The one splitter: never over the limit, nothing lost, and never a cut inside a platform's control sequence."""

from __future__ import annotations

import re

import pytest

from adapters.discord.safety import safe_cut as discord_cut
from adapters.slack.escape import safe_cut as slack_cut
from adapters.view.split import shorten, split_text


def test_cuts_at_paragraphs_then_lines_then_spaces() -> None:
    text = ("word " * 30).strip() + "\n\n" + ("more " * 30).strip()
    assert split_text(text, limit=200) == [("word " * 30).strip(), ("more " * 30).strip()]
    pieces = split_text(" ".join(["abcdefghij"] * 500), limit=1024)
    assert all(len(p) <= 1024 for p in pieces) and " ".join(pieces) == " ".join(["abcdefghij"] * 500)


def test_a_line_without_spaces_is_cut_hard_at_the_limit() -> None:
    assert split_text("x" * 2500, limit=1000) == ["x" * 1000, "x" * 1000, "x" * 500]


def test_slack_never_cuts_an_entity_or_a_link() -> None:
    text = ("&amp;" * 700) + "<https://a.example/" + "b" * 50 + "|a.example>"
    chunks = split_text(text, limit=3000, safe_cut=slack_cut)
    assert all(len(c) <= 3000 for c in chunks) and "".join(chunks) == text
    for chunk in chunks:
        assert re.fullmatch(r"(&amp;)*(<[^<>]*>)?", chunk), chunk[-30:]


@pytest.mark.parametrize("at", range(990, 1002))
def test_discord_never_orphans_an_escape_or_splits_a_masked_link(at: int) -> None:
    text = "a" * at + "\\*" + "[label](https://a.example/" + "p" * 40 + ")" + "b" * 1200
    chunks = split_text(text, limit=1000, safe_cut=discord_cut)
    assert "".join(chunks) == text and all(len(c) <= 1000 for c in chunks)
    assert all(not c.endswith("\\") for c in chunks)
    assert any("[label](https://a.example/" + "p" * 40 + ")" in c for c in chunks)


def test_shorten_marks_the_cut() -> None:
    assert shorten("short", 10) == "short"
    assert shorten("one two three four five", 12) == "one two…"
    assert len(shorten("&amp;" * 10, 12, safe_cut=slack_cut)) <= 12
    assert shorten("&amp;" * 10, 12, safe_cut=slack_cut).rstrip("…").endswith(";")
