"""The LLM engine: two rounds on the critical path, never a crash.

    round 1  find_claims      the article once, sentences marked -> key claims, most important first
    evidence (bot.evidence)   round 1's claims                   -> numbered passages, links traced
    round 2  analyse_claims   the article once, claims marked    -> analyses citing passages, summary, verdict, flags

A default report is two requests. Every fault ends in an ``LLMResult``: round 1
failing gives back the offline claims; a failed analysis keeps its claims, marked
``failed``, next to the ones that succeeded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import openai

from bot.config import Settings
from bot.events import ClaimAnalysed, ClaimsFound
from bot.evidence.citations import Sources
from bot.evidence.stage import EvidencePack
from bot.evidence.step import EvidenceLookup
from bot.llm import wording
from bot.llm.analyse import analyse_claims
from bot.llm.client import build_client
from bot.llm.find import find_claims
from bot.llm.messages import reply_language
from bot.llm.prompts import load_prompts
from bot.llm.structured import ModeMemory, StructuredCaller
from bot.llm.usage import UsageMeter
from bot.llm.view import ArticleView
from bot.models import Article, ArticleFlag, Candidate, Claim, Usage


@dataclass(frozen=True)
class LLMResult:
    claims: list[Claim]  # final claims, report order (LLM-analysed, or the offline ones on round-1 failure)
    summary: list[str]
    sourcing_verdict: str | None
    usage: Usage
    warnings: list[str]
    failed: bool  # True when round 1 failed and the claims are the offline ones
    flags: list[ArticleFlag] = field(default_factory=list)
    unmatched_quotes: list[str] = field(default_factory=list)
    evidence: EvidencePack | None = None  # what round 2 read (None: no lookup, or round 1 failed)


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
        self.model_cutoff: str | None = settings.model_cutoff

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
        evidence: EvidenceLookup | None = None,
    ) -> AsyncIterator[ClaimsFound | ClaimAnalysed | LLMResult]:
        settings = self._settings
        meter = UsageMeter()
        caller = StructuredCaller(
            client=self._client,
            settings=settings,
            model=self.model,
            prompts=self._prompts,
            meter=meter,
            modes=self._modes,
            deadline=asyncio.get_running_loop().time() + settings.llm_deadline_s,
        )
        language = reply_language(settings=settings, article=article)
        view = await asyncio.to_thread(ArticleView.build, article=article, max_chars=settings.max_input_chars)
        warnings: list[str] = [wording.truncated(max_chars=settings.max_input_chars)] if view.truncated else []

        # ---- round 1: the key claims
        found = await find_claims(
            caller=caller,
            prompts=self._prompts,
            article=article,
            view=view,
            candidates=candidates,
            offline_claims=offline_claims,
            max_claims=max_claims,
            language=language,
        )
        meter.dropped_quotes = len(found.unmatched_quotes)
        if found.failure is not None:
            offline = list(offline_claims)
            warnings.append(wording.round1_failed(reason=found.failure))
            yield ClaimsFound(claims=tuple(offline))
            yield LLMResult(
                claims=offline,
                summary=[],
                sourcing_verdict=None,
                usage=meter.to_usage(settings),
                warnings=warnings,
                failed=True,
                unmatched_quotes=found.unmatched_quotes,
            )
            return
        warnings.extend(found.warnings)
        claims = found.claims
        yield ClaimsFound(claims=tuple(claims))

        # ---- evidence: passages for round 1's claims (the lookup never raises; its faults are its warnings)
        pack = await evidence(claims) if evidence is not None else None
        sources = Sources(pack, claims, article_published=article.published) if pack is not None else None

        # ---- round 2: every claim analysed; the summary, verdict and flags from all of them
        claim_view = view
        if any(view.sentence_number(claim.start, claim.end) is None for claim in claims):
            # an offline refill can sit in a paragraph round 1 did not need: round 2 must see it
            claim_view = await asyncio.to_thread(
                ArticleView.build,
                article=article,
                max_chars=settings.max_input_chars,
                keep=[(claim.start, claim.end) for claim in claims],
            )
        final = {claim.id: claim for claim in claims}
        summary: list[str] = []
        verdict: str | None = None
        flags: list[ArticleFlag] = []
        done = 0
        async for outcome in analyse_claims(
            caller=caller,
            prompts=self._prompts,
            article_text=article.text,
            view=claim_view,
            claims=claims,
            language=language,
            cutoff=self.model_cutoff,
            sources=sources,
        ):
            warnings.extend(outcome.warnings)
            summary = outcome.summary or summary
            verdict = outcome.sourcing_verdict or verdict
            flags = outcome.flags or flags
            for claim in outcome.claims:
                final[claim.id] = claim
                done += 1
                yield ClaimAnalysed(claim=claim, index=done, total=len(claims))
        yield LLMResult(
            claims=[final[claim.id] for claim in claims],
            summary=summary,
            sourcing_verdict=verdict,
            usage=meter.to_usage(settings),
            warnings=warnings,
            failed=False,
            flags=flags,
            unmatched_quotes=found.unmatched_quotes,
            evidence=pack,
        )
