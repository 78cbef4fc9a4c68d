"""Read the JSON object out of a model's answer, as real models write it.

Models wrap the object in reasoning (``<think>…</think>``), prose before and after
it (prose that may itself hold ``{`` or ``}``), or a code fence; the object's own
strings may hold three backticks (an article can plant them in a quote). So the
object is found by decoding, not by pattern: every ``{`` is tried with the JSON
decoder, nested objects are skipped, and the last object that fits the schema
wins (a model that corrects itself writes the fixed object last). Code fences
are only a second chance, for an answer in which no object decodes as it stands.

A failure is described twice: with field paths for the repair request (the
model fixes paths best) and in plain words for the report's warnings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.llm.schemas import normalize_claim_id
from bot.llm.wording import claim_name

T = TypeVar("T", bound=BaseModel)

_REASONING = re.compile(r"<(think|thinking|reasoning|reflection)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_REASONING_END = re.compile(r"</(?:think|thinking|reasoning|reflection)\s*>", re.IGNORECASE)
_REASONING_OPEN = re.compile(r"<(?:think|thinking|reasoning|reflection)\b[^>]*>", re.IGNORECASE)
_FENCE = re.compile(r"```[a-zA-Z0-9_-]*[ \t]*\n(.*?)\n[ \t]*```", re.DOTALL)
MAX_ANSWER_CHARS = 200_000  # a longer answer is cut before parsing (a flood is not worth the CPU)
MAX_DECODE_ATTEMPTS = 200  # "{" positions tried per answer: bounds the work on hostile text


@dataclass(frozen=True)
class Problem:
    """Why an answer could not be used."""

    for_model: str  # precise (field paths), for the repair request
    for_reader: str  # plain words, for the report's warnings


class InvalidAnswer(ValueError):
    """The model answered, but not with the JSON we asked for."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.for_reader)
        self.problem = problem


def strip_reasoning(text: str) -> str:
    """The answer without its reasoning blocks.

    A dangling end tag (servers that strip the opening one) drops everything before it; a dangling
    opening tag (reasoning cut off by the token limit) drops everything after it: drafts are not answers."""
    text = _REASONING.sub(" ", text[:MAX_ANSWER_CHARS])
    ends = list(_REASONING_END.finditer(text))
    if ends:
        text = text[ends[-1].end() :]
    opening = _REASONING_OPEN.search(text)
    if opening:
        text = text[: opening.start()]
    return text


def json_objects(text: str) -> list[dict[str, Any]]:
    """Every top-level JSON object in ``text``, in order (nested ones belong to their parent)."""
    decoder = json.JSONDecoder()
    found: list[dict[str, Any]] = []
    position = text.find("{")
    attempts = 0
    while position >= 0 and attempts < MAX_DECODE_ATTEMPTS:
        attempts += 1
        try:
            value, end = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            position = text.find("{", position + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        position = text.find("{", end)
    return found


def answer_objects(text: str) -> list[dict[str, Any]]:
    """The candidate objects of an answer: decoded as it stands, else from its code fences."""
    body = strip_reasoning(text)
    found = json_objects(body)
    if found:
        return found
    for fence in _FENCE.finditer(body):
        found.extend(json_objects(fence.group(1)))
    return found


def parse_answer(text: str, schema: type[T]) -> T:
    """The last object of the answer that fits ``schema``; ``InvalidAnswer`` says why none does."""
    objects = answer_objects(text)
    if not objects:
        if not strip_reasoning(text).strip():
            raise InvalidAnswer(Problem("the answer was empty", "the model's answer was empty"))
        raise InvalidAnswer(
            Problem("the answer was prose, not a JSON object", "the model answered in prose instead of JSON")
        )
    first_error: ValidationError | None = None
    for value in reversed(objects):
        try:
            return schema.model_validate(value)
        except ValidationError as exc:
            first_error = first_error or exc  # the last object's errors are the ones worth repairing
    assert first_error is not None
    raise InvalidAnswer(describe_errors(first_error, objects[-1]))


def loads_lenient(text: str) -> dict[str, Any] | None:
    """The last JSON object of an answer, for salvaging parts of it; None when there is none."""
    objects = answer_objects(text)
    return objects[-1] if objects else None


# ---------------------------------------------------------------- problems in words

_FIELD_WORDS = {
    "claims": "the list of claims",
    "quote": "the quote",
    "sentence": "the sentence id",
    "claimant": "the claimant",
    "why_it_matters": "why it matters",
    "analyses": "the list of analyses",
    "claim_id": "the claim id",
    "article_support": "what the article offers",
    "context": "the context",
    "sourcing": "the sourcing",
    "status": "the sourcing status",
    "source": "the source",
    "chain": "the chain of tellers",
    "gap": "the sourcing gap",
    "link": "the link number",
    "counter_evidence": "the counter-evidence",
    "text": "the text",
    "verify_with": "what to check it against",
    "questions": "the questions",
    "confidence": "the confidence",
    "summary": "the summary",
    "sourcing_verdict": "the sourcing verdict",
    "flags": "the flags",
    "kind": "the kind",
    "quotes": "the quotes",
    "note": "the note",
}
_ITEM_WORDS = {"claims": "claim", "analyses": "analysis", "counter_evidence": "counter-point", "flags": "flag"}


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _where(loc: tuple[int | str, ...], data: Any) -> tuple[str, str | None]:
    """(where in the answer, in words; the field concerned) for a pydantic error location."""
    places: list[str] = []
    field: str | None = None
    node = data
    parent: str | None = None
    for part in loc:
        if isinstance(part, int):
            item = _ITEM_WORDS.get(parent or "", "item")
            entry = node[part] if isinstance(node, list) and part < len(node) else None
            claim_id = normalize_claim_id(entry.get("claim_id")) if isinstance(entry, dict) else None
            if isinstance(claim_id, str) and claim_id:
                places.append(f"its {item} of {claim_name(claim_id[:12])}")
            else:
                places.append(f"its {_ordinal(part + 1)} {item}")
            field = None
        else:
            field = part
            parent = part
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return (", ".join(places[-2:]) if places else "its answer"), field


def describe_errors(exc: ValidationError, data: Any) -> Problem:
    """A validation failure as field paths (for the model) and as a sentence (for the reader)."""
    errors = exc.errors()[:6]
    paths = "; ".join(f"{'.'.join(str(part) for part in error['loc']) or 'answer'}: {error['msg']}" for error in errors)
    words: list[str] = []
    for error in errors[:3]:
        where, field = _where(tuple(error["loc"]), data)
        noun = _FIELD_WORDS.get(field or "", "a field") if field else "an entry"
        kind = error["type"]
        if kind == "missing":
            words.append(f"{where} left out {noun}")
        elif kind in {"enum", "literal_error"}:
            words.append(f"{where} gave {noun} a value that is not allowed")
        else:
            words.append(f"{where} gave {noun} in the wrong form")
    more = len(exc.errors()) - len(words)
    reader = "; ".join(words) + (f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else "")
    return Problem(f"it did not match the schema ({paths})", f"the model's answer did not fit: {reader}")
