"""A Report as the one platform-neutral view every front end renders.

The view decides what is shown, in which order and with which words; its text is already
through the link policy (``links.clean_prose``). Renderers only escape it for their syntax,
mark it up and pack it into messages. ``full=True`` is the page (HTML): every source and whole
quotes; chat gets the first sources of each claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from adapters.view import evidence, words
from adapters.view.links import allowed_urls, clean_prose, is_live, link_label
from adapters.view.parts import Line, Link, Piece, Row, line_text
from adapters.view.triage import Signals, TriageLine, triage
from bot import languages
from bot.models import AnalysisStatus, Article, Claim, CounterEvidence, Report, SourcingDisagreement, SourcingStatus

__all__ = [
    "ClaimView",
    "FlagView",
    "Line",
    "Link",
    "Piece",
    "ReportView",
    "Row",
    "build_view",
    "flag_text",
    "line_text",
]

Prose = Callable[[str | None], str]
CHAT_CLAIM_QUOTE_CHARS = 240  # chat shows the start of a long quote (verbatim, then "…"); the page shows it whole


@dataclass(frozen=True, slots=True)
class ClaimView:
    number: int
    id: str
    status: SourcingStatus
    quote: str
    start: int
    end: int
    claimant: str | None
    confidence: str | None
    checkworthiness: float
    picked_offline: bool
    rows: tuple[Row, ...]
    signals: Signals  # what the triage weighs

    @property
    def status_label(self) -> str:
        return words.SOURCING_LABELS[self.status]

    @property
    def status_short(self) -> str:
        return words.SOURCING_SHORT[self.status]

    @property
    def facts(self) -> str:
        """The compact line after the number: sourcing, the model's confidence, who picked the claim."""
        parts = [self.status_label]
        if self.confidence:
            parts.append(words.CONFIDENCE_VALUE.format(level=self.confidence))
        if self.picked_offline:
            parts.append(words.PICKED_OFFLINE)
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class FlagView:
    kind: str  # "Opinion stated as fact", "Inconsistency"
    note: str
    passages: tuple[str, ...]  # the article's own words
    spans: tuple[tuple[int, int], ...]  # their offsets in the article text


@dataclass(frozen=True, slots=True)
class ReportView:
    title: str  # the article's title, one line ("" when it has none)
    heading: str  # "Fact-check: <title>"
    article_link: Link | None
    meta: tuple[str, ...]  # outlet, byline, date, length
    verdict: str
    summary: tuple[str, ...]
    triage: tuple[TriageLine, ...]
    flags: tuple[FlagView, ...]
    claims_heading: str
    legend: tuple[str, ...]  # the model-knowledge mark and the model's cut-off, said once
    claims: tuple[ClaimView, ...]
    notice: str | None
    warnings: tuple[str, ...]
    footer: tuple[str, ...]
    text: str  # the article text (the page highlights claims in it)
    no_claims: str = words.NO_CLAIMS  # the line shown in place of claims when there are none


_TO_VERIFY = re.compile(
    r"\s*[(\[]\s*(?:model knowledge\s*[,;:]?\s*)?(?:to (?:be )?verif(?:y|ied)|unverified|needs? verification)\s*[)\]]"
    r"\s*([.!]?)\s*$",
    re.IGNORECASE,
)


def without_verify_label(text: str) -> str:
    """A model that already wrote "(to verify)" does not get the label twice: ours replaces it."""
    return _TO_VERIFY.sub(lambda m: m.group(1), text).rstrip()


