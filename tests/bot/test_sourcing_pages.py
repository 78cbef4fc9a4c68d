"""Issue 14's sourcing faults, read on the whole real page (../shared/eval-data/trafilatura-eval) as the bot reads it.

Extracted by ``bot.extract`` and audited at the sentence's offsets, so the paragraphs around a sentence (an
introduction ending in ":", a quotation running on) are the page's own.
"""

from __future__ import annotations

import gzip

from bot.extract import extract_html
from bot.models import Article, Sourcing, SourcingStatus
from bot.sourcing import audit_sourcing
from bot.sourcing.context import article_index
from tests.support.paths import shared_path

S = SourcingStatus


def _article(name: str) -> Article:
    path = shared_path("eval-data", "trafilatura-eval", "html", f"{name}.gz")
    return extract_html(gzip.decompress(path.read_bytes()))


def _audit(article: Article, opening: str) -> Sourcing:
    span = next(s for s in article_index(article.text).sentences if s.text.startswith(opening))
    return audit_sourcing(article, start=span.start, end=span.end)


def test_an_imperative_introducing_a_quoted_passage_is_not_its_source() -> None:
    # nymag.com.polarization.html: "Take this passage from his chapter ...:" made "Take" the teller of the passage.
    article = _article("nymag.com.polarization.html")
    assert "Take this passage from his chapter on the differences between the two major parties:" in article.text
    for opening in ("For all the rage Democrats felt toward George W. Bush", "When Democrats took the House in 2006"):
        result = _audit(article, opening)
        assert result.source is None or "Take" not in result.source


def test_a_finnish_read_also_label_is_not_a_source() -> None:
    # uusisuomi.fi.angela.html: the paragraph after "Lue myös:" ("read also") had the source "Lue".
    article = _article("uusisuomi.fi.angela.html")
    assert "Lue myös:\nSuomi esitti viime syksynä" in article.text
    result = _audit(article, "Suomi esitti viime syksynä")
    assert (result.status, result.source) == (S.NOT_ASSESSED, None)


def test_a_body_named_with_and_inside_is_not_cut() -> None:
    # mercurynews.com.2023.01.16.letters-1119.html: the source was "Atmospheric Administration".
    result = _audit(_article("mercurynews.com.2023.01.16.letters-1119.html"), "The National Oceanic and Atmospheric")
    assert result.source == "The National Oceanic and Atmospheric Administration"


def test_a_figure_gap_names_the_figures_not_the_group_they_are_of() -> None:
    # newrepublic.com.neoliberalism.html: the gap named "1 percent" where the unsourced figures were 8.5% and 14%.
    article = _article("newrepublic.com.neoliberalism.html")
    us = _audit(article, "In the United States, the wealthiest 1 percent took home about 8.5 percent")
    assert us.gap == "No source given for this figure (8.5 percent)."
    britain = _audit(article, "In Britain, the top 1 percent captured more than 14 percent")
    assert britain.gap == "No source given for this figure (14 percent)."


def test_every_gap_on_real_pages_is_one_capitalised_sentence() -> None:
    # Lower-case starts and missing full stops read as machine output; the pages mix every kind of gap.
    pages = ["politico.com.retirement.html", "newrepublic.com.neoliberalism.html", "independent.co.uk.penalty.html"]
    gaps = []
    for page in pages:
        article = _article(page)
        for span in article_index(article.text).sentences:
            gap = audit_sourcing(article, start=span.start, end=span.end).gap
            if gap is not None:
                gaps.append(gap)
    assert len(gaps) >= 20
    for gap in gaps:
        assert gap.lstrip("“")[0].isupper() and gap.endswith("."), gap


def test_a_document_is_not_a_role_and_people_are_plural() -> None:
    # independent.co.uk.penalty.html: "“The legislation” is identified by role only."; politico: "The people is".
    penalty = _article("independent.co.uk.penalty.html")
    law = _audit(penalty, "The legislation makes clear that fines can be imposed")
    assert law.gap == "The legislation is named but not linked."
    rules = _audit(penalty, "The new regulations state that venues must not play recorded music")
    assert rules.gap == "The new regulations are named but not linked."
    people = _audit(_article("politico.com.retirement.html"), "Privately, some state legislators are grumbling")
    assert people.gap == "The people are not named."


def test_a_time_before_the_teller_is_not_part_of_its_name() -> None:
    # villagevoice.com-Party.html: "half a year later the White House" was an anonymous "house" ("The house is not
    # named").
    result = _audit(_article("villagevoice.com-Party.html"), "But half a year later the White House announced")
    assert (result.status, result.source) == (S.NAMED_UNLINKED, "the White House")


def test_a_link_to_who_the_story_is_about_backs_nothing_and_asks_nothing() -> None:
    # instyle.com.cancer.html: "[Dianne Austin](coilstolocs.com/about/) decided ..." gave the gap "only a link on
    # “Dianne Austin” backs it: name the source in the text": her company's about page is who she is, not a source.
    article = _article("instyle.com.cancer.html")
    about = next(link for link in article.links if link.anchor == "Dianne Austin")
    assert about.url == "http://coilstolocs.com/about/"
    result = _audit(article, "When Dianne Austin decided to ditch her relaxer")
    assert (result.status, result.link, result.gap) == (S.UNATTRIBUTED, None, None)
    home = _audit(article, "That's why in 2019, she created Coils to Locs")  # a link on the company, to its home
    assert (home.status, home.link, home.gap) == (S.UNATTRIBUTED, None, None)
