"""The one report view for a terminal (plain text) or for Markdown (issue trackers, wikis).

Plain text needs no escaping; a live link is shown as its full URL (a terminal cannot mask one).
Markdown escapes every character that could form a link, an image or HTML, and writes live links
as ``[label](url)`` with the label taken from the link's own target.
"""

from __future__ import annotations

import textwrap
from urllib.parse import quote

from adapters.view import words
from adapters.view.report import ClaimView, Line, Link, ReportView, Row, build_view, flag_text
from bot.models import Article, Report

INDENT = "   "


def render_text(report: Report, *, wrap: int = 100, article: Article | None = None) -> str:
    view = build_view(report, article=article, full=True)

    def para(text: str, *, indent: str = "", hang: str = "  ") -> list[str]:
        # Never break inside a word or at a hyphen: URLs and figures stay whole and copyable.
        return textwrap.wrap(
            text,
            width=wrap,
            initial_indent=indent,
            subsequent_indent=indent + hang,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [""]

    lines = para(view.heading, hang="")
    meta = list(view.meta) + ([view.article_link.url] if view.article_link else [])
    if meta:
        lines += para(" · ".join(meta), hang="")
    lines.append("")
    lines += para(f"{words.VERDICT}: {view.verdict}")
    if view.triage:
        lines += ["", words.TRIAGE]
        for item in view.triage:
            lines += para(item.text, indent=INDENT, hang="   ")
    if view.summary:
        lines += ["", words.IN_SHORT]
        for line in view.summary:
            lines += para(f"• {line}", indent=INDENT)
    if view.flags:
        lines += ["", words.FLAGS]
        for flag in view.flags:
            lines += para(f"• {flag_text(flag)}", indent=INDENT)
    lines.append("")
    if not view.claims:
        lines.append(view.no_claims)
    else:
        lines.append(view.claims_heading + ":")
        for legend in view.legend:
            lines += para(legend, indent=INDENT)
    for claim in view.claims:
        lines.append("")
        lines += _claim_text(claim, para=para)
    lines.append("")
    if view.notice:
        lines += para(f"{words.NOTICE}: {view.notice}")
    for warning in view.warnings:
        lines += para(f"{words.WARNING}: {warning}")
    lines += para(" · ".join(view.footer), hang="")
    return "\n".join(lines) + "\n"


def _claim_text(claim: ClaimView, *, para) -> list[str]:
    lines = para(f"{claim.number}. {claim.facts}", hang="   ")
    quote_line = f"“{claim.quote}”" + (f" — {claim.claimant}" if claim.claimant else "")
    lines += para(quote_line, indent=INDENT)
    for row in claim.rows:
        label = row.label + (words.MODEL_KNOWLEDGE_MARK if row.marked else "")
        if row.is_list:
            lines += para(f"{label}:", indent=INDENT)
            for line in row.lines:
                lines += para(f"• {_plain(line)}", indent=INDENT + "  ")
        else:
            lines += para(f"{label}: {_plain(row.lines[0])}", indent=INDENT)
    return lines


def _plain(line: Line) -> str:
    return "".join(piece.url if isinstance(piece, Link) else piece for piece in line)


# ---------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    """Article and model text is untrusted: keep it from forming links, images or HTML."""
    for ch in "\\`*_[]<>!|#~":
        text = text.replace(ch, "\\" + ch)
    return text


def _md_link(item: Link) -> str:
    return f"[{_md(item.label)}]({quote(item.url, safe=':/?#@!$&*+,;=%~-._')})"


def _md_line(line: Line) -> str:
    return "".join(_md_link(piece) if isinstance(piece, Link) else _md(piece) for piece in line)


def _md_row(row: Row) -> list[str]:
    label = f"**{_md(row.label)}{words.MODEL_KNOWLEDGE_MARK if row.marked else ''}:**"
    if row.is_list:
        return [f"   - {label}", *(f"     - {_md_line(line)}" for line in row.lines)]
    return [f"   - {label} {_md_line(row.lines[0])}"]


def render_markdown(report: Report, *, article: Article | None = None) -> str:
    view = build_view(report, article=article, full=True)
    lines = [f"## {_md(view.heading)}", ""]
    meta = [_md(m) for m in view.meta] + ([_md_link(view.article_link)] if view.article_link else [])
    if meta:
        lines += [" · ".join(meta), ""]
    lines.append(f"**{words.VERDICT}:** {_md(view.verdict)}")
    if view.triage:
        lines += ["", f"### {words.TRIAGE}", ""]
        lines += [
            f"- **{item.claim}** · _{_md(item.label)}_ · “{_md(item.excerpt)}” {_md(item.problem)}"
            for item in view.triage
        ]
    if view.summary:
        lines += ["", f"**{words.IN_SHORT}**", "", *(f"> {_md(line)}  " for line in view.summary)]
    if view.flags:
        lines += ["", f"**{words.FLAGS}**", "", *(f"- {_md(flag_text(flag))}" for flag in view.flags)]
    lines += ["", f"### {_md(view.claims_heading) if view.claims else _md(view.no_claims)}", ""]
    lines += [f"_{_md(legend)}_" for legend in view.legend]
    if view.legend:
        lines.append("")
    for claim in view.claims:
        lines += _md_claim(claim, view)
    if view.notice:
        lines.append(f"_{_md(view.notice)}_")
    for warning in view.warnings:
        lines.append(f"- ⚠️ {_md(warning)}")
    lines += ["", f"<sub>{_md(' · '.join(view.footer))}</sub>", ""]
    return "\n".join(lines)


def _md_claim(claim: ClaimView, view: ReportView) -> list[str]:
    quote_line = f"“{_md(claim.quote)}”" + (f" — _{_md(claim.claimant)}_" if claim.claimant else "")
    lines = [f"{claim.number}. **{_md(claim.facts)}**", f"   > {quote_line}", ""]
    for row in claim.rows:
        lines += _md_row(row)
    lines.append("")
    return lines
