"""What an editor reads first: the three most serious problems among the key claims, one line each.

Two kinds of problem compete: the weakest sourcing (no source, anonymous, a chain of tellers,
a cited link that does not hold up) and the strongest counter-evidence (retrieved and contradicting
first, then the model's, by its confidence). The best of each kind goes in first, so a report with
many unsourced claims still shows its strongest counter-evidence; the rest by seriousness, one
problem per claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from adapters.view import words
from bot.models import SourcingStatus

if TYPE_CHECKING:
    from adapters.view.report import ClaimView

TRIAGE_SIZE = 3
QUOTE_CHARS = 60
LINE_CHARS = 140

_SOURCING_WEIGHT: dict[SourcingStatus, float] = {
    SourcingStatus.UNATTRIBUTED: 3.0,
    SourcingStatus.ANONYMOUS: 2.8,
    SourcingStatus.SECONDHAND: 2.5,
    SourcingStatus.NAMED_UNLINKED: 1.0,
    SourcingStatus.NAMED_LINKED: 0.0,
}
_CONFIDENCE_WEIGHT = {"high": 1.0, "medium": 0.5, "low": 0.0}


@dataclass(frozen=True, slots=True)
class TriageLine:
    number: int  # the claim's number in the report
    status: SourcingStatus
    kind: Literal["sourcing", "counter"]
    label: str  # the kind of problem in a word or two ("no source", "counter-evidence†")
    excerpt: str  # the start of the claim's quote
    problem: str  # one sentence: what is wrong
    score: float

    @property
    def text(self) -> str:
        """The whole line as plain text (a renderer may mark up its parts instead)."""
        return f"{self.claim} · {self.label} · “{self.excerpt}” {self.problem}"

    @property
    def claim(self) -> str:
        return words.CLAIM.format(number=self.number)


def triage(claims: Sequence[ClaimView]) -> list[TriageLine]:
    candidates = sorted((p for claim in claims for p in _problems(claim)), key=lambda p: -p.score)
    chosen: list[TriageLine] = []
    for kind in ("sourcing", "counter"):  # the best of each kind first
        best = next((p for p in candidates if p.kind == kind), None)
        if best is not None and all(best.number != c.number for c in chosen):
            chosen.append(best)
    for problem in candidates:
        if len(chosen) >= TRIAGE_SIZE:
            break
        if all(problem.number != c.number for c in chosen):
            chosen.append(problem)
    return sorted(chosen[:TRIAGE_SIZE], key=lambda p: -p.score)


def _problems(claim: ClaimView) -> Iterable[TriageLine]:
    excerpt = _excerpt(claim.quote)
    weight = _SOURCING_WEIGHT[claim.status]
    if weight > 0:
        problem = _row_text(claim, words.GAP) or claim.status_label
        yield TriageLine(
            claim.number,
            claim.status,
            "sourcing",
            claim.status_short,
            excerpt,
            _cut(problem),
            weight + claim.checkworthiness,
        )
    counter = _first_counter(claim)
    if counter is not None:
        text, marked, count = counter
        label = words.COUNTER_EVIDENCE.lower() + (words.MODEL_KNOWLEDGE_MARK if marked else "")
        # Retrieved counter-evidence outranks any sourcing problem; the model's ranks by its confidence.
        score = (1.5 + _CONFIDENCE_WEIGHT.get(claim.confidence or "", 0.25) + 0.1 * min(count, 3)) if marked else 4.0
        yield TriageLine(
            claim.number, claim.status, "counter", label, excerpt, _cut(text), score + claim.checkworthiness
        )


def _row_text(claim: ClaimView, label: str) -> str | None:
    for row in claim.rows:
        if row.label == label and row.lines:
            return "".join(p if isinstance(p, str) else p.label for p in row.lines[0])
    return None


def _first_counter(claim: ClaimView) -> tuple[str, bool, int] | None:
    for row in claim.rows:
        if row.label == words.COUNTER_EVIDENCE and row.lines:
            first = "".join(p if isinstance(p, str) else p.label for p in row.lines[0])
            marked = row.marked or first.endswith(" " + words.MODEL_KNOWLEDGE_MARK)
            return first.removesuffix(" " + words.MODEL_KNOWLEDGE_MARK), marked, len(row.lines)
    return None


def _excerpt(quote: str) -> str:
    quote = " ".join(quote.split())
    if len(quote) <= QUOTE_CHARS:
        return quote
    head = quote[: QUOTE_CHARS - 1]
    space = head.rfind(" ")
    return (head[:space] if space > QUOTE_CHARS // 2 else head).rstrip(" ,;:") + "…"


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LINE_CHARS else text[: LINE_CHARS - 1].rstrip() + "…"
