"""Each class of fault an editor found in the offline audit (issue 14), on the real sentence that showed it.

The sentences are quoted from pages of ../shared/eval-data/trafilatura-eval (file named in each test), with as
much of the surrounding text as the audit needs to read them.
"""

from __future__ import annotations

from bot.models import Article, OutboundLink, Sourcing, SourcingStatus
from bot.sourcing import audit_sourcing

S = SourcingStatus


def audit(text: str, sentence: str, links: list[OutboundLink] | None = None) -> Sourcing:
    start = text.index(sentence)
    return audit_sourcing(Article(text=text, links=links or []), start=start, end=start + len(sentence))


def link(text: str, anchor: str, url: str) -> OutboundLink:
    start = text.index(anchor)
    return OutboundLink(url=url, anchor=anchor, start=start, end=start + len(anchor))


# ---------------------------------------------------------------- junk source names


def test_a_title_is_not_a_source() -> None:
    # independent.co.uk.penalty.html: "Mr" was given as the source ("The mr is not named").
    text = (
        "Health secretary Matt Hancock was forced onto the defensive in the House of Commons.\n"
        "Mr Hancock responded: “Sometimes in this pandemic we have had to move fast, and we may need to again."
    )
    result = audit(
        text, "Mr Hancock responded: “Sometimes in this pandemic we have had to move fast, and we may need to again."
    )
    assert result.status is S.NAMED_UNLINKED
    assert result.source and result.source.endswith("Hancock")


def test_a_read_more_label_is_not_a_source() -> None:
    # dw.com.colonial.html: a "Read more:" line is page furniture, not a teller ("Take (:)", "Lue (:)").
    text = "Read more: Recognizing Germany colonial crimes: Work in progress"
    result = audit(text, text)
    assert result.source is None or "Read" not in result.source


def test_a_fragment_after_says_is_cut_and_the_report_is_named_by_the_next_sentence() -> None:
    # theguardian.com.academics.html: "a report highlighting the" gave "The the is not named".
    text = (
        "Thousands of academic staff at British universities are being treated as second-class citizens on "
        "precarious contracts, says a report highlighting the “alarming rise of mass casualised labour” in higher "
        "education.\nThe report by the University and College Union claims institutions have created a pool of "
        "low-paid staff to teach undergraduates."
    )
    url = "https://www.ucu.org.uk/media/10681/second_class_academic_citizens"
    lede = text.split("\n")[0]
    result = audit(text, lede, [link(text, "report by the University and College Union", url)])
    assert result.status is S.NAMED_LINKED and result.link == url
    assert result.source == "The report by the University and College Union"


def test_a_person_after_their_body_and_role_is_not_cut_short() -> None:
    # bbc.com.52241221.html: "Department of Correction" was given without the person.
    text = (
        "But burial operations have increased from one day a week to five days a week, with around 24 burials each "
        "day, said Department of Correction spokesman Jason Kersten."
    )
    result = audit(text, text)
    assert result.status is S.NAMED_UNLINKED
    assert result.source and result.source.endswith("Jason Kersten")


def test_a_name_with_and_inside_is_kept_whole() -> None:
    # viconsortium.com-cocaine.html: "Border Protection" (and "Atmospheric Administration" elsewhere) cut at "and".
    text = (
        "U.S. Customs and Border Protection (CBP) Air and Marine Operations (AMO) found Sunday 475 pounds (215.5 "
        "kilos) of cocaine concealed inside a vessel being removed from the water in Las Croabas, Customs and Border "
        "Protection announced Tuesday."
    )
    result = audit(text, text)
    assert result.status is S.NAMED_UNLINKED and result.source == "Customs and Border Protection"


# ---------------------------------------------------------------- wrong attribution


def test_they_is_the_group_not_the_last_named_person() -> None:
    # nytimes.com.blackouts.html: "They also said" (the experts) was given to the last named person.
    text = (
        "“We understand rolling outages are not easy,” said Anne Gonzales, a spokeswoman for California ISO.\n"
        "The energy experts noted that the peak electricity use over the weekend fell below peaks in other years. "
        "They also said the operating reserves of power available to the utilities were higher than the 3 percent "
        "level where California ISO has traditionally ordered a reduction in electricity use."
    )
    result = audit(text, text[text.index("They also said") :])
    assert result.status is S.ANONYMOUS and result.source == "The energy experts"


