"""The full report as one self-contained HTML page: ``render_html(report) -> str``.

The article's text with each claim highlighted by its sourcing status, and per claim everything
the report holds (the full view: whole quotes, every source). No script, no external request: one
inline stylesheet allowed by its hash in a Content-Security-Policy that denies everything else, no
image, font or frame. Every string is escaped; the only links are the live links of the one link
policy, opened without a referrer. Pure and thread-safe: the session attaches it to chat threads.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass

from adapters.view import words
from adapters.view.html_style import STYLE
from adapters.view.report import ClaimView, FlagView, Line, Link, ReportView, Row, build_view
from bot.models import Report, SourcingStatus

_STATUS_CLASS: dict[SourcingStatus, str] = {status: "s-" + status.value.replace("_", "-") for status in SourcingStatus}
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
CSP = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; img-src 'none'; font-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def report_filename(report: Report) -> str:
    """A safe name for the page as an attachment: ``fact-check-<title words>.html`` (ASCII, <= 80 chars)."""
    title = unicodedata.normalize("NFKD", report.article.title or "")
    slug = re.sub(r"[^a-z0-9]+", "-", title.encode("ascii", "ignore").decode().lower()).strip("-")[:60].rstrip("-")
    return f"fact-check-{slug}.html" if slug else "fact-check.html"


def render_html(report: Report) -> str:
    view = build_view(report, full=True)
    language = re.sub(r"[^A-Za-z0-9-]", "", report.article.language or "")[:20] or "en"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(view.heading)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        _header(view),
        '<main class="columns">',
        _article(view),
        _claims(view),
        "</main>",
        _footer(view),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- pieces


_LINK_ATTRIBUTES = 'rel="noopener noreferrer nofollow" referrerpolicy="no-referrer"'


def _link(item: Link) -> str:
    return f'<a href="{esc(item.url)}" {_LINK_ATTRIBUTES}>{esc(item.label)}</a>'


def _line(line: Line) -> str:
    return "".join(_link(piece) if isinstance(piece, Link) else esc(piece) for piece in line)


def _header(view: ReportView) -> str:
    out = ["<header>", f"<h1>{esc(view.heading)}</h1>"]
    meta = [esc(m) for m in view.meta] + ([_link(view.article_link)] if view.article_link else [])
    if meta:
        out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    out.append(f'<p class="verdict"><strong>{esc(words.VERDICT)}:</strong> {esc(view.verdict)}</p>')
    if view.triage:
        out.append(f'<section class="triage"><h2>{esc(words.TRIAGE)}</h2><ol>')
        for item in view.triage:
            out.append(
                f'<li class="{_STATUS_CLASS[item.status]}"><a href="#claim-{item.number}">{esc(item.claim)}</a> · '
                f"<em>{esc(item.label)}</em> · “{esc(item.excerpt)}” {esc(item.problem)}</li>"
            )
        out.append("</ol></section>")
    if view.summary:
        out.append(f'<section class="summary"><h2>{esc(words.IN_SHORT)}</h2><ul>')
        out += [f"<li>{esc(line)}</li>" for line in view.summary]
        out.append("</ul></section>")
    if view.flags:
        out.append(f'<section class="flags"><h2>{esc(words.FLAGS)}</h2><ul>')
        out += [_flag(flag) for flag in view.flags]
        out.append("</ul></section>")
    out.append(_key())
    out.append("</header>")
    return "\n".join(out)


def _flag(flag: FlagView) -> str:
    passages = "".join(f" <q>{esc(p)}</q>" for p in flag.passages)
    return f"<li><strong>{esc(flag.kind)}:</strong> {esc(flag.note)}{passages}</li>"


def _key() -> str:
    items = "".join(
        f'<li><span class="swatch {_STATUS_CLASS[status]}"></span>{esc(label)}</li>'
        for status, label in words.SOURCING_LABELS.items()
    )
    return f'<section class="key"><h2>{esc(words.HTML_KEY)}</h2><ul>{items}</ul></section>'


# ---------------------------------------------------------------- the article, highlighted


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    claim: ClaimView


def _marks(view: ReportView) -> list[_Mark]:
    """Claims in text order; one that overlaps an earlier one is listed, not highlighted."""
    marks: list[_Mark] = []
    end = -1
    for claim in sorted(view.claims, key=lambda c: (c.start, c.end)):
        if 0 <= claim.start < claim.end <= len(view.text) and claim.start >= end:
            marks.append(_Mark(claim.start, claim.end, claim))
            end = claim.end
    return marks


def _article(view: ReportView) -> str:
    text, marks = view.text, _marks(view)
    out = [f'<section class="article"><h2>{esc(words.HTML_ARTICLE)}</h2>']
    for start, end in _paragraphs(text):
        pieces, cursor = [], start
        for mark in marks:
            a, b = max(mark.start, start), min(mark.end, end)
            if a >= b:
                continue
            pieces.append(esc(text[cursor:a]))
            anchor = f' id="text-{mark.claim.number}"' if a == mark.start else ""
            pieces.append(
                f'<mark class="{_STATUS_CLASS[mark.claim.status]}"{anchor}>'
                f'<a href="#claim-{mark.claim.number}">{esc(text[a:b])}</a>'
                f"<sup>{mark.claim.number}</sup></mark>"
            )
            cursor = b
        pieces.append(esc(text[cursor:end]))
        out.append(f"<p>{''.join(pieces)}</p>")
    out.append("</section>")
    return "\n".join(out)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"\n+", text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


# ---------------------------------------------------------------- every claim


def _claims(view: ReportView) -> str:
    highlighted = {mark.claim.number for mark in _marks(view)}
    out = [f'<section class="claims"><h2>{esc(words.HTML_CLAIMS)} ({esc(view.claims_heading)})</h2>']
    out += [f'<p class="legend">{esc(line)}</p>' for line in view.legend]
    if not view.claims:
        out.append(f"<p>{esc(view.no_claims)}</p>")
    for claim in view.claims:
        out.append(_claim(claim, highlighted=claim.number in highlighted))
    out.append("</section>")
    return "\n".join(out)


def _claim(claim: ClaimView, *, highlighted: bool) -> str:
    out = [
        f'<article class="claim {_STATUS_CLASS[claim.status]}" id="claim-{claim.number}">',
        f"<h3>{claim.number}. {esc(claim.facts)}</h3>",
        f"<blockquote>“{esc(claim.quote)}”</blockquote>",
    ]
    if claim.claimant:
        out.append(f'<p class="claimant">— {esc(claim.claimant)}</p>')
    out.append("<dl>")
    out += [_row(row) for row in claim.rows]
    out.append("</dl>")
    place = (
        f'<a href="#text-{claim.number}">{esc(words.HTML_IN_TEXT)}</a>' if highlighted else esc(words.HTML_NOT_IN_TEXT)
    )
    score = esc(words.CHECKWORTHINESS.format(score=claim.checkworthiness))
    out.append(f'<p class="small">{place} · {score} · {esc(claim.id)}</p>')
    out.append("</article>")
    return "\n".join(out)


def _row(row: Row) -> str:
    label = esc(row.label) + (esc(words.MODEL_KNOWLEDGE_MARK) if row.marked else "")
    if row.is_list:
        items = "".join(f"<li>{_line(line)}</li>" for line in row.lines)
        return f"<dt>{label}</dt><dd><ul>{items}</ul></dd>"
    return f"<dt>{label}</dt><dd>{_line(row.lines[0])}</dd>"


def _footer(view: ReportView) -> str:
    out = ["<footer>"]
    if view.notice:
        out.append(f'<p class="notice">{esc(view.notice)}</p>')
    out += [f'<p class="warning">{esc(words.WARNING)}: {esc(w)}</p>' for w in view.warnings]
    out.append(f'<p class="small">{esc(" · ".join(view.footer))}</p>')
    out.append("</footer>")
    return "\n".join(out)
