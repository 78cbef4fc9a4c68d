"""Every sentence the LLM engine puts in a report's warnings, in one place and in plain words."""

from __future__ import annotations

from collections.abc import Sequence


def _s(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _ids(ids: Sequence[str]) -> str:
    return ", ".join(ids)


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
        text += f" The offline analysis picked {_s(len(refilled), 'claim')} in their place ({_ids(refilled)})."
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
        f"The LLM pointed {claim_id} to link [L{number}], which the article does not have; "
        "the claim is shown without a link."
    )


def cut(*, claim_id: str, what: str, given: int, kept: int) -> str:
    return f"The LLM gave {given} {what} for {claim_id}; the report keeps the first {kept}."


def summary_cut(*, given: int, kept: int) -> str:
    return f"The LLM wrote {given} summary lines; the report keeps the first {kept}."


def flags_dropped(*, count: int) -> str:
    return (
        f"{_s(count, 'flag')} from the LLM {'was' if count == 1 else 'were'} left out: "
        "the passages they point at are not in the article, or there were more than the report shows."
    )
