"""Sentence spans with character offsets, paragraph by paragraph.

Splitting inside paragraphs keeps a caption or a headline from being glued to the
next sentence. blingfire is a compiled segmenter: ~0.1 ms per paragraph.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"\n+")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


def paragraph_spans(text: str) -> list[Span]:
    """Non-empty lines of ``text`` (trafilatura puts one paragraph per line)."""
    spans: list[Span] = []
    pos = 0
    for piece in _PARAGRAPH_BREAK.split(text):
        start = text.find(piece, pos) if piece else pos
        end = start + len(piece)
        pos = end
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            spans.append(Span(start + lead, start + lead + len(stripped), stripped))
    return spans


def sentence_spans(text: str) -> list[Span]:
    """Every sentence of ``text`` with offsets such that ``text[start:end] == span.text``.

    The last few texts are remembered: extraction splits a page's text for its outbound links and
    again for the not-an-article checks, and the split is most of what either costs."""
    return list(_sentence_spans(text))


@functools.lru_cache(maxsize=8)
def _sentence_spans(text: str) -> tuple[Span, ...]:
    import blingfire  # here, not at the top: it loads numpy (~19 MB), which a front process need not hold

    spans: list[Span] = []
    for para in paragraph_spans(text):
        _, offsets = blingfire.text_to_sentences_and_offsets(para.text)
        if not offsets:
            spans.append(para)
            continue
        for a, b in offsets:
            piece = para.text[a:b]
            stripped = piece.strip()
            if not stripped:
                continue
            lead = len(piece) - len(piece.lstrip())
            start = para.start + a + lead
            spans.append(Span(start, start + len(stripped), stripped))
    return tuple(spans)
