"""The article as the model reads it: once per request, marked up instead of repeated.

Sentences carry ``[S#]`` ids (round 1 names its claims' sentences by them and the
classifier's hints point at them), links carry ``[L#]`` right after their words,
and round 2 sees each claim inside ``⟦c1⟧…⟦/c1⟧`` where it stands. Page furniture
(photo credits, "READ:" teasers, bylines, promo boxes, the headline repeated) and
links that only navigate are left out before the model sees them. Offsets always
refer to ``Article.text``; the view never changes the text, it only picks and marks.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from bot.models import Article, OutboundLink
from bot.sentences import Span, paragraph_spans, sentence_spans

MAX_LINKS = 40
CUT_NOTE = "[... the rest of the article was cut for length ...]"
_WORD = re.compile(r"\w+")
_SHORT_WORDS = 15  # furniture is short; a body paragraph rarely is
_TERMINAL = (".", "!", "?", '."', ".\u201d", "?\u201d", "!\u201d", ".'", ".\u2019")
_TEASER = re.compile(
    r"^\W*(?:read|read more|related|more|see also|also read|watch|listen|click here|sign up|subscribe|"
    r"advertisement|sponsored|follow us|share this|recommended)\b\s*[:|\-\u2013\u2014)]",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"\b(?:photo|photograph|image|picture|illustration|credit|getty images|shutterstock|file photo)\b"
    r"|\bvia (?:AP|AFP|Reuters|Getty)\b|/(?:AP|AFP|Reuters|Getty|Pool|EPA|Bloomberg)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^By [A-Z][\w.'\-]+(?: [A-Z][\w.'\-]+){0,3}(?:,|$)")
_LABEL = re.compile(r"^[A-Z][A-Z0-9 &'\-]{2,}:")  # "A SIMPLE GUIDE: ..." promo boxes
_NAV_ANCHORS = re.compile(
    r"^\W*(?:read more|more|share|tweet|email|print|subscribe|sign up|log in|home|next|previous|click here|"
    r"comments?|facebook|twitter|x|linkedin|whatsapp|reddit)\W*$",
    re.IGNORECASE,
)
_SHARE_HOSTS = ("facebook.com/sharer", "twitter.com/intent", "x.com/intent", "linkedin.com/share", "wa.me/")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_furniture(text: str, *, title: str | None, link_chars: int) -> bool:
    """Photo credits, teasers, bylines, promo boxes and the repeated headline; never a body paragraph."""
    words = _words(text)
    if words > _SHORT_WORDS:
        return bool(_TEASER.match(text)) and words <= 25
    unpunctuated = not text.rstrip().endswith(_TERMINAL)
    if title and unpunctuated and fuzz.token_set_ratio(text.casefold(), title.casefold()) >= 90:
        return True
    if _TEASER.match(text) or (text.startswith("(") and text.endswith(")") and _TEASER.match(text[1:])):
        return True
    if unpunctuated and _CREDIT.search(text):
        return True
    if _BYLINE.match(text):
        return True
    mostly_links = link_chars >= 0.5 * len(text)
    return mostly_links and (unpunctuated or bool(_LABEL.match(text)) or not text.rstrip().endswith("."))


def _navigation(link: OutboundLink) -> bool:
    url = link.url.lower()
    if not url.startswith(("http://", "https://")) or any(host in url for host in _SHARE_HOSTS):
        return True
    return not link.anchor.strip() or bool(_NAV_ANCHORS.match(link.anchor))


@dataclass(frozen=True)
class ArticleView:
    header: str
    paragraphs: tuple[Span, ...]  # kept, in article order, offsets in Article.text
    sentences: tuple[Span, ...]  # of the kept paragraphs: [S1] is sentences[0]
    links: tuple[OutboundLink, ...]  # one per URL kept: [L1] is links[0]
    placements: tuple[tuple[int, int], ...]  # (end offset of a link's words, its L number)
    truncated: bool
    left_out: int  # paragraphs dropped as page furniture

    @classmethod
    def build(cls, *, article: Article, max_chars: int, keep: Sequence[tuple[int, int]] = ()) -> ArticleView:
        """``keep``: spans (a claim's) whose paragraphs stay in the view whatever they look like."""
        spans = [Span(p.start, p.end, article.text[p.start : p.end]) for p in article.paragraphs]
        spans = spans or paragraph_spans(article.text)

        def kept_anyway(span: Span) -> bool:
            return any(start < span.end and span.start < end for start, end in keep)

        body: list[Span] = []
        left_out = 0
        for span in spans:
            link_chars = sum(
                min(link.end, span.end) - max(link.start, span.start)
                for link in article.links
                if link.start < span.end and span.start < link.end
            )
            if kept_anyway(span) or not _is_furniture(span.text.strip(), title=article.title, link_chars=link_chars):
                body.append(span)
            else:
                left_out += 1
        kept: list[Span] = []
        used = 0
        truncated = False
        for span in body:
            if used + len(span.text) > max_chars and not kept_anyway(span):
                room = max_chars - used
                if room > 200 and not truncated:
                    kept.append(Span(span.start, span.start + room, span.text[:room]))
                truncated = True
                continue
            kept.append(span)
            used += len(span.text)
        sentences: list[Span] = []
        for span in kept:
            sentences += [Span(span.start + s.start, span.start + s.end, s.text) for s in sentence_spans(span.text)]
        numbers: dict[str, int] = {}
        links: list[OutboundLink] = []
        placements: list[tuple[int, int]] = []
        for link in article.links:
            inside = any(span.start <= link.start and link.end <= span.end for span in kept)
            if not inside or _navigation(link):
                continue
            if link.url not in numbers:
                if len(links) >= MAX_LINKS:
                    continue
                links.append(link)
                numbers[link.url] = len(links)
            placements.append((link.end, numbers[link.url]))
        return cls(
            header=_header(article),
            paragraphs=tuple(kept),
            sentences=tuple(sentences),
            links=tuple(links),
            placements=tuple(placements),
            truncated=truncated,
            left_out=left_out,
        )

    # ---------------------------------------------------------------- lookups

    @functools.cached_property
    def _sentence_ends(self) -> list[int]:
        return [span.end for span in self.sentences]

    def sentence(self, number: int) -> Span | None:
        return self.sentences[number - 1] if 1 <= number <= len(self.sentences) else None

    def sentence_number(self, start: int, end: int) -> int | None:
        """The [S#] of the sentence that overlaps ``start:end`` the most."""
        # Sentences are in text order and do not overlap: only those from the first ending after ``start``
        # can overlap (a linear scan per candidate was 6% of a worker's event loop in a burst).
        first = bisect.bisect_right(self._sentence_ends, start)
        best, best_overlap = None, 0
        for number in range(first + 1, len(self.sentences) + 1):
            span = self.sentences[number - 1]
            if span.start >= end:
                break
            overlap = min(end, span.end) - max(start, span.start)
            if overlap > best_overlap:
                best, best_overlap = number, overlap
        return best

    def link_url(self, number: int) -> str | None:
        return self.links[number - 1].url if 1 <= number <= len(self.links) else None

    def link_number(self, url: str | None) -> int | None:
        for number, link in enumerate(self.links, start=1):
            if url and link.url == url:
                return number
        return None

    # ---------------------------------------------------------------- text for the model

    def render(self, *, sentence_ids: bool, claims: Sequence[tuple[str, int, int]] = ()) -> str:
        """Header, marked-up text and the link list. ``claims``: (id, start, end) to mark as ⟦id⟧…⟦/id⟧."""
        marks: list[tuple[int, int, str]] = []  # (offset, order at that offset, text)
        for claim_id, start, end in claims:
            marks += [(end, 0, f"\u27e6/{claim_id}\u27e7"), (start, 3, f"\u27e6{claim_id}\u27e7")]
        marks += [(end, 1, f"[L{number}]") for end, number in self.placements]
        if sentence_ids:
            marks += [(span.start, 2, f"[S{number}] ") for number, span in enumerate(self.sentences, start=1)]
        marks.sort()
        paragraphs: list[str] = []
        index = 0
        for span in self.paragraphs:
            pieces: list[str] = []
            cursor = span.start
            while index < len(marks) and marks[index][0] < span.start:
                index += 1
            while index < len(marks) and marks[index][0] <= span.end:
                offset, _, text = marks[index]
                pieces += [span.text[cursor - span.start : offset - span.start], text]
                cursor = offset
                index += 1
            pieces.append(span.text[cursor - span.start :])
            paragraphs.append(" ".join("".join(pieces).split()))
        parts = [self.header, "", "## Article", "\n\n".join(paragraphs)]
        if self.truncated:
            parts.append(CUT_NOTE)
        if self.links:
            parts += ["", "## Links ([L#] follows the linked words)"]
            parts += [f"[L{number}] {link.url[:300]}" for number, link in enumerate(self.links, start=1)]
        return "\n".join(parts)


def one_line(value: str | None, limit: int = 300) -> str:
    return " ".join((value or "").split())[:limit]


def _header(article: Article) -> str:
    host = urlsplit(article.final_url or article.url or "").hostname
    return "\n".join(
        [
            f"Title: {one_line(article.title) or 'unknown'}",
            f"Outlet: {one_line(article.site_name) or host or 'unknown'}",
            f"Author: {one_line(article.author) or 'unknown'}",
            f"Published: {one_line(article.published, 40) or 'unknown'}",
        ]
    )
