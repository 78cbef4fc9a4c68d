"""From the stage's pack to the report: numbered evidence items, link checks, earlier fact-checks, a summary.

Evidence ids (``e1``, ``e2``...) run through the whole report in claim order: the model cites them
by number. A claim whose own sourcing link was traced gets the trace's gap (through the
sourcing audit's wording, ``bot.sourcing.gaps.linked_page_gap``).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.evidence.dating import timing
from bot.evidence.fragments import fragment_url
from bot.evidence.independence import site_of
from bot.evidence.stage import ClaimEvidence, EvidencePack, Found
from bot.evidence.text import host_of
from bot.models import Claim, EvidenceItem, EvidenceSummary, LinkCheck, Sourcing
from bot.sourcing.gaps import asks_to_check_the_link, linked_page_gap


def numbered(pack: EvidencePack, claims: Sequence[Claim]) -> dict[str, list[tuple[str, Found]]]:
    """Each claim's passages with their report-wide ids, in claim order."""
    out: dict[str, list[tuple[str, Found]]] = {}
    number = 0
    for claim in claims:
        state = pack.claims.get(claim.id)
        out[claim.id] = []
        for found in state.passages if state else []:
            number += 1
            out[claim.id].append((f"e{number}", found))
    return out


def evidence_item(
    evidence_id: str,
    found: Found,
    *,
    article_published: str | None,
    stance: str | None = None,
    span: tuple[int, int] | None = None,
) -> EvidenceItem:
    """An item quoting ``page.text[span]`` (default: the whole passage), with a fragment link to it."""
    page, hit = found.source.page, found.source.hit
    start, end = span or (found.start, found.end)
    published = page.published or hit.published
    return EvidenceItem(
        id=evidence_id,
        url=page.final_url,
        title=page.title or hit.title,
        publisher=page.site_name or hit.publisher or host_of(page.final_url),
        published=published,
        timing=timing(published, article_published=article_published),
        quote=page.text[start:end],
        start=start,
        end=end,
        provider=hit.provider,
        stance=stance,  # validated against the Literal by pydantic
        independent=found.independent,
        fragment_url=fragment_url(page.final_url, text=page.text, start=start, end=end),
    )


def with_evidence(claim: Claim, state: ClaimEvidence | None, items: list[EvidenceItem]) -> Claim:
    """``claim`` carrying its evidence, link checks and earlier fact-checks; its gap updated from its own link."""
    if state is None:
        return claim
    checks = list(state.link_checks.values())
    sites = {site_of(item.url) for item in items if item.independent}
    return claim.model_copy(
        update={
            "evidence": items,
            "link_checks": checks,
            "prior_fact_checks": list(state.prior),
            "independent_sources": len(sites - {None}),
            "sourcing": _traced_sourcing(claim, checks),
        }
    )


def _traced_sourcing(claim: Claim, checks: list[LinkCheck]) -> Sourcing:
    """A claim resting on a link whose page does not hold it gets that as its gap: what the trace read beats a guess.

    Only a page that was read changes the gap; a dead or unreadable link (which may be our network's fault as much
    as the site's) is shown as its own line and leaves the audit's gap alone."""
    sourcing = claim.sourcing
    check = next((c for c in checks if sourcing.link and c.url == sourcing.link), None)
    if check is not None and check.verdict == "supports" and asks_to_check_the_link(sourcing.gap):
        return sourcing.model_copy(update={"gap": None})  # the trace did what the gap asked
    if check is None or check.verdict not in {"not_found", "contradicts"}:
        return sourcing
    gap = linked_page_gap(verdict=check.verdict, missing=check.missing, detail=check.detail)
    return sourcing if gap is None else sourcing.model_copy(update={"gap": gap})


def attach_offline(
    claims: Sequence[Claim],
    pack: EvidencePack,
    *,
    article_published: str | None,
    all_claims: Sequence[Claim] | None = None,
) -> list[Claim]:
    """Without a model's reading: each claim's top related passages, no stance (nobody judged them).

    ``all_claims`` (default ``claims``) numbers the passages, so ids match the ones the model saw."""
    by_claim = numbered(pack, all_claims if all_claims is not None else claims)
    return [
        with_evidence(
            claim,
            pack.claims.get(claim.id),
            [evidence_item(eid, found, article_published=article_published) for eid, found in by_claim[claim.id]],
        )
        for claim in claims
    ]


def summarize(claims: Sequence[Claim], pack: EvidencePack, *, stance_judged: bool) -> EvidenceSummary:
    items = [item for claim in claims for item in claim.evidence]
    counters = [point for claim in claims for point in claim.counter_evidence]
    return EvidenceSummary(
        providers=list(pack.providers),
        failed_providers=list(pack.failed),
        pages_fetched=pack.pages_fetched,
        passages=len(items),
        independent_sources=len({site_of(item.url) for item in items if item.independent} - {None}),
        stance_judged=stance_judged,
        counter_points=len(counters),
        counter_points_cited=sum(1 for point in counters if point.evidence_ids),
        links_checked=sum(len(claim.link_checks) for claim in claims),
        prior_fact_checks=sum(len(claim.prior_fact_checks) for claim in claims),
        elapsed_ms=pack.elapsed_ms,
    )
