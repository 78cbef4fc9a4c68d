"""Render a Report for a terminal (plain text) or for Markdown (issue trackers, wikis)."""

from __future__ import annotations

import textwrap

from adapters.wording import SOURCING_LABELS as STATUS_LABELS
from adapters.wording import claim_rows, footer_parts
from bot.models import Claim, Report


def _meta_line(report: Report) -> str:
    a = report.article
    parts = [p for p in (a.site_name, a.author, a.published) if p]
    return " · ".join(parts)


def _footer(report: Report) -> str:
    return " · ".join(footer_parts(report))


def _claim_text(claim: Claim, *, wrap: int) -> list[str]:
    lines = [
        f"[{claim.id}] “{claim.quote}”",
        f"    check-worthiness {claim.checkworthiness:.2f} · sourcing: {STATUS_LABELS[claim.sourcing.status]}",
    ]
    lines += [f"    {label}: {value}" for label, value in claim_rows(claim)]
    out = []
    for line in lines:
        indent = "    " if line.startswith("    ") else ""
        out.extend(textwrap.wrap(line, width=wrap, subsequent_indent=indent + "  ") or [""])
    return out


def render_text(report: Report, *, wrap: int = 100) -> str:
    a = report.article
    lines = [a.title or "(untitled)"]
    if a.url:
        lines.append(a.url)
    meta = _meta_line(report)
    if meta:
        lines.append(meta)
    lines.append("")
    for line in report.summary:
        lines.extend(textwrap.wrap(line, width=wrap))
    if report.sourcing_verdict:
        lines.extend(textwrap.wrap(f"Sourcing: {report.sourcing_verdict}", width=wrap))
    if report.summary or report.sourcing_verdict:
        lines.append("")
    lines.append(f"Key claims ({len(report.claims)}):")
    for claim in report.claims:
        lines.append("")
        lines.extend(_claim_text(claim, wrap=wrap))
    lines.append("")
    if report.notice:
        lines.extend(textwrap.wrap(f"Note: {report.notice}", width=wrap))
    for warning in report.warnings:
        lines.extend(textwrap.wrap(f"Warning: {warning}", width=wrap))
    lines.append(_footer(report))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Article and model text is untrusted: keep it from forming links, images or HTML."""
    for ch in "\\`*_[]<>!|#":
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(report: Report) -> str:
    a = report.article
    lines = [f"## Fact-check: {_md(a.title or '(untitled)')}", ""]
    if a.url:
        lines.append(_md(a.url))
    meta = _meta_line(report)
    if meta:
        lines.append(_md(meta))
    lines.append("")
    for line in report.summary:
        lines.append(f"> {_md(line)}")
    if report.sourcing_verdict:
        lines += ["", f"**Sourcing:** {_md(report.sourcing_verdict)}"]
    lines += ["", f"### Key claims ({len(report.claims)})", ""]
    for claim in report.claims:
        lines.append(f"{claim.id[1:]}. > {_md(claim.quote)}")
        lines.append(
            f"   - check-worthiness {claim.checkworthiness:.2f}; sourcing: **{STATUS_LABELS[claim.sourcing.status]}**"
        )
        lines += [f"   - {label}: {_md(value)}" for label, value in claim_rows(claim)]
        lines.append("")
    if report.notice:
        lines.append(f"_{_md(report.notice)}_")
    for warning in report.warnings:
        lines.append(f"- ⚠️ {_md(warning)}")
    lines += ["", f"<sub>{_md(_footer(report))}</sub>", ""]
    return "\n".join(lines)
