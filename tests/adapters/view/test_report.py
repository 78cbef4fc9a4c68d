"""The view: what is shown, in which order, said once; a model's own labels never doubled."""

from __future__ import annotations

from adapters.view import words
from adapters.view.report import build_view, without_verify_label
from bot.models import (
    AnalysisStatus,
    ArticleInfo,
    Claim,
    CounterEvidence,
    EngineInfo,
    Report,
    Sourcing,
    SourcingStatus,
)


def claim(n: int, status: SourcingStatus, *, counter: list[CounterEvidence] | None = None, **extra) -> Claim:
    return Claim(
        id=f"c{n}",
        quote=f"Claim number {n} says that spending rose by {n} percent in 2024 according to the budget office.",
        start=0,
        end=1,
        checkworthiness=0.5 + n / 100,
        sourcing=Sourcing(status=status, gap=f"Gap of claim {n}." if status != SourcingStatus.NAMED_LINKED else None),
        counter_evidence=counter or [],
        **extra,
    )


def report(claims: list[Claim], *, mode: str = "llm") -> Report:
    return Report(
        article=ArticleInfo(
            url="https://paper.example/a",
            title="A title",
            site_name="Paper",
            author="Jo",
            published="2026-01-02",
            language="en",
            text="x",
            word_count=10,
        ),
        engine=EngineInfo(mode=mode, model="gpt-5-mini" if mode == "llm" else None),  # type: ignore[arg-type]
        claims=claims,
    )


def test_a_models_own_verify_label_gives_way_to_the_one_mark() -> None:
    for text in (
        "Figures differ (to verify)",
        "Figures differ (to verify).",
        "Figures differ. (model knowledge, to verify)",
        "Figures differ [unverified]",
        "Figures differ (needs verification)",
    ):
        assert without_verify_label(text).rstrip(".") == "Figures differ", text
    assert (
        without_verify_label("Ask whom (to verify) the figure came from") == "Ask whom (to verify) the figure came from"
    )


def test_model_knowledge_is_marked_on_the_label_when_every_item_is_the_models() -> None:
    counter = [CounterEvidence(text="Figures differ (to verify)."), CounterEvidence(text="Audit says less.")]
    view = build_view(report([claim(1, SourcingStatus.UNATTRIBUTED, counter=counter, context="Flat in 2024.")]))
    rows = {row.label: row for row in view.claims[0].rows}
    assert rows[words.COUNTER_EVIDENCE].marked and rows[words.CONTEXT].marked
    assert rows[words.COUNTER_EVIDENCE].lines == (("Figures differ.",), ("Audit says less.",))
    assert view.legend == (words.MODEL_KNOWLEDGE_LEGEND,)


def test_a_mixed_list_marks_only_the_models_items() -> None:
    counter = [
        CounterEvidence(text="The audit found 12%.", basis="retrieval", to_verify=False),
        CounterEvidence(text="Figures differ."),
    ]
    view = build_view(report([claim(1, SourcingStatus.UNATTRIBUTED, counter=counter)]))
    [row] = [row for row in view.claims[0].rows if row.label == words.COUNTER_EVIDENCE]
    assert not row.marked
    assert row.lines == (("The audit found 12%.",), ("Figures differ. †",))


def test_an_offline_report_gets_a_verdict_from_the_audit_and_no_legend() -> None:
    claims = [claim(n, s) for n, s in enumerate([SourcingStatus.UNATTRIBUTED] * 2 + [SourcingStatus.NAMED_LINKED], 1)]
    view = build_view(report(claims, mode="offline"))
    assert view.verdict == "2 of 3 key claims name no source; 1 is named and linked."
    assert view.legend == ()


