"""Every sentence the evidence stage adds to a report's warnings, in one place."""

from __future__ import annotations


def provider_failed(label: str, reason: str) -> str:
    return f"{label} {reason}: the report has no results from it."


def deadline_reached(deadline_s: float) -> str:
    return f"The evidence search stopped at its {deadline_s:g} s limit; what was not back by then is left out."


def budget_reached(budget: int) -> str:
    return f"Only {budget} pages are read per report; further sources were skipped."


def copies_dropped(count: int) -> str:
    return f"{count} search result(s) were copies of the article itself and are not counted as evidence."


def stage_failed() -> str:
    return "The evidence search failed on our side; this report has no retrieved sources."


def _claim(claim_id: str) -> str:
    return f"Claim {claim_id[1:]}" if claim_id[:1] == "c" and claim_id[1:].isdigit() else f"Claim {claim_id}"


def unknown_citation(*, claim_id: str, evidence_id: str) -> str:
    return f"{_claim(claim_id)}: the LLM cited {evidence_id}, which was not given for it; the citation was dropped."


def quote_not_on_page(*, claim_id: str, evidence_id: str) -> str:
    return f"{_claim(claim_id)}: the LLM's quote from {evidence_id} is not on that page, so the citation was dropped."


def unjudged() -> str:
    """The notice's sentence when sources are shown without a language model."""
    return (
        "The sources under each claim are passages that share its words and figures: no language model read them, "
        "so nobody judged whether they support or contradict the claim."
    )