def test_he_is_the_person_the_sentence_before_names() -> None:
    # politico.com.retirement.html: "He said" (Wayne King) was given to another man.
    text = (
        "“Mark is held in high esteem,” said Aubrey Woodard, the chairman of the 11th District GOP organization.\n"
        "Meadows' plans were kept so secret that Wayne King, the congressman’s deputy chief of staff, did not learn "
        "about the retirement until shortly before the public announcement. He said he was asked to break the news "
        "to the district staff on Dec. 18."
    )
    result = audit(text, "He said he was asked to break the news to the district staff on Dec. 18.")
    assert result.status is S.NAMED_UNLINKED and result.source == "Wayne King"


def test_she_is_the_person_named_in_the_same_sentence() -> None:
    # mercurynews.com.2023.01.16.letters-1119.html: "she said" was anonymous with "Ms. Price" in the sentence.
    text = (
        "Soon after Ms. Price was elected, she said she would “seek to remove all 41 local cases from Death Row "
        "and to resentence people who were sentenced to life without parole.”"
    )
    result = audit(text, text)
    assert result.status is S.NAMED_UNLINKED and result.source == "Ms. Price"


def test_new_data_is_not_a_named_source_even_with_a_link() -> None:
    # bbc.com.52241221.html: "New data showed" was a named source.
    text = (
        "New data on Thursday showed unemployment claims had topped 6 million for the second week in a row, "
        "bringing the number of Americans out of work over the last three weeks to 16.8 million."
    )
    url = "https://www.bbc.com/news/business-52231929"
    result = audit(text, text, [link(text, "unemployment claims had topped 6 million", url)])
    assert result.status is S.ANONYMOUS and result.source == "New data"
    assert result.link == url and result.gap and "not named" in result.gap


# ---------------------------------------------------------------- wrong links


def test_an_unnamed_operative_is_not_named_and_linked_by_a_link_paragraphs_away() -> None:
    # politico.com.retirement.html: "one GOP operative" was named-and-linked through a Facebook link far above.
    text = (
        "And shortly after midnight on Dec. 19, Bennett posted photos of herself with the congressman.\n"
        "Walker’s Greensboro-area seat was sacrificed last month in court-prompted redistricting.\n"
        '"Meadows screwed everybody," said one GOP operative in the state. "About 15 percent of the General '
        'Assembly is out there in the mountains."'
    )
    links = [link(text, "Bennett posted photos", "https://www.facebook.com/LyndaBennettforCongress/posts/1")]
    result = audit(text, 'About 15 percent of the General Assembly is out there in the mountains."', links)
    assert result.status is S.ANONYMOUS and result.link is None
    assert result.source == "one GOP operative"


def test_a_link_in_another_sentence_is_not_the_claims_link() -> None:
    # threatpost.com.android.html: a later quote got the link of the analysis linked two paragraphs before.
    text = (
        "“However, if the operators start targeting broader groups of users, the ransomware could become a serious "
        "threat,” said Lukas Stefanko with ESET in a Monday analysis of the ransomware.\n"
        "“These messages include links to the ransomware,” said Stefanko."
    )
    url = "https://www.welivesecurity.com/2019/07/29/android-ransomware-back/"
    result = audit(
        text,
        "“These messages include links to the ransomware,” said Stefanko.",
        [link(text, "Monday analysis of the ransomware", url)],
    )
    assert result.status is S.NAMED_UNLINKED and result.link is None


# ---------------------------------------------------------------- label and gap agree


def test_a_claim_sourced_only_by_a_link_is_not_labelled_named() -> None:
    # observer.com-LVMH.html: "Named source, linked" while the gap said "sourced only by a link".
    text = (
        "LVMH’s donation will cover a portion of the purchase price for Basket of Wild Strawberries, a 1761 work "
        "that set auction records for Chardin when Paris-based auction house Artcurial sold it for 24.4 million "
        "euros ($26 million) last March."
    )
    result = audit(text, text, [link(text, "sold it for 24.4 million", "https://news.artnet.com/market/chardin")])
    assert result.status is S.UNATTRIBUTED and result.source is None
    assert result.gap and result.gap.startswith("No source is named; only a link")


# ---------------------------------------------------------------- gaps that are noise


def test_an_on_record_quote_and_a_plain_assertion_get_no_gap() -> None:
    # nationnews.com-schools.html and jamaica.gleaner.com-victims.html: 18 gaps said "named, but no link" about
    # ordinary quotes and 35 repeated "The writer asserts this"; neither tells an editor what to do.
    quote = (
        "Archer-Bradshaw said special vaccination consent forms had been sent out electronically to parents "
        "recently, and already more than 130 had responded positively."
    )
    assert audit(quote, quote).gap is None
    plain = "Grant's husband, a police corporal, was badly injured in the crash and has been hospitalised."
    assert audit(plain, plain).gap is None


