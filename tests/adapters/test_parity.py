"""Parity: the same reports through terminal, Markdown, Slack and Discord carry the same facts.

Each platform's output is read back as plain text (markup and escapes undone, links as their
targets) and every fact of the one view must be in it: the verdict, the summary, the triage, each
claim's quote, sourcing, every row, every live link, the legend and the footer. What must stay out
(scores, a second "to verify") stays out everywhere.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from adapters.discord.render import render_messages
from adapters.slack.render import render_report as render_slack
from adapters.terminal import render_markdown, render_text
from adapters.view.report import Link, ReportView, build_view
from bot.config import Settings
from bot.models import Report
from tests.support.model_reports import EXAMPLE_ARTICLE, model_report, offline_settings, pipeline_report, world_report
from tests.support.report_samples import hostile_report

# ---------------------------------------------------------------- each platform read back as plain text


def _plain(text: str) -> str:
    text = unquote(text.replace("\u200b", ""))  # a link target may be percent-encoded for its platform's syntax
    text = re.sub(r"[*_~`]", "", text)
    return " ".join(text.split())


def slack_text(report: Report) -> str:
    parts: list[str] = []
    for message in render_slack(report):
        for block in message.blocks:
            texts = [block["text"]["text"]] if "text" in block else []
            texts += [e["text"] for e in block.get("elements", ()) if "text" in e]
            for text in texts:
                text = re.sub(r"<([^|<>]+)\|([^<>]*)>", r"\2 \1", text)  # <url|label> -> "label url"
                parts.append(html.unescape(text))
    return _plain("\n".join(parts))


def discord_text(report: Report) -> str:
    parts: list[str] = []
    for message in render_messages(report):
        parts.append(message.content)
        for embed in message.embeds:
            parts += [embed.title or "", embed.description or "", embed.footer.text or ""]
            parts += [f"{field.name} {field.value}" for field in embed.fields]
    text = "\n".join(parts)
    text = re.sub(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(<?([^)>]+)>?\)", r"\1 \2", text)  # [label](<url>) -> "label url"
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = re.sub(r"(?m)^-# ", "", text)
    return _plain(re.sub(r"\\(.)", r"\1", text))


def terminal_text(report: Report) -> str:
    return _plain(render_text(report))


def markdown_text(report: Report) -> str:
    text = render_markdown(report)
    text = re.sub(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)]+)\)", r"\1 \2", text)
    text = text.replace("<sub>", "").replace("</sub>", "")
    return _plain(re.sub(r"\\(.)", r"\1", text))


PLATFORMS: dict[str, Callable[[Report], str]] = {
    "terminal": terminal_text,
    "markdown": markdown_text,
    "slack": slack_text,
    "discord": discord_text,
}


def facts(view: ReportView) -> Iterator[str]:
    yield view.heading
    yield view.verdict
    yield from view.summary
    for item in view.triage:
        yield item.claim
        yield item.excerpt
        yield item.problem
    for flag in view.flags:
        yield flag.kind
        yield flag.note
        yield from flag.passages
    yield view.claims_heading
    yield from view.legend
    for claim in view.claims:
        yield claim.quote
        yield claim.facts
        if claim.claimant:
            yield claim.claimant
        for row in claim.rows:
            yield row.label
            for line in row.lines:
                for piece in line:
                    yield piece.url if isinstance(piece, Link) else piece
    if view.notice:
        yield view.notice
    yield from view.warnings
    yield from view.footer


# ---------------------------------------------------------------- the reports


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    settings = offline_settings(Settings.from_env({})).replace(cache_path=tmp_path_factory.mktemp("c") / "c.sqlite3")
    article = Path(EXAMPLE_ARTICLE)
    return {
        "offline": asyncio.run(pipeline_report(article, settings=settings, offline=True)),
        "model": asyncio.run(model_report(article, settings=settings)),
        "model, with evidence": asyncio.run(world_report(settings=settings)),
        "hostile": hostile_report(),
        "hostile, before the evidence work": hostile_report(with_evidence=False),
    }


@pytest.mark.parametrize(
    "kind", ["offline", "model", "model, with evidence", "hostile", "hostile, before the evidence work"]
)
@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_every_fact_of_the_view_reaches_every_platform(reports: dict[str, Report], kind: str, platform: str) -> None:
    report = reports[kind]
    shown = PLATFORMS[platform](report)
    # A fact the chat view shortened ("…") must be there up to the cut; terminal and Markdown show it whole.
    missing = [fact for fact in facts(build_view(report)) if _plain(fact).split("…")[0] not in shown]
    assert not missing, missing


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_what_stays_out_stays_out_everywhere(reports: dict[str, Report], platform: str) -> None:
    report = reports["model"]
    shown = PLATFORMS[platform](report)
    assert "check-worthiness" not in shown  # scores stay in the JSON
    assert shown.count("model knowledge") == 1  # said once, in the legend
    assert "to verify" not in shown  # the model's own "(to verify)" gave way to the mark
    assert len(report.claims) == 8 and all(c.context and c.counter_evidence for c in report.claims)


def test_the_model_report_is_realistic() -> None:
    """The scripted model writes what the issue measured: about 11k characters of claims for 8 claims."""
    report = asyncio.run(model_report(Path(EXAMPLE_ARTICLE), settings=offline_settings(Settings.from_env({}))))
    written = sum(
        len(c.quote)
        + len(c.context or "")
        + len(c.why_it_matters or "")
        + len(c.sourcing.gap or "")
        + sum(len(e.text) for e in c.counter_evidence)
        + sum(len(q) for q in c.questions)
        for c in report.claims
    )
    assert 8_000 <= written <= 12_000, written


def test_an_8_claim_model_report_fits_two_messages_on_each_platform(reports: dict[str, Report]) -> None:
    """Issue 9 §3 (the figure itself is in make bench: report_messages_max); the triage leads the first."""
    from adapters.view import words

    report = reports["model"]
    slack, discord = render_slack(report), render_messages(report)
    assert len(slack) <= 2 and len(discord) <= 2
    first_slack = [b["text"]["text"] for b in slack[0].blocks if b["type"] == "section"]
    assert any(text.startswith(f"*{words.TRIAGE}*") for text in first_slack[:3])
    assert discord[0].content.index(words.TRIAGE) < 1500
