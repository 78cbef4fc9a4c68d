"""What the model must return, as pydantic models.

The same models give the JSON schema sent as ``response_format`` (strict
Structured Outputs where the server supports it) and validate the answer. Text
fields are cleaned and capped on the way in, so nothing downstream sees raw
model output.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict

from bot.llm.sanitize import clean_lines, clean_text
from bot.models import SourcingStatus


def _text(limit: int) -> AfterValidator:
    return AfterValidator(lambda value: clean_text(value, limit=limit))


def _optional_text(limit: int) -> AfterValidator:
    return AfterValidator(lambda value: (clean_text(value, limit=limit) or None) if value is not None else None)


def _lines(limit: int, max_items: int) -> AfterValidator:
    return AfterValidator(lambda values: clean_lines(values, limit=limit, max_items=max_items))


class _Answer(BaseModel):
    # Servers in JSON mode add stray keys; ignoring them is safer than failing the step.
    model_config = ConfigDict(extra="ignore")


# ---------------------------------------------------------------- round 1


class FoundClaim(_Answer):
    quote: str  # never shown: only used to locate the article's own words (bot.llm.quotes)
    claimant: Annotated[str | None, _optional_text(200)]
    why_it_matters: Annotated[str, _text(400)]


class FoundClaims(_Answer):
    claims: list[FoundClaim]


# ---------------------------------------------------------------- round 2


class SourcingAssessment(_Answer):
    status: SourcingStatus
    source: Annotated[str | None, _optional_text(200)]
    gap: Annotated[str | None, _optional_text(300)]
    link: int | None  # the [L#] number of the article link that backs the source, if any


class ClaimAnalysis(_Answer):
    claim_id: str
    context: Annotated[str, _text(1500)]
    sourcing: SourcingAssessment
    counter_evidence: Annotated[list[str], _lines(500, 5)]
    questions: Annotated[list[str], _lines(300, 5)]
    confidence: Literal["low", "medium", "high"]


class ClaimAnalyses(_Answer):
    analyses: list[ClaimAnalysis]


SummaryLines = Annotated[list[str], _lines(300, 3)]
Verdict = Annotated[str, _text(300)]


class ArticleAnalysis(ClaimAnalyses):
    summary: SummaryLines
    sourcing_verdict: Verdict


class ArticleSummary(_Answer):
    """The summary part of an ArticleAnalysis, to salvage it from an answer whose analyses are broken."""

    summary: SummaryLines
    sourcing_verdict: Verdict
