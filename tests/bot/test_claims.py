"""Key-claim selection: verbatim offsets, no repeats, no page furniture, article order."""

from __future__ import annotations

import itertools

import pytest

from bot.claims import (
    _content_words,
    _same_claim,
    is_claim_shaped,
    priorities,
    score_sentences,
    select_key_claims,
)
from bot.models import Article, Candidate
from bot.sentences import sentence_spans
from tests.support.paths import shared_path

ARTICLE = """City Budget Shows Record Police Spending

Photo by Jane Doe/AP

The city council approved a $2.3 billion budget on Tuesday, the largest in its history.

Police spending rose 18 percent to $410 million, while library funding fell by $12 million, according to the budget office.

"We have never spent this much on policing," council member Ana Ruiz said.

I think the mayor means well. Thanks for reading.

(READ: How the council voted last year)

Unemployment in the city fell to 4.1 percent in March, down from 6.3 percent a year earlier, state data show.

"We have never spent this much on policing."

The council will vote again in June.
"""


def _candidate(text: str, score: float, start: int) -> Candidate:
    return Candidate(start=start, end=start + len(text), text=text, score=score)


def test_every_sentence_is_scored_with_verbatim_offsets() -> None:
    article = Article(text=ARTICLE)
    candidates = score_sentences(article)
    assert [(c.start, c.end) for c in candidates] == [(s.start, s.end) for s in sentence_spans(ARTICLE)]
    for c in candidates:
        assert article.text[c.start : c.end] == c.text
        assert 0.0 <= c.score <= 1.0


def test_selection_keeps_numeric_claims_and_drops_furniture_and_repeats() -> None:
    article = Article(text=ARTICLE)
    claims = select_key_claims(score_sentences(article))
    texts = [c.text for c in claims]
    assert any("$2.3 billion budget" in t for t in texts)
    assert any("18 percent" in t for t in texts)
    assert any("4.1 percent" in t for t in texts)
    assert not any(t.startswith(("City Budget", "Photo by", "(READ:", "Thanks")) for t in texts)
    assert sum("never spent this much" in t for t in texts) <= 1  # the pull-quote repeat is dropped
    assert [c.start for c in claims] == sorted(c.start for c in claims)
    for c in claims:
        assert article.text[c.start : c.end] == c.text


@pytest.mark.parametrize("max_claims", [0, 1, 2, 3])
def test_max_claims_is_honoured_and_keeps_the_best(max_claims: int) -> None:
    candidates = score_sentences(Article(text=ARTICLE))
    full = select_key_claims(candidates, max_claims=8)
    claims = select_key_claims(candidates, max_claims=max_claims)
    assert len(claims) == min(max_claims, len(full))
    priority = priorities(candidates)  # the score, plus the lede's and unnamed sources' head start
    best = sorted(full, key=lambda c: -priority[c.start])[:max_claims]
    assert {c.start for c in claims} == {c.start for c in best}


def test_near_duplicates_keep_the_higher_score_and_article_order() -> None:
    first = "The army left behind $7 billion in military equipment in Afghanistan in 2021."
    repeat = "The army left behind over $7 billion in military equipment in Afghanistan."
    other = "Russia is negotiating with the Taliban to buy weapons, the report says."
    candidates = [_candidate(first, 0.70, 0), _candidate(other, 0.60, 200), _candidate(repeat, 0.90, 400)]
    claims = select_key_claims(candidates)
    assert [c.text for c in claims] == [other, repeat]


def test_floor_drops_low_scores() -> None:
    text = "The bridge cost $40 million and opened in 1998 after six years of work."
    assert select_key_claims([_candidate(text, 0.2, 0)]) == []
    assert select_key_claims([_candidate(text, 0.2, 0)], floor=0.1) != []


def test_a_body_sentence_repeating_the_title_is_skipped_but_the_lede_stating_it_is_kept() -> None:
    title = "Putin and Taliban negotiating sale of US arms left behind in Afghanistan"
    repeat = "Putin and the Taliban are negotiating the sale of US arms left behind in Afghanistan."
    lede = "Officials in Kabul said on Monday that 300 rifles went missing from a depot in March."
    other = "The depot in Kandahar held more than 1,200 rifles and 40 armoured vehicles last year."
    candidates = [_candidate(lede, 0.9, 0), _candidate(other, 0.9, 100), _candidate(repeat, 0.9, 200)]
    assert repeat not in [c.text for c in select_key_claims(candidates, title=title)]
    # twincities.com-mayor.html: the lede restates the headline, and it is the claim an editor checks first.
    first = "St. Louis Park appears to be the first U.S. city to have elected a Somali American mayor."
    headline = "St. Louis Park elects a new mayor, apparently the first Somali American to lead a U.S. city"
    assert [c.text for c in select_key_claims([_candidate(first, 0.65, 0)], title=headline)] == [first]


@pytest.mark.parametrize(
    "text",
    [
        "Report: Putin and Taliban Negotiating Sale of US Arms Left Behind by Biden",
        "Yuri Kochetkov/Pool Photo via AP",
        "(READ: Ukraine Worship Isn't Necessary for Russia's Defeat)",
        "READ MORE: The ten biggest budget fights of 2023 and what they cost.",
        "Banks is right.",
        "President Biden speaks in Washington on Jan. 5, 2023. (AP Photo/Evan Vucci)",
    ],
)
def test_page_furniture_and_fragments_are_not_claims(text: str) -> None:
    assert not is_claim_shaped(text)


@pytest.mark.parametrize(
    "text",
    [
        "Officials told AFP that 30 people died in the flood on Monday.",
        "As Newsmax reported, the deal allegedly includes recognizing the Taliban as the government:",
        "\u201cThe Taliban possess weapons that are scarce for the Russian army,\u201d the post read.",
    ],
)
def test_body_sentences_are_claims(text: str) -> None:
    assert is_claim_shaped(text)


def test_no_two_selected_claims_are_the_same_claim() -> None:
    claims = select_key_claims(score_sentences(Article(text=ARTICLE + "\n" + ARTICLE)), max_claims=8)
    for a, b in itertools.combinations(claims, 2):
        assert not _same_claim(_content_words(a.text), _content_words(b.text)), (a.text, b.text)


def test_sample_article_yields_its_four_key_claims() -> None:
    text = shared_path("seeds", "000_feee107df6f0017a.txt").read_text(encoding="utf-8")
    article = Article(text=text)
    claims = select_key_claims(score_sentences(article))
    assert 1 <= len(claims) <= 8
    texts = [c.text for c in claims]
    for needle in (
        "$7 billion in military equipment",
        "Vladimir Putin is in negotiations with the Taliban",
        "$100 billion",
        "only 30 percent of that money",
    ):
        assert any(needle in t for t in texts), (needle, texts)
    assert not any(t.startswith(("Report:", "Yuri Kochetkov", "(READ:")) for t in texts)
    assert sum("can\u2019t come soon enough" in t for t in texts) <= 1
    assert [c.start for c in claims] == sorted(c.start for c in claims)
    for c in claims:
        assert text[c.start : c.end] == c.text
