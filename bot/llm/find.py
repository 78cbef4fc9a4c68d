"""Round 1: the model reads the article once and names its key claims, most important first."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.llm import wording
from bot.llm.claims import choose_claims
from bot.llm.messages import find_claims_messages
from bot.llm.prompts import Prompts
from bot.llm.schemas import FoundClaims
from bot.llm.structured import StructuredCaller
from bot.llm.view import ArticleView
from bot.models import Article, Candidate, Claim

FIND_MAX_TOKENS = 8_000  # reasoning models spend part of this budget thinking
NONE_FOUND = "none of the model's quotes were found in the article"


@dataclass(frozen=True)
class FoundClaimsRound:
    claims: list[Claim]  # report order; empty when ``failure`` is set
    warnings: list[str] = field(default_factory=list)
    unmatched_quotes: list[str] = field(default_factory=list)
    failure: str | None = None  # why the model gave no usable claims (plain words)


async def find_claims(
    *,
    caller: StructuredCaller,
    prompts: Prompts,
    article: Article,
    view: ArticleView,
    candidates: Sequence[Candidate],
    offline_claims: Sequence[Claim],
    max_claims: int,
    language: str,
) -> FoundClaimsRound:
    messages = find_claims_messages(
        prompts=prompts, view=view, candidates=candidates, max_claims=max_claims, language=language
    )
    step = await caller.call(
        system=messages.system,
        user=messages.user,
        marker=messages.marker,
        schema=FoundClaims,
        max_tokens=FIND_MAX_TOKENS,
    )
    if step.value is None:
        return FoundClaimsRound(claims=[], failure=step.error or "no usable answer")
    chosen = await asyncio.to_thread(
        choose_claims,
        found=step.value.claims,
        article=article,
        view=view,
        candidates=candidates,
        offline_claims=offline_claims,
        max_claims=max_claims,
    )
    if not chosen.claims and chosen.unmatched:
        return FoundClaimsRound(claims=[], unmatched_quotes=chosen.unmatched, failure=NONE_FOUND)
    warnings: list[str] = []
    if chosen.unmatched:
        warnings.append(wording.unmatched_quotes(quotes=chosen.unmatched, refilled=chosen.refilled))
    elif chosen.refilled:
        warnings.append(wording.refilled_repeats(refilled=chosen.refilled))
    return FoundClaimsRound(claims=chosen.claims, warnings=warnings, unmatched_quotes=chosen.unmatched)