def test_triage_puts_the_weakest_sourcing_and_the_strongest_counter_evidence_first() -> None:
    counter = [CounterEvidence(text="The budget office reported a fall.")]
    claims = [
        claim(1, SourcingStatus.NAMED_LINKED, counter=counter, confidence="high"),
        claim(2, SourcingStatus.UNATTRIBUTED),
        claim(3, SourcingStatus.UNATTRIBUTED),
        claim(4, SourcingStatus.ANONYMOUS),
        claim(5, SourcingStatus.NAMED_UNLINKED),
    ]
    triage = build_view(report(claims)).triage
    assert len(triage) == 3
    assert {item.number for item in triage} == {1, 2, 3}  # two unsourced, and the one counter-evidence
    [counter_line] = [item for item in triage if item.kind == "counter"]
    assert counter_line.number == 1 and counter_line.problem == "The budget office reported a fall."
    assert counter_line.label == "counter-evidence†"
    assert all(len(item.text) <= 250 for item in triage)


def test_a_claim_whose_analysis_failed_says_so() -> None:
    failed = claim(1, SourcingStatus.ANONYMOUS, analysis=AnalysisStatus.FAILED)
    rows = build_view(report([failed])).claims[0].rows
    assert (words.NOTICE, ((words.ANALYSIS_FAILED,),)) in [(row.label, row.lines) for row in rows]


def test_claims_keep_the_models_order_when_the_report_has_one() -> None:
    claims = [claim(1, SourcingStatus.ANONYMOUS), claim(2, SourcingStatus.ANONYMOUS)]
    view = build_view(report(claims))
    assert [c.id for c in view.claims] == ["c1", "c2"] and [c.number for c in view.claims] == [1, 2]


def test_every_field_the_llm_and_evidence_work_add_is_in_the_view() -> None:
    from adapters.view.parts import line_text
    from tests.support.report_samples import hostile_report

    view = build_view(hostile_report())
    first, second, third = view.claims
    labels = [row.label for row in third.rows]
    assert labels[0] == words.ALREADY_FACT_CHECKED  # an earlier fact-check comes first
    rows = {row.label: row for row in first.rows}
    assert "Anonymous source" in line_text(rows[words.OFFLINE_AUDIT].lines[0])  # the audit the model corrected
    # The check of the link the sourcing rests on is said on its Link row; the article's other links below it.
    assert "— does not mention 40%, Minister 1" in line_text(rows[words.LINK].lines[0])
    assert line_text(rows[words.LINK_CHECK].lines[0]).startswith("could not be opened (HTTP 404)")
    assert not rows[words.CONTEXT].marked and line_text(rows[words.CONTEXT].lines[0]).endswith("[e1]")  # cited
    counter = [line_text(line) for line in rows[words.COUNTER_EVIDENCE].lines]
    assert counter[0].endswith("[e1]") and counter[1].endswith(" †")  # cited first; the model's marked
    assert "(check: the audit" in counter[1]
    assert "contradicts" in line_text(rows[words.SOURCES].lines[0])
    assert second.picked_offline and words.PICKED_OFFLINE in second.facts
    assert [flag.kind for flag in view.flags] == ["Opinion stated as fact", "Inconsistency"]
    assert "Engine: gpt-5-mini (knowledge to 2024-10)" in view.footer
    assert "1 of 6 counter-points cited" in view.footer and words.NO_STANCE in view.footer
    assert [item.number for item in view.triage][0] == 3  # the earlier fact-check outranks everything


def test_chat_shows_the_first_sources_the_page_shows_them_all() -> None:
    from bot.models import EvidenceItem

    items = [
        EvidenceItem(
            id=f"e{i}",
            url=f"https://s{i}.example/a",
            quote="q " * 200,
            start=0,
            end=1,
            provider="wikipedia",
            fragment_url=f"https://s{i}.example/a#:~:text=q",
        )
        for i in range(1, 6)
    ]
    r = report([claim(1, SourcingStatus.ANONYMOUS, evidence=items)])
    chat = [row for row in build_view(r).claims[0].rows if row.label == words.SOURCES][0]
    page = [row for row in build_view(r, full=True).claims[0].rows if row.label == words.SOURCES][0]
    assert len(chat.lines) == 4 and chat.lines[-1] == (words.SOURCES_MORE.format(count=2),)
    assert len(page.lines) == 5 and all(len(str(line[1])) > 300 for line in page.lines)  # whole quotes


