"""Round 1's answer as ``Claim`` objects anchored in the article, in the model's order.

A claim exists only where its quote is found in the article (``bot.llm.quotes``);
its quote is always the article's own text. The model lists claims most
important first, and the report keeps that order: ids ``c1..`` follow it, and
``article_order`` keeps the position in the article. Every quote that matched
nothing is kept (for the warnings) and its slot is refilled from the offline
analysis, so a model that retypes quotes badly still gets a full report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.llm.quotes import QuoteLocator, QuoteMatch
from bot.llm.sanitize import clean_text
from bot.llm.schemas import FoundClaim
from bot.llm.view import ArticleView
from bot.models import Article, Candidate, Claim, Sourcing
from bot.sentences import Span
from bot.sourcing import audit_sourcing

_SENTENCE_ID = ("S", "s")
DUPLICATE_OVERLAP = 0.5  # two claims are one when they share more than half of the shorter span


@dataclass
class ChosenClaims:
    claims: list[Claim]  # report order: the model's, then the refills
    unmatched: list[str] = field(default_factory=list)  # model quotes not in the article (cleaned, capped)
    refilled: list[str] = field(default_factory=list)  # ids of the claims the offline analysis supplied
    repeated: int = 0  # model claims that repeated a sentence already chosen


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > DUPLICATE_OVERLAP * min(a[1] - a[0], b[1] - b[0])


def _best_candidate(start: int, end: int, candidates: Sequence[Candidate]) -> Candidate | None:
    best, best_overlap = None, 0
    for candidate in candidates:
        overlap = max(0, min(end, candidate.end) - max(start, candidate.start))
        if overlap > best_overlap or (overlap == best_overlap and overlap and best and candidate.score > best.score):
            best, best_overlap = candidate, overlap
    return best


def _offline_sourcing(article: Article, start: int, end: int, offline_claims: Sequence[Claim]) -> Sourcing:
    """The offline audit of exactly this span: reused when the offline analyzer picked the same span."""
    for claim in offline_claims:
        if (claim.start, claim.end) == (start, end):
            return claim.sourcing
    return audit_sourcing(article, start=start, end=end)


def _sentence_hint(item: FoundClaim, view: ArticleView) -> Span | None:
    raw = (item.sentence or "").strip().lstrip("[").rstrip("]")
    if raw[:1] in _SENTENCE_ID and raw[1:].isdigit():
        return view.sentence(int(raw[1:]))
    return None


def choose_claims(
    *,
    found: Sequence[FoundClaim],
    article: Article,
    view: ArticleView,
    candidates: Sequence[Candidate],
    offline_claims: Sequence[Claim],
    max_claims: int,
) -> ChosenClaims:
    """CPU-bound (folds the article, audits sourcing): call it via ``asyncio.to_thread``."""
    locator = QuoteLocator(article.text, sentences=view.sentences)
    spans: list[tuple[int, int, FoundClaim | None]] = []
    chosen = ChosenClaims(claims=[])
    for item in found:
        if len(spans) >= max_claims:
            break
        match: QuoteMatch | None = locator.locate(item.quote, sentence=_sentence_hint(item, view))
        if match is None:
            chosen.unmatched.append(clean_text(item.quote, limit=160))
            continue
        if any(_overlaps((match.start, match.end), (s, e)) for s, e, _ in spans):
            chosen.repeated += 1
            continue
        spans.append((match.start, match.end, item))
    # Refill the slots of the quotes that matched nothing (or repeated a claim) from the offline analysis.
    wanted = min(max_claims, len(found))
    for offline in sorted(offline_claims, key=lambda claim: -claim.checkworthiness):
        if len(spans) >= wanted:
            break
        if not any(_overlaps((offline.start, offline.end), (s, e)) for s, e, _ in spans):
            spans.append((offline.start, offline.end, None))
    order = {start: rank for rank, start in enumerate(sorted(start for start, _, _ in spans), start=1)}
    for number, (start, end, picked) in enumerate(spans, start=1):
        candidate = _best_candidate(start, end, candidates)
        claim = Claim(
            id=f"c{number}",
            quote=article.text[start:end],
            start=start,
            end=end,
            checkworthiness=round(candidate.score, 4) if candidate else 0.0,
            claimant=picked.claimant if picked else None,
            why_it_matters=(picked.why_it_matters or None) if picked else None,
            sourcing=_offline_sourcing(article, start, end, offline_claims),
            article_order=order[start],
            selected_by="model" if picked else "offline",
        )
        chosen.claims.append(claim)
        if picked is None:
            chosen.refilled.append(claim.id)
    return chosen
