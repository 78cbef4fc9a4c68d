"""The full report as a page: self-contained, escaped, highlighted, and proven in a real headless Chromium."""

from __future__ import annotations

import asyncio
import re
import struct
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from adapters.view.html import CSP, render_html, report_filename
from adapters.view.links import allowed_urls
from bot.config import Settings
from bot.links import normalize_url
from bot.models import Report
from tests.support.browser import dump_dom, require_chromium, screenshot
from tests.support.model_reports import offline_settings, world_report
from tests.support.report_samples import hostile_report


class Sentinel:
    """A loopback server that counts every request: the page must make none."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        sentinel = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (stdlib name)
                sentinel.hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sentinel() -> Iterator[Sentinel]:
    server = Sentinel()
    yield server
    server.close()


def fetching_report(base: str) -> Report:
    """Every field tries to make the browser fetch from ``base`` or run a script."""
    payload = (
        f'<img src="{base}/img"><script src="{base}/script.js"></script><script>fetch("{base}/fetch")</script>'
        f'<link rel="stylesheet" href="{base}/css"><iframe src="{base}/frame"></iframe>'
        f"<style>body{{background:url({base}/bg)}}</style><a href=\"javascript:fetch('{base}/js')\">x</a>"
    )
    report = hostile_report()
    report.article.url = f"{base}/article"  # a live link: shown, never fetched by loading the page
    report.article.title = f"Title {payload}"
    report.summary = [f"Summary {payload}"]
    report.sourcing_verdict = f"Verdict {payload}"
    text = f"First paragraph {payload}."
    for claim in report.claims:
        claim.context = f"Context {payload}"
        claim.questions = [f"Question {payload}"]
        text += "\n"
        claim.start, claim.end = len(text), len(text) + len(claim.quote)
        text += claim.quote
    report.article.text = text
    return report


def test_the_page_is_escaped_and_self_contained() -> None:
    report = fetching_report("http://127.0.0.1:9")
    page = render_html(report)
    assert page.count("<script") == 0 and page.count("<img") == 0 and page.count("<iframe") == 0
    assert not re.search(r"<[a-z]+\s[^>]*\b(?:src|on[a-z]+)=", page)  # no tag fetches or runs anything
    assert page.count("<style>") == 1 and f'content="{CSP.replace(chr(39), "&#x27;")}"' in page
    assert "&lt;img src=" in page  # the payload is shown as text
    allowed = allowed_urls(report=report)
    for href in re.findall(r'href="([^"]*)"', page):
        assert href.startswith("#") or normalize_url(href.replace("&amp;", "&")) in allowed, href


def test_the_style_is_the_one_the_policy_allows() -> None:
    import base64
    import hashlib

    from adapters.view.html_style import STYLE

    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in CSP and "default-src 'none'" in CSP
    assert f"<style>{STYLE}</style>" in render_html(hostile_report())


def test_attachment_name() -> None:
    report = hostile_report()
    report.article.title = "Mayor's Bridge: $4 Billion, «Insiders» Warn / Ça coûte"
    assert report_filename(report) == "fact-check-mayor-s-bridge-4-billion-insiders-warn-ca-coute.html"
    report.article.title = "Правда"
    assert report_filename(report) == "fact-check.html"


def test_chromium_loads_the_page_runs_nothing_and_fetches_nothing(tmp_path: Path, sentinel: Sentinel) -> None:
    chromium = require_chromium()
    report = fetching_report(sentinel.url)
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    dom = dump_dom(chromium, page)
    screenshot(chromium, page, tmp_path / "report.png")
    assert sentinel.hits == []  # no image, script, style, frame or link was fetched
    assert "<script" not in dom and "<img" not in dom and "<iframe" not in dom
    assert "&lt;script&gt;fetch(" in dom  # the payload is text on the page
    assert len(re.findall(r"<mark ", dom)) == len(report.claims)


def test_chromium_shows_a_model_report_with_every_claim_highlighted(tmp_path: Path) -> None:
    chromium = require_chromium()
    report = asyncio.run(world_report(settings=offline_settings(Settings.from_env({}))))  # evidence, on loopback
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    dom = dump_dom(chromium, page)
    marks = re.findall(r'<mark class="(s-[a-z-]+)" id="text-(\d+)">', dom)
    assert sorted(int(n) for _, n in marks) == list(range(1, len(report.claims) + 1))
    for (css, number), claim in zip(sorted(marks, key=lambda m: int(m[1])), report.claims, strict=True):
        assert css == "s-" + claim.sourcing.status.value.replace("_", "-"), number
        assert f'id="claim-{number}"' in dom
    png = screenshot(chromium, page, tmp_path / "report.png", width=1400, height=1800)
    width, height = struct.unpack(">II", png.read_bytes()[16:24])  # the PNG header's size
    assert (width, height) == (1400, 1800) and png.stat().st_size > 50_000  # a page, not a blank


def test_chromium_enforces_the_pages_content_security_policy(tmp_path: Path, sentinel: Sentinel) -> None:
    """A second wall: were an image ever to slip into the page unescaped, the policy would still stop it."""
    import html

    chromium = require_chromium()
    page = tmp_path / "p.html"
    head = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP)}">'
    page.write_text(f'<html><head>{head}</head><body><img src="{sentinel.url}/img"></body></html>')
    dump_dom(chromium, page)
    assert sentinel.hits == []
    page.write_text(f'<html><body><img src="{sentinel.url}/img"></body></html>')  # the same page without it
    dump_dom(chromium, page)
    assert sentinel.hits == ["/img"]  # the sentinel does see a fetch: the test above can fail
