"""The offline sourcing audit on sentences written for these tests and on the sample article.

The figures on the eval sets are in tests/bot/test_eval_sourcing.py."""

from __future__ import annotations

import re

import pytest

from bot.models import Article, OutboundLink, Sourcing, SourcingStatus
from bot.sourcing import audit_sourcing
from tests.support.paths import shared_path

S = SourcingStatus


def audit(text: str, sentence: str, links: list[OutboundLink] | None = None) -> Sourcing:
    article = Article(text=text, links=links or [])
    start = text.index(sentence)
    return audit_sourcing(article, start=start, end=start + len(sentence))


def link_on(text: str, anchor: str, url: str) -> OutboundLink:
    start = text.index(anchor)
    sentence = next(s for s in text.replace("\n", " ").split(". ") if anchor in s)
    return OutboundLink(url=url, anchor=anchor, start=start, end=start + len(anchor), sentence=sentence)


# ---------------------------------------------------------------- one status per sentence


@pytest.mark.parametrize(
    ("text", "anchor", "source"),
    [
        ("Dr. Jane Roe, the state epidemiologist, said the outbreak had infected 400 people.", "said", "Dr. Jane Roe"),
        (
            "A spokesman for the governor, Tom Reyes, said in an emailed statement that the outbreak is over.",
            "emailed statement",
            "Tom Reyes",
        ),
    ],
)
def test_named_source_with_a_link_in_the_sentence_is_named_linked(text: str, anchor: str, source: str) -> None:
    result = audit(text, text, [link_on(text, anchor, "https://health.example.org/briefing")])
    assert result.status is S.NAMED_LINKED
    assert result.source == source
    assert result.cue == "said"
    assert result.link == "https://health.example.org/briefing"
    assert result.gap is None


def test_a_link_in_another_sentence_does_not_link_the_claim() -> None:
    # A reader follows a link for the sentence it sits in; one paragraphs away is about something else.
    text = (
        "The Congressional Budget Office published its outlook in May.\n"
        "The deficit will reach 6 percent of GDP, the Congressional Budget Office said."
    )
    link = link_on(text, "Congressional Budget Office", "https://cbo.example.gov/outlook")
    claim = "The deficit will reach 6 percent of GDP, the Congressional Budget Office said."
    result = audit(text, claim, [link])
    assert result.status is S.NAMED_UNLINKED
    assert result.source == "the Congressional Budget Office"
    assert result.link is None


def test_named_person_without_link_is_named_unlinked() -> None:
    text = "Mayor Ann Lee told reporters on Monday that the bridge will close in March."
    result = audit(text, text)
    assert result.status is S.NAMED_UNLINKED
    assert result.source == "Mayor Ann Lee"
    assert result.cue == "told"
    assert result.link is None
    assert result.gap is None  # an on-record statement to reporters: nothing for an editor to link


@pytest.mark.parametrize(
    ("sentence", "gap"),
    [
        ("Officials said the plant would close next year.", "The officials are not named."),
        ("Sources say the talks collapsed on Friday.", "The sources are not named."),
        ("Experts believe the dam is unsafe.", "The experts are not named."),
        ("The company lost money, according to a report.", "The report is not named or linked."),
        ("Spending rose 8 percent, according to figures.", "The figures are not named or linked."),
        ("It is reported that the company laid off 300 workers.", "Attributed only as “It is reported”: no source"),
    ],
)
def test_unnamed_tellers_are_anonymous(sentence: str, gap: str) -> None:
    result = audit(sentence, sentence)
    assert result.status is S.ANONYMOUS
    assert result.gap and result.gap.startswith(gap)


@pytest.mark.parametrize(
    ("outlet", "document", "verb"),
    [
        ("Fox News", "a report", ""),
        ("WKRC 12 News", "an internal audit", "indicates "),  # a station's number is part of its name
        ("Fox 5 DC", "a leaked email", "suggests "),
        ("Channel 4", "a confidential letter", "shows "),
        ("the Ledger", "a court filing", "says "),
    ],
)
def test_teller_of_a_document_to_an_outlet_is_a_secondhand_chain(outlet: str, document: str, verb: str) -> None:
    text = f"Sen. Mark Doe of Ohio told {outlet} of {document} that {verb}the factory was sold to a shell company."
    result = audit(text, text)
    assert result.status is S.SECONDHAND and result.source == "Sen. Mark Doe" and result.cue == "told"
    assert result.chain == ["Sen. Mark Doe", outlet, document]
    assert result.gap and result.gap.startswith("Relayed third-hand") and "not linked" in result.gap


