"""What an editor reads first: the three most serious problems among the key claims, one line each.

Two kinds of problem compete: the weakest sourcing (no source, anonymous, a chain of tellers, a
cited link that does not hold the claim) and the strongest counter-evidence (an earlier fact-check,
a retrieved passage or the article's own link contradicting it, then the model's counter-points by
its confidence). The best of each kind goes in first, so a report with many unsourced claims still
shows its strongest counter-evidence; the rest by seriousness, one problem per claim.
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
LINE_CHARS = 110

_SOURCING_WEIGHT: dict[SourcingStatus, float] = {
    SourcingStatus.UNATTRIBUTED: 3.0,
    SourcingStatus.ANONYMOUS: 2.8,
    SourcingStatus.SECONDHAND: 2.5,
    SourcingStatus.NAMED_UNLINKED: 1.0,
    SourcingStatus.NAMED_LINKED: 0.0,
    SourcingStatus.NOT_ASSESSED: 1.0,  # unknown: neither first nor last
}
# Each teller past the second takes the claim further from anyone who could vouch for it: a third-hand
# chain (0.6 a teller past the second) outranks a figure the writer states without a source, at equal
# check-worthiness: a relayed Telegram post is what an editor must chase first.
_EXTRA_TELLER_WEIGHT = 0.6
_LINK_WEIGHT = {"not_found": 3.2, "dead": 2.0}  # the article's own source does not hold the claim
_CONFIDENCE_WEIGHT = {"high": 1.0, "medium": 0.5, "low": 0.0}


@dataclass(frozen=True, slots=True)
class Signals:
    """What a claim's problems are, in words already through the link policy."""

    gap: str | None = None
    counter: tuple[str, bool, int] | None = None  # the first counter-point, is it the model's, how many
    contradicted_by: str | None = None  # a retrieved passage that contradicts the claim
    link_verdict: str | None = None  # the article's own link: contradicts / not_found / dead
    link_problem: str | None = None
    prior: str | None = None  # an earlier fact-check: "PolitiFact: “Mostly false”"
    tellers: int = 0  # the links in a secondhand chain (council member -> TV channel -> memo -> forum post)


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
    def claim(self) -> str:
        return words.CLAIM.format(number=self.number)

    @property
    def text(self) -> str:
        """The whole line as plain text (a renderer may mark up its parts instead)."""
        return f"{self.claim} · {self.label} · “{self.excerpt}” {self.problem}"


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
    signals = claim.signals
    excerpt = _excerpt(claim.quote)

    def line(kind: Literal["sourcing", "counter"], label: str, problem: str, score: float) -> TriageLine:
        return TriageLine(
            claim.number, claim.status, kind, label, excerpt, _cut(problem), score + claim.checkworthiness
        )

    weight = _SOURCING_WEIGHT[claim.status]
    if claim.status is SourcingStatus.SECONDHAND:
        weight += _EXTRA_TELLER_WEIGHT * max(0, signals.tellers - 2)
    if weight > 0:
        yield line("sourcing", claim.status_short, signals.gap or claim.status_label, weight)
    if signals.link_verdict in _LINK_WEIGHT and signals.link_problem:
        yield line("sourcing", words.LINK_CHECK.lower(), signals.link_problem, _LINK_WEIGHT[signals.link_verdict])
    if signals.prior:
        yield line("counter", words.ALREADY_FACT_CHECKED.lower(), signals.prior, 5.0)
    if signals.link_verdict == "contradicts" and signals.link_problem:
        yield line("counter", words.LINK_CHECK.lower(), signals.link_problem, 4.5)
    if signals.contradicted_by:
        yield line("counter", words.COUNTER_EVIDENCE.lower(), signals.contradicted_by, 4.2)
    if signals.counter is not None:
        text, marked, count = signals.counter
        label = words.COUNTER_EVIDENCE.lower() + (words.MODEL_KNOWLEDGE_MARK if marked else "")
        # Cited counter-evidence outranks any sourcing problem; the model's ranks by its confidence.
        score = (1.5 + _CONFIDENCE_WEIGHT.get(claim.confidence or "", 0.25) + 0.1 * min(count, 3)) if marked else 4.0
        yield line("counter", label, text, score)


def _excerpt(quote: str) -> str:
    quote = " ".join(quote.split())
    if len(quote) <= QUOTE_CHARS:
        return quote
    head = quote[: QUOTE_CHARS - 1]
    space = head.rfind(" ")
    return (head[:space] if space > QUOTE_CHARS // 2 else head).rstrip(" ,;:") + "…"


def _cut(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= LINE_CHARS:
        return text
    head = text[: LINE_CHARS - 1]
    space = head.rfind(" ")
    return (head[:space] if space > LINE_CHARS // 2 else head).rstrip(" ,;:") + "…"
