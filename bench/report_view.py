"""How the report reads in chat: messages per platform and where the triage ends, for an 8-claim model report.

The report is the real pipeline's on the sample article (the repo's example article when the shared
data is absent), with the local OpenAI-compatible server answering as ``NewsroomModel`` (a capable
model's lengths and habits: about 11k characters of claim text for 8 claims). The goal (issue 9):
2 messages on each platform, the triage (verdict and the three most serious problems) within the
first screen, taken as the first 1,500 characters of the first message. The full run also renders
the page (``--format html``) of the example article checked in its world on loopback (with sources)
and, when Chromium is installed, keeps its screenshot for the README. Nothing leaves loopback.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from adapters.discord.render import render_messages
from adapters.slack.render import render_report as render_slack
from adapters.terminal import render_text
from adapters.view import words
from adapters.view.html import render_html
from bot.config import Settings
from bot.models import Report
from tests.support.browser import find_chromium, screenshot
from tests.support.model_reports import EXAMPLE_ARTICLE, model_report, offline_settings, pipeline_report, world_report

FIRST_SCREEN_CHARS = 1500
SCREENSHOT = Path(__file__).resolve().parent / "report-page.png"


def slack_figures(report: Report) -> dict[str, float]:
    messages = render_slack(report)
    texts = [
        text
        for block in messages[0].blocks
        for text in ([block["text"]["text"]] if "text" in block else [e["text"] for e in block.get("elements", ())])
    ]
    before, triage_end = 0, None
    for text in texts:
        before += len(text)
        if text.startswith(f"*{words.TRIAGE}*"):
            triage_end = before
            break
    return {
        "slack_messages": len(messages),
        "slack_first_chars": messages[0].block_chars,
        "slack_chars": sum(m.block_chars for m in messages),
        "slack_triage_end": triage_end if triage_end is not None else float("nan"),
    }


def discord_figures(report: Report) -> dict[str, float]:
    messages = render_messages(report)
    content = messages[0].content
    summary_at = content.find(f"**{words.IN_SHORT}**")
    triage_end = summary_at if summary_at != -1 else len(content)
    return {
        "discord_messages": len(messages),
        "discord_chars": sum(len(m.content) + sum(len(e) for e in m.embeds) for m in messages),
        "discord_triage_end": triage_end if f"**{words.TRIAGE}**" in content else float("nan"),
    }


async def measure_report_view(*, text: str | None, smoke: bool) -> dict[str, Any]:
    settings = offline_settings(Settings.from_env({}))  # nothing beyond loopback
    with tempfile.TemporaryDirectory(prefix="bench-view-") as tmp:
        if text is not None:
            from bench.pipeline_e2e import sample_page

            target = Path(tmp) / "sample.html"
            target.write_text(sample_page(text), encoding="utf-8")
        else:
            target = EXAMPLE_ARTICLE
        report = await model_report(target, settings=settings)
        offline = await pipeline_report(target, settings=settings, offline=True)
        # The page and its screenshot: the example article in its world on loopback, so sources show too.
        with_evidence = await world_report(settings=settings)
        started = time.perf_counter()
        page = render_html(with_evidence)
        html_ms = (time.perf_counter() - started) * 1000
        result: dict[str, Any] = {
            "report_claims": len(report.claims),
            "report_text_chars": len(render_text(report)),
            **slack_figures(report),
            **discord_figures(report),
            "offline_slack_messages": len(render_slack(offline)),
            "offline_discord_messages": len(render_messages(offline)),
            "evidence_slack_messages": len(render_slack(with_evidence)),
            "evidence_discord_messages": len(render_messages(with_evidence)),
            "html_kb": len(page.encode()) / 1024,
            "html_ms": html_ms,
        }
        chromium = find_chromium()
        if not smoke and chromium is not None:
            (Path(tmp) / "report.html").write_text(page, encoding="utf-8")
            screenshot(chromium, Path(tmp) / "report.html", SCREENSHOT, width=1400, height=1800)
            result["screenshot"] = str(SCREENSHOT)
    return result
