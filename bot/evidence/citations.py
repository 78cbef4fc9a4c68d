"""Round 2 with sources: the numbered passages the model reads, and its citations checked against the pages.

The model sees each claim's passages as ``[E3] for c2`` (page text from other sites, fenced as
untrusted data like the article). For each passage it uses it gives a stance and a quote; the
engine keeps a citation only when that quote is on the fetched page (tolerant of whitespace,
quote marks and case, never of paraphrase) and stores the page's own words at their offsets,
with a text-fragment link to them. A point citing nothing that survived is model knowledge,
unverified, and is shown after the cited ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.evidence import notes
from bot.evidence.assemble import evidence_item, numbered, with_evidence
from bot.evidence.dating import timing
from bot.evidence.stage import EvidencePack, Found
from bot.llm.quotes import QuoteLocator
from bot.models import Claim, CounterEvidence, EvidenceItem, LinkCheck
from bot.sourcing.gaps import linked_page_gap

PROMPT_PASSAGE_CHARS = 450  # of each passage, in the prompt: enough to judge it, cheap in tokens
_VERBATIM = frozenset({"verbatim", "spacing"})  # QuoteLocator methods that are the page's own words
_EVIDENCE_ID = re.compile(r"^\W*e?\s*(\d{1,3})\W*$", re.IGNORECASE)
_TIMING_WORDS = {"before": "before the article", "same_day": "the article's day", "after": "after the article"}


class Reading(Protocol):
    """The model's reading of one passage (``bot.llm.schemas.SourceReading``)."""

    @property
    def id(self) -> str: ...
    @property
    def stance(self) -> str: ...
    @property
    def quote(self) -> str: ...


def evidence_id(value: Any) -> Any:
    """``e3`` for ``3``, ``"E3"``, ``"[E3]"``; anything else unchanged."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"e{value}"
    if isinstance(value, str):
        match = _EVIDENCE_ID.match(value)
        return f"e{int(match.group(1))}" if match else value.strip()[:20]
    return value


@dataclass
class Cited:
    claim: Claim
    warnings: list[str] = field(default_factory=list)


class Sources:
    """The passages round 2 reads, numbered for the whole report, and the pages to check quotes against."""

    def __init__(self, pack: EvidencePack, claims: Sequence[Claim], *, article_published: str | None) -> None:
        self.pack = pack
        self.by_claim = numbered(pack, claims)
        self._article_published = article_published
        self._locators: dict[str, QuoteLocator] = {}

    @property
    def empty(self) -> bool:
        return not any(self.by_claim.values())

    def prompt_block(self, claims: Sequence[Claim], *, link_number: Callable[[str], int | None]) -> str:
        """The passages for the prompt, inside the data block: ``[E1] for c1 | who | when`` then the text."""
        lines: list[str] = []
        for claim in claims:
            for eid, found in self.by_claim.get(claim.id, []):
                lines.append(f"[{eid.upper()}] for {claim.id} | {self._describe(found, link_number)}")
                text = " ".join(found.text.split())
                if len(text) > PROMPT_PASSAGE_CHARS:
                    text = text[:PROMPT_PASSAGE_CHARS].rsplit(" ", 1)[0] + " [...]"
                lines.append(f'"{text}"')
        return "\n".join(lines)

    def _describe(self, found: Found, link_number: Callable[[str], int | None]) -> str:
        page, hit = found.source.page, found.source.hit
        parts = []
        if hit.provider == "links":
            number = link_number(hit.url)
            parts.append(f"the article's own link [L{number}]" if number else "the article's own link")
        parts.append(" ".join((page.site_name or hit.publisher or "unknown site").split())[:80])
        published = page.published or hit.published
        when = timing(published, article_published=self._article_published)
        if published:
            parts.append(published[:10] + (f", {_TIMING_WORDS[when]}" if when else ""))
        if not found.independent:
            parts.append("the article's own site")
        return " | ".join(parts)

    def cite(self, claim: Claim, *, readings: Sequence[Reading], context_ids: Sequence[str]) -> Cited:
        """``claim`` (already merged with the model's analysis) with its citations checked and its evidence set.

        ``claim.counter_evidence[i]`` must carry the model's ids in ``evidence_ids``: those not verified here go.
        """
        given = dict(self.by_claim.get(claim.id, []))
        cited = Cited(claim)
        verified: dict[str, EvidenceItem] = {}
        for reading in readings:
            eid = evidence_id(reading.id)
            if eid not in given:
                cited.warnings.append(notes.unknown_citation(claim_id=claim.id, evidence_id=eid))
                continue
            if reading.stance not in {"supports", "contradicts", "context"} or eid in verified:
                continue
            span = self._locate(given[eid], reading.quote)
            if span is None:
                cited.warnings.append(notes.quote_not_on_page(claim_id=claim.id, evidence_id=eid))
                continue
            verified[eid] = evidence_item(
                eid, given[eid], article_published=self._article_published, stance=reading.stance, span=span
            )
        counters = [_checked(point, verified) for point in claim.counter_evidence]
        counters.sort(key=lambda point: not point.evidence_ids)  # cited points first
        context_ids = [i for i in dict.fromkeys(evidence_id(i) for i in context_ids) if i in verified]
        items = list(verified.values())
        if not readings and given:  # the model judged none: show them as related passages, no stance
            items = [
                evidence_item(eid, found, article_published=self._article_published) for eid, found in given.items()
            ]
        updated = claim.model_copy(
            update={
                "counter_evidence": counters,
                "context_evidence_ids": context_ids,
                "context_basis": "retrieval" if context_ids else claim.context_basis,
            }
        )
        updated = with_evidence(updated, self.pack.claims.get(claim.id), items)
        cited.claim = _contradicted_links(updated, verified, given)
        return cited

    def _locate(self, found: Found, quote: str) -> tuple[int, int] | None:
        page = found.source.page
        locator = self._locators.get(page.final_url)
        if locator is None:
            locator = self._locators[page.final_url] = QuoteLocator(page.text)
        match = locator.locate(quote or "")
        return (match.start, match.end) if match is not None and match.method in _VERBATIM else None


def _checked(point: CounterEvidence, verified: dict[str, EvidenceItem]) -> CounterEvidence:
    ids = [i for i in dict.fromkeys(evidence_id(i) for i in point.evidence_ids) if i in verified]
    if not ids:
        return point.model_copy(update={"evidence_ids": [], "basis": point.basis, "to_verify": True})
    return point.model_copy(update={"evidence_ids": ids, "basis": "retrieval", "to_verify": False})


def _contradicted_links(claim: Claim, verified: dict[str, EvidenceItem], given: dict[str, Found]) -> Claim:
    """A linked page the model read as contradicting the claim gets that verdict, with the passage."""
    contradicting = {
        url: item
        for eid, item in verified.items()
        if item.stance == "contradicts"
        for url in (given[eid].source.page.url, given[eid].source.page.final_url)  # as linked, and as fetched
    }
    if not contradicting:
        return claim
    checks: list[LinkCheck] = []
    for check in claim.link_checks:
        item = contradicting.get(check.url)
        if item is not None:
            check = check.model_copy(
                update={"verdict": "contradicts", "missing": [], "quote": item.quote, "fragment_url": item.fragment_url}
            )
        checks.append(check)
    sourcing = claim.sourcing
    if sourcing.link in contradicting:
        sourcing = sourcing.model_copy(update={"gap": linked_page_gap(verdict="contradicts")})
    return claim.model_copy(update={"link_checks": checks, "sourcing": sourcing})