def flag_text(flag: FlagView) -> str:
    """A flag on one line: its kind, the model's note, the article's own words it points at."""
    return f"{flag.kind}: {flag.note}" + "".join(f" “{passage}”" for passage in flag.passages)


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def build_view(report: Report, *, article: Article | None = None, full: bool = False) -> ReportView:
    allowed = allowed_urls(report=report, article=article)

    def prose(value: str | None) -> str:
        return clean_prose(value, allowed=allowed)

    info = report.article
    title = one_line(prose(info.title))
    article_link = Link(info.url, link_label(info.url)) if info.url and is_live(info.url, allowed) else None
    meta = [prose(v) for v in (info.site_name,) if v]
    if info.author:
        meta.append(words.BYLINE_AUTHOR.format(author=one_line(prose(info.author))))
    if info.published:
        meta.append(one_line(prose(info.published)))
    if info.word_count:
        meta.append(words.WORD_COUNT.format(count=info.word_count))
    # With a model, the report's order is the model's importance order: shown as it is.
    # A page in a language the offline analysis does not read has no claims because none were looked for.
    unread = not report.claims and not languages.reads(info.language)
    no_claims = (
        words.NO_CLAIMS_LANGUAGE.format(language=languages.name(info.language or "")) if unread else words.NO_CLAIMS
    )
    claims = tuple(
        _claim_view(claim, n, report=report, allowed=allowed, prose=prose, full=full)
        for n, claim in enumerate(report.claims, 1)
    )
    cutoff = one_line(prose(report.engine.model_cutoff)) if report.engine.mode == "llm" else ""
    legend: list[str] = []
    if any(row.marked or _has_marked_line(row) for claim in claims for row in claim.rows):
        legend.append(words.MODEL_KNOWLEDGE_LEGEND)
        if cutoff:
            legend.append(words.MODEL_CUTOFF.format(cutoff=cutoff))
    return ReportView(
        title=title,
        heading=words.REPORT_TITLE.format(title=title or words.UNTITLED),
        article_link=article_link,
        meta=tuple(m for m in meta if m),
        verdict=one_line(prose(report.sourcing_verdict)) or _offline_verdict(report),
        summary=tuple(prose(line) for line in report.summary if line.strip()),
        triage=tuple(triage(claims)),
        flags=tuple(
            FlagView(
                kind=words.FLAG_KINDS[flag.kind],
                note=prose(flag.note),
                passages=tuple(prose(p.text) for p in flag.passages),
                spans=tuple((p.start, p.end) for p in flag.passages),
            )
            for flag in report.flags
        ),
        claims_heading=words.claims_count(len(claims)),
        legend=tuple(legend),
        claims=claims,
        notice=prose(report.notice) or None,
        warnings=tuple(prose(w) for w in report.warnings),
        footer=tuple(_footer(report, cutoff=cutoff, prose=prose)),
        text=info.text,
        no_claims=no_claims,
    )


def _footer(report: Report, *, cutoff: str, prose: Prose) -> list[str]:
    parts = words.footer_parts(
        model=one_line(prose(report.engine.model)) if report.engine.mode == "llm" else None,
        cached=report.cached,
        total_ms=report.timings.total_ms,
        llm_calls=report.usage.llm_calls,
        total_tokens=report.usage.total_tokens,
        cost_usd=report.usage.cost_usd,
        created_at=report.created_at,
        cutoff=cutoff or None,
    )
    summary = report.evidence_summary
    if summary is not None:
        extra: list[str] = []
        if summary.counter_points:
            extra.append(
                words.COUNTER_POINTS_CITED.format(cited=summary.counter_points_cited, total=summary.counter_points)
            )
        if summary.pages_fetched:
            extra.append(words.PAGES_READ.format(count=summary.pages_fetched))
        if summary.passages and not summary.stance_judged:
            extra.append(words.NO_STANCE)
        if summary.failed_providers:
            extra.append(words.PROVIDERS_FAILED.format(names=", ".join(prose(p) for p in summary.failed_providers)))
        parts[1:1] = extra
    return parts


