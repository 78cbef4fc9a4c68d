import re

from adapters.terminal import render_markdown, render_text
from bot.models import (
    AnalysisStatus,
    ArticleInfo,
    Claim,
    CounterEvidence,
    EngineInfo,
    Report,
    Sourcing,
    SourcingStatus,
    Timings,
    Usage,
)

HOSTILE = "Spending rose 40% ![x](https://attacker.test/p.png?q=1) [bbc.co.uk](https://attacker.test) <b>hi</b>"


def _report() -> Report:
    info = ArticleInfo(
        url="https://paper.example/a",
        title="Budget *story*",
        site_name="Paper",
        author=None,
        published="2026-01-02",
        language="en",
        text=HOSTILE,
        word_count=9,
    )
    claim = Claim(
        id="c1",
        quote=HOSTILE,
        start=0,
        end=len(HOSTILE),
        checkworthiness=0.93,
        sourcing=Sourcing(
            status=SourcingStatus.SECONDHAND,
            source="Rep. A",
            cue="told",
            chain=["Rep. A", "Channel 9", "a memo"],
            gap="The memo is not linked.",
        ),
        context="Spending was flat in 2024.",
        questions=["Where is the memo?"],
        counter_evidence=[CounterEvidence(text="The 2025 budget shows a 4% rise.")],
        confidence="medium",
        analysis=AnalysisStatus.OK,
    )
    return Report(
        article=info,
        engine=EngineInfo(mode="llm", model="gpt-5-mini"),
        claims=[claim],
        summary=["Line one."],
        sourcing_verdict="Thin.",
        usage=Usage(llm_calls=3, total_tokens=7902, cost_usd=0.0123),
        timings=Timings(total_ms=2100),
    )


def test_text_shows_every_part_of_an_llm_report():
    text = render_text(_report())
    for part in (
        "Rep. A → Channel 9 → a memo (told)",
        "gap: The memo is not linked.",
        "context: Spending was flat",
        "counter-evidence: The 2025 budget shows a 4% rise. (model knowledge, to verify)",
        "ask: Where is the memo?",
        "Secondhand",
        "Engine: gpt-5-mini",
        "3 LLM calls",
        "7,902 tokens",
        "$0.0123",
        "2.1 s",
        "Sourcing: Thin.",
    ):
        assert part in text, part


def test_markdown_keeps_untrusted_text_from_forming_links_images_or_html():
    md = render_markdown(_report())
    assert re.search(r"(?<!\\)\]\(", md) is None  # every "](" has its bracket escaped
    assert "![" not in md and "<b>" not in md
    assert "\\!\\[x\\]" in md and "\\<b\\>" in md
    assert "Budget \\*story\\*" in md
