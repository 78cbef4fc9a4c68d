"""Block Kit for progress, reports, errors and repeat-link pointers, from the one report view.

The view (``adapters.view``) decides what is said and which links are live; this module escapes
it for mrkdwn, marks it up and packs it into messages. Every limit is a constant here and is
enforced by packing, not by truncation: a long report continues in further thread replies
("Part 2 of 3"). Blocks are built with slack_sdk's models, whose ``to_dict`` validates Slack's own
limits; no text object ever exceeds ``MAX_TEXT_CHARS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from slack_sdk.models.blocks import ContextBlock, DividerBlock, MarkdownTextObject, SectionBlock

from adapters.slack.escape import escape_mrkdwn, link, safe_cut, safe_text
from adapters.view import words
from adapters.view.links import allowed_urls, link_label
from adapters.view.report import ClaimView, Line, Link, ReportView, Row, build_view, flag_text
from adapters.view.split import shorten, split_text
from adapters.view.triage import TriageLine
from bot.models import Article, Report, SourcingStatus

MAX_BLOCKS = 50  # per message
MAX_TEXT_CHARS = 3000  # any text object: section text, context element (Block Kit)
MAX_SECTION_CHARS = MAX_TEXT_CHARS  # slack_sdk SectionBlock.text_max_length
MAX_UPDATE_CHARS = 4000  # chat.update answers msg_too_long around here
MAX_POST_CHARS = 10_000  # block text per posted message, below the ~13k msg_blocks_too_long
MAX_FALLBACK_CHARS = 3000  # the top-level plain `text`
_MARKER_RESERVE = 300  # room for the "part i/n" lines added after packing
_TITLE_CHARS = 300

# Unicode, not shortcodes: ":large_orange_circle:" spends 21 of a message's characters on one dot.
STATUS_EMOJI: dict[SourcingStatus, str] = {
    SourcingStatus.NAMED_LINKED: "🟢",
    SourcingStatus.NAMED_UNLINKED: "🟡",
    SourcingStatus.ANONYMOUS: "🟠",
    SourcingStatus.SECONDHAND: "🟠",
    SourcingStatus.UNATTRIBUTED: "🔴",
    SourcingStatus.NOT_ASSESSED: "⚪",
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


__all__ = [
    "MAX_BLOCKS",
    "MAX_FALLBACK_CHARS",
    "MAX_POST_CHARS",
    "MAX_SECTION_CHARS",
    "MAX_TEXT_CHARS",
    "MAX_UPDATE_CHARS",
    "SlackMessage",
    "allowed_urls",
    "render_error",
    "render_pointer",
    "render_progress",
    "render_report",
]


# ---------------------------------------------------------------- public renderers


def render_progress(
    *, url: str | None, title: str | None = None, claims_total: int | None = None, analysed: int = 0
) -> SlackMessage:
    """The placeholder and its progress edits: "Checking: <title>..." then the claim count."""
    subject = f"*{_title(title)}*" if title and title.strip() else (link(url) if url else words.PASTED_TEXT)
    lines = [":hourglass_flowing_sand: " + words.PROGRESS_CHECKING.format(subject=subject)]
    if claims_total is not None:
        claims = words.claims_count(claims_total)
        if claims_total == 0:
            lines.append(words.PROGRESS_NO_CLAIMS)
        elif analysed:
            lines.append(words.PROGRESS_ANALYSED.format(claims=claims, done=analysed, total=claims_total))
        else:
            lines.append(words.PROGRESS_FOUND.format(claims=claims))
    text = _fit("\n".join(lines))
    return _message([_Part("section", text)], fallback=text)


def render_error(message: str, *, url: str | None = None) -> SlackMessage:
    """A short, specific failure reply; the words come from bot.outcome. The link is named, not repeated."""
    text = _fit(f":warning: {safe_text(message)}")  # an outcome detail may quote the page
    parts = [_Part("section", text)]
    if url:
        parts.append(_Part("context", _fit(escape_mrkdwn(words.ERROR_LINK.format(label=link_label(url))))))
    return _message(parts, fallback=text)


def render_pointer(report: Report, *, permalink: str) -> SlackMessage:
    """A repeated link: where the earlier report is, its verdict and triage, no new analysis."""
    view = build_view(report)
    pointer = link(permalink, label=words.POINTER_LINK)
    lines = [f":recycle: {escape_mrkdwn(words.POINTER).format(link=pointer)}"]
    lines.append(f"*{_title(view.title) or _article(view)}*")
    lines.append(f"*{words.VERDICT}:* {escape_mrkdwn(view.verdict)}")
    lines += [_triage_line(item) for item in view.triage]
    if view.claims:
        lines.append(f"_{escape_mrkdwn(view.claims_heading)}_")
    text = _fit("\n".join(lines))
    parts = [_Part("section", text), _Part("context", _footer(view))]
    return _message(parts, fallback=text)


def render_report(report: Report, *, article: Article | None = None) -> list[SlackMessage]:
    """The final report, split into messages within every limit.

    The first message replaces the placeholder (chat.update, so the smaller budget) and carries
    the triage; the others are posted as further replies in the same thread.
    """
    view = build_view(report, article=article)
    parts = list(_report_parts(view))
    pages = _pack(parts, first_budget=MAX_UPDATE_CHARS - _MARKER_RESERVE, budget=MAX_POST_CHARS - _MARKER_RESERVE)
    title = _title(view.title) or escape_mrkdwn(words.UNTITLED)
    messages: list[SlackMessage] = []
    for number, page in enumerate(pages, start=1):
        if len(pages) > 1:
            marker = words.PART_OF.format(number=number, total=len(pages))
            marker += f"; {words.PART_CONTINUES}." if number < len(pages) else "."
            page = [*page, _Part("context", f"_{marker}_")]
            if number > 1:
                page.insert(
                    0, _Part("context", f"_{words.CONTINUED.format(title=words.REPORT_TITLE.format(title=title))}_")
                )
        if number == 1:
            head = f"{words.REPORT_TITLE.format(title=title)}: {escape_mrkdwn(view.verdict)}"
        else:
            head = words.CONTINUED.format(title=words.REPORT_TITLE.format(title=title)) + f" ({number}/{len(pages)})"
        # The fallback (notifications, clients without blocks) is the gist: one line per section.
        gist = [shorten(p.text.split("\n", 1)[0], 200, safe_cut=safe_cut) for p in page if p.kind == "section"]
        messages.append(_message(page, fallback="\n".join([head, *gist])))
    return messages


# ---------------------------------------------------------------- report body


def _report_parts(view: ReportView) -> Iterable[_Part]:
    yield _Part("section", f"*{_title(view.heading)}*")
    meta = [escape_mrkdwn(m) for m in view.meta]
    if view.article_link:
        meta.append(_link(view.article_link))
    if meta:
        yield _Part("context", _fit(" · ".join(meta)))
    yield from _sections(f"*{words.VERDICT}:* {escape_mrkdwn(view.verdict)}")
    if view.triage:
        yield from _sections(f"*{words.TRIAGE}*\n" + "\n".join(_triage_line(item) for item in view.triage))
    if view.summary:
        yield from _sections(f"*{words.IN_SHORT}*\n" + "\n".join(f"• {escape_mrkdwn(s)}" for s in view.summary))
    if view.flags:
        yield from _sections(
            f"*{words.FLAGS}*\n" + "\n".join(f"• {escape_mrkdwn(flag_text(flag))}" for flag in view.flags)
        )
    if view.notice:
        yield _Part("context", _fit(f":information_source: {escape_mrkdwn(view.notice)}"))
    yield _Part("divider")
    if not view.claims:
        yield _Part("section", escape_mrkdwn(view.no_claims))
    else:
        yield _Part("context", _fit("  ".join([f"*{view.claims_heading}*", *map(escape_mrkdwn, view.legend)])))
    for claim in view.claims:
        yield from _sections(_claim_text(claim))
    if view.warnings:
        yield from _sections("\n".join(f":warning: {escape_mrkdwn(w)}" for w in view.warnings))
    yield _Part("divider")
    yield _Part("context", _footer(view))


def _triage_line(item: TriageLine) -> str:
    return (
        f"{STATUS_EMOJI[item.status]} *{item.claim}* · _{escape_mrkdwn(item.label)}_ · "
        f"“{escape_mrkdwn(item.excerpt)}” {escape_mrkdwn(item.problem)}"
    )


def _claim_text(claim: ClaimView) -> str:
    lines = [f"*{claim.number}.* {STATUS_EMOJI[claim.status]} {escape_mrkdwn(claim.facts)}"]
    quote = f"“{escape_mrkdwn(claim.quote)}”"
    if claim.claimant:
        quote += f" — _{escape_mrkdwn(claim.claimant)}_"
    lines.append(quote)
    lines += [_row(row) for row in claim.rows]
    return "\n".join(lines)


def _row(row: Row) -> str:
    label = f"*{escape_mrkdwn(row.label)}{words.MODEL_KNOWLEDGE_MARK if row.marked else ''}:*"
    if row.is_list:
        return label + "\n" + "\n".join(f"• {_line(line)}" for line in row.lines)
    return f"{label} {_line(row.lines[0])}"


def _line(line: Line) -> str:
    return "".join(_link(piece) if isinstance(piece, Link) else escape_mrkdwn(piece) for piece in line)


def _link(item: Link) -> str:
    return link(item.url, label=item.label)


def _footer(view: ReportView) -> str:
    return _fit(" · ".join(escape_mrkdwn(part) for part in view.footer))


def _article(view: ReportView) -> str:
    return _link(view.article_link) if view.article_link else escape_mrkdwn(words.PASTED_TEXT)


def _title(title: str | None) -> str:
    """A title (untrusted) on one line, through the link policy, escaped and shortened."""
    return shorten(safe_text(" ".join(title.split())), _TITLE_CHARS, safe_cut=safe_cut) if title else ""


# ---------------------------------------------------------------- limits


def _fit(text: str) -> str:
    return shorten(text, MAX_TEXT_CHARS, safe_cut=safe_cut)


def _sections(text: str) -> Iterable[_Part]:
    for chunk in split_text(text, limit=MAX_SECTION_CHARS, safe_cut=safe_cut):
        yield _Part("section", chunk)


MIN_FILL = 600  # a section that does not fit is split to fill a message only when this much room is left


def _pack(parts: list[_Part], *, first_budget: int, budget: int) -> list[list[_Part]]:
    """Greedy packing of parts into messages under the block and character budgets.

    A section that does not fit is cut at a line to fill the message (its rest opens the next),
    so messages are full and a long report takes as few as it can.
    """
    pages: list[list[_Part]] = [[]]
    used = 0
    queue = list(parts)
    while queue:
        part = queue.pop(0)
        limit = first_budget if len(pages) == 1 else budget
        blocks_left = MAX_BLOCKS - 3 - len(pages[-1])  # room for the continuation header and marker
        if pages[-1] and (used + len(part.text) > limit or blocks_left <= 0):
            room = limit - used
            cut = part.text.rfind("\n", 0, room) if part.kind == "section" and blocks_left > 0 else -1
            split = room >= MIN_FILL and cut >= MIN_FILL // 2
            if split:
                pages[-1].append(_Part("section", part.text[:cut].rstrip()))
                queue.insert(0, _Part("section", part.text[cut + 1 :].lstrip()))
            pages.append([])
            used = 0
            if split:
                continue
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
            blocks.append(ContextBlock(elements=[_mrkdwn(_fit(part.text))]).to_dict())
        else:
            blocks.append(SectionBlock(text=_mrkdwn(_fit(part.text))).to_dict())
    return SlackMessage(text=shorten(fallback, MAX_FALLBACK_CHARS, safe_cut=safe_cut), blocks=tuple(blocks))


def _mrkdwn(text: str) -> MarkdownTextObject:
    # verbatim: Slack must not auto-link bare URLs or parse names in text we did not write.
    return MarkdownTextObject(text=text, verbatim=True)


def _block_texts(blocks: Iterable[dict]) -> Iterable[str]:
    for block in blocks:
        if "text" in block:
            yield block["text"]["text"]
        for element in block.get("elements", ()):
            if "text" in element:
                yield element["text"]
