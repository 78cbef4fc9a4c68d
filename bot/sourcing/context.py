"""The article around a claim: sentences, paragraphs, quotation marks, local attributions.

Built once per article text (an LRU cache keyed by the text) because a report audits
several claims of the same article and sentence splitting dominates the cost. The cache holds
as many articles as can be in flight at once: the LLM's claims are audited seconds after the
offline ones, and under a burst a smaller cache had already dropped the article by then.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache

from bot.sentences import Span, paragraph_spans, sentence_spans
from bot.sourcing.attribution import Attribution
from bot.sourcing.clauses import find_attribution

_OPEN, _CLOSE, _STRAIGHT = "“", "”", '"'


@dataclass(frozen=True, slots=True)
class ParagraphQuotes:
    regions: tuple[tuple[int, int], ...]  # absolute offsets of quoted text, marks included
    opens_with_quote: bool
    open_at_end: bool  # a quote left open: the speaker goes on in the next paragraph


def _quotes(text: str, para: Span) -> ParagraphQuotes:
    regions: list[tuple[int, int]] = []
    opened: int | None = None
    for i in range(para.start, para.end):
        ch = text[i]
        if ch == "'" and text[i : i + 2] == "''":
            ch = _STRAIGHT  # the NYT archive writes quotation marks as two apostrophes
        elif ch == "'" and text[i - 1 : i + 1] == "''":
            continue
        if ch == _OPEN or (ch == _STRAIGHT and opened is None):
            if opened is None:
                opened = i
        elif (ch == _CLOSE or ch == _STRAIGHT) and opened is not None:
            regions.append((opened, i + 1))
            opened = None
        elif ch == _CLOSE and not regions:
            # The quote opened in an earlier paragraph (some outlets do not reopen it).
            regions.append((para.start, i + 1))
    if opened is not None:
        regions.append((opened, para.end))
    return ParagraphQuotes(tuple(regions), text[para.start] in (_OPEN, _STRAIGHT), opened is not None)


@dataclass(slots=True)
class ArticleIndex:
    text: str
    sentences: list[Span]
    paragraphs: list[Span]
    sentence_paragraph: list[int]
    quotes: list[ParagraphQuotes]
    _starts: list[int] = field(default_factory=list)
    _paragraph_starts: list[int] = field(default_factory=list)
    _local: dict[int, Attribution | None] = field(default_factory=dict)

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (or the closest one before it)."""
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def in_quote(self, offset: int) -> bool:
        p = self.paragraph_at(offset)
        if p is None:
            return False
        return any(a <= offset < b for a, b in self.quotes[p].regions)

    def paragraph_at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self._paragraph_starts, offset) - 1
        if i >= 0 and offset < self.paragraphs[i].end:
            return i
        return None

    def quoted_share(self, start: int, end: int) -> float:
        """Share of the non-space characters in [start, end) that sit inside quotation marks."""
        p = self.paragraph_at(start)
        if p is None:
            return 0.0
        total = inside = 0
        for i in range(start, end):
            if self.text[i].isspace():
                continue
            total += 1
            if any(a <= i < b for a, b in self.quotes[p].regions):
                inside += 1
        return inside / total if total else 0.0

    def local(self, index: int) -> Attribution | None:
        """The attribution written inside sentence ``index`` (cues within quotes ignored)."""
        if index not in self._local:
            span = self.sentences[index]
            self._local[index] = find_attribution(span.text, in_quote=lambda i: self.in_quote(span.start + i))
        return self._local[index]


@lru_cache(maxsize=64)
def article_index(text: str) -> ArticleIndex:
    sentences = sentence_spans(text)
    paragraphs = paragraph_spans(text)
    starts = [p.start for p in paragraphs]
    sentence_paragraph = [max(0, bisect.bisect_right(starts, s.start) - 1) for s in sentences]
    index = ArticleIndex(
        text=text,
        sentences=sentences,
        paragraphs=paragraphs,
        sentence_paragraph=sentence_paragraph,
        quotes=[_quotes(text, p) for p in paragraphs],
    )
    index._starts = [s.start for s in sentences]
    index._paragraph_starts = starts
    return index