@pytest.mark.parametrize(
    ("sentence", "chain"),
    [
        ("The mine flooded twice in 2022, according to a report cited by Reuters.", ["Reuters", "a report"]),
        ("The ministry, citing the Tass news agency, said 40 soldiers died.", ["The ministry", "the Tass news agency"]),
        ("Clinton had told police that she wanted no escort, the source added.", ["the source", "Clinton"]),
        ("The Times wrote on Saturday that Trump had claimed a loss of $916 million.", ["The Times", "Trump"]),
        ("Host Tucker Carlson cited a study raising a lab-leak theory.", ["Host Tucker Carlson", "a study"]),
        ("Banks said the weapons were sold, according to The Hill.", ["The Hill", "Banks"]),
        (
            "Bloomberg reports that rich voters back him, according to the Roper Center.",
            ["Bloomberg", "the Roper Center"],
        ),
    ],
)
def test_relayed_tellers_form_a_chain(sentence: str, chain: list[str]) -> None:
    result = audit(sentence, sentence)
    assert result.status is S.SECONDHAND
    assert result.chain == chain


@pytest.mark.parametrize(
    "sentence",
    [
        "Video of the arrest shows him with his hands up, but Sheriff Ann Shelby said he refused to comply.",
        "A Quinnipiac University poll found that 74 percent of likely voters said the returns should be public.",
        "Trump said he believes the election is rigged.",
    ],
)
def test_a_second_clause_or_poll_respondents_are_not_a_chain(sentence: str) -> None:
    result = audit(sentence, sentence)
    assert result.status in {S.NAMED_UNLINKED, S.ANONYMOUS}
    assert result.chain == []


@pytest.mark.parametrize(
    ("sentence", "figure"),
    [
        ("The city spent $4.2 million on the bridge last year.", "$4.2 million"),
        ("Only 30 percent of the aid reaches the front line.", "30 percent"),
        ("Tens of billions of dollars have vanished from the budget.", "Tens of billions"),
        # A cue inside a clause that modifies an amount ("the $500 million the governor pledged") is not the
        # sentence's source: the writer asserts the main figure.
        ("The tunnel costs over $900 million, twice the $500 million the governor pledged.", "$900 million"),
        ("Fares rose to $3, well above the $2 fare the transit board approved in March.", "$3"),
        ("The arena cost $2 billion, double the $700 million that the mayor estimated.", "$2 billion"),
    ],
)
def test_figures_the_writer_asserts_are_unattributed_with_a_figure_gap(sentence: str, figure: str) -> None:
    result = audit(sentence, sentence)
    assert result.status is S.UNATTRIBUTED
    assert result.source is None
    assert result.gap and "figure" in result.gap and figure in result.gap


def test_plain_assertion_is_unattributed() -> None:
    sentence = "The council is failing the city."
    result = audit(sentence, sentence)
    assert result.status is S.UNATTRIBUTED
    assert result.gap is None  # the status says it; a gap repeated on every such claim is noise


@pytest.mark.parametrize(
    ("anchor", "source", "gap"),
    [
        ("2025 capital plan", "2025 capital plan", "Check that the linked plan supports the claim."),
        ("county audit", "county audit", "Check that the linked audit supports the claim."),
    ],
)
def test_a_link_on_a_named_document_sources_an_otherwise_unattributed_claim(anchor: str, source: str, gap: str) -> None:
    text = f"The city's {anchor} puts the bridge repairs at $4.2 million."
    result = audit(text, text, [link_on(text, anchor, "https://city.example.org/budget.pdf")])
    assert result.status is S.NAMED_LINKED and result.cue == "link"
    assert result.link == "https://city.example.org/budget.pdf"
    assert result.source == source
    assert result.gap == gap


def test_a_link_on_the_claims_own_words_leaves_it_the_writers_and_the_gap_says_so() -> None:
    # The label and the gap agree: no one is named, a link is the only support.
    text = "The city's budget puts the bridge repairs at $4.2 million."
    result = audit(text, text, [link_on(text, "$4.2 million", "https://city.example.org/budget.pdf")])
    assert result.status is S.UNATTRIBUTED and result.source is None and result.cue == "link"
    assert result.link == "https://city.example.org/budget.pdf"
    assert result.gap == "No source is named; only a link on “$4.2 million” backs it: name the source in the text."


