"""What the model must return, as pydantic models.

The same models give the JSON schema sent as ``response_format`` (strict
Structured Outputs where the server supports it) and validate the answer. Text
fields are cleaned on the way in, so nothing downstream sees raw model output.
Validation is lenient about form a model gets wrong without meaning anything
by it (``"4"`` or ``"C4"`` for ``c4``, ``"L2"`` for ``2``, ``"Medium"``, a bare
string for a counter-point) and strict about content. Lists are only guarded
against floods here; ``bot.llm.limits`` says how many items a report keeps.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Annotated, Any, Literal

from openai.lib import type_to_response_format_param
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from bot.evidence.citations import evidence_id
from bot.llm.limits import LIST_FLOOD_CAP
from bot.llm.sanitize import clean_lines, clean_text, strip_list_mark, strip_self_labels
from bot.models import SourcingStatus

_CLAIM_ID = re.compile(r"^\W*(?:claim\s*)?c?\s*(\d{1,3})\W*$", re.IGNORECASE)
_LINK_NUMBER = re.compile(r"^\W*L?\s*(\d{1,3})\W*$", re.IGNORECASE)


def _text(limit: int) -> AfterValidator:
    return AfterValidator(lambda value: clean_text(value, limit=limit))


def _optional_text(limit: int) -> AfterValidator:
    return AfterValidator(lambda value: (clean_text(value, limit=limit) or None) if value is not None else None)


def _knowledge(limit: int) -> AfterValidator:
    """Model knowledge: cleaned, and without the model's own "(to verify)" tags (the report adds its label)."""
    return AfterValidator(lambda value: clean_text(strip_self_labels(value), limit=limit))


def _lines(limit: int) -> AfterValidator:
    return AfterValidator(lambda values: clean_lines(values, limit=limit, max_items=LIST_FLOOD_CAP))


def normalize_claim_id(value: Any) -> Any:
    """``c4`` for ``4``, ``"4"``, ``"C4"``, ``"[c4]"`` or ``"claim 4"``; anything else unchanged."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"c{value}"
    if isinstance(value, str):
        match = _CLAIM_ID.match(value)
        return f"c{int(match.group(1))}" if match else value.strip()[:20]
    return value


def _link_number(value: Any) -> Any:
    if isinstance(value, str):
        match = _LINK_NUMBER.match(value)
        return int(match.group(1)) if match else (None if not value.strip() or value.lower() == "null" else value)
    return value


def _lower(value: Any) -> Any:
    return value.strip().lower().replace(" ", "_").replace("-", "_") if isinstance(value, str) else value


def _counter_point(value: Any) -> Any:
    return {"text": value, "verify_with": None, "sources": []} if isinstance(value, str) else value


def _unbulleted(values: Any) -> Any:
    return [strip_list_mark(v) if isinstance(v, str) else v for v in values] if isinstance(values, list) else values


def _drop_empty(values: list[Any]) -> list[Any]:
    return [value for value in values if getattr(value, "text", None)][:LIST_FLOOD_CAP]


class _Answer(BaseModel):
    # Servers in JSON mode add stray keys; ignoring them is safer than failing the step.
    model_config = ConfigDict(extra="ignore")


# ---------------------------------------------------------------- round 1


class FoundClaim(_Answer):
    sentence: Annotated[str | None, _optional_text(12)]  # "S12": where the quote is, a hint for locating it
    quote: str  # never shown: only used to locate the article's own words (bot.llm.quotes)
    claimant: Annotated[str | None, _optional_text(200)]
    why_it_matters: Annotated[str, _text(400)]


class FoundClaims(_Answer):
    claims: Annotated[list[FoundClaim], AfterValidator(lambda items: items[:LIST_FLOOD_CAP])]


# ---------------------------------------------------------------- round 2


def _assessed(status: SourcingStatus) -> SourcingStatus:
    if status is SourcingStatus.NOT_ASSESSED:
        raise ValueError("the model reads the page: it gives one of the five readings")
    return status


_READINGS = [s.value for s in SourcingStatus if s is not SourcingStatus.NOT_ASSESSED]


class SourcingReading(_Answer):
    # "not_assessed" is the offline audit's answer for a language it does not read, never the model's.
    status: Annotated[
        SourcingStatus,
        BeforeValidator(_lower),
        AfterValidator(_assessed),
        WithJsonSchema({"type": "string", "enum": _READINGS}),
    ]
    source: Annotated[str | None, _optional_text(200)]
    chain: Annotated[list[str], _lines(120)] = Field(default_factory=list)  # secondhand: outermost teller first
    link: Annotated[int | None, BeforeValidator(_link_number)]  # [L#] of the article link to the source
    gap: Annotated[str | None, _optional_text(300)]


EvidenceId = Annotated[str, BeforeValidator(evidence_id)]


class SourceReading(_Answer):
    """The model's reading of one retrieved passage (bot.evidence.citations checks the quote on the page)."""

    id: EvidenceId  # "e3" for "E3"
    stance: Annotated[Literal["supports", "contradicts", "context", "unrelated"], BeforeValidator(_lower)]
    quote: Annotated[str, _text(600)]


