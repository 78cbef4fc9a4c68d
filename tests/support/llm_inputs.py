"""Inputs for the LLM engine built from plain text, for tests and the LLM benchmark.

The engine takes the offline analyzer's candidates and claims; these stand-ins
score sentences with a transparent heuristic (figures and attribution cues) so
the LLM engine can be exercised without the shipped classifier.
"""

from __future__ import annotations

import hashlib
import re

from bot.models import Article, Candidate, Claim, OutboundLink, Paragraph
from bot.sentences import paragraph_spans, sentence_spans
from bot.sourcing import audit_sourcing

_CUE = re.compile(r"\b(said|says|told|according to|reported|report)\b", re.IGNORECASE)
_FIGURE = re.compile(r"\d")


def stand_in_score(sentence: str) -> float:
    score = 0.2 + 0.4 * bool(_FIGURE.search(sentence)) + 0.2 * bool(_CUE.search(sentence))
    return round(min(0.99, score + 0.19 * min(1.0, len(sentence) / 200)), 2)


def article_from_text(
    text: str, *, title: str | None = None, language: str | None = "en", links: list[OutboundLink] | None = None
) -> Article:
    lines = text.split("\n")
    title = title if title is not None else lines[0].strip()
    return Article(
        url="https://news.example/story",
        final_url="https://news.example/story",
        title=title,
        site_name="News Example",
        published="2023-01-12",
        language=language,
        text=text,
        paragraphs=[Paragraph(start=s.start, end=s.end) for s in paragraph_spans(text)],
        links=links or [],
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )


def candidates_for(article: Article) -> list[Candidate]:
    return [
        Candidate(start=s.start, end=s.end, text=s.text, score=stand_in_score(s.text))
        for s in sentence_spans(article.text)
        if len(s.text) > 30
    ]


def offline_claims_for(article: Article, candidates: list[Candidate], *, limit: int = 4) -> list[Claim]:
    """The top candidates as offline claims, with the real offline sourcing audit."""
    top = sorted(candidates, key=lambda c: c.score, reverse=True)[:limit]
    claims = []
    for number, candidate in enumerate(sorted(top, key=lambda c: c.start), start=1):
        claims.append(
            Claim(
                id=f"c{number}",
                quote=candidate.text,
                start=candidate.start,
                end=candidate.end,
                checkworthiness=candidate.score,
                sourcing=audit_sourcing(article, start=candidate.start, end=candidate.end),
            )
        )
    return claims
