"""One line an editor can act on, or none: what the reader cannot check about a claim's source.

A gap is only written when there is something to do. A named person quoted on the record needs no link (the
reporter's own interview is the source), so "named, no link" alone is not a gap; a named document, report or
published statement that is not linked is. Every gap starts with a capital and ends with a full stop.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import SourcingStatus
from bot.sourcing.antecedents import is_body
from bot.sourcing.lexicon import DOCUMENT_HEADS, LINKABLE_DOCUMENTS
from bot.sourcing.origin import Origin
from bot.sourcing.phrases import Phrase, head_word, words

_HANDS = {2: "second-hand", 3: "third-hand", 4: "fourth-hand"}
_PLATFORMS = {
    "telegram": "Telegram",
    "twitter": "Twitter",
    "tweet": "Twitter",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "reddit": "Reddit",
}
# Cues that point to something published, which a reader could be given a link to.
_PUBLISHED_CUES = frozenset(
    """according to announced announces reported reports wrote writes posted tweeted published found finds showed
    shows concluded concludes estimated estimates stated states read reads released""".split()
)


def gap_for(
    *,
    layers: tuple[Phrase, ...] = (),
    status: SourcingStatus | None = None,
    cue: str | None = None,
    linked: bool = False,
    figures: tuple[str, ...] = (),
    superlative: str | None = None,
    marker: str | None = None,
    unattributed: bool = False,
    link_only: str | None = None,
    unnamed_link: str | None = None,
    origin: Origin | None = None,
) -> str | None:
    if link_only is not None:
        return _link_only_gap(link_only)
    if unnamed_link is not None:
        return f"No source is named; only a link on “{unnamed_link}” backs it: name the source in the text."
    if unattributed:
        if figures:
            return f"No source given for {_listed(figures)}."
        if superlative:
            return f"No source given for “{superlative}”: say how it is known."
        return None  # the status already says the writer asserts it
    if marker:
        return f"Attributed only as “{marker.strip()}”: no source is named."
    if status is SourcingStatus.SECONDHAND:
        return _chain_gap(layers, linked, origin)
    if not layers or status is SourcingStatus.NAMED_LINKED:
        return None
    first = layers[0]
    if status is SourcingStatus.ANONYMOUS:
        if first.kind in {"pronoun", "reference"}:
            return f"The source (“{first.text}”) is not identified nearby."
        head = head_word(first.text)
        verb = _verb(head)
        if linked:
            return f"The {head} {verb} not named in the text; only the link identifies the source."
        if head in DOCUMENT_HEADS:
            return f"The {head} {verb} not named or linked."
        return f"The {head} {verb} not named."
    return _unlinked_named_gap(first, cue)


def _unlinked_named_gap(first: Phrase, cue: str | None) -> str | None:
    head = head_word(first.text)
    if (
        head in DOCUMENT_HEADS and not first.social
    ):  # "the legislation", "a study by The Economist": a document a reader could open
        return f"{_capital(first.text)} {_verb(head)} named but not linked."
    if first.kind == "reference":  # "the mayor": one office-holder, identified by role only
        return f"“{_capital(first.text)}” is identified by role only."
    if first.social:
        return f"The post by {first.text} is not linked."
    if cue in _PUBLISHED_CUES and is_body(first.text):
        return f"{_capital(first.text)} is named, but its published statement is not linked."
    return None  # on the record, said to the reporter: nothing to link


def _listed(figures: tuple[str, ...]) -> str:
    shown = [f.strip().rstrip(",.;:") for f in figures]
    noun = "this figure" if len(shown) == 1 else "these figures"
    joined = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return f"{noun} ({joined})"


def _verb(head: str) -> str:
    plural = head in _PLURAL_NOUNS or (head.endswith("s") and not head.endswith(("ss", "us", "is")))
    return "are" if plural else "is"


_PLURAL_NOUNS = frozenset({"people", "police", "staff", "personnel", "children", "men", "women", "media", "data"})


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_CHECK_THE_LINK = "Check that the linked "


def _link_only_gap(named: str) -> str:
    """The writer links instead of attributing: the gap says what the link stands for and what to check."""
    head = head_word(named)
    if head in LINKABLE_DOCUMENTS:  # "the 2026 budget document": a named document, linked
        return f"{_CHECK_THE_LINK}{head} supports the claim."
    return f"{_CHECK_THE_LINK}page from {named} supports the claim."


def asks_to_check_the_link(gap: str | None) -> bool:
    """The gap only asks an editor to read the linked page: a trace that read it and found the claim answers it."""
    return bool(gap and gap.startswith(_CHECK_THE_LINK))


def _describe_end(layer: Phrase) -> tuple[str, str]:
    """How to name the innermost teller, and what its original is ("post", "report")."""
    lowered = {w.lower() for w in words(layer.text)}
    for key, platform in _PLATFORMS.items():
        if key in lowered:
            return f"a {platform} post", "post"
    if layer.social:
        return "a social-media post", "post"
    head = head_word(layer.text)
    if head in DOCUMENT_HEADS:
        singular = head[:-1] if head.endswith("s") and not head.endswith(("ss", "is", "us")) else head  # "analysis"
        return layer.text if layer.kind == "named" else layer.text.lower(), singular or "report"
    return layer.text, "statement"


def _chain_gap(layers: tuple[Phrase, ...], linked: bool, origin: Origin | None) -> str:
    hand = _HANDS.get(len(layers), f"{len(layers)}-fold")
    end, original = _describe_end(layers[-1])
    middle = [f"via {layer.text}" for layer in layers[1:-1]]
    route = ", ".join([layers[0].text, *middle])
    if origin is not None:
        # The document is known to come from somewhere: say where, and that the document itself is missing.
        end = f"{end} {origin.how} {origin.source.text}"
        tail = (
            f"a link is given; check it reaches the {original} itself." if linked else f"the {original} is not linked."
        )
    elif linked:
        tail = f"a link is given; check it reaches the original {original}."
    else:
        tail = f"the original {original} is not linked."
    return f"Relayed {hand}: {route}, citing {end}; {tail}"


def linked_page_gap(*, verdict: str, missing: Sequence[str] = (), detail: str | None = None) -> str | None:
    """The gap once the claim's own link was fetched and read (bot.evidence.linktrace); None when it backs it."""
    if verdict == "not_found" and missing:
        listed = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
        return f"The linked page does not mention {listed}."
    if verdict in {"dead", "unreadable"}:
        return f"The linked page cannot be read ({detail})." if detail else "The linked page cannot be read."
    if verdict == "contradicts":
        return "The linked page contradicts the claim."
    return None
