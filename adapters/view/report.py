"""A Report as the one platform-neutral view every front end renders.

The view decides what is shown, in which order and with which words; its text is already
through the link policy (``links.clean_prose``). Renderers only escape it for their syntax,
mark it up and pack it into messages.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from adapters.view import words
from adapters.view.links import allowed_urls, clean_prose, is_live, link_label
from adapters.view.triage import TriageLine, triage
from bot.models import AnalysisStatus, Article, Claim, CounterEvidence, Report, SourcingStatus


@dataclass(frozen=True, slots=True)
class Link:
    """A live link: the policy allowed it and its label comes from its own target."""

    url: str
    label: str


Piece = str | Link  # text (untrusted or ours, to be escaped) or a live link
Line = tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled part of a claim: a single value, or a list when there are several."""

    label: str
    lines: tuple[Line, ...]
    marked: bool = False  # every line is model knowledge: the label carries the mark

    @property
    def is_list(self) -> bool:
        return len(self.lines) > 1


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
    rows: tuple[Row, ...]

    @property
    def status_label(self) -> str:
        return words.SOURCING_LABELS[self.status]

    @property
    def status_short(self) -> str:
        return words.SOURCING_SHORT[self.status]

    @property
    def facts(self) -> str:
        """The compact line after the quote: sourcing in a word or two, and the model's confidence."""
        parts = [self.status_label]
        if self.confidence:
            parts.append(words.CONFIDENCE_VALUE.format(level=self.confidence))
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class ReportView:
    title: str  # the article's title, one line ("" when it has none)
    heading: str  # "Fact-check: <title>"
    article_link: Link | None
    meta: tuple[str, ...]  # outlet, byline, date, length
    verdict: str
    summary: tuple[str, ...]
    triage: tuple[TriageLine, ...]
    claims_heading: str
    legend: tuple[str, ...]  # the model-knowledge mark and the model's cut-off, said once
    claims: tuple[ClaimView, ...]
    notice: str | None
    warnings: tuple[str, ...]
    footer: tuple[str, ...]
    text: str  # the article text (the page highlights claims in it)


_TO_VERIFY = re.compile(
    r"\s*[(\[]\s*(?:model knowledge\s*[,;:]?\s*)?(?:to (?:be )?verif(?:y|ied)|unverified|needs? verification)\s*[)\]]"
    r"\s*([.!]?)\s*$",
    re.IGNORECASE,
)


def without_verify_label(text: str) -> str:
    """A model that already wrote "(to verify)" does not get the label twice: ours replaces it."""
    return _TO_VERIFY.sub(lambda m: m.group(1), text).rstrip()


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def build_view(report: Report, *, article: Article | None = None) -> ReportView:
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
    claims = tuple(_claim_view(claim, n, report=report, allowed=allowed) for n, claim in enumerate(_ordered(report), 1))
    marked = any(row.marked or _has_marked_line(row) for claim in claims for row in claim.rows)
    legend: list[str] = [words.MODEL_KNOWLEDGE_LEGEND] if marked else []
    cutoff = getattr(report.engine, "model_cutoff", None)  # the LLM work adds it (FACTCHECK_MODEL_CUTOFF)
    if cutoff and report.engine.mode == "llm":
        legend.append(words.MODEL_CUTOFF.format(cutoff=one_line(prose(str(cutoff)))))
    return ReportView(
        title=title,
        heading=words.REPORT_TITLE.format(title=title or words.UNTITLED),
        article_link=article_link,
        meta=tuple(m for m in meta if m),
        verdict=one_line(prose(report.sourcing_verdict)) or _offline_verdict(report),
        summary=tuple(prose(line) for line in report.summary if line.strip()),
        triage=tuple(triage(claims)),
        claims_heading=words.claims_count(len(claims)),
        legend=tuple(legend),
        claims=claims,
        notice=prose(report.notice) or None,
        warnings=tuple(prose(w) for w in report.warnings),
        footer=tuple(
            words.footer_parts(
                model=report.engine.model if report.engine.mode == "llm" else None,
                cached=report.cached,
                total_ms=report.timings.total_ms,
                llm_calls=report.usage.llm_calls,
                total_tokens=report.usage.total_tokens,
                cost_usd=report.usage.cost_usd,
                created_at=report.created_at,
            )
        ),
        text=info.text,
    )


def _ordered(report: Report) -> Sequence[Claim]:
    if all(isinstance(getattr(c, "order", None), int) for c in report.claims):  # the model's importance order
        return sorted(report.claims, key=lambda c: getattr(c, "order", 0))
    return report.claims


def _offline_verdict(report: Report) -> str:
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
    return any(
        isinstance(piece, str) and piece.endswith(" " + words.MODEL_KNOWLEDGE_MARK)
        for line in row.lines
        for piece in line
    )


def _claim_view(claim: Claim, number: int, *, report: Report, allowed: Collection[str]) -> ClaimView:
    def prose(value: str | None) -> str:
        return clean_prose(value, allowed=allowed)

    sourcing = claim.sourcing
    rows: list[Row] = []
    if sourcing.chain:
        rows.append(Row(words.CHAIN, ((" → ".join(one_line(prose(step)) for step in sourcing.chain),),)))
    elif sourcing.source:
        cue = f" ({one_line(prose(sourcing.cue))})" if sourcing.cue else ""
        rows.append(Row(words.SOURCE, ((one_line(prose(sourcing.source)) + cue,),)))
    if sourcing.link:
        shown: Piece = (
            Link(sourcing.link, link_label(sourcing.link)) if is_live(sourcing.link, allowed) else prose(sourcing.link)
        )
        rows.append(Row(words.LINK, ((shown,),)))
    if sourcing.gap:
        rows.append(Row(words.GAP, ((prose(sourcing.gap),),)))
    if claim.why_it_matters:
        rows.append(Row(words.WHY_IT_MATTERS, ((prose(claim.why_it_matters),),)))
    if claim.context:
        # The model's context is its own knowledge until a retrieved source backs it (issue 10, item 8).
        rows.append(
            Row(words.CONTEXT, ((without_verify_label(prose(claim.context)),),), marked=report.engine.mode == "llm")
        )
    if claim.counter_evidence:
        rows.append(_counter_row(claim.counter_evidence, prose=prose))
    if claim.questions:
        rows.append(Row(words.QUESTIONS, tuple((prose(q),) for q in claim.questions)))
    if claim.analysis is AnalysisStatus.FAILED:
        rows.append(Row(words.NOTICE, ((words.ANALYSIS_FAILED,),)))
    return ClaimView(
        number=number,
        id=claim.id,
        status=sourcing.status,
        quote=prose(claim.quote),
        start=claim.start,
        end=claim.end,
        claimant=one_line(prose(claim.claimant)) or None,
        confidence=claim.confidence,
        checkworthiness=claim.checkworthiness,
        rows=tuple(rows),
    )


def _counter_row(items: Sequence[CounterEvidence], *, prose) -> Row:
    unverified = [item.basis == "model_knowledge" for item in items]
    texts = [
        without_verify_label(prose(item.text)) if flag else prose(item.text)
        for item, flag in zip(items, unverified, strict=True)
    ]
    if all(unverified):
        return Row(words.COUNTER_EVIDENCE, tuple((t,) for t in texts), marked=True)
    # A mixed list: only the unverified items carry the mark.
    lines = tuple(
        (f"{t} {words.MODEL_KNOWLEDGE_MARK}" if flag else t,) for t, flag in zip(texts, unverified, strict=True)
    )
    return Row(words.COUNTER_EVIDENCE, lines)
