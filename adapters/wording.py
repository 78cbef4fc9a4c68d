"""Words every front end shows for a report, kept in one place like bot.outcome's messages.

Renderers add their own markup and escaping around these plain strings.
"""

from __future__ import annotations

from bot.models import Claim, Report, SourcingStatus

SOURCING_LABELS: dict[SourcingStatus, str] = {
    SourcingStatus.NAMED_LINKED: "Named source, linked",
    SourcingStatus.NAMED_UNLINKED: "Named source, no link",
    SourcingStatus.ANONYMOUS: "Anonymous source",
    SourcingStatus.SECONDHAND: "Secondhand (a chain of tellers)",
    SourcingStatus.UNATTRIBUTED: "Unattributed: the writer asserts it",
}


def footer_parts(report: Report) -> list[str]:
    """Engine, time, tokens and cost: what a reader needs to judge the report, as plain strings."""
    engine = report.engine
    parts = [f"Engine: {engine.model}" if engine.mode == "llm" and engine.model else "Engine: offline analysis"]
    if report.cached:
        parts.append("from the cache")
    elif report.timings.total_ms:
        seconds = report.timings.total_ms / 1000
        parts.append(f"{seconds:.2f} s" if seconds < 1 else f"{seconds:.1f} s")
    usage = report.usage
    if usage.llm_calls:
        parts.append(f"{usage.llm_calls} LLM calls")
    if usage.total_tokens:
        parts.append(f"{usage.total_tokens:,} tokens")
    if usage.cost_usd is not None:
        parts.append(f"${usage.cost_usd:.4f}")
    return parts


def claim_rows(claim: Claim) -> list[tuple[str, str]]:
    """A claim's details as (label, plain text) rows, in the order every front end shows them."""
    sourcing = claim.sourcing
    rows: list[tuple[str, str]] = []
    who = " → ".join(sourcing.chain) if sourcing.chain else sourcing.source
    if who:
        rows.append(("source", who + (f" ({sourcing.cue})" if sourcing.cue else "")))
    if sourcing.link:
        rows.append(("link", sourcing.link))
    if sourcing.gap:
        rows.append(("gap", sourcing.gap))
    if claim.context:
        rows.append(("context", claim.context))
    for item in claim.counter_evidence:
        rows.append(("counter-evidence", item.text + (" (model knowledge, to verify)" if item.to_verify else "")))
    for question in claim.questions:
        rows.append(("ask", question))
    if claim.analysis.value == "failed":
        rows.append(("note", "the language model's analysis of this claim failed"))
    return rows
