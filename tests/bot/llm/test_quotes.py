"""Locating the model's quotes in the article: tolerant of retyping, never of invention."""

from __future__ import annotations

import pytest

from bot.llm.quotes import QuoteLocator

TEXT = (
    "Mayor Ana Ruiz told reporters that \u201ccrime fell by 12\u00a0percent in 2023,\u201d citing police data.\n"
    "It\u2019s the   city\u2019s best year\u200b since 1999 \u2014 officials said.\n"
)


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ('"crime fell by 12 percent in 2023,"', "\u201ccrime fell by 12\u00a0percent in 2023,\u201d"),
        ("crime fell by 12 percent in 2023", "crime fell by 12\u00a0percent in 2023"),
        (
            "It's the city's best year since 1999 - officials said.",
            "It\u2019s the   city\u2019s best year\u200b since 1999 \u2014 officials said.",
        ),
        ("it's the city's best year since 1999", "It\u2019s the   city\u2019s best year\u200b since 1999"),
        ("Mayor Ana Ruiz told\nreporters that", "Mayor Ana Ruiz told reporters that"),
    ],
)
def test_retyped_quotes_are_found_with_exact_offsets(quote, expected):
    span = QuoteLocator(TEXT).locate(quote)
    assert span is not None
    assert TEXT[span[0] : span[1]] == expected


@pytest.mark.parametrize(
    "quote",
    ["crime fell by 15 percent in 2023", "The mayor resigned on Monday.", "crime fell ... in 2023", "", "crime"],
)
def test_invented_or_altered_quotes_are_not_found(quote):
    assert QuoteLocator(TEXT).locate(quote) is None
