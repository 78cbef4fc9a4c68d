"""Pure Block Kit rendering of progress, reports, errors and repeat-link pointers.

Every untrusted string goes through ``safe_text``; links come only from ``escape.link`` with a
label derived from their own target. Every limit is a constant here and is enforced by packing,
not by truncation: a long report continues in further thread replies ("part 2/3").
Blocks are built with slack_sdk's models, whose ``to_dict`` validates Slack's own limits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

from slack_sdk.models.blocks import ContextBlock, DividerBlock, MarkdownTextObject, SectionBlock

from adapters.slack.escape import escape_mrkdwn, link, safe_text
from adapters.wording import SOURCING_LABELS, footer_parts
from bot.links import normalize_url
from bot.models import Article, Claim, Report, SourcingStatus

MAX_BLOCKS = 50  # per message
MAX_SECTION_CHARS = 3000  # section text (slack_sdk SectionBlock.text_max_length)
MAX_UPDATE_CHARS = 4000  # chat.update answers msg_too_long around here
MAX_POST_CHARS = 10_000  # block text per posted message, below the ~13k msg_blocks_too_long
MAX_FALLBACK_CHARS = 3000  # the top-level plain `text`
MAX_CONTEXT_ELEMENTS = 10
_MARKER_RESERVE = 300  # room for the "part i/n" line added after packing
_TITLE_CHARS = 300

_STATUS_EMOJI: dict[SourcingStatus, str] = {
    SourcingStatus.NAMED_LINKED: ":large_green_circle:",
    SourcingStatus.NAMED_UNLINKED: ":large_yellow_circle:",
    SourcingStatus.ANONYMOUS: ":large_orange_circle:",
    SourcingStatus.SECONDHAND: ":large_orange_circle:",
    SourcingStatus.UNATTRIBUTED: ":red_circle:",
}
STATUS_LABELS: dict[SourcingStatus, str] = {
    status: f"{_STATUS_EMOJI[status]} {label}" for status, label in SOURCING_LABELS.items()
}


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """What one chat.postMessage / chat.update sends: a plain fallback and the blocks."""

    text: str
    blocks: tuple[dict, ...]

    @property
    def block_chars(self) -> int:
        return sum(len(t) for t in _block_texts(self.blocks))


@dataclass(frozen=True, slots=True)
class _Part:
    kind: Literal["section", "context", "divider"]
    text: str = ""


# ---------------------------------------------------------------- public renderers


def allowed_urls(*, report: Report | None = None, article: Article | None = None) -> frozenset[str]:
    """The only URLs untrusted text may show as themselves: the article and the links it cites."""
    raw: list[str | None] = []
    if report is not None:
        raw.append(report.article.url)
    if article is not None:
        raw += [article.url, article.final_url, *(out.url for out in article.links)]
    return frozenset(u for u in (normalize_url(r) for r in raw if r) if u)


def render_progress(
    *, url: str | None, title: str | None = None, claims_total: int | None = None, analysed: int = 0
) -> SlackMessage:
    """The placeholder and its progress edits: "Checking: <title>..." then the claim count."""
    subject = f"*{_title(title)}*" if title else (link(url) if url else "the pasted text")
    lines = [f":hourglass_flowing_sand: Checking: {subject}…"]
    if claims_total is not None:
        if claims_total == 0:
            lines.append("No check-worthy claims found; writing the report…")
        elif analysed:
            lines.append(f"Found {_claims(claims_total)}; analysed {analysed} of {claims_total}…")
        else:
            lines.append(f"Found {_claims(claims_total)}; analysing their sourcing…")
    text = "\n".join(lines)
    return _message([_Part("section", text)], fallback=text)


def render_error(message: str, *, url: str | None = None) -> SlackMessage:
    """A short, specific failure reply; the words come from bot.outcome."""
    text = f":warning: {safe_text(message)}"
    parts = [_Part("section", text)]
    if url:
        parts.append(_Part("context", f"Link: {escape_mrkdwn(url)}"))
    return _message(parts, fallback=text)


def render_pointer(report: Report, *, permalink: str) -> SlackMessage:
    """A repeated link: where the earlier report is, plus its summary, no new analysis."""
    allowed = allowed_urls(report=report)
    head = (
        f":recycle: This article was checked here recently: {link(permalink, label='see the earlier thread')}."
        f"\n*{_title(report.article.title) or _article_link(report)}*"
    )
    lines = [head]
    if report.sourcing_verdict:
        lines.append(f"*Sourcing overall:* {_cut(safe_text(report.sourcing_verdict, allowed_urls=allowed), 500)}")
    lines += [f"• {_cut(safe_text(line, allowed_urls=allowed), 400)}" for line in report.summary[:3]]
    claims = report.claims
    if claims:
        lines.append(f"*{_claims(len(claims))}*, the first ones:" if len(claims) > 1 else "*1 key claim*:")
        for claim in claims[:3]:
            quote = _cut(safe_text(claim.quote, allowed_urls=allowed), 300)
            lines.append(f"• “{quote}” ({STATUS_LABELS[claim.sourcing.status]})")
    text = _cut("\n".join(lines), MAX_SECTION_CHARS)
    parts = [_Part("section", text), _Part("context", _footer(report))]
    return _message(parts, fallback=_fallback_from([text]))


def render_report(report: Report, *, article: Article | None = None) -> list[SlackMessage]:
    """The final report, split into messages within every limit.

    The first message replaces the placeholder (chat.update, so the smaller budget); the
    others are posted as further replies in the same thread.
    """
    allowed = allowed_urls(report=report, article=article)
    parts = list(_report_parts(report, allowed=allowed))
    pages = _pack(parts, first_budget=MAX_UPDATE_CHARS - _MARKER_RESERVE, budget=MAX_POST_CHARS - _MARKER_RESERVE)
    title = _title(report.article.title) or "the article"
    summary_line = f"Fact-check: {title}: {_claims(len(report.claims))}."
    messages: list[SlackMessage] = []
    for number, page in enumerate(pages, start=1):
        if len(pages) > 1:
            marker = f"_Part {number} of {len(pages)}"
            marker += "; continued in the next reply._" if number < len(pages) else "._"
            page = [*page, _Part("context", marker)]
            if number > 1:
                page.insert(0, _Part("context", f"_Fact-check continued: {title}_"))
        fallback_head = summary_line if number == 1 else f"Fact-check continued ({number}/{len(pages)}): {title}"
        # The fallback (notifications, clients without blocks) is the gist: one line per section.
        gist = [_cut(p.text.split("\n", 1)[0], 200) for p in page if p.kind == "section"]
        messages.append(_message(page, fallback=_fallback_from([fallback_head, *gist])))
    return messages


# ---------------------------------------------------------------- report body


def _report_parts(report: Report, *, allowed: Collection[str]) -> Iterable[_Part]:
    info = report.article
    heading = f"*Fact-check: {_title(info.title)}*" if info.title else f"*Fact-check: {_article_link(report)}*"
    yield _Part("section", heading)
    meta = [safe_text(v, allowed_urls=allowed) for v in (info.site_name, info.published) if v]
    if info.author:
        meta.append(f"by {safe_text(info.author, allowed_urls=allowed)}")
    if info.url:
        meta.append(_article_link(report))
    if meta:
        yield _Part("context", _cut(" · ".join(meta), MAX_SECTION_CHARS))
    if report.summary:
        lines = "\n".join(f"• {safe_text(line, allowed_urls=allowed)}" for line in report.summary)
        yield from _sections(f"*In short*\n{lines}")
    if report.sourcing_verdict:
        yield from _sections(f"*Sourcing overall:* {safe_text(report.sourcing_verdict, allowed_urls=allowed)}")
    if report.notice:
        yield _Part(
            "context", _cut(f":information_source: {safe_text(report.notice, allowed_urls=allowed)}", MAX_SECTION_CHARS)
        )
    if not report.claims:
        yield _Part("section", "No check-worthy claims found in this article.")
    for number, claim in enumerate(report.claims, start=1):
        yield _Part("divider")
        yield from _sections(_claim_text(claim, number=number, allowed=allowed))
    if report.warnings:
        warning_text = "\n".join(f":warning: {safe_text(w, allowed_urls=allowed)}" for w in report.warnings)
        yield from _sections(warning_text)
    yield _Part("divider")
    yield _Part("context", _footer(report))


def _claim_text(claim: Claim, *, number: int, allowed: Collection[str]) -> str:
    def safe(value: str | None) -> str:
        return safe_text(value, allowed_urls=allowed)

    sourcing = claim.sourcing
    lines = [f"*{number}.* “{safe(claim.quote)}”"]
    if claim.claimant:
        lines.append(f"_Claimed by {safe(claim.claimant)}_")
    status = STATUS_LABELS[sourcing.status]
    if sourcing.source:
        status += f": {safe(sourcing.source)}"
    if sourcing.link:
        status += f" ({_cited_link(sourcing.link, allowed)})"
    lines.append(f"*Sourcing:* {status}")
    if sourcing.chain:
        lines.append(f"*Chain:* {' → '.join(safe(step) for step in sourcing.chain)}")
    if sourcing.gap:
        lines.append(f"*Gap:* {safe(sourcing.gap)}")
    if claim.why_it_matters:
        lines.append(f"*Why it matters:* {safe(claim.why_it_matters)}")
    if claim.context:
        lines.append(f"*Context:* {safe(claim.context)}")
    if claim.counter_evidence:
        lines.append("*Counter-evidence:*")
        for item in claim.counter_evidence:
            note = "to verify" if item.to_verify else "verified"
            lines.append(f"• {safe(item.text)} _({note}; {item.basis.replace('_', ' ')})_")
    if claim.questions:
        lines.append("*Questions for the reporter:*")
        lines += [f"• {safe(q)}" for q in claim.questions]
    facts = [f"check-worthiness {claim.checkworthiness:.2f}"]
    if claim.confidence:
        facts.append(f"confidence {claim.confidence}")
    lines.append(f"_{' · '.join(facts)}_")
    return "\n".join(lines)


def _cited_link(url: str, allowed: Collection[str]) -> str:
    normalized = normalize_url(url)
    if normalized is not None and normalized in allowed:
        return link(url)
    return safe_text(url)  # not a link the article cites: shown defanged, never clickable


def _footer(report: Report) -> str:
    bits = [escape_mrkdwn(part) for part in footer_parts(report)]
    bits.append(f"checked {escape_mrkdwn(report.created_at)}")
    return " · ".join(bits)


def _article_link(report: Report) -> str:
    return link(report.article.url) if report.article.url else "the pasted text"


def _claims(count: int) -> str:
    return f"{count} key claim" if count == 1 else f"{count} key claims"


def _title(title: str | None) -> str:
    return _cut(safe_text(" ".join(title.split())), _TITLE_CHARS) if title and title.strip() else ""


# ---------------------------------------------------------------- limits


def _sections(text: str) -> Iterable[_Part]:
    for chunk in split_text(text, limit=MAX_SECTION_CHARS):
        yield _Part("section", chunk)


def split_text(text: str, *, limit: int) -> list[str]:
    """Cut mrkdwn into chunks of at most ``limit`` characters, at a line, a space, or at worst
    anywhere outside an ``&entity;`` or a ``<link>``, so no chunk carries half a control sequence."""
    chunks: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit + 1)
        if cut < limit // 2:
            cut = _hard_cut(text, limit)
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks


def _hard_cut(text: str, limit: int) -> int:
    cut = limit
    amp = text.rfind("&", max(0, cut - 8), cut)
    if amp != -1 and ";" not in text[amp:cut]:
        cut = amp
    lt = text.rfind("<", 0, cut)
    if lt != -1 and ">" not in text[lt:cut]:
        cut = lt
    return cut if cut > 0 else limit


def _pack(parts: list[_Part], *, first_budget: int, budget: int) -> list[list[_Part]]:
    """Greedy packing of parts into messages under the block and character budgets."""
    pages: list[list[_Part]] = [[]]
    used = 0
    for part in parts:
        limit = first_budget if len(pages) == 1 else budget
        blocks_left = MAX_BLOCKS - 3 - len(pages[-1])  # room for the continuation header and marker
        if pages[-1] and (used + len(part.text) > limit or blocks_left <= 0):
            pages.append([])
            used = 0
        if part.kind == "divider" and not pages[-1]:
            continue  # a divider never opens a message
        pages[-1].append(part)
        used += len(part.text)
    return [page for page in pages if page]


def _message(parts: list[_Part], *, fallback: str) -> SlackMessage:
    blocks: list[dict] = []
    for part in parts:
        if part.kind == "divider":
            blocks.append(DividerBlock().to_dict())
        elif part.kind == "context":
            blocks.append(ContextBlock(elements=[_mrkdwn(part.text)]).to_dict())
        else:
            blocks.append(SectionBlock(text=_mrkdwn(part.text)).to_dict())
    return SlackMessage(text=_cut(fallback, MAX_FALLBACK_CHARS), blocks=tuple(blocks))


def _mrkdwn(text: str) -> MarkdownTextObject:
    # verbatim: Slack must not auto-link bare URLs or parse names in text we did not write.
    return MarkdownTextObject(text=text, verbatim=True)


def _fallback_from(texts: Iterable[str]) -> str:
    return "\n".join(t for t in texts if t)


def _cut(text: str, limit: int) -> str:
    """Shorten with a visible ellipsis, at a space, never inside a control sequence."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    head = head[: _hard_cut(head + " ", len(head))]
    return head.rstrip() + "…"


def _block_texts(blocks: Iterable[dict]) -> Iterable[str]:
    for block in blocks:
        if "text" in block:
            yield block["text"]["text"]
        for element in block.get("elements", ()):
            if "text" in element:
                yield element["text"]
