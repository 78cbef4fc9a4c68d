"""Our labelled news claims (bench/labels) and their scorer: the set is what the guideline says, names match by its rule."""

from __future__ import annotations

import hashlib
from collections import Counter

from bench.eval_news_sourcing import Label, load_labels, news_sourcing, source_matches
from bot.models import Sourcing, SourcingStatus
from tests.support.paths import shared_path


def _label(source: str, *aliases: str) -> Label:
    return Label("p.html", "s", SourcingStatus.NAMED_UNLINKED, source, aliases, "tune")


def _said(source: str | None, *chain: str) -> Sourcing:
    return Sourcing(status=SourcingStatus.NAMED_UNLINKED, source=source, chain=list(chain))


def test_the_set_has_200_claims_from_40_pages_and_holds_a_fifth_of_the_pages_aside() -> None:
    labels = load_labels()
    pages = Counter(label.page for label in labels)
    assert len(labels) >= 200 and len(pages) >= 40
    first = [label for label in labels if label.batch == 1]
    ordered = sorted({label.page for label in first}, key=lambda page: hashlib.sha256(page.encode()).hexdigest())
    held = {label.page for label in first if label.split == "held"}
    assert held == set(ordered[: len(ordered) // 5])
    # The second batch: held when the page name's SHA-256 falls in the first batch's held part of the hash order.
    read_before = {"standard.co.uk.caribbean.html", "miamitodaynews.com-Transitway.html", "wired.com.burn.html"}
    for label in labels:
        if label.batch == 2:
            in_range = hashlib.sha256(label.page.encode()).hexdigest()[:2] < "46"
            assert label.split == ("held" if in_range and label.page not in read_before else "tune"), label.page
            assert not (in_range and label.page in read_before)
    assert all(label.sentence.strip() for label in labels)
    named = [label for label in labels if label.status is not SourcingStatus.UNATTRIBUTED and label.source]
    assert all(label.source for label in labels if label.status is SourcingStatus.NAMED_UNLINKED)
    assert len(named) >= 150


def test_a_person_is_right_by_full_name_title_or_surname_but_not_by_a_fragment() -> None:
    etienne = _label("Carissa F. Etienne")
    assert source_matches(_said("Dr Etienne"), etienne)
    assert source_matches(_said("Carissa F. Etienne"), etienne)
    assert not source_matches(_said("Dr"), etienne)
    kersten = _label("Jason Kersten", "Department of Correction spokesman Jason Kersten")
    assert not source_matches(_said("Department of Correction"), kersten)
    assert source_matches(_said("Department of Correction spokesman Jason Kersten"), kersten)
    assert source_matches(_said("spokesman Jason Kersten"), kersten)
    assert not source_matches(_said("said Jason Kersten"), kersten)


def test_an_organisation_is_right_only_whole_and_a_chain_is_judged_by_its_outermost_teller() -> None:
    noaa = _label("the National Oceanic and Atmospheric Administration", "NOAA")
    assert not source_matches(_said("Atmospheric Administration"), noaa)
    assert source_matches(_said("NOAA"), noaa)
    assert source_matches(_said("National Oceanic and Atmospheric Administration’s"), noaa)
    reuters = _label("Reuters News Agency", "Reuters")
    assert source_matches(_said("a DEA complaint", "Reuters", "a DEA complaint"), reuters)
    assert not source_matches(_said(None), reuters)


def test_scores_on_the_pages() -> None:
    shared = shared_path("eval-data", "trafilatura-eval", "html").parents[2]
    result = news_sourcing(shared)
    assert result["held"]["claims"] + result["tune"]["claims"] == len(load_labels())
    assert result["held"]["not_found"] == result["tune"]["not_found"] == 0  # every sentence is in its page
    assert result["held_batch1"]["claims"] + result["held_batch2"]["claims"] == result["held"]["claims"]
