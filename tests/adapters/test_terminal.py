"""Plain text and Markdown: every field a reader needs, said once, and nothing untrusted forms markup."""

import re

from adapters.terminal import render_markdown, render_text
from adapters.view import words
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
        claimant="Rep. A",
        why_it_matters="The budget vote depends on it.",
        sourcing=Sourcing(
            status=SourcingStatus.SECONDHAND,
            source="Rep. A",
            cue="told",
            chain=["Rep. A", "Channel 9", "a memo"],
            gap="The memo is not linked.",
        ),
        context="Spending was flat in 2024 (to verify).",
        questions=["Where is the memo?"],
        counter_evidence=[
            CounterEvidence(text="The 2025 budget shows a 4% rise (model knowledge, to verify)."),
            CounterEvidence(text="The council minutes record no vote. (to verify)"),
        ],
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
        "Chain: Rep. A → Channel 9 → a memo",
        "Gap: The memo is not linked.",
        "Why it matters: The budget vote depends on it.",
        "— Rep. A",  # the claimant
        "confidence medium",
        "Context†: Spending was flat in 2024.",
        "Counter-evidence†:",
        "• The 2025 budget shows a 4% rise.",
        "• The council minutes record no vote.",
        "Questions for the reporter: Where is the memo?",
        "Secondhand",
        "Engine: gpt-5-mini",
        "3 LLM calls",
        "7,902 tokens",
        "$0.0123",
        "2.1 s",
        "Sourcing overall: Thin.",
        words.MODEL_KNOWLEDGE_LEGEND,
    ):
        assert part in text, part


def test_the_model_knowledge_label_is_said_once_not_per_item():
    for rendered in (render_text(_report()), render_markdown(_report())):
        assert "to verify" not in rendered  # the model's own labels gave way to the one mark
        assert rendered.count("model knowledge") == 1  # the legend


def test_scores_stay_in_the_json():
    for rendered in (render_text(_report()), render_markdown(_report())):
        assert "0.93" not in rendered and "check-worthiness" not in rendered


def test_markdown_keeps_untrusted_text_from_forming_links_images_or_html():
    md = render_markdown(_report())
    # The only link is the article, labelled from its own target.
    assert re.findall(r"(?<!\\)\[([^\]]*)\]\(([^)]*)\)", md) == [("paper.example/a", "https://paper.example/a")]
    assert "![" not in md and "<b>" not in md
    assert "\\<b\\>" in md
    assert "p.png" not in md  # the image is gone
    assert "hxxps://attacker\\[.\\]test" in md  # the masked link's target, defanged
    assert "Budget \\*story\\*" in md


def test_markdown_shows_claimant_why_it_matters_and_confidence():
    md = render_markdown(_report())
    assert "Rep. A" in md and "The budget vote depends on it." in md and "confidence medium" in md