def _offline_verdict(report: Report) -> str:
    if not report.claims:
        return words.NOTHING_TO_ASSESS  # the claims section says why, once
    count = {status: 0 for status in SourcingStatus}
    for claim in report.claims:
        count[claim.sourcing.status] += 1
    return words.offline_verdict(
        total=len(report.claims),
        unattributed=count[SourcingStatus.UNATTRIBUTED],
        anonymous=count[SourcingStatus.ANONYMOUS],
        secondhand=count[SourcingStatus.SECONDHAND],
        linked=count[SourcingStatus.NAMED_LINKED],
    )


def _has_marked_line(row: Row) -> bool:
    return any(line_text(line).endswith(" " + words.MODEL_KNOWLEDGE_MARK) for line in row.lines)


def _claim_view(
    claim: Claim, number: int, *, report: Report, allowed: Collection[str], prose: Prose, full: bool
) -> ClaimView:
    quote_chars = None if full else evidence.CHAT_QUOTE_CHARS
    known = {item.id for item in claim.evidence}
    sourcing = claim.sourcing
    rows: list[Row] = []
    prior = evidence.prior_fact_checks_row(claim, prose=prose, allowed=allowed)
    if prior is not None:  # an earlier fact-check is the first thing to know about a claim
        rows.append(prior)
    if sourcing.chain:
        rows.append(Row(words.CHAIN, ((" → ".join(one_line(prose(step)) for step in sourcing.chain),),)))
    elif sourcing.source:
        cue = f" ({one_line(prose(sourcing.cue))})" if sourcing.cue else ""
        rows.append(Row(words.SOURCE, ((one_line(prose(sourcing.source)) + cue,),)))
    if sourcing.link:
        shown: Piece = (
            Link(sourcing.link, link_label(sourcing.link)) if is_live(sourcing.link, allowed) else prose(sourcing.link)
        )
        traced = evidence.source_link_check(claim)
        after = (
            evidence.link_check_suffix(traced, gap=sourcing.gap, prose=prose, quote_chars=quote_chars) if traced else []
        )
        rows.append(Row(words.LINK, ((shown, *after),)))
    if sourcing.gap:
        rows.append(Row(words.GAP, ((prose(sourcing.gap),),)))
    if claim.sourcing_disagreement is not None:
        rows.append(Row(words.OFFLINE_AUDIT, ((_audit_read(claim.sourcing_disagreement, prose=prose),),)))
    rows += evidence.link_check_rows(claim, prose=prose, allowed=allowed, quote_chars=quote_chars)
    if claim.article_support:
        rows.append(Row(words.IN_THE_ARTICLE, ((prose(claim.article_support),),)))
    if claim.why_it_matters:
        rows.append(Row(words.WHY_IT_MATTERS, ((prose(claim.why_it_matters),),)))
    if claim.context:
        cited = evidence.cites(claim.context_evidence_ids, known=known)
        # The model's context is its own knowledge until it cites a retrieved source (issue 10, item 8).
        unverified = not cited and (claim.context_basis or "model_knowledge") == "model_knowledge"
        unverified = unverified and report.engine.mode == "llm"
        text = without_verify_label(prose(claim.context)) if unverified else prose(claim.context)
        rows.append(Row(words.CONTEXT, ((text + cited,),), marked=unverified))
    if claim.counter_evidence:
        rows.append(_counter_row(claim.counter_evidence, prose=prose, known=known))
    sources = evidence.sources_row(
        claim, prose=prose, allowed=allowed, limit=None if full else evidence.CHAT_SOURCES, quote_chars=quote_chars
    )
    if sources is not None:
        rows.append(sources)
    if claim.questions:
        rows.append(Row(words.QUESTIONS, tuple((prose(q),) for q in claim.questions)))
    if claim.analysis is AnalysisStatus.FAILED:
        rows.append(Row(words.NOTICE, ((words.ANALYSIS_FAILED,),)))
    return ClaimView(
        number=number,
        id=claim.id,
        status=sourcing.status,
        quote=_shorten_quote(prose(claim.quote), None if full else CHAT_CLAIM_QUOTE_CHARS),
        start=claim.start,
        end=claim.end,
        claimant=one_line(prose(claim.claimant)) or None,
        confidence=claim.confidence,
        checkworthiness=claim.checkworthiness,
        picked_offline=claim.selected_by == "offline",
        rows=tuple(rows),
        signals=_signals(claim, rows=rows, prose=prose),
    )