@pytest.mark.parametrize(
    ("sentence", "source", "cue"),
    [
        ("A federal judge rejected the request, saying the file must stay sealed.", "A federal judge", "saying"),
        ("“We will not reopen the mine,” said Carla Mendes, a council spokeswoman.", "Carla Mendes", "said"),
        ("Polls show that the race has tightened in Ohio.", "Polls", "show"),
        ("A Pew Research Center survey found that 43% of adults agree.", "A Pew Research Center survey", "found"),
        ("The WHO says masks cut transmission.", "The WHO", "says"),
        ("Governor Ray Holt has repeatedly said the budget is balanced.", "Governor Ray Holt", "said"),
        ("Obama Says Museum Will Tell of Suffering.", "Obama", "says"),
        ("McConnell, now the majority leader, who in 2010 said the goal was one term, disagreed.", "McConnell", "said"),
    ],
)
def test_attribution_patterns_find_the_teller(sentence: str, source: str, cue: str) -> None:
    result = audit(sentence, sentence)
    assert result.status is not S.UNATTRIBUTED
    assert result.source == source
    assert result.cue == cue


@pytest.mark.parametrize(
    "sentence",
    [
        "The ethnic vote in several battleground states could be decisive in a close election.",
        "He placed the business opportunities of his TV show above research.",
        "The state had added the additional week after voters faced long lines.",
        "A baseless claim that the virus was made in a lab spread online.",
        "The real Trump showed up at the debate.",
        "Hillary Clinton was told about the leak on Monday.",
    ],
)
def test_look_alike_cues_are_not_attributions(sentence: str) -> None:
    assert audit(sentence, sentence).status is S.UNATTRIBUTED


def test_transcript_label_speaks_for_its_paragraph() -> None:
    text = "WALLACE: Do you really see those two as equivalent? The debate has 90 minutes left."
    result = audit(text, "The debate has 90 minutes left.")
    assert result.status is S.NAMED_UNLINKED
    assert result.source == "WALLACE"


def test_headline_report_label_is_anonymous() -> None:
    text = "Report: Putin and Taliban negotiating arms sale"
    result = audit(text, text)
    assert result.status is S.ANONYMOUS
    assert result.gap == "The report is not named or linked."


def test_a_role_is_the_named_office_holder_not_an_anonymous_source() -> None:
    text = "Governor Maria Silva opened the tunnel in May. The governor said tolls would pay for it."
    result = audit(text, "The governor said tolls would pay for it.")
    assert result.status is S.NAMED_UNLINKED and result.source == "Governor Maria Silva"
    alone = audit("The governor said tolls would pay for it.", "The governor said tolls would pay for it.")
    assert alone.status is S.NAMED_UNLINKED and alone.gap and "role only" in alone.gap


@pytest.mark.parametrize(
    ("follow_up", "origin", "how"),
    [
        (
            "According to Ortiz, the audit was first shared by an anonymous account on a message board.",
            "an anonymous account on a message board",
            "first shared by",
        ),
        (
            "The audit was leaked to reporters by a former agency clerk.",
            "a former agency clerk",
            "leaked to reporters by",
        ),
    ],
)
def test_a_later_sentence_names_where_the_relayed_document_came_from(follow_up: str, origin: str, how: str) -> None:
    claim = "Ms. Dora Kim told Fox 5 DC about an internal audit that suggests the agency overbilled."
    result = audit(f"{claim} {follow_up}", claim)
    assert result.status is S.SECONDHAND
    assert result.chain == ["Ms. Dora Kim", "Fox 5 DC", "an internal audit", origin]
    assert result.gap == (
        f"Relayed third-hand: Ms. Dora Kim, via Fox 5 DC, citing an internal audit {how} {origin}; "
        "the audit is not linked."
    )


# ---------------------------------------------------------------- context


def test_block_introduced_by_a_colon_paragraph_takes_its_source() -> None:
    text = (
        "As the Daily Ledger reported, the deal includes a land swap:\n\n"
        "The council approved the swap on Tuesday after a closed session.\n\n"
        "The vote was 5 to 4."
    )
    result = audit(text, "The council approved the swap on Tuesday after a closed session.")
    assert result.status is S.NAMED_UNLINKED
    assert result.source == "the Daily Ledger"
    assert result.cue == "reported"
    # The intro covers the block only, not the writer's next paragraph.
    assert audit(text, "The vote was 5 to 4.").status is S.UNATTRIBUTED


def test_quoted_block_after_colon_with_its_own_teller_is_secondhand() -> None:
    text = (
        "As the Daily Ledger reported:\n\n"
        "The Twitter account of the Harbor Watch group said the pier had collapsed.\n\n"
        "“Two boats sank,” the post read."
    )
    teller = audit(text, "The Twitter account of the Harbor Watch group said the pier had collapsed.")
    assert teller.status is S.SECONDHAND
    assert teller.chain == ["the Daily Ledger", "The Twitter account of the Harbor Watch group"]
    post = audit(text, "“Two boats sank,” the post read.")
    assert post.status is S.SECONDHAND
    assert post.chain == teller.chain
    assert post.gap and "Twitter post" in post.gap


