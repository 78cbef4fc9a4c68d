"""Find a model's "verbatim" quote in the article and return the article's own offsets.

Models retype quotes: they straighten curly quotes, type ``...`` for ``…``, add or
drop a space (``33% of`` for ``33%of``), shorten with `` ... `` or paraphrase
lightly. The search goes from strict to tolerant and stops at the first hit:

1. the quote on a folded copy of both texts (quote marks, dashes, ellipses, case,
   whitespace runs), then with no whitespace at all;
2. a shortened quote: its pieces between ellipses, in order, close together;
3. the best-matching sentence by a fuzzy score (rapidfuzz), above a threshold and
   only when every figure in the quote is in that sentence.

Whatever matched, the claim's quote is ``article.text[start:end]``: never model text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from bot.sentences import Span

_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"),
    "\u2026": "...",
}
_EDGE_MARKS = "\"' "
_TRAILING = ".,;:!?"
_MARKERS = re.compile(r"\[(?:S|L|P)\d+\]\s*|\u27e6/?c\d+\u27e7")  # our own ids, copied into a quote by mistake
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\[\u2026\]|(?:\.\s*){3}|\u2026)\s*")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
FUZZY_THRESHOLD = 85  # token_set_ratio: light paraphrases score 90+, other sentences of the same story < 75
MIN_FUZZY_WORDS = 5  # below this, too many sentences share the words
MAX_PIECE_GAP = 400  # characters the article may hold between the pieces of a shortened quote
MIN_CHARS = 8

Method = Literal["verbatim", "spacing", "shortened", "fuzzy"]


@dataclass(frozen=True)
class QuoteMatch:
    start: int
    end: int
    method: Method


def _fold(text: str, *, spaces: bool) -> tuple[str, list[int]]:
    """``text`` folded for comparison, and for each character kept its offset in ``text``.

    Invisible characters go; whitespace runs become one space (or nothing, when ``spaces`` is False)."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cf":
            continue
        if char.isspace():
            if not spaces or (chars and chars[-1] == " "):
                continue
            chars.append(" ")
            offsets.append(index)
            continue
        folded = _FOLD.get(char, char)
        lower = folded.casefold()
        folded = lower if len(lower) == len(folded) else folded
        for piece in folded:
            chars.append(piece)
            offsets.append(index)
    return "".join(chars), offsets


def _variants(quote: str) -> list[str]:
    """The quote as given, then without wrapping quotation marks, then without final punctuation."""
    first = quote.strip()
    bare = first.strip(_EDGE_MARKS)
    out = [first, bare, bare.rstrip(_TRAILING).strip(_EDGE_MARKS)]
    return [v for i, v in enumerate(out) if len(v) >= MIN_CHARS and v not in out[:i]]


def _figures(text: str) -> set[str]:
    return {figure.replace(",", "") for figure in _FIGURE.findall(text)}


class QuoteLocator:
    """Locates many quotes in one article (the folding is done once)."""

    def __init__(self, text: str, *, sentences: Sequence[Span] = ()) -> None:
        self._text = text
        self._spaced = _fold(text, spaces=True)
        self._compact = _fold(text, spaces=False)
        self._sentences = tuple(sentences)

    def locate(self, quote: str, *, sentence: Span | None = None) -> QuoteMatch | None:
        """The article's span for ``quote``; ``sentence``, the model's own pointer, breaks ties."""
        quote = _MARKERS.sub("", quote)
        exact = self._find(quote, near=sentence)
        if exact is not None:
            return exact
        pieces = [piece for piece in _ELLIPSIS.split(quote.strip().strip(_EDGE_MARKS)) if piece.strip(" ,;:")]
        if len(pieces) > 1:
            shortened = self._find_pieces(pieces, near=sentence)
            if shortened is not None:
                return shortened
        return self._fuzzy(quote, near=sentence)

    # ---------------------------------------------------------------- steps

    def _find(self, quote: str, *, near: Span | None, after: int = 0) -> QuoteMatch | None:
        for spaces, method in ((True, "verbatim"), (False, "spacing")):
            folded, offsets = self._spaced if spaces else self._compact
            for variant in _variants(quote):
                needle, _ = _fold(variant, spaces=spaces)
                needle = needle.strip()
                if len(needle) < MIN_CHARS:
                    continue
                position = self._best_position(folded, offsets, needle, near=near, after=after)
                if position is not None:
                    start = offsets[position]
                    end = offsets[position + len(needle) - 1] + 1
                    return QuoteMatch(start, end, method)  # type: ignore[arg-type]
        return None

    @staticmethod
    def _best_position(folded: str, offsets: list[int], needle: str, *, near: Span | None, after: int) -> int | None:
        """The first occurrence at or after ``after``; the one inside ``near`` when the text repeats itself."""
        first: int | None = None
        position = folded.find(needle)
        while position >= 0:
            if offsets[position] >= after:
                if near is None or near.start <= offsets[position] < near.end:
                    return position
                first = position if first is None else first
            position = folded.find(needle, position + 1)
        return first

    def _find_pieces(self, pieces: list[str], *, near: Span | None) -> QuoteMatch | None:
        spans: list[tuple[int, int]] = []
        for piece in pieces:
            after = spans[-1][1] if spans else 0
            found = self._find_short(piece, near=near if not spans else None, after=after)
            if found is None or (spans and found[0] - spans[-1][1] > MAX_PIECE_GAP):
                return None
            spans.append(found)
        if sum(end - start for start, end in spans) < 2 * MIN_CHARS:
            return None
        return QuoteMatch(spans[0][0], spans[-1][1], "shortened")

    def _find_short(self, piece: str, *, near: Span | None, after: int) -> tuple[int, int] | None:
        """A piece of a shortened quote: short pieces are allowed, found in order."""
        folded, offsets = self._spaced
        needle, _ = _fold(piece.strip().strip(_EDGE_MARKS), spaces=True)
        needle = needle.strip()
        if len(needle) < 3:
            return None
        position = self._best_position(folded, offsets, needle, near=near, after=after)
        if position is None:
            return None
        return offsets[position], offsets[position + len(needle) - 1] + 1

    def _fuzzy(self, quote: str, *, near: Span | None) -> QuoteMatch | None:
        """The best-matching sentence, if it is a close match and holds every figure of the quote."""
        folded, _ = _fold(_ELLIPSIS.sub(" ", quote), spaces=True)
        if len(folded.split()) < MIN_FUZZY_WORDS:
            return None
        figures = _figures(folded)
        best: tuple[float, int, Span] | None = None
        for span in self._sentences:
            candidate, _ = _fold(span.text, spaces=True)
            if not figures <= _figures(candidate):
                continue
            score = fuzz.token_set_ratio(folded, candidate)
            preferred = int(near is not None and (span.start, span.end) == (near.start, near.end))
            if score >= FUZZY_THRESHOLD and (best is None or (score, preferred) > best[:2]):
                best = (score, preferred, span)
        if best is None:
            return None
        return QuoteMatch(best[2].start, best[2].end, "fuzzy")
