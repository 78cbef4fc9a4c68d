"""What a source must hold to back a claim: its figures and the names it is about, not its teller."""

from __future__ import annotations

from bot.evidence.mentions import mentions_figure, mentions_name, normalize_numbers
from bot.evidence.terms import claim_terms
from bot.models import Claim, Sourcing, SourcingStatus


def claim(quote: str, *, source: str | None = None, chain: tuple[str, ...] = ()) -> Claim:
    status = SourcingStatus.SECONDHAND if chain else SourcingStatus.UNATTRIBUTED
    return Claim(id="c1", quote=quote, start=0, end=len(quote), checkworthiness=0.9,
                 sourcing=Sourcing(status=status, source=source, chain=list(chain)))  # fmt: skip


def test_figures_and_names_from_the_sample_articles_central_claim() -> None:
    terms = claim_terms(
        claim(
            "We’ve given Ukraine around $100 billion to fund the war against Russia and Ukrainian leader Volodymyr Zelensky is already banging down Uncle Sam’s door to beg for more."
        )
    )
    assert terms.figures == ("$100 billion",)
    assert terms.names[:3] == ("Ukraine", "Russia", "Ukrainian") and "Volodymyr Zelensky" in terms.names
    assert "We've" not in terms.names and "We've" not in terms.keywords


def test_the_teller_is_not_something_the_source_must_mention() -> None:
    terms = claim_terms(
        claim(
            "On Wednesday night, Rep. Jim Banks of Indiana told Newsmax of a report that Vladimir Putin is negotiating with the Taliban.",
            source="Rep. Jim Banks",
            chain=("Rep. Jim Banks", "Newsmax"),
        )
    )
    assert "Wednesday" not in " ".join(terms.names)
    assert not any("Banks" in name or "Newsmax" in name for name in terms.required)
    assert "Vladimir Putin" in terms.required and "Taliban" in terms.required
    assert terms.encyclopedia_query() == "Vladimir Putin Taliban"


def test_years_are_figures() -> None:
    assert claim_terms(claim("The withdrawal from Afghanistan in 2021 left $7 billion of equipment.")).figures == (
        "2021",
        "$7 billion",
    )


def test_figures_are_found_however_the_page_writes_them() -> None:
    page = normalize_numbers(
        "The US sent $100bn; 30% reached the front. In 2021, 1,400 troops left. It cost 7.5 billion dollars."
    )
    for figure in ("$100 billion", "30 percent", "2021", "1,400", "$7.5 billion"):
        assert mentions_figure(page, figure), figure
    for figure in ("$7 billion", "40 percent", "$100 million", "2020"):
        assert not mentions_figure(page, figure), figure


def test_names_are_found_word_by_word_in_any_case() -> None:
    page = "Speaking to reporters, JIM BANKS, a congressman, said Putin had not called."
    assert mentions_name(page, "Rep. Jim Banks") and not mentions_name(page, "Vladimir Putin")