def test_quote_sentences_take_the_speaker_named_in_the_same_quote() -> None:
    text = (
        "“I was there,” Maria Gomez said. “The river rose in an hour. We lost everything.\n\n"
        "“Nobody warned us.”\n\n"
        "The river has flooded three times since 2010."
    )
    for sentence in ("The river rose in an hour.", "“Nobody warned us.”"):
        result = audit(text, sentence)
        assert result.status is S.NAMED_UNLINKED, sentence
        assert result.source == "Maria Gomez", sentence
    assert audit(text, "The river has flooded three times since 2010.").status is S.UNATTRIBUTED


def test_pronoun_points_back_to_the_last_named_teller() -> None:
    text = "Maria Gomez, a farmer, said the river rose in an hour. She added that nobody had warned them."
    result = audit(text, "She added that nobody had warned them.")
    assert result.status is S.NAMED_UNLINKED
    assert result.source == "Maria Gomez"
    assert result.cue == "added"


def test_signed_quotation_and_cueless_intro() -> None:
    text = (
        "“He is ignorant of our culture. He represents our greatest shame.” ― Sonya Herridge\n\n"
        "On July 6, 2015, Senator Ann Marsh made the following comment:\n\n"
        "The unemployment rate for young people is 51 percent."
    )
    signed = audit(text, "He is ignorant of our culture.")
    assert signed.status is S.NAMED_UNLINKED and signed.source == "Sonya Herridge"
    introduced = audit(text, "The unemployment rate for young people is 51 percent.")
    assert introduced.status is S.NAMED_UNLINKED and introduced.source == "Senator Ann Marsh"


def test_claim_offsets_inside_a_sentence_and_empty_span() -> None:
    text = "Officials said the plant would close. The city spent $4.2 million on the bridge."
    start = text.index("$4.2 million")
    result = audit_sourcing(Article(text=text), start=start, end=start + len("$4.2 million"))
    assert result.status is S.UNATTRIBUTED
    assert audit_sourcing(Article(text=text), start=5, end=5).status is S.UNATTRIBUTED


# ---------------------------------------------------------------- the sample article


@pytest.fixture
def sample() -> Article:
    return Article(text=shared_path("seeds", "000_feee107df6f0017a.txt").read_text(encoding="utf-8"))


def audit_in(article: Article, sentence_start: str) -> Sourcing:
    """Audit the sentence of ``article`` that opens with ``sentence_start`` (any whitespace, e.g. NBSP, matches)."""
    found = re.search(r"\s+".join(map(re.escape, sentence_start.split())), article.text)
    assert found, sentence_start
    end = article.text.find(".", found.end()) + 1
    return audit_sourcing(article, start=found.start(), end=end)


def test_sample_figures_asserted_by_the_writer_are_unattributed(sample: Article) -> None:
    for opening, figure in (
        ("We’ve given Ukraine around $100 billion", "$100 billion"),
        ("Since only 30 percent of that money", "30 percent"),
        ("The sudden withdrawal from Afghanistan in 2021", "$7 billion"),
    ):
        result = audit_in(sample, opening)
        assert result.status is S.UNATTRIBUTED, opening
        assert result.gap and figure in result.gap, opening


def test_sample_putin_taliban_report_is_relayed_third_hand(sample: Article) -> None:
    result = audit_in(sample, "On Wednesday night, Rep. Jim Banks")
    assert result.status is S.SECONDHAND
    assert result.source == "Rep. Jim Banks"
    assert result.cue == "told"
    assert result.chain[:2] == ["Rep. Jim Banks", "Newsmax"]
    assert "Telegram" in result.chain[-1]
    assert result.gap and "third-hand" in result.gap and "Telegram post" in result.gap and "not linked" in result.gap


def test_sample_telegram_account_is_relayed_by_newsmax(sample: Article) -> None:
    result = audit_in(sample, "The Telegram account of General SVR")
    assert result.status is S.SECONDHAND
    assert result.chain == ["Newsmax", "The Telegram account of General SVR"]
    assert result.gap and "not linked" in result.gap


def test_sample_banks_quote_continuation_and_link(sample: Article) -> None:
    continued = audit_in(sample, "I served in Afghanistan")
    assert continued.status is S.NAMED_UNLINKED and continued.source == "Banks"
    anchor = "told Newsmax"
    start = sample.text.index(anchor)
    linked = sample.model_copy(
        update={
            "links": [
                OutboundLink(url="https://newsmax.example/banks", anchor=anchor, start=start, end=start + len(anchor))
            ]
        }
    )
    result = audit_in(linked, "On Wednesday night, Rep. Jim Banks")
    assert result.status is S.SECONDHAND
    assert result.link == "https://newsmax.example/banks"
    assert result.gap and "a link is given" in result.gap