def _audit_read(disagreement: SourcingDisagreement, *, prose: Prose) -> str:
    """What the offline audit read differently, field by field (the claim shows the model's reading)."""
    audit, parts = disagreement.audit, []
    for name in disagreement.fields:
        if name == "status":
            parts.append(words.SOURCING_LABELS[audit.status])
        elif name == "source":
            parts.append(words.AUDIT_SOURCE.format(source=one_line(prose(audit.source)) or words.AUDIT_NONE))
        elif name == "link":
            parts.append(words.AUDIT_LINK.format(link=link_label(audit.link) if audit.link else words.AUDIT_NONE))
        elif name == "chain":
            chain = " → ".join(one_line(prose(step)) for step in audit.chain)
            parts.append(words.AUDIT_CHAIN.format(chain=chain or words.AUDIT_NONE))
    return "; ".join(parts) or words.SOURCING_LABELS[audit.status]


def _shorten_quote(quote: str, limit: int | None) -> str:
    quote = " ".join(quote.split())
    if limit is None or len(quote) <= limit:
        return quote
    head = quote[: limit - 1]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head).rstrip(" ,;:") + "…"


def _cited(item: CounterEvidence, known: set[str]) -> bool:
    return item.basis == "retrieval" or any(i in known for i in item.evidence_ids)


def _counter_row(items: Sequence[CounterEvidence], *, prose: Prose, known: set[str]) -> Row:
    ordered = sorted(items, key=lambda item: not _cited(item, known))  # cited ones first
    texts: list[tuple[str, bool]] = []
    for item in ordered:
        unverified = item.basis == "model_knowledge" and not _cited(item, known)
        text = without_verify_label(prose(item.text)) if unverified else prose(item.text)
        text += evidence.cites(item.evidence_ids, known=known)
        if item.verify_with:
            text += f" ({words.CHECK_WITH.format(what=one_line(prose(item.verify_with)))})"
        texts.append((text, unverified))
    if all(unverified for _, unverified in texts):
        return Row(words.COUNTER_EVIDENCE, tuple((t,) for t, _ in texts), marked=True)
    # A mixed list: only the unverified items carry the mark.
    mark = " " + words.MODEL_KNOWLEDGE_MARK
    return Row(words.COUNTER_EVIDENCE, tuple((t + mark if u else t,) for t, u in texts))


def _signals(claim: Claim, *, rows: list[Row], prose: Prose) -> Signals:
    counter = next((row for row in rows if row.label == words.COUNTER_EVIDENCE), None)
    first_counter = None
    if counter is not None:
        text = line_text(counter.lines[0])
        marked = counter.marked or text.endswith(" " + words.MODEL_KNOWLEDGE_MARK)
        first_counter = (text.removesuffix(" " + words.MODEL_KNOWLEDGE_MARK), marked, len(counter.lines))
    contradicting = next((item for item in claim.evidence if item.stance == "contradicts"), None)
    bad_link = next((c for c in claim.link_checks if c.verdict in ("contradicts", "not_found", "dead")), None)
    return Signals(
        gap=prose(claim.sourcing.gap) or None,
        counter=first_counter,
        contradicted_by=(
            f"{evidence.source_head(contradicting, prose=prose)}: “{one_line(prose(contradicting.quote))}”"
            if contradicting
            else None
        ),
        link_verdict=bad_link.verdict if bad_link else None,
        link_problem=evidence.link_check_text(bad_link, prose=prose) if bad_link else None,
        prior=evidence.prior_text(claim.prior_fact_checks[0], prose=prose) if claim.prior_fact_checks else None,
        tellers=len(claim.sourcing.chain),
    )
