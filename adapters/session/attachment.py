"""The full report as a page to attach to the thread.

A stand-in until the view's ``adapters.view.html`` lands (see /work/notes/view-api.md): a minimal,
self-contained, escaped page of the plain-text report, so the attach path is real and tested now.
"""

from __future__ import annotations

import html
import re

from adapters.terminal import render_text
from bot.models import Report

ATTACHMENT_NOTE = "The full report as a page: open the attached file in a browser."


def full_report_page(report: Report) -> tuple[str, str]:
    """(file name, HTML document) for ``report``."""
    title = report.article.title or "untitled article"
    page = (
        '<!doctype html><html><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Fact-check: {html.escape(title)}</title></head>"
        f'<body><pre style="white-space: pre-wrap">{html.escape(render_text(report))}</pre></body></html>'
    )
    return _file_name(title), page


def _file_name(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].rstrip("-")
    return f"fact-check-{slug or 'report'}.html"
