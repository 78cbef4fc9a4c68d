"""Reports for the Discord adapter tests: a worst case that pushes every embed limit."""

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


def words(tag: str, count: int) -> str:
    """``count`` distinct words, so a test can prove none was dropped."""
    return " ".join(f"{tag}w{i}" for i in range(count))


def long_report(*, claims: int = 12) -> Report:
    statuses = list(SourcingStatus)
    return Report(
        article=ArticleInfo(
            url="https://news.example/story",
            title="T" * 300 + " @everyone",
            site_name="Example News",
            author="A. Writer",
            published="2026-11-01",
            language="en",
            text="x",
            word_count=1234,
        ),
        engine=EngineInfo(mode="llm", model="gpt-5-mini"),
        claims=[
            Claim(
                id=f"c{n}",
                quote=words(f"q{n}", 900),  # ~6,000 chars: more than one description
                start=0,
                end=1,
                checkworthiness=0.9,
                claimant="Minister <@123>",
                sourcing=Sourcing(
                    status=statuses[n % len(statuses)],
                    source="officials",
                    link="https://source.example/doc",
                    gap=words(f"g{n}", 300),
                ),
                context=words(f"x{n}", 700),
                counter_evidence=[CounterEvidence(text=words(f"e{n}k{k}", 120)) for k in range(6)],
                questions=[words(f"u{n}k{k}", 40) for k in range(8)],
                confidence="medium",
                analysis=AnalysisStatus.OK,
            )
            for n in range(1, claims + 1)
        ],
        summary=[words("s", 400), "@here look"],
        sourcing_verdict="Mostly anonymous",
        warnings=["one warning"],
        usage=Usage(llm_calls=3, prompt_tokens=1000, completion_tokens=500, total_tokens=1500, cost_usd=0.0123),
        timings=Timings(total_ms=4200),
    )
