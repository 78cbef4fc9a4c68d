"""Locating the model's quotes in the article: tolerant of retyping, never of invention."""

from __future__ import annotations

import pytest

from bot.llm.quotes import QuoteLocator
from bot.sentences import sentence_spans

TEXT = (
    "Mayor Ana Ruiz told reporters that \u201ccrime fell by 12\u00a0percent in 2023,\u201d citing police data.\n"
    "It\u2019s the   city\u2019s best year\u200b since 1999 \u2014 officials said.\n"
    "33%of those hospitalised are over 80 \u2026 the ministry said on Tuesday.\n"
    "Russia is in need of this equipment for its own army as it continues to wage war with Ukraine.\n"
)


def _locate(quote: str):
    return QuoteLocator(TEXT, sentences=sentence_spans(TEXT)).locate(quote)


@pytest.mark.parametrize(
    ("quote", "expected", "method"),
    [
        ('"crime fell by 12 percent in 2023,"', "\u201ccrime fell by 12\u00a0percent in 2023,\u201d", "verbatim"),
        ("crime fell by 12 percent in 2023", "crime fell by 12\u00a0percent in 2023", "verbatim"),
        (
            "It's the city's best year since 1999 - officials said.",
            "It\u2019s the   city\u2019s best year\u200b since 1999 \u2014 officials said.",
            "verbatim",
        ),
        ("it's the city's best year since 1999", "It\u2019s the   city\u2019s best year\u200b since 1999", "verbatim"),
        ("Mayor Ana Ruiz told\nreporters that", "Mayor Ana Ruiz told reporters that", "verbatim"),
        ("are over 80 ... the ministry said", "are over 80 \u2026 the ministry said", "verbatim"),
        ("33% of those hospitalised are over 80", "33%of those hospitalised are over 80", "spacing"),
        (
            "crime fell ... in 2023",
            "crime fell by 12\u00a0percent in 2023",
            "shortened",
        ),
        (
            "Russia needs this equipment for its army as it continues to wage war with Ukraine",
            "Russia is in need of this equipment for its own army as it continues to wage war with Ukraine.",
            "fuzzy",
        ),
        ("[S4] Russia is in need of this equipment", "Russia is in need of this equipment", "verbatim"),
    ],
)
def test_retyped_quotes_are_found_with_the_articles_own_offsets(quote, expected, method):
    match = _locate(quote)
    assert match is not None
    assert (TEXT[match.start : match.end], match.method) == (expected, method)


@pytest.mark.parametrize(
    "quote",
    [
        "crime fell by 15 percent in 2023",  # a figure the article does not have
        "crime fell by 15 percent in 2023 according to the police data the mayor cited",
        "The mayor resigned on Monday after the council voted.",
        "Aliens built the city hall in 1850.",
        "crime ... 2099",
        "",
        "crime",
    ],
)
def test_invented_or_altered_quotes_are_not_found(quote):
    assert _locate(quote) is None


def test_a_repeated_sentence_is_found_where_the_model_points():
    text = "The plan costs $5 million. Critics object.\nLater: The plan costs $5 million. Nobody objects.\n"
    spans = sentence_spans(text)
    second = next(span for span in spans if span.start >= text.index("Later"))
    match = QuoteLocator(text, sentences=spans).locate("The plan costs $5 million.", sentence=second)
    assert match is not None and match.start == text.index("The plan", second.start)
