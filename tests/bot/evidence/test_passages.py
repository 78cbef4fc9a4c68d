"""Passages keep their offsets; ranking finds the passage holding the claim's terms, numbers included."""

from __future__ import annotations

from urllib.parse import unquote

from bot.evidence.fragments import encode_term, fragment_url
from bot.evidence.passages import MAX_CHARS, rank, split_passages

PAGE = (
    "Menu\n"
    "The Harbor Tunnel is a 2.1 km road tunnel that opened in 1998; it cost 1,400 million dollars to build.\n"
    + " ".join(f"Sentence {i} talks about the ferry timetable and the weather on the coast." for i in range(30))
    + "\nCats sleep for about 5 hours in the afternoon, the survey of 300 owners found."
)


def test_every_passage_is_the_page_text_at_its_offsets_and_short() -> None:
    passages = split_passages(PAGE)
    assert passages and all(PAGE[p.start : p.end] == p.text for p in passages)
    assert all(len(p.text) <= MAX_CHARS for p in passages)
    assert not any(p.text == "Menu" for p in passages)  # too short to quote


def test_the_passage_with_the_claims_figures_ranks_first() -> None:
    ranked = rank(split_passages(PAGE), "tunnel opened 1998 cost 1400 million", language="en", boost=["1998"])
    assert ranked[0].passage.text.startswith("The Harbor Tunnel")
    assert ranked[0].matched >= 4


def test_single_digit_numbers_are_terms() -> None:
    ranked = rank(split_passages(PAGE), "cats 5 hours", language="en")
    assert ranked and ranked[0].passage.text.startswith("Cats") and ranked[0].matched == 3


def test_stems_match_across_word_forms() -> None:
    ranked = rank(
        split_passages("Property taxes rose by 23 percent in the city between 2022 and 2026.\n"),
        "property tax 23 percent",
        language="en",
    )
    assert ranked and ranked[0].matched == 4


def test_a_passage_sharing_one_term_is_not_related() -> None:
    assert rank(split_passages(PAGE), "tunnel budget referendum vote council mayor", language="en") == []


def test_fragment_encodes_the_syntax_characters_and_points_at_the_quote() -> None:
    text = "Intro line.\nThe bridge - cable-stayed, 2.1 km & tolled - opened."
    start = text.index("The bridge")
    url = fragment_url("https://example.org/a?x=1#top", text=text, start=start, end=len(text))
    base, _, directive = url.partition("#:~:text=")
    assert base == "https://example.org/a?x=1"
    assert "-" not in directive.replace("%2D", "") and "&" not in directive and " " not in directive
    assert unquote(directive) == text[start:]
    assert encode_term("a-b,c&d") == "a%2Db%2Cc%26d"


def test_long_quote_is_a_range_and_a_repeated_start_gets_a_prefix() -> None:
    text = (
        "The council voted on the budget today. Other business followed. "
        "The council voted on the budget again after the mayor asked for a second reading of every line item."
    )
    start = text.index("The council voted on the budget again")
    url = fragment_url("https://example.org/", text=text, start=start, end=len(text))
    directive = url.split("#:~:text=", 1)[1]
    prefix, _, rest = directive.partition("-,")
    assert unquote(prefix) == "Other business followed."
    text_start, _, text_end = rest.partition(",")
    assert unquote(text_start) == "The council voted on the" and unquote(text_end) == "reading of every line item."