def test_a_figure_gap_names_every_unsourced_figure() -> None:
    # bbc.com.52241221.html: a figure gap named one number where the claim held two.
    text = "The state's confirmed caseload of Covid-19 is nearly 162,000, of whom 7,844 have died."
    assert audit(text, text).gap == "No source given for these figures (162,000 and 7,844)."


def test_a_first_the_writer_asserts_says_what_to_check() -> None:
    # twincities.com-mayor.html: the lede's "first" is what an editor checks.
    text = "St. Louis Park appears to be the first U.S. city to have elected a Somali American mayor."
    assert audit(text, text).gap == "No source given for “the first U.S. city”: say how it is known."


# ---------------------------------------------------------------- found reading reports on untuned pages


def test_a_sites_topic_page_on_a_name_is_not_a_link_to_the_statement() -> None:
    # standard.co.uk.caribbean.html: "Grant Shapps" linked to the site's /topic/grant-shapps page.
    text = (
        "Travellers arriving in the UK from those places after 4am on Saturday must self-isolate for 14 days, "
        "Transport Secretary Grant Shapps said on Thursday."
    )
    result = audit(text, text, [link(text, "Grant Shapps", "https://www.standard.co.uk/topic/grant-shapps")])
    assert result.status is S.NAMED_UNLINKED and result.link is None


def test_a_rate_per_100000_names_the_rates_not_the_denominator() -> None:
    # standard.co.uk.caribbean.html: the gap asked for a source for "100,000".
    text = (
        "At the time, Denmark was recording a seven-day rate of 65.2 coronavirus cases per 100,000 people, up from "
        "33.8 a week earlier."
    )
    assert audit(text, text).gap == "No source given for these figures (65.2 and 33.8)."


def test_a_question_is_not_the_claim_and_a_name_after_a_phrase_is_the_teller() -> None:
    # miamitodaynews.com-Transitway.html: the asker was given as the source; "under questioning X, ..." was missed.
    asked = (
        "But as trust member Robert Ruano asked how the BRT will cross 46 road intersections on the 14-station trip "
        "between Homestead and Dadeland, Alex Barrios, assistant director for construction of county transportation "
        "and public works, explained that BRT would not stop for cars crossing – but only going one direction."
    )
    assert audit(asked, asked).source == "Alex Barrios"
    questioned = (
        "While an earlier county presentation assured trust members that operations had been geared to the Gold "
        "Standard, under questioning Josenrique Cueto, the transportation department’s deputy director, acknowledged "
        "last week that until the trust raised the issue the department had never talked with the body overseeing "
        "that service standard about what was required to achieve it."
    )
    assert audit(questioned, questioned).source == "Josenrique Cueto"


def test_an_estimate_signed_after_the_claim_names_its_teller() -> None:
    # wired.com.burn.html: "..., estimates Evan Sparks, CEO of Determined AI" read as the writer's own claim.
    text = (
        "The effort may have consumed about 2.8 gigawatt-hours of electricity, estimates Evan Sparks, CEO of "
        "Determined AI, a startup that provides software to help companies manage AI projects."
    )
    result = audit(text, text)
    assert (result.status, result.source, result.gap) == (S.NAMED_UNLINKED, "Evan Sparks", None)


def test_data_published_by_a_body_is_named_by_it() -> None:
    # wired.com.burn.html: "Data published by OpenAI shows" gave the source "Data".
    text = (
        "Data published by OpenAI shows that the computing power required for key AI landmarks over the past few "
        "years has doubled roughly every 3.4 months."
    )
    url = "https://openai.com/blog/ai-and-compute/#modern"
    result = audit(text, text, [link(text, "Data published by OpenAI", url)])
    assert (result.status, result.source, result.link) == (S.NAMED_LINKED, "Data published by OpenAI", url)


def test_a_link_on_a_scientific_law_is_not_a_linked_document() -> None:
    # wired.com.burn.html: "Moore's Law" linked to an encyclopedia became a named, linked "law".
    text = (
        "That’s faster than the rate at which computing power historically increased, the phenomenon known as "
        "Moore’s Law (named after Gordon Moore, cofounder of Intel.)"
    )
    result = audit(text, text, [link(text, "Moore’s Law", "https://en.wikipedia.org/wiki/Moore%27s_law")])
    assert result.status is S.UNATTRIBUTED and result.source is None


