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
