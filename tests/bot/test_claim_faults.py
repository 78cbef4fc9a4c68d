"""Claims an editor would or would not pick (issue 14), on the real sentences that showed each fault."""

from __future__ import annotations

import gzip

import pytest

from adapters.terminal import render_markdown, render_text
from bot.claims import is_claim_shaped, rests_on_unnamed, score_sentences
from bot.extract import extract_html, extract_text
from bot.models import SourcingStatus
from bot.pipeline import LANGUAGE_WARNING, offline_claims
from bot.sourcing import audit_sourcing
from tests.support.paths import shared_path


def _article(name: str):
    return extract_html(
        gzip.decompress(shared_path("eval-data", "trafilatura-eval", "html", f"{name}.gz").read_bytes())
    )


@pytest.mark.parametrize(
    "text",
    [
        # bettycrocker.com.pineapple.html: a recipe page's inline JavaScript reached the text and became a claim.
        "(function() { document.addEventListener('DOMContentLoaded', function() { var componentMe = 1; });",
        # mercurynews.com.2023.01.16.letters-1119.html: a letter's reference line was picked as a claim.
        "Re. “Prop. 13 proves costly to government programs,” Page A8, Jan. 13:",
    ],
)
def test_script_text_and_reference_lines_are_never_claims(text: str) -> None:
    assert not is_claim_shaped(text)


def test_the_lede_and_a_claim_on_unnamed_sources_are_picked() -> None:
    lede = "St. Louis Park appears to be the first U.S. city to have elected a Somali American mayor."
    _, claims = offline_claims(_article("twincities.com-mayor.html"), max_claims=8)
    assert lede in [c.quote for c in claims]
    unnamed = "according to sources who know both women"
    _, claims = offline_claims(_article("politico.com.retirement.html"), max_claims=8)
    picked = [c for c in claims if unnamed in c.quote]
    assert picked and picked[0].sourcing.status.value == "anonymous"


@pytest.mark.parametrize(
    ("page", "language"), [("uusisuomi.fi.angela.html", "fi"), ("assabah.com.tn.article.html", "ar")]
)
def test_a_page_in_another_language_gets_no_guessed_claims(page: str, language: str) -> None:
    # Finnish and Arabic quotes were labelled "writer asserts": the audit reads English only.
    article = _article(page)
    assert article.language == language
    candidates, claims = offline_claims(article, max_claims=8)
    assert candidates and claims == []
    assert "English only" in LANGUAGE_WARNING


async def test_the_report_says_the_page_is_in_finnish(tmp_path, settings) -> None:
    from bot.events import Finished
    from bot.pipeline import check

    page = tmp_path / "page.html"
    page.write_bytes(
        gzip.decompress(
            shared_path("eval-data", "trafilatura-eval", "html", "uusisuomi.fi.angela.html.gz").read_bytes()
        )
    )
    events = [event async for event in check(page, settings=settings, offline=True)]
    finished = events[-1]
    assert isinstance(finished, Finished) and finished.report is not None
    assert finished.report.claims == []
    assert any("This page is in Finnish" in warning for warning in finished.report.warnings)
    # The report does not also say it found nothing worth checking: it did not look.
    for shown in (render_text(finished.report), render_markdown(finished.report)):
        assert "No check-worthy claims found" not in shown
        assert "Claims not listed: the offline analysis does not read Finnish." in shown


def test_the_audit_does_not_label_a_sentence_in_a_language_it_does_not_read() -> None:
    # uusisuomi.fi.angela.html: a Finnish quotation was labelled "the writer asserts it" by the English rules.
    article = _article("uusisuomi.fi.angela.html")
    sentence = article.text.split("\n")[1]
    start = article.text.index(sentence)
    sourcing = audit_sourcing(article, start=start, end=start + len(sentence))
    assert (sourcing.status, sourcing.source, sourcing.gap) == (SourcingStatus.NOT_ASSESSED, None, None)


# harpers.org.justice.html: the report picked the dateline glued to the first sentence and the signatories' note.
NOTES = [
    "The below letter will be appearing in the Letters section of the magazine’s October issue.",
    "Institutions are listed for identification purposes only.",
    # The same class on other pages: what the page says about itself is not a claim about the world.
    "This article is the copyrighted property of Breaking Belize News.",  # breakingbelizenews.com-paho.html
    "At least some content in this article is derived from information featured in Harry Potter: Puzzles & "
    "Spells, Harry Potter: Wizards Unite, and Harry Potter: Hogwarts Mystery.",  # harrypotter.fandom.com.spell.html
]


@pytest.mark.parametrize("text", NOTES)
def test_a_note_about_the_page_itself_is_never_a_claim(text: str) -> None:
    assert not is_claim_shaped(text)


def test_a_dateline_glued_to_a_sentence_and_the_pages_notes_are_not_picked() -> None:
    article = _article("harpers.org.justice.html")
    glued = "July 7, 2020  The below letter will be appearing"
    assert glued in article.text  # the page's text has the date and the note's first sentence on one line
    candidates, claims = offline_claims(article, max_claims=8, encoder=True)
    after = next(c for c in candidates if "The below letter" in c.text)
    assert after.text.startswith("The below letter") and article.text[after.start : after.end] == after.text
    quotes = [c.quote for c in claims]
    assert quotes and not any(q.startswith("July 7") or "letter will be appearing" in q for q in quotes)
    assert not any("identification purposes" in q for q in quotes)
    assert any(q.startswith("Powerful protests for racial and social justice") for q in quotes)


