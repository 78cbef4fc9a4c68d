"""The pipeline's evidence step: the report's claims get their retrieved sources, and the report a summary.

Never raises: a fault on our side costs the report its evidence, with a warning, never the report.
With a model, the engine calls :func:`collect` between its two rounds (``bot.evidence.citations``);
without one (or when round 1 failed), :func:`add_related_passages` attaches the passages unjudged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from bot.config import Settings
from bot.evidence import notes
from bot.evidence.assemble import attach_offline, summarize
from bot.evidence.pages import Extractor, extract_in_thread
from bot.evidence.stage import EvidencePack, gather_evidence
from bot.evidence.store import ValueCache
from bot.models import AnalysisStatus, Article, Claim, Report

log = logging.getLogger(__name__)

EvidenceLookup = Callable[[Sequence[Claim]], Awaitable[EvidencePack]]
"""``await lookup(claims)``: the evidence stage for an engine's claims (the pipeline binds the rest)."""


async def collect(
    *,
    article: Article,
    claims: Sequence[Claim],
    settings: Settings,
    cache: ValueCache | None,
    extract: Extractor = extract_in_thread,
) -> EvidencePack:
    """The stage for ``claims``; an empty pack with a warning when it failed on our side."""
    try:
        return await gather_evidence(article=article, claims=claims, settings=settings, cache=cache, extract=extract)
    except Exception:  # the report must survive a bug in the evidence stage
        log.exception("the evidence stage failed")
        return EvidencePack(
            claims={}, providers=list(settings.evidence_providers), failed=[], warnings=[notes.stage_failed()]
        )


def add_to_report(report: Report, pack: EvidencePack, *, stance_judged: bool, article_published: str | None) -> None:
    """The stage's summary and warnings on the report. Claims the model read carry their evidence already;
    a claim whose analysis failed still gets its traced links and related passages, unjudged."""
    if stance_judged:
        unread = [claim for claim in report.claims if claim.analysis is AnalysisStatus.FAILED]
        attached = {
            c.id: c for c in attach_offline(unread, pack, article_published=article_published, all_claims=report.claims)
        }
        report.claims = [attached.get(claim.id, claim) for claim in report.claims]
    report.evidence_summary = summarize(report.claims, pack, stance_judged=stance_judged)
    report.warnings.extend(pack.warnings)


async def add_related_passages(
    *, article: Article, report: Report, settings: Settings, cache: ValueCache | None, extract: Extractor
) -> None:
    """Without a model's reading: traced links, earlier fact-checks and the top related passages, no stance."""
    pack = await collect(article=article, claims=report.claims, settings=settings, cache=cache, extract=extract)
    report.claims = attach_offline(report.claims, pack, article_published=article.published)
    add_to_report(report, pack, stance_judged=False, article_published=article.published)
    if any(claim.evidence for claim in report.claims):
        report.notice = " ".join(part for part in (report.notice, notes.unjudged()) if part)
