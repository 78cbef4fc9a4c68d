"""Round 2: the model analyses every key claim, and writes the summary, the sourcing verdict and the flags
from all of them.

One request holds the article once and every claim marked in it, which is both
the cheapest form and the only one in which the summary sees every claim. Only
more claims than ``BATCH_MAX`` are split into parallel requests; each still sees
every claim marked, and the first writes the article-wide part.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from bot.evidence.citations import Sources
from bot.llm import limits, wording
from bot.llm.merge import apply_analysis, locate_flags, mark_failed
from bot.llm.messages import analyse_messages
from bot.llm.parsing import loads_lenient
from bot.llm.prompts import Prompts
from bot.llm.schemas import ArticleAnalysis, ArticleSummary, ClaimAnalyses, ClaimAnalysis
from bot.llm.structured import StepResult, StructuredCaller
from bot.llm.view import ArticleView
from bot.models import ArticleFlag, Claim

BATCH_MAX = 8  # claims per request: the default report is one request
BASE_TOKENS = 4_000
TOKENS_PER_CLAIM = 1_500
MAX_TOKENS = 16_000


@dataclass
class BatchOutcome:
    claims: list[Claim]  # the batch's claims, analysed or marked failed, in report order
    summary: list[str] = field(default_factory=list)
    sourcing_verdict: str | None = None
    flags: list[ArticleFlag] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def batches(claims: Sequence[Claim]) -> list[list[Claim]]:
    if len(claims) <= BATCH_MAX:
        return [list(claims)]
    count = -(-len(claims) // BATCH_MAX)
    size = -(-len(claims) // count)
    return [list(claims[i : i + size]) for i in range(0, len(claims), size)]


async def analyse_claims(
    *,
    caller: StructuredCaller,
    prompts: Prompts,
    article_text: str,
    view: ArticleView,
    claims: Sequence[Claim],
    language: str,
    cutoff: str | None,
    sources: Sources | None = None,
) -> AsyncIterator[BatchOutcome]:
    """Each batch's outcome as it lands (the first batch carries the summary, verdict and flags)."""
    tasks = [
        asyncio.create_task(
            _analyse_batch(
                caller=caller,
                prompts=prompts,
                article_text=article_text,
                view=view,
                claims=claims,
                batch=batch,
                with_summary=index == 0,
                language=language,
                cutoff=cutoff,
                sources=sources,
            )
        )
        for index, batch in enumerate(batches(claims))
    ]
    try:
        for next_done in asyncio.as_completed(tasks):
            yield await next_done
    finally:
        for task in tasks:
            task.cancel()


async def _analyse_batch(
    *,
    caller: StructuredCaller,
    prompts: Prompts,
    article_text: str,
    view: ArticleView,
    claims: Sequence[Claim],
    batch: list[Claim],
    with_summary: bool,
    language: str,
    cutoff: str | None,
    sources: Sources | None,
) -> BatchOutcome:
    messages = analyse_messages(
        prompts=prompts,
        view=view,
        claims=claims,
        analyse=batch,
        with_summary=with_summary,
        language=language,
        cutoff=cutoff,
        sources=sources,
    )
    schema: type[ClaimAnalyses] = ArticleAnalysis if with_summary else ClaimAnalyses
    step = await caller.call(
        system=messages.system,
        user=messages.user,
        marker=messages.marker,
        schema=schema,
        max_tokens=min(MAX_TOKENS, BASE_TOKENS + TOKENS_PER_CLAIM * len(batch)),
    )
    analyses, article_wide = _usable_parts(step)
    outcome = BatchOutcome(claims=[])
    asked = {claim.id for claim in batch}
    unknown = sorted(set(analyses) - {claim.id for claim in claims})
    if unknown:
        outcome.warnings.append(wording.unknown_claims(ids=unknown))
    missing: list[str] = []
    for claim in batch:
        analysis = analyses.get(claim.id)
        if analysis is None or claim.id not in asked:
            missing.append(claim.id)
            outcome.claims.append(mark_failed(claim))
            continue
        merged = apply_analysis(claim=claim, analysis=analysis, view=view, sources=sources)
        outcome.claims.append(merged.claim)
        outcome.warnings.extend(merged.warnings)
    if missing:
        why = step.error or wording.no_analysis_given()
        outcome.warnings.append(wording.analysis_failed(ids=missing, why=why))
    if not with_summary:
        return outcome
    if article_wide is None:
        if not missing:
            outcome.warnings.append(wording.summary_missing(why=step.error or "its answer had no usable summary"))
        return outcome
    if len(article_wide.summary) > limits.SUMMARY_LINES:
        outcome.warnings.append(wording.summary_cut(given=len(article_wide.summary), kept=limits.SUMMARY_LINES))
    outcome.summary = list(article_wide.summary[: limits.SUMMARY_LINES])
    outcome.sourcing_verdict = article_wide.sourcing_verdict or None
    outcome.flags, flag_warnings = await asyncio.to_thread(
        locate_flags, flags=article_wide.flags, article_text=article_text, view=view
    )
    outcome.warnings.extend(flag_warnings)
    return outcome


def _usable_parts(step: StepResult[ClaimAnalyses]) -> tuple[dict[str, ClaimAnalysis], ArticleSummary | None]:
    """Analyses by claim id and the article-wide part: from the valid answer, or salvaged item by item."""
    analyses: dict[str, ClaimAnalysis] = {}
    if step.value is not None:
        value = step.value
        for analysis in value.analyses:
            analyses.setdefault(analysis.claim_id, analysis)
        if isinstance(value, ArticleAnalysis):
            return analyses, ArticleSummary(
                summary=value.summary, sourcing_verdict=value.sourcing_verdict, flags=value.flags
            )
        return analyses, None
    article_wide: ArticleSummary | None = None
    for answer in reversed(step.answers):  # the repaired answer first
        data = loads_lenient(answer)
        if data is None:
            continue
        items = data.get("analyses")
        for item in items if isinstance(items, list) else []:
            try:
                analysis = ClaimAnalysis.model_validate(item)
            except ValidationError:
                continue
            analyses.setdefault(analysis.claim_id, analysis)
        if article_wide is None:
            try:
                article_wide = ArticleSummary.model_validate(data)
            except ValidationError:
                pass
    return analyses, article_wide