def test_going_on_doing_something_is_not_saying_it() -> None:
    # The sample article (shared/seeds): "as it continues to wage war" gave the claim to "it" with the cue
    # "continues"; "..., he continued." still signs a quotation.
    text = (
        "The sudden withdrawal from Afghanistan in 2021 not only left behind over $7 billion in military equipment "
        "and weapons, but American personnel as well. Russia is in need of this equipment for its own army as it "
        "continues to wage war with Ukraine.\n"
        "“This hits home very personally for me,” Banks continued."
    )
    need = audit(text, "Russia is in need of this equipment for its own army as it continues to wage war with Ukraine.")
    assert (need.status, need.source, need.cue) == (S.UNATTRIBUTED, None, None)
    signed = audit(text, "“This hits home very personally for me,” Banks continued.")
    assert (signed.status, signed.source, signed.cue) == (S.NAMED_UNLINKED, "Banks", "continued")


# ---------------------------------------------------------------- names (second batch of labels, tune pages)


def test_a_title_or_an_initial_with_its_period_does_not_cut_the_name() -> None:
    # theintercept.com-Gaza.html: "Dr" was the source; thelist.com.multivitamin.html: "registered dietitian Amanda A".
    text = (
        "Since the start of the war, miscarriages, premature births, and fetal deaths have increased threefold at the "
        "Obstetrics and Gynecology Department at Al-Shifa Hospital in Gaza City, according to Dr. Abed Abu Hasira, a "
        "doctor in the department."
    )
    assert audit(text, text).source == "Dr. Abed Abu Hasira"
    text = (
        "Of the plethora that are out there, there's one that's especially important for folks who plan to start a "
        "family, says registered dietitian Amanda A. Kostro Miller."
    )
    assert audit(text, text).source == "registered dietitian Amanda A. Kostro Miller"


def test_the_person_among_the_appositives_is_the_teller_not_the_role() -> None:
    # jis.gov.jm-investment.html: "Investment and Commerce"; dailymail.co.uk.food.html: "chairman".
    text = (
        "“We are looking to bring a group of ministers of industry and trade from across the region and the world,” "
        "Minister of Industry, Investment and Commerce, Senator the Hon. Aubyn Hill, told JIS News."
    )
    assert audit(text, text).source == "Senator the Hon. Aubyn Hill"
    text = (
        "Mr Parish, chairman of the Commons' environment, food and rural affairs committee, said: 'The Lords picked up "
        "where we left off in the Commons, raising fundamental concerns about how food standards are going to be "
        "protected in the future."
    )
    assert audit(text, text).source == "Mr Parish"


def test_a_name_after_the_cue_is_what_was_said_when_the_teller_opened_the_sentence() -> None:
    # telegraph.co.uk.plumber.html: "Michael Fitton, defending, said Hartley had ..." was given to Hartley.
    text = (
        "Michael Fitton, defending, said Hartley had 20 years of experience in the gas industry and a previously "
        "unblemished record. He said that Hartley had closed his plumbing business after borrowing £20,000 from his "
        "parents, following the tragedy."
    )
    assert audit(text, text.split(" He said")[0]).source == "Michael Fitton"
    assert audit(text, "He said that Hartley had closed his plumbing business").source == "Michael Fitton"


def test_he_is_not_a_name_inside_his_own_quotation_nor_a_verb_opening_the_sentence() -> None:
    # theplanetarypress.com.forestlands.html: "he said" became "Indigenous Peoples" (named inside the quote);
    # edition.cnn.com-royal.html: "Taking Archie outside is his favorite activity, he said" became "Taking Archie".
    text = (
        "“Governments should take note,” said John Fa, a senior associate scientist with the Center for International "
        "Forestry Research.\n“Intact forest landscape loss rates have been significantly lower on lands managed by "
        "Indigenous Peoples than on other lands,” he said."
    )
    assert audit(text, text.split("\n")[1]).source == "John Fa"
    text = (
        "Harry said that having outdoor space has been a huge benefit during lockdowns in California.\n"
        "Taking Archie outside is his favorite activity, he said."
    )
    assert audit(text, "Taking Archie outside is his favorite activity, he said.").source == "Harry"


def test_as_noted_by_via_and_a_closing_citation_name_the_teller() -> None:
    # thelist.com.multivitamin.html and publishedreporter.com-Hottest.html: read as the writer's own claims.
    noted = "Our bodies require a variety of vitamins and minerals to function, as noted by Harvard Medical School."
    url = "https://www.health.harvard.edu/staying-healthy/listing_of_vitamins"
    result = audit(noted, noted, [link(noted, "Harvard Medical School", url)])
    assert (result.status, result.source, result.link) == (S.NAMED_LINKED, "Harvard Medical School", url)
    via = "And it's worth noting that more research needs to be done on multivitamins' influence on allergies (via "
    via += "Everyday Health)."
    assert audit(via, via).source == "Everyday Health"
    cited = (
        "Thus far, the average global temperature from January to October 2023 has already exceeded the previous "
        "record-holder, 2016, by 0.1°C (Copernicus Climate Change Service, 2023)."
    )
    assert (audit(cited, cited).status, audit(cited, cited).source) == (
        S.NAMED_UNLINKED,
        "Copernicus Climate Change Service",
    )