def test_a_date_that_is_the_subject_stays_in_its_sentence() -> None:
    # A date opening a sentence as its subject is part of the claim, not a dateline.
    article = extract_text("July 7, 2020 was the hottest day on record in Phoenix, the National Weather Service said.")
    (candidate,) = offline_claims(article, max_claims=8)[0]
    assert candidate.text.startswith("July 7, 2020 was")


def test_a_claim_resting_on_it_is_understood_is_picked_among_eight_stronger_ones() -> None:
    # independent.co.uk.penalty.html: eight sentences of fines and figures outranked the one resting on no one.
    sentence = "But it is understood that the ban on giving “false information” would also catch someone"
    _, claims = offline_claims(_article("independent.co.uk.penalty.html"), max_claims=8, encoder=True)
    assert len(claims) == 8
    picked = [c for c in claims if c.quote.startswith(sentence)]
    assert picked and picked[0].sourcing.status is SourcingStatus.ANONYMOUS


def test_words_inside_a_quotation_do_not_make_the_claim_rest_on_unnamed_sources() -> None:
    # cbsnews.com: a voter's "He understands that ..." is his own words, on the record.
    assert not rests_on_unnamed('He understands that our nation is progressing," Walter said.')
    assert rests_on_unnamed("But it is understood that the ban on giving “false information” would also catch someone.")


def test_a_lists_bullet_is_not_part_of_the_claim() -> None:
    # phillyvoice.com-Sixers.html: a claim was quoted as "• The Sixers played absolutely tremendous team defense ...".
    article = _article("phillyvoice.com-Sixers.html")
    assert "\u2022 The Sixers played absolutely tremendous team defense" in article.text
    candidate = next(c for c in score_sentences(article) if "The Sixers played absolutely" in c.text)
    assert (
        candidate.text.startswith("The Sixers played")
        and article.text[candidate.start : candidate.end] == candidate.text
    )


def test_no_script_text_of_a_recipe_page_becomes_a_claim() -> None:
    # bettycrocker.com.pineapple.html: its extracted text opens with the page's inline JavaScript
    # ("(function() {  document.addEventListener('DOMContentLoaded', function() {  var componentMetadata = ...").
    article = _article("bettycrocker.com.pineapple.html")
    assert "document.addEventListener('DOMContentLoaded'" in article.text
    candidates, claims = offline_claims(article, max_claims=8, encoder=True)
    script = [c for c in candidates if "addEventListener" in c.text or "JSON.parse" in c.text]
    assert script and not any(is_claim_shaped(c.text) for c in script)
    assert not any("addEventListener" in c.quote or "JSON.parse" in c.quote for c in claims)


def test_the_writers_own_experience_gives_way_to_claims_about_the_world() -> None:
    # metrotimes.com-Mezcal.html, a restaurant review: 4 of its 8 claims were the reviewer's meal ("I was happy with a
    # generous “Mole Dish,” ...", "We tried Aguachile de Ribeye, ...") while "it must be 100% agave" was left out.
    _, claims = offline_claims(_article("metrotimes.com-Mezcal.html"), max_claims=8, encoder=True)
    quotes = [c.quote for c in claims]
    assert "Mezcal can be made from any species of agave, but it must be 100% agave." in quotes
    assert not any(q.startswith(("I was happy with a generous", "We tried Aguachile")) for q in quotes)


# breakingbelizenews.com-paho.html: the report's first claim was the posting stamp (its "source": "Posted"),
# and its last the site's contact line, spelled with Cyrillic look-alike letters.
FURNITURE = [
    "Posted: Thursday, April 21, 2022. 10:11 pm CST.",
    "Соntасt uѕ аt marketing@breakingbelizenews.com оr саll uѕ аt 501-601-0315.",
    "Contact us at marketing@breakingbelizenews.com or call us at 501-601-0315.",
]


@pytest.mark.parametrize("text", FURNITURE)
def test_a_posting_stamp_and_a_contact_line_are_never_claims(text: str) -> None:
    assert not is_claim_shaped(text)


@pytest.mark.parametrize(
    "text",
    [
        "Published reports say the mayor spent $4 million on the bridge.",
        "Updated figures show unemployment rose to 5 percent in May.",
        "“They call us terrorists, but we are farmers,” said the leader of the group.",
    ],
)
def test_sentences_that_only_start_like_furniture_stay_claims(text: str) -> None:
    assert is_claim_shaped(text)


def test_the_belize_pages_stamp_and_contact_line_are_not_picked() -> None:
    article = _article("breakingbelizenews.com-paho.html")
    quotes = [c.quote for c in offline_claims(article, max_claims=8, encoder=True)[1]]
    assert quotes and not any(q.startswith("Posted:") or "marketing@" in q for q in quotes)
    assert any("Carissa F. Etienne" in q for q in quotes)
