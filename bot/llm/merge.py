"""Round 2's answer merged into the claims.

The model's sourcing reading is one unit: when it differs from the offline audit
(status, source, link or chain), it replaces the audit whole, its nulls meaning
"none", and the disagreement is recorded on the claim. Where it agrees, the
audit's details (the cue, the source as the audit wrote it) stay. The audit alone
is kept only for a claim the model said nothing about. A link only ever comes
from the article's own links. Lists are cut to ``bot.llm.limits``, and every cut
is reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.evidence.citations import Sources
from bot.llm import limits, wording
from bot.llm.quotes import QuoteLocator
from bot.llm.schemas import ClaimAnalysis, FlagAnswer, SourcingReading
from bot.llm.view import ArticleView
from bot.models import (
    AnalysisStatus,
    ArticleFlag,
    Claim,
    CounterEvidence,
    Passage,
    Sourcing,
    SourcingDisagreement,
    SourcingStatus,
)

_NAME_WORD = re.compile(r"[^\W_]+")
_TITLES = frozenset("mr mrs ms dr rep sen gov gen prof the of a an".split())


@dataclass
class Merged:
    claim: Claim
    warnings: list[str] = field(default_factory=list)


def _name_words(name: str | None) -> frozenset[str]:
    return frozenset(w for w in _NAME_WORD.findall((name or "").casefold()) if w not in _TITLES)


def same_source(a: str | None, b: str | None) -> bool:
    """Same source for a reader: "Rep. Jim Banks" is "Jim Banks"; "the Pentagon" is not "Jim Banks"."""
    words_a, words_b = _name_words(a), _name_words(b)
    if not words_a or not words_b:
        return not words_a and not words_b
    return words_a <= words_b or words_b <= words_a


def _same_chain(a: Sequence[str], b: Sequence[str]) -> bool:
    return len(a) == len(b) and all(same_source(x, y) for x, y in zip(a, b, strict=True))


def merge_sourcing(
    *, claim_id: str, audit: Sourcing, reading: SourcingReading, view: ArticleView
) -> tuple[Sourcing, SourcingDisagreement | None, list[str]]:
    warnings: list[str] = []
    link = None
    if reading.link is not None:
        link = view.link_url(reading.link)
        if link is None:
            warnings.append(wording.unknown_link(claim_id=claim_id, number=reading.link))
    status = reading.status
    if status is SourcingStatus.NAMED_LINKED and link is None:
        status = SourcingStatus.NAMED_UNLINKED
    chain = list(reading.chain) if status is SourcingStatus.SECONDHAND else []
    if audit.status is SourcingStatus.NOT_ASSESSED:
        # The audit gave no reading (a language it does not read): nothing to disagree with.
        return Sourcing(status=status, source=reading.source, link=link, gap=reading.gap, chain=chain), None, warnings
    differs: list = []
    if status is not audit.status:
        differs.append("status")
    if not same_source(reading.source, audit.source):
        differs.append("source")
    if link != audit.link:
        differs.append("link")
    if not _same_chain(chain, audit.chain):
        differs.append("chain")
    if not differs:
        # The same reading: the audit's wording of it stays, the model's gap (or none) is the one to show.
        return audit.model_copy(update={"gap": reading.gap}), None, warnings
    sourcing = Sourcing(
        status=status,
        source=reading.source,
        cue=audit.cue if "source" not in differs else None,  # the cue is the audit's, for the audit's source
        link=link,
        gap=reading.gap,
        chain=chain,
    )
    return sourcing, SourcingDisagreement(fields=differs, audit=audit), warnings


def apply_analysis(
    *, claim: Claim, analysis: ClaimAnalysis, view: ArticleView, sources: Sources | None = None
) -> Merged:
    sourcing, disagreement, warnings = merge_sourcing(
        claim_id=claim.id, audit=claim.sourcing, reading=analysis.sourcing, view=view
    )
    counter = analysis.counter_evidence
    if len(counter) > limits.COUNTER_POINTS:
        warnings.append(
            wording.cut(claim_id=claim.id, what="counter-points", given=len(counter), kept=limits.COUNTER_POINTS)
        )
    questions = analysis.questions
    if len(questions) > limits.QUESTIONS:
        warnings.append(wording.cut(claim_id=claim.id, what="questions", given=len(questions), kept=limits.QUESTIONS))
    updated = claim.model_copy(
        update={
            "article_support": analysis.article_support,
            "sourcing": sourcing,
            "sourcing_disagreement": disagreement,
            "context": analysis.context or None,
            "context_basis": "model_knowledge" if analysis.context else None,
            "counter_evidence": [
                CounterEvidence(
                    text=point.text,
                    basis="model_knowledge",
                    to_verify=True,
                    verify_with=point.verify_with,
                    evidence_ids=list(point.sources),  # kept only if bot.evidence.citations verifies them
                )
                for point in counter[: limits.COUNTER_POINTS]
            ],
            "questions": list(questions[: limits.QUESTIONS]),
            "confidence": analysis.confidence,
            "analysis": AnalysisStatus.OK,
        }
    )
    if sources is not None:  # the cited passages checked against their pages; the rest is model knowledge
        cited = sources.cite(updated, readings=analysis.sources, context_ids=analysis.context_sources)
        updated = cited.claim
        warnings.extend(cited.warnings)
    return Merged(updated, warnings)


def mark_failed(claim: Claim) -> Claim:
    return claim.model_copy(update={"analysis": AnalysisStatus.FAILED})


def locate_flags(
    *, flags: Sequence[FlagAnswer], article_text: str, view: ArticleView
) -> tuple[list[ArticleFlag], list[str]]:
    """Flags whose quotes are found in the article (as the article's own words), and warnings for the others."""
    locator = QuoteLocator(article_text, sentences=view.sentences)
    kept: list[ArticleFlag] = []
    unmatched = 0
    for flag in flags[: limits.FLAGS]:
        passages = []
        for quote in flag.quotes:
            match = locator.locate(quote)
            if match is not None:
                passages.append(Passage(text=article_text[match.start : match.end], start=match.start, end=match.end))
        if passages and flag.note:
            kept.append(ArticleFlag(kind=flag.kind, note=flag.note, passages=passages))
        else:
            unmatched += 1
    warnings = [wording.flags_unmatched(count=unmatched)] if unmatched else []
    if len(flags) > limits.FLAGS:
        warnings.append(wording.flags_cut(given=len(flags), kept=limits.FLAGS))
    return kept, warnings
