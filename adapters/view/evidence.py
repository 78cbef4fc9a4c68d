"""The evidence parts of a claim as view rows: earlier fact-checks, the article's own links checked,
and the retrieved sources, each with its live link (the link policy allows the sources the evidence
cites) and its words from ``words``."""

from __future__ import annotations

from collections.abc import Callable, Collection

from adapters.view import words
from adapters.view.links import is_live, link_label
from adapters.view.parts import Line, Link, Piece, Row
from bot.models import Claim, EvidenceItem, LinkCheck, PriorFactCheck
from bot.sourcing.gaps import linked_page_gap

Prose = Callable[[str | None], str]
CHAT_SOURCES = 3  # sources per claim in chat; the full report (HTML) has them all
CHAT_QUOTE_CHARS = 160
SOURCE_LABEL_CHARS = 40


def _link(url: str | None, allowed: Collection[str], *, prose: Prose) -> Piece | None:
    if not url:
        return None
    return Link(url, link_label(url, max_chars=SOURCE_LABEL_CHARS)) if is_live(url, allowed) else prose(url)


def _shorten(text: str, limit: int | None) -> str:
    text = " ".join(text.split())
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def prior_fact_checks_row(claim: Claim, *, prose: Prose, allowed: Collection[str]) -> Row | None:
    lines = tuple(_prior_line(item, prose=prose, allowed=allowed) for item in claim.prior_fact_checks)
    return Row(words.ALREADY_FACT_CHECKED, lines) if lines else None


def prior_text(item: PriorFactCheck, *, prose: Prose) -> str:
    who = prose(item.publisher or item.site) or link_label(item.url, max_chars=SOURCE_LABEL_CHARS)
    if item.rating:
        return words.PRIOR_FACT_CHECK.format(who=who, rating=prose(item.rating))
    return words.PRIOR_FACT_CHECK_UNRATED.format(who=who)


def _prior_line(item: PriorFactCheck, *, prose: Prose, allowed: Collection[str]) -> Line:
    pieces: list[Piece] = [prior_text(item, prose=prose)]
    if item.review_date:
        pieces.append(f" ({prose(item.review_date)})")
    if item.title:
        pieces.append(f" — {prose(item.title)}")
    link = _link(item.url, allowed, prose=prose)
    if link is not None:
        pieces += [" ", link]
    return tuple(pieces)


def link_check_text(check: LinkCheck, *, prose: Prose) -> str:
    missing = ", ".join(prose(m) for m in check.missing) or "the claim's figures and names"
    text = words.LINK_VERDICTS[check.verdict].format(missing=missing)
    if check.detail:
        text += f" ({prose(check.detail)})"
    return text


def source_link_check(claim: Claim) -> LinkCheck | None:
    """The check of the link the claim's sourcing rests on: shown on the claim's Link row, not again below."""
    link = claim.sourcing.link
    return next((check for check in claim.link_checks if link and check.url == link), None)


def link_check_suffix(check: LinkCheck, *, gap: str | None, prose: Prose, quote_chars: int | None) -> list[Piece]:
    """What the trace found, after the link itself; left unsaid when the gap already says it."""
    pieces: list[Piece] = []
    said = linked_page_gap(verdict=check.verdict, missing=check.missing, detail=check.detail)
    if not (said and gap == said):
        pieces.append(" — " + link_check_text(check, prose=prose))
    if check.quote:
        pieces.append(f": “{_shorten(prose(check.quote), quote_chars)}”")
    return pieces


def link_check_rows(claim: Claim, *, prose: Prose, allowed: Collection[str], quote_chars: int | None) -> list[Row]:
    """The article's other links beside the claim, each with what its page holds."""
    lines: list[Line] = []
    own = source_link_check(claim)
    for check in claim.link_checks:
        if check is own:
            continue
        pieces: list[Piece] = [link_check_text(check, prose=prose)]
        if check.quote:
            pieces.append(f": “{_shorten(prose(check.quote), quote_chars)}”")
        link = _link(check.fragment_url or check.url, allowed, prose=prose)
        if link is not None:
            pieces += [" ", link]
        lines.append(tuple(pieces))
    return [Row(words.LINK_CHECK, tuple(lines))] if lines else []


def shown_evidence(claim: Claim) -> list[EvidenceItem]:
    """The claim's sources less those that only repeat a checked link's passage (unless the model cites them)."""
    checked = {check.fragment_url for check in claim.link_checks if check.fragment_url and check.quote}
    cited = set(claim.context_evidence_ids) | {i for point in claim.counter_evidence for i in point.evidence_ids}
    return [item for item in claim.evidence if item.id in cited or item.fragment_url not in checked]


def sources_row(
    claim: Claim, *, prose: Prose, allowed: Collection[str], limit: int | None, quote_chars: int | None
) -> Row | None:
    every = shown_evidence(claim)
    items = every if limit is None else every[:limit]
    lines = [_source_line(item, prose=prose, allowed=allowed, quote_chars=quote_chars) for item in items]
    if limit is not None and len(every) > limit:
        lines.append((words.SOURCES_MORE.format(count=len(every) - limit),))
    return Row(words.SOURCES, tuple(lines)) if lines else None


def source_head(item: EvidenceItem, *, prose: Prose) -> str:
    """``e1 · Reuters · 2023-01-14, after the article · contradicts``: who, when, and what it does to the claim."""
    parts = [item.id]
    who = prose(item.publisher) or prose(item.title)
    if who:
        parts.append(who)
    when = prose(item.published)
    if item.timing:
        when = f"{when}, {words.TIMINGS[item.timing]}" if when else words.TIMINGS[item.timing]
    if when:
        parts.append(when)
    if item.stance:
        parts.append(words.STANCES[item.stance])
    return " · ".join(parts)


def _source_line(item: EvidenceItem, *, prose: Prose, allowed: Collection[str], quote_chars: int | None) -> Line:
    pieces: list[Piece] = [source_head(item, prose=prose), f": “{_shorten(prose(item.quote), quote_chars)}”"]
    link = _link(item.fragment_url or item.url, allowed, prose=prose)
    if link is not None:
        pieces += [" ", link]
    return tuple(pieces)


def cites(ids: list[str], *, known: set[str]) -> str:
    """`` [e1, e3]`` for the evidence ids a text cites (ids not in the claim's evidence are left out)."""
    shown = [i for i in ids if i in known]
    return " " + words.CITES.format(ids=", ".join(shown)) if shown else ""
