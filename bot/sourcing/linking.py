"""Which of the article's links, if any, lets a reader check a claim.

A link counts only where a reader would follow it for this claim: inside the claim sentence, or inside the
sentence that carries its attribution ("..., she said in a [Monday analysis](...)"). A link elsewhere in the
article, even on the same name, is about something else, and so is a short link on a passing word inside a
quotation ("the French [Vermeer](...)").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.models import OutboundLink
from bot.sourcing.context import ArticleIndex
from bot.sourcing.lexicon import LINKABLE_DOCUMENTS
from bot.sourcing.phrases import classify, head_word

MAX_ANCHOR = 120  # characters of a link's text kept as a source
_PASSING_WORDS = 2  # a link on at most this many words, inside a quotation, is a passing reference
# "published in the journal Technology", "according to the Spokesman-Review": the teller follows these.
_ANCHOR_LEAD = re.compile(
    r"^(?:(?:was|were|is)\s+)?(?:published|reported|posted|announced|released)\s+(?:in|by|on)\s+|^according\s+to\s+"
    r"|^(?:in|on|by)\s+(?=(?:a|an|the|its|his|her|their)\s)",
    re.IGNORECASE,
)


_NAVIGATION = re.compile(
    r"^https?://[^/]+/(?:[^?#]*/)?(?:tags?|topics?|authors?|category|categories|people|person)/", re.I
)
# Who someone is, not what they said: a site's front page, a profile or team page.
_WHO_PAGE = re.compile(
    r"^https?://[^/?#]+/?(?:[a-z]{2}(?:-[a-z]{2})?/?)?(?:[?#].*)?$"  # https://determined.ai/, https://mila.quebec/en/
    r"|^https?://[^/]+/(?:[^?#]*/)?(?:bio|biography|about(?:-us)?|profiles?|staff|team|our-team|meet-[\w\-]+|experts?|"
    r"faculty|directory|[\w\-]*staff-detail|who-we-are)(?:[/#?]|$)",
    re.I,
)
# A social account's own page: where its owner said it only when the sentence says so ("On Twitter, X explains").
_ACCOUNT_PAGE = re.compile(
    r"^https?://(?:www\.)?(?:twitter|x|facebook|instagram|linkedin|medium)\.com/@?[^/?#]+/?(?:[?#].*)?$", re.I
)
_ON_PLATFORM = re.compile(r"\b(?:Twitter|Facebook|Instagram|LinkedIn|Medium|tweet\w*|post(?:ed|s)?)\b")


def links_in(links: Iterable[OutboundLink], start: int, end: int) -> list[OutboundLink]:
    return [link for link in links if start <= link.start and link.end <= end]


def counting_link(
    links: Iterable[OutboundLink], index: ArticleIndex, *, start: int, end: int, cue_sentences: Iterable[int]
) -> OutboundLink | None:
    """The first link in the claim, else in a sentence where its attribution was read, that a reader would use."""
    spans = [(start, end)] + [(index.sentences[j].start, index.sentences[j].end) for j in sorted(cue_sentences)]
    for a, b in spans:
        for link in links_in(links, a, b):
            if not _passing(link, index):
                return link
    return None


def navigation_link(link: OutboundLink) -> bool:
    return _NAVIGATION.search(link.url) is not None


def who_page(link: OutboundLink) -> bool:
    """A site's front page, an about or profile page: who someone is, not what backs a claim."""
    return _WHO_PAGE.search(link.url) is not None


def _passing(link: OutboundLink, index: ArticleIndex) -> bool:
    if navigation_link(link):
        return True  # a site's topic or tag page on a name ("/topic/grant-shapps") is navigation, not a source
    if who_page(link):
        return True  # "says [Sasha Luccioni](mila.quebec/en/person/...)": her profile, not her statement
    if _ACCOUNT_PAGE.search(link.url):
        sentence = index.sentences[index.sentence_at(link.start)].text
        return _ON_PLATFORM.search(sentence) is None  # "said [Pat Rynard](twitter.com/patrynard)" to the writer
    return len(link.anchor.split()) <= _PASSING_WORDS and index.in_quote(link.start)


def link_only_source(link: OutboundLink) -> str | None:
    """What a link-only claim's anchor names as its source, else None (the writer still asserts the claim).

    "[published in the journal Technology]" names a teller, "[the 2026 budget document]" a document. A link on the
    claim's own words or on the name of what the story is about ("[Margaritaville Resort]") names no source.
    """
    anchor = " ".join(link.anchor.split())[:MAX_ANCHOR]
    rest = _ANCHOR_LEAD.sub("", anchor).strip(" ,.;:")
    if not rest:
        return None
    if " " not in rest and rest.lower() in LINKABLE_DOCUMENTS:
        return None  # "the [findings] were published": a bare noun names no one
    phrase = classify(rest)
    if rest != anchor.strip(" ,.;:") and phrase is not None and phrase.kind == "named":
        return phrase.text
    if head_word(rest) in LINKABLE_DOCUMENTS:
        return phrase.text if phrase is not None else rest
    return None
