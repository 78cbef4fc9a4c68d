"""The pipeline's evidence step: the report's claims get their retrieved sources, and the report a summary.

Never raises: a fault on our side costs the report its evidence, with a warning, never the report.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from bot.config import Settings
from bot.evidence import notes
from bot.evidence.assemble import attach_offline, summarize
from bot.evidence.pages import Extractor, extract_in_thread
from bot.evidence.stage import EvidencePack, gather_evidence
from bot.evidence.store import ValueCache
from bot.models import Article, Report

log = logging.getLogger(__name__)


async def collect(
    *,
    article: Article,
    report: Report,
    settings: Settings,
    cache: ValueCache | None,
    extract: Extractor = extract_in_thread,
    queries: Mapping[str, str] | None = None,
) -> EvidencePack | None:
    """The stage for ``report.claims``; None (and a warning in the report) when it failed on our side."""
    try:
        return await gather_evidence(
            article=article, claims=report.claims, settings=settings, cache=cache, extract=extract, queries=queries
        )
    except Exception:  # the report must survive a bug in the evidence stage
        log.exception("the evidence stage failed")
        report.warnings.append(notes.stage_failed())
        return None


async def add_related_passages(
    *, article: Article, report: Report, settings: Settings, cache: ValueCache | None, extract: Extractor
) -> None:
    """Without a model's reading: traced links, earlier fact-checks and the top related passages, no stance."""
    pack = await collect(article=article, report=report, settings=settings, cache=cache, extract=extract)
    if pack is None:
        return
    report.claims = attach_offline(report.claims, pack, article_published=article.published)
    report.evidence_summary = summarize(report.claims, pack, stance_judged=False)
    report.warnings.extend(pack.warnings)
