"""Words every front end shows for a report, kept in one place like bot.outcome's messages.

Renderers add their own markup and escaping around these plain strings.
"""

from __future__ import annotations

from bot.models import Report, SourcingStatus

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
        parts.append(f"{report.timings.total_ms / 1000:.1f} s")
    usage = report.usage
    if usage.llm_calls:
        parts.append(f"{usage.llm_calls} LLM calls")
    if usage.total_tokens:
        parts.append(f"{usage.total_tokens:,} tokens")
    if usage.cost_usd is not None:
        parts.append(f"${usage.cost_usd:.4f}")
    return parts
