"""Every sentence the LLM engine puts in a report's warnings, in one place and in plain words."""

from __future__ import annotations

from collections.abc import Sequence


def _s(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def claim_name(claim_id: str) -> str:
    """ "claim 4" for "c4": the report numbers its claims as their ids do."""
    return f"claim {claim_id[1:]}" if claim_id[:1] == "c" and claim_id[1:].isdigit() else f"claim {claim_id}"


def _ids(ids: Sequence[str]) -> str:
    """ "claim 4", "claims 2 and 3", "claims 2, 3 and 5"."""
    numbers = [claim_name(claim_id).removeprefix("claim ") for claim_id in ids]
    if len(numbers) == 1:
        return f"claim {numbers[0]}"
    return f"claims {', '.join(numbers[:-1])} and {numbers[-1]}"


def truncated(*, max_chars: int) -> str:
    return f"The article is long: the LLM read its first {max_chars:,} characters only."


def round1_failed(*, reason: str) -> str:
    return f"The LLM could not find the key claims ({reason}), so this report has the offline analysis only."


def unmatched_quotes(*, quotes: Sequence[str], refilled: Sequence[str]) -> str:
    listed = "; ".join(f"\u201c{quote}\u201d" for quote in quotes)
    text = (
        f"The LLM quoted {_s(len(quotes), 'passage')} that the article does not contain, so "
        f"{'that claim was' if len(quotes) == 1 else 'those claims were'} dropped: {listed}."
    )
    if refilled:
        place = "its place" if len(quotes) == 1 else "their place"
        text += f" The offline analysis picked {_s(len(refilled), 'claim')} in {place} ({_ids(refilled)})."
    return text


def refilled_repeats(*, refilled: Sequence[str]) -> str:
    return (
        f"The LLM named the same sentence more than once; the offline analysis picked "
        f"{_s(len(refilled), 'claim')} in its place ({_ids(refilled)})."
    )


def analysis_failed(*, ids: Sequence[str], why: str) -> str:
    return f"The LLM analysis failed for {_ids(ids)} ({why}); the report shows the offline sourcing audit for them."


def no_analysis_given() -> str:
    return "the LLM's answer had no analysis for them"


def summary_missing(*, why: str) -> str:
    return f"The LLM did not write the summary ({why})."


def unknown_claims(*, ids: Sequence[str]) -> str:
    return f"The LLM answered for {_ids(ids)}, which it was not asked about; those answers were left out."


def unknown_link(*, claim_id: str, number: int) -> str:
    return (
        f"The LLM pointed {claim_name(claim_id)} to link [L{number}], which the article does not have; "
        "the claim is shown without a link."
    )


def cut(*, claim_id: str, what: str, given: int, kept: int) -> str:
    return f"The LLM gave {given} {what} for {claim_name(claim_id)}; the report keeps the first {kept}."


def summary_cut(*, given: int, kept: int) -> str:
    return f"The LLM wrote {given} summary lines; the report keeps the first {kept}."


def flags_unmatched(*, count: int) -> str:
    it = "the passage it quotes is" if count == 1 else "the passages they quote are"
    return f"{_s(count, 'flag')} from the LLM {'was' if count == 1 else 'were'} left out: {it} not in the article."


def flags_cut(*, given: int, kept: int) -> str:
    return f"The LLM raised {given} flags; the report keeps the first {kept}."