class CounterPoint(_Answer):
    text: Annotated[str, _knowledge(500)]
    verify_with: Annotated[str | None, _optional_text(200)] = None
    sources: list[EvidenceId] = Field(default_factory=list)  # the passages it rests on


class ClaimAnalysis(_Answer):
    claim_id: Annotated[str, BeforeValidator(normalize_claim_id)]
    article_support: Annotated[str | None, _optional_text(600)] = None
    sourcing: SourcingReading
    context: Annotated[str, _knowledge(1500)]
    counter_evidence: Annotated[
        list[Annotated[CounterPoint, BeforeValidator(_counter_point)]], AfterValidator(_drop_empty)
    ]
    questions: Annotated[list[str], _lines(300)]
    confidence: Annotated[Literal["low", "medium", "high"], BeforeValidator(_lower)]
    sources: Annotated[list[SourceReading], AfterValidator(lambda items: items[:LIST_FLOOD_CAP])] = Field(
        default_factory=list
    )
    context_sources: list[EvidenceId] = Field(default_factory=list)  # the passages `context` rests on


class FlagAnswer(_Answer):
    kind: Annotated[Literal["opinion_as_fact", "inconsistency"], BeforeValidator(_lower)]
    quotes: Annotated[list[str], AfterValidator(lambda values: [v for v in values if isinstance(v, str)][:4])]
    note: Annotated[str, _text(300)]


class ClaimAnalyses(_Answer):
    analyses: Annotated[list[ClaimAnalysis], AfterValidator(lambda items: items[:LIST_FLOOD_CAP])]


Summary = Annotated[list[str], BeforeValidator(_unbulleted), _lines(300)]
Verdict = Annotated[str, _text(300)]
Flags = Annotated[list[FlagAnswer], AfterValidator(lambda items: items[:LIST_FLOOD_CAP])]


class ArticleAnalysis(ClaimAnalyses):
    summary: Summary
    sourcing_verdict: Verdict
    flags: Flags = Field(default_factory=list)


class ArticleSummary(_Answer):
    """The article-wide part of an ArticleAnalysis, to salvage it from an answer whose analyses are broken."""

    summary: Summary
    sourcing_verdict: Verdict
    flags: Flags = Field(default_factory=list)


# ---------------------------------------------------------------- the schema as sent


def _without_titles(node: Any) -> Any:
    """The schema without pydantic's "title" annotations: the model does not need them, the bill counts them."""
    if isinstance(node, dict):
        return {
            key: _without_titles(value)
            for key, value in node.items()
            if not (key == "title" and isinstance(value, str))
        }
    if isinstance(node, list):
        return [_without_titles(item) for item in node]
    return node


def response_format(schema: type[BaseModel]) -> dict[str, Any]:
    """``response_format`` for strict Structured Outputs (a fresh copy: the caller may change it)."""
    return json.loads(_response_format_json(schema))


@functools.cache
def _response_format_json(schema: type[BaseModel]) -> str:
    # Building the strict schema walks pydantic's JSON Schema generator: ~17 ms of CPU per request
    # when done each time, for the same few schemas (every report made two requests).
    param: Any = type_to_response_format_param(schema)
    return json.dumps(_without_titles(dict(param)))


@functools.cache
def schema_text(schema: type[BaseModel]) -> str:
    """The JSON Schema for the prompt, when the server cannot take it as ``response_format``."""
    return json.dumps(_without_titles(schema.model_json_schema()), ensure_ascii=False, separators=(",", ":"))