def test_the_offline_verdict_agrees_in_number() -> None:
    statuses = [SourcingStatus.UNATTRIBUTED, SourcingStatus.ANONYMOUS, SourcingStatus.SECONDHAND]
    view = build_view(report([claim(n, s) for n, s in enumerate(statuses, 1)], mode="offline"))
    assert view.verdict == "1 of 3 key claims names no source; 1 rests on an anonymous source; 1 comes secondhand."


def test_the_sourcing_links_check_is_said_once_and_its_passage_not_repeated_as_a_source() -> None:
    from adapters.view.parts import line_text
    from bot.models import EvidenceItem, LinkCheck

    link = "https://city.example/news/statement"
    fragment = link + "#:~:text=remains%20on%20budget"
    said = "The linked page does not mention 2025."
    traced = claim(1, SourcingStatus.NAMED_LINKED).model_copy(
        update={
            "sourcing": Sourcing(status=SourcingStatus.NAMED_LINKED, source="Priya Nandakumar", link=link, gap=said),
            "link_checks": [
                LinkCheck(
                    url=link,
                    verdict="not_found",
                    missing=["2025"],
                    quote="It remains on budget.",
                    fragment_url=fragment,
                )
            ],
            "evidence": [
                EvidenceItem(
                    id="e1",
                    url=link,
                    quote="It remains on budget.",
                    start=0,
                    end=21,
                    provider="links",
                    fragment_url=fragment,
                ),
                EvidenceItem(
                    id="e2",
                    url="https://gazette.example/a",
                    quote="Another page.",
                    start=0,
                    end=13,
                    provider="wikipedia",
                    fragment_url="https://gazette.example/a#:~:text=Another",
                ),
            ],
        }
    )
    rows = {row.label: row for row in build_view(report([traced])).claims[0].rows}
    assert line_text(rows[words.GAP].lines[0]) == said
    link_row = line_text(rows[words.LINK].lines[0])
    assert "does not mention" not in link_row and "It remains on budget." in link_row  # the gap said it already
    assert words.LINK_CHECK not in rows  # the sourcing link is not listed again below
    assert [line_text(line) for line in rows[words.SOURCES].lines] == [
        line_text(line) for line in rows[words.SOURCES].lines if "Another page." in line_text(line)
    ]  # e1 only repeated the checked link's passage


def test_a_report_without_claims_says_why_once() -> None:
    view = build_view(report([], mode="offline"))
    assert view.no_claims == words.NO_CLAIMS and view.verdict != view.no_claims


def test_a_claim_relayed_third_hand_outranks_unsourced_figures_in_check_first() -> None:
    # The sample article: Rep. Jim Banks -> Newsmax -> a Telegram account, beside figures stated without a source.
    def chained(n: int, chain: list[str]) -> Claim:
        sourcing = Sourcing(status=SourcingStatus.SECONDHAND, chain=chain, gap=f"Relayed: {' -> '.join(chain)}.")
        return claim(n, SourcingStatus.SECONDHAND).model_copy(update={"sourcing": sourcing, "checkworthiness": 0.6})

    figures = [claim(n, SourcingStatus.UNATTRIBUTED).model_copy(update={"checkworthiness": 0.6}) for n in (1, 2, 3)]
    third_hand = chained(4, ["Rep. Jim Banks", "Newsmax", "The Telegram account of General SVR"])
    second_hand = chained(5, ["Newsmax", "The Telegram account of General SVR"])
    triage = build_view(report([*figures, third_hand, second_hand], mode="offline")).triage
    assert triage[0].number == 4 and triage[0].label == "secondhand"
    assert 5 not in {item.number for item in triage}  # a plain two-teller chain does not push out a figure
