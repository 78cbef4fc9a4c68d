"""Report -> embeds: every Discord limit holds, and no text is dropped on the way."""

from __future__ import annotations

import re

import discord

from adapters.discord.render import (
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    FOOTER_MAX,
    THREAD_NAME_MAX,
    TITLE_MAX,
    chunk_text,
    render_messages,
    thread_name,
)
from tests.support.discord_reports import long_report


def render_report(report) -> list[list[discord.Embed]]:
    """The embeds of each message (the first message's content is checked on its own)."""
    return [message.embeds for message in render_messages(report)]


def _all_text(messages: list[list[discord.Embed]]) -> str:
    parts: list[str] = []
    for embeds in messages:
        for embed in embeds:
            parts += [embed.title or "", embed.description or ""]
            parts += [f"{field.name}\n{field.value}" for field in embed.fields]
    return "\n".join(parts)


def assert_within_limits(messages: list[list[discord.Embed]]) -> None:
    assert messages
    for embeds in messages:
        assert 1 <= len(embeds) <= EMBEDS_PER_MESSAGE
        assert sum(len(embed) for embed in embeds) <= EMBED_TOTAL_MAX
        for embed in embeds:
            assert len(embed.title or "") <= TITLE_MAX
            assert len(embed.description or "") <= DESCRIPTION_MAX
            assert len(embed.fields) <= FIELDS_MAX
            assert len(embed.footer.text or "") <= FOOTER_MAX
            for field in embed.fields:
                assert 0 < len(field.name or "") <= FIELD_NAME_MAX
                assert 0 < len(field.value or "") <= FIELD_VALUE_MAX


def test_long_report_fits_every_limit_and_keeps_every_word() -> None:
    report = long_report(claims=12)
    messages = render_report(report)
    assert_within_limits(messages)
    assert len(messages) > 1  # it really had to continue in further messages
    text = _all_text(messages)
    tokens = set(text.split())  # a set first: 26k substring scans of the whole text took seconds

    def shown(word: str) -> bool:
        return word in tokens or word in text

    for claim in report.claims:
        # Chat shows the start of a long quote (the page shows it whole); every other word is there.
        assert " ".join(claim.quote.split()[:20]) in text
        for chunk in (claim.context, claim.sourcing.gap, *claim.questions):
            for word in chunk.split():
                assert shown(word), word
        for evidence in claim.counter_evidence:
            assert shown(evidence.text.split()[-1])
    for word in report.summary[0].split():
        assert shown(word)


def test_continuations_are_labelled_not_silently_cut() -> None:
    messages = render_report(long_report(claims=1))
    titles = [embed.title for embeds in messages for embed in embeds]
    assert any(title and title.endswith("(continued)") for title in titles)


def test_footer_has_engine_time_tokens_and_cost() -> None:
    report = long_report(claims=1)
    messages = render_messages(report)
    overview = messages[0].content + "\n" + "\n".join(e.description or "" for m in messages for e in m.embeds)
    [footer] = [line for line in overview.split("\n") if line.startswith("-# Engine:")]  # one footer, small print
    assert "gpt-5-mini" in footer and "4.2 s" in footer and "1,500 tokens" in footer and "$0.0123" in footer


def test_untrusted_text_cannot_mention() -> None:
    text = _all_text(render_report(long_report(claims=2)))
    assert not re.search(r"@(everyone|here)", text)
    assert "<@" not in text


def test_chunk_text_splits_at_words_within_limit() -> None:
    text = " ".join(["abcdefghij"] * 500)
    pieces = chunk_text(text, 1024)
    assert all(len(piece) <= 1024 for piece in pieces)
    assert " ".join(pieces) == text
    assert chunk_text("x" * 2500, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]


def test_chunk_text_never_orphans_an_escape() -> None:
    pieces = chunk_text("a" * 999 + "\\*" + "b" * 10, 1000)
    assert all(not piece.endswith("\\") for piece in pieces)
    assert "".join(pieces) == "a" * 999 + "\\*" + "b" * 10


def test_thread_name_is_one_line_within_100_chars() -> None:
    assert thread_name("  Big\nnews   today ") == "Big news today"
    assert len(thread_name("x" * 500)) == THREAD_NAME_MAX
    assert thread_name(None) == "Fact-check"
    assert "@everyone" not in thread_name("@everyone read this")


def test_messages_lead_with_the_triage_as_content_and_keep_every_limit() -> None:
    from adapters.discord.render import CONTENT_MAX, render_messages

    report = long_report(claims=12)
    messages = render_messages(report)
    assert_within_limits([m.embeds for m in messages])
    first = messages[0].content
    assert 0 < len(first) <= CONTENT_MAX and all(m.content == "" for m in messages[1:])
    assert first.index("Sourcing overall") < first.index("Check first")
    assert "<https://news.example/story>" in first  # the article link, shown without a preview
    text = _all_text([m.embeds for m in messages])
    for claim in report.claims:
        assert " ".join(claim.quote.split()[:20]) in text
