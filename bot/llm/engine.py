"""The LLM engine: two rounds on the critical path, never a crash.

Round 1 finds the key claims (one request). Round 2 analyses them: one request
for up to three claims, otherwise two requests in parallel (the first also
writes the summary and the overall verdict), so an article costs at most three
requests when nothing fails. Every fault ends in an ``LLMResult``: round 1
failing gives back the offline claims; a failed analysis keeps its claims,
marked ``failed``, next to the ones that succeeded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import openai
from pydantic import ValidationError

from bot.config import Settings
from bot.events import ClaimAnalysed, ClaimsFound
from bot.llm.claims import apply_analysis, claims_from_quotes, mark_failed
from bot.llm.client import build_client
from bot.llm.messages import ArticleView, analyse_messages, find_claims_messages, new_marker, reply_language
from bot.llm.prompts import load_prompts
from bot.llm.schemas import ArticleAnalysis, ArticleSummary, ClaimAnalyses, ClaimAnalysis, FoundClaims
from bot.llm.structured import ModeMemory, StepResult, StructuredCaller, loads_lenient
from bot.llm.usage import UsageMeter
from bot.models import Article, Candidate, Claim, Usage

SINGLE_BATCH_MAX = 3  # up to this many claims, one analysis request is cheaper and as fast
FIND_MAX_TOKENS = 8_000  # reasoning models spend part of this budget thinking
ANALYSE_BASE_TOKENS = 4_000
ANALYSE_TOKENS_PER_CLAIM = 2_000
ANALYSE_MAX_TOKENS = 16_000


@dataclass(frozen=True)
class LLMResult:
    claims: list[Claim]  # final claims (LLM-analysed, or the offline ones on round-1 failure)
    summary: list[str]  # <= 3 lines
    sourcing_verdict: str | None
    usage: Usage
    warnings: list[str]
    failed: bool  # True when round 1 failed and the claims are the offline ones


@dataclass(frozen=True)
class _BatchOutcome:
    claims: list[Claim]  # the batch's claims, analysed or marked failed
    summary: list[str]
    sourcing_verdict: str | None
    warnings: list[str]


def _batches(claims: list[Claim]) -> list[list[Claim]]:
    if len(claims) <= SINGLE_BATCH_MAX:
        return [claims]
    # The first request also writes the summary, so it gets the smaller half.
    half = len(claims) // 2
    return [claims[:half], claims[half:]]


def _ids(claims: Sequence[Claim]) -> str:
    return ", ".join(claim.id for claim in claims)


class LLMEngine:
    """Asks an OpenAI-compatible model for key claims, context, sourcing gaps and counter-evidence."""

    def __init__(self, *, settings: Settings, client: openai.AsyncOpenAI | None = None) -> None:
        self._settings = settings
        self._client = client if client is not None else build_client(settings)
        self._owns_client = client is None
        self._prompts = load_prompts()
        self._modes = ModeMemory()
        self.prompt_version: str = self._prompts.version
        self.model: str = settings.model

    async def aclose(self) -> None:
        """Close the HTTP client if this engine built it."""
        if self._owns_client:
            await self._client.close()

    async def __aenter__(self) -> LLMEngine:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def run(
        self,
        *,
        article: Article,
        candidates: Sequence[Candidate],
        offline_claims: Sequence[Claim],
        max_claims: int,
    ) -> AsyncIterator[ClaimsFound | ClaimAnalysed | LLMResult]:
        settings = self._settings
        loop = asyncio.get_running_loop()
        meter = UsageMeter()
        caller = StructuredCaller(
            client=self._client,
            settings=settings,
            model=self.model,
            prompts=self._prompts,
            meter=meter,
            modes=self._modes,
            deadline=loop.time() + settings.llm_deadline_s,
        )
        language = reply_language(settings=settings, article=article)
        view = ArticleView.build(article=article, max_chars=settings.max_input_chars)
        warnings: list[str] = []
        if view.truncated:
            warnings.append(
                f"The article is long: the LLM read its first {settings.max_input_chars:,} characters only."
            )

        # ---- round 1: the key claims
        system, user = find_claims_messages(
            prompts=self._prompts,
            view=view,
            candidates=candidates,
            max_claims=max_claims,
            language=language,
            marker=new_marker(),
        )
        found = await caller.call(system=system, user=user, schema=FoundClaims, max_tokens=FIND_MAX_TOKENS)
        claims: list[Claim] = []
        reason = found.error
        if found.value is not None:
            claims, meter.dropped_quotes = await asyncio.to_thread(
                claims_from_quotes,
                found=found.value.claims,
                article=article,
                candidates=candidates,
                offline_claims=offline_claims,
                max_claims=max_claims,
            )
            if not claims and meter.dropped_quotes:
                reason = "none of the model's quotes were found in the article"
        if reason is not None:
            offline = list(offline_claims)
            warnings.append(
                f"The LLM could not find the key claims ({reason}), so this report has the offline analysis only."
            )
            yield ClaimsFound(claims=tuple(offline))
            yield LLMResult(
                claims=offline,
                summary=[],
                sourcing_verdict=None,
                usage=meter.to_usage(settings),
                warnings=warnings,
                failed=True,
            )
            return
        if meter.dropped_quotes:
            warnings.append(
                f"{meter.dropped_quotes} claim(s) from the LLM were dropped because their quote is not in the article."
            )
        yield ClaimsFound(claims=tuple(claims))

        # ---- round 2: analyses, in parallel batches
        final: dict[str, Claim] = {claim.id: claim for claim in claims}
        position = {claim.id: index for index, claim in enumerate(claims, start=1)}
        summary: list[str] = []
        verdict: str | None = None
        batches = _batches(claims) if claims else [[]]
        tasks = [
            asyncio.create_task(
                self._analyse(caller=caller, view=view, batch=batch, with_summary=index == 0, language=language)
            )
            for index, batch in enumerate(batches)
        ]
        try:
            for next_done in asyncio.as_completed(tasks):
                outcome = await next_done
                warnings.extend(outcome.warnings)
                if outcome.summary:
                    summary = outcome.summary
                if outcome.sourcing_verdict:
                    verdict = outcome.sourcing_verdict
                for claim in outcome.claims:
                    final[claim.id] = claim
                    yield ClaimAnalysed(claim=claim, index=position[claim.id], total=len(claims))
        finally:
            for task in tasks:
                task.cancel()
        yield LLMResult(
            claims=[final[claim.id] for claim in claims],
            summary=summary,
            sourcing_verdict=verdict,
            usage=meter.to_usage(settings),
            warnings=warnings,
            failed=False,
        )

    async def _analyse(
        self,
        *,
        caller: StructuredCaller,
        view: ArticleView,
        batch: list[Claim],
        with_summary: bool,
        language: str,
    ) -> _BatchOutcome:
        system, user = analyse_messages(
            prompts=self._prompts,
            view=view,
            claims=batch,
            with_summary=with_summary,
            language=language,
            marker=new_marker(),
        )
        schema: type[ClaimAnalyses] = ArticleAnalysis if with_summary else ClaimAnalyses
        max_tokens = min(ANALYSE_MAX_TOKENS, ANALYSE_BASE_TOKENS + ANALYSE_TOKENS_PER_CLAIM * len(batch))
        step = await caller.call(system=system, user=user, schema=schema, max_tokens=max_tokens)
        analyses, summary, verdict = _usable_parts(step)
        warnings: list[str] = []
        out: list[Claim] = []
        missing: list[Claim] = []
        for claim in batch:
            analysis = analyses.get(claim.id)
            if analysis is None:
                missing.append(claim)
                out.append(mark_failed(claim))
            else:
                out.append(apply_analysis(claim=claim, analysis=analysis, view=view))
        if missing:
            why = step.error or "the model returned no usable analysis for them"
            warnings.append(
                f"The LLM analysis failed for claim(s) {_ids(missing)} ({why}); "
                "they show the offline sourcing audit only."
            )
        if with_summary and not summary and not missing:
            warnings.append(f"The LLM did not write the summary ({step.error or 'no usable summary in its answer'}).")
        return _BatchOutcome(claims=out, summary=summary, sourcing_verdict=verdict, warnings=warnings)


def _usable_parts(step: StepResult[ClaimAnalyses]) -> tuple[dict[str, ClaimAnalysis], list[str], str | None]:
    """Analyses by claim id, summary and verdict; from the valid answer, or salvaged item by item."""
    analyses: dict[str, ClaimAnalysis] = {}
    if step.value is not None:
        value = step.value
        analyses = {analysis.claim_id: analysis for analysis in value.analyses}
        if isinstance(value, ArticleAnalysis):
            return analyses, value.summary, value.sourcing_verdict or None
        return analyses, [], None
    summary: list[str] = []
    verdict: str | None = None
    for answer in reversed(step.answers):  # the repaired answer first
        data = loads_lenient(answer)
        if not isinstance(data, dict):
            continue
        items = data.get("analyses")
        for item in items if isinstance(items, list) else []:
            try:
                analysis = ClaimAnalysis.model_validate(item)
            except ValidationError:
                continue
            analyses.setdefault(analysis.claim_id, analysis)
        if not summary:
            try:
                parts = ArticleSummary.model_validate(data)
            except ValidationError:
                continue
            summary, verdict = parts.summary, parts.sourcing_verdict or None
    return analyses, summary, verdict
