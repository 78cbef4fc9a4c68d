"""Find a model's "verbatim" quote in the article and return its exact offsets.

Models retype quotes: they straighten curly quotes, re-flow whitespace, drop an
invisible character or wrap the quote in quotation marks. We compare on a
normalized copy of both texts that keeps a map back to the original offsets, so
the claim's quote is always ``article.text[start:end]`` and never model text.
"""

from __future__ import annotations

import unicodedata

_QUOTE_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"),
}
_EDGE_MARKS = "\"' "
_TRAILING = ".,;:!?"


def _normalize(text: str) -> tuple[str, list[int]]:
    """``text`` with quotes and dashes folded, whitespace runs as one space, invisible characters
    dropped; plus, for each character kept, its offset in ``text``."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cf":
            continue
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            chars.append(" ")
            offsets.append(index)
            continue
        chars.append(_QUOTE_FOLD.get(char, char))
        offsets.append(index)
    return "".join(chars), offsets


def _variants(quote: str) -> list[str]:
    """The quote as given, then without wrapping quotation marks, then without final punctuation."""
    normalized, _ = _normalize(quote)
    first = normalized.strip()
    out = [first]
    bare = first.strip(_EDGE_MARKS)
    out.append(bare)
    out.append(bare.rstrip(_TRAILING).strip(_EDGE_MARKS))
    return [v for i, v in enumerate(out) if len(v) >= 8 and v not in out[:i]]


class QuoteLocator:
    """Locates many quotes in one article (the normalization is done once)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._normalized, self._offsets = _normalize(text)
        self._folded = (
            self._normalized.casefold() if len(self._normalized.casefold()) == len(self._normalized) else None
        )

    def locate(self, quote: str) -> tuple[int, int] | None:
        """Offsets ``(start, end)`` of ``quote`` in the article, or None if it is not there."""
        for variant in _variants(quote):
            position = self._normalized.find(variant)
            if position < 0 and self._folded is not None:
                # Case differences only ("The" vs "the" at a clause start) still point at the article's own words.
                position = self._folded.find(variant.casefold())
            if position < 0:
                continue
            start = self._offsets[position]
            end = self._offsets[position + len(variant) - 1] + 1
            return start, end
        return None