def test_a_link_to_who_the_teller_is_does_not_make_the_claim_linked() -> None:
    # wired.com.burn.html: a link to her profile page made "Named source, linked"; her profile is not her statement.
    text = (
        "“The concern is that machine-learning algorithms in general are consuming more and more energy,” says Sasha "
        "Luccioni, a postdoctoral researcher at Mila, an AI research institute in Canada."
    )
    links = [
        link(text, "Sasha Luccioni", "https://mila.quebec/en/person/sasha-luccioni/"),
        link(text, "Mila", "https://mila.quebec/en/"),
    ]
    result = audit(text, text, links)
    assert (result.status, result.link) == (S.NAMED_UNLINKED, None)
    # theverge.com.ios13.html: his account is where he said it.
    said_there = "On Twitter, Dave Schukin explains that the effect is being achieved using ARKit."
    account = [link(said_there, "Dave Schukin", "https://twitter.com/schukin")]
    assert audit(said_there, said_there, account).status is S.NAMED_LINKED


def test_the_department_is_the_one_named_in_lower_case_before() -> None:
    # miamitodaynews.com-Transitway.html: "The department" became the trust named in the sentence before.
    text = (
        "The Citizens’ Independent Transportation Trust complained in July that the transportation department had kept "
        "it in the dark about operating plans.\nThe department, however, said it couldn’t answer anything until "
        "September."
    )
    result = audit(text, "The department, however, said it couldn’t answer anything until September.")
    assert result.source == "the transportation department"


def test_a_body_speaks_through_its_spokesperson_and_after_a_discourse_marker() -> None:
    # dailymail.co.uk.food.html: "a Government spokesperson" was an anonymous source.
    text = (
        "Last night, a Government spokesperson said: 'We remain focused on getting trade deals that work in the best "
        "interests of our farmers and consumers."
    )
    assert (audit(text, text).status, audit(text, text).source) == (S.NAMED_UNLINKED, "a Government spokesperson")
    # corkbeo.ie.level.html: "That said the government have argued" and "The hospital did say" were the writer's.
    text = (
        "It's been a terrible start to the week, and the latest rules have come with a big fall-out between the "
        "government and the National Public Health Emergency Team who advised a Level 5.\nThat said the government "
        "have argued that the numbers could drop and that could be avoided if the public comply strictly with the "
        "rules of Level 3."
    )
    assert audit(text, text.split("\n")[1]).status is S.NAMED_UNLINKED
    text = (
        "Cork University Hospital have announced that they will not be allowing visitors from tomorrow.\n"
        "The hospital did say however that limited visiting by arrangement would be allowed in cases of end of life "
        "care."
    )
    assert audit(text, text.split("\n")[1]).source == "Cork University Hospital"


def test_unnamed_studies_stay_unnamed_with_a_link_and_a_bare_linked_noun_names_no_one() -> None:
    # medicalnewstoday.com.318674.html: "[studies](...)" and "the [findings](...) were published" were named sources.
    text = (
        "A large body of neuroscientific studies has pointed out that the brain does a lot of work in its spare time."
    )
    result = audit(text, text, [link(text, "studies", "http://journals.sagepub.com/doi/abs/10.1177/0956797612446024")])
    assert (result.status, result.source) == (S.ANONYMOUS, "A large body of neuroscientific studies")
    text = "The scientists were led by Michael Shadlen, and the findings were published in the journal Current Biology."
    result = audit(text, text, [link(text, "findings", "http://www.cell.com/current-biology/fulltext/S0960")])
    assert (result.status, result.source) == (S.UNATTRIBUTED, None)


def test_a_document_its_owner_identifies_is_named() -> None:
    # nytimes.com.blackouts.html: "the grid operator’s 2019 resource assessment" was an unnamed document.
    text = "Its standard for the first stage had been 8 percent, according to the grid operator’s 2019 resource assessment."
    url = "http://www.caiso.com/Documents/2019SummerLoadsandResourcesAssessment.pdf"
    result = audit(text, text, [link(text, "2019 resource assessment", url)])
    assert (result.status, result.link) == (S.NAMED_LINKED, url)
