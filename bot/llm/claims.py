"""Turn the model's answers into ``Claim`` objects anchored in the article.

Round 1 quotes become claims only when they are found in the article; round 2
analyses are merged into the claims with the offline audit as the baseline. A
link in a claim's sourcing only ever comes from the article's own links.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.llm.messages import ArticleView
from bot.llm.quotes import QuoteLocator
from bot.llm.schemas import ClaimAnalysis, FoundClaim, SourcingAssessment
from bot.models import AnalysisStatus, Article, Candidate, Claim, CounterEvidence, Sourcing, SourcingStatus
from bot.sourcing import audit_sourcing


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _best_candidate(start: int, end: int, candidates: Sequence[Candidate]) -> Candidate | None:
    best, best_overlap = None, 0
    for candidate in candidates:
        overlap = _overlap(start, end, candidate.start, candidate.end)
        if overlap > best_overlap or (overlap == best_overlap and overlap and best and candidate.score > best.score):
            best, best_overlap = candidate, overlap
    return best


def _offline_sourcing(article: Article, start: int, end: int, offline_claims: Sequence[Claim]) -> Sourcing:
    """The offline audit of exactly this span: reused when the offline analyzer picked the same span."""
    for claim in offline_claims:
        if (claim.start, claim.end) == (start, end):
            return claim.sourcing
    return audit_sourcing(article, start=start, end=end)


def claims_from_quotes(
    *,
    found: Sequence[FoundClaim],
    article: Article,
    candidates: Sequence[Candidate],
    offline_claims: Sequence[Claim],
    max_claims: int,
) -> tuple[list[Claim], int]:
    """Claims for the quotes found in the article (article order, ids c1..), and how many were dropped.

    CPU-bound (normalizes the article, audits sourcing): call it via ``asyncio.to_thread``."""
    locator = QuoteLocator(article.text)
    chosen: list[tuple[int, int, FoundClaim]] = []
    dropped = 0
    for item in found:
        if len(chosen) >= max_claims:
            break
        span = locator.locate(item.quote)
        if span is None:
            dropped += 1
            continue
        start, end = span
        duplicate = any(_overlap(start, end, s, e) > 0.5 * min(end - start, e - s) for s, e, _ in chosen)
        if not duplicate:
            chosen.append((start, end, item))
    claims: list[Claim] = []
    for number, (start, end, item) in enumerate(sorted(chosen, key=lambda c: c[0]), start=1):
        candidate = _best_candidate(start, end, candidates)
        sourcing = _offline_sourcing(article, start, end, offline_claims)
        claims.append(
            Claim(
                id=f"c{number}",
                quote=article.text[start:end],
                start=start,
                end=end,
                checkworthiness=candidate.score if candidate else 0.0,
                claimant=item.claimant,
                why_it_matters=item.why_it_matters or None,
                sourcing=sourcing,
            )
        )
    return claims, dropped


def merge_sourcing(*, offline: Sourcing, assessed: SourcingAssessment, view: ArticleView) -> Sourcing:
    """The model's reading of the sourcing, on top of the offline audit's cue, link and chain."""
    link = offline.link
    if assessed.link is not None and 1 <= assessed.link <= len(view.links):
        link = view.links[assessed.link - 1].url
    status = assessed.status
    if status is SourcingStatus.NAMED_LINKED and link is None:
        status = SourcingStatus.NAMED_UNLINKED
    return Sourcing(
        status=status,
        source=assessed.source or offline.source,
        cue=offline.cue,
        link=link,
        gap=assessed.gap or offline.gap,
        chain=list(offline.chain),
    )


def apply_analysis(*, claim: Claim, analysis: ClaimAnalysis, view: ArticleView) -> Claim:
    return claim.model_copy(
        update={
            "context": analysis.context or None,
            "sourcing": merge_sourcing(offline=claim.sourcing, assessed=analysis.sourcing, view=view),
            "counter_evidence": [
                CounterEvidence(text=text, basis="model_knowledge", to_verify=True)
                for text in analysis.counter_evidence
            ],
            "questions": list(analysis.questions),
            "confidence": analysis.confidence,
            "analysis": AnalysisStatus.OK,
        }
    )


def mark_failed(claim: Claim) -> Claim:
    return claim.model_copy(update={"analysis": AnalysisStatus.FAILED})
