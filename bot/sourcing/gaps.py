"""One line an editor can act on: what the reader cannot check about a claim's source."""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import SourcingStatus
from bot.sourcing.lexicon import DOCUMENT_HEADS, LINKABLE_DOCUMENTS, PERSON_TITLES
from bot.sourcing.origin import Origin
from bot.sourcing.phrases import Phrase, head_word, names_source, words

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


def gap_for(
    *,
    layers: tuple[Phrase, ...] = (),
    status: SourcingStatus | None = None,
    linked: bool = False,
    figure: str | None = None,
    marker: str | None = None,
    unattributed: bool = False,
    link_only: str | None = None,
    origin: Origin | None = None,
) -> str | None:
    if link_only is not None:
        return _link_only_gap(link_only)
    if unattributed:
        if figure:
            return f"No source given for this figure ({figure.strip().rstrip(',.;:')})."
        return "The writer asserts this without naming a source."
    if marker:
        return f'Attributed only as "{marker.strip()}"; no source is named or linked.'
    if status is SourcingStatus.SECONDHAND:
        return _chain_gap(layers, linked, origin)
    if not layers:
        return None
    first = layers[0]
    if status is SourcingStatus.NAMED_LINKED:
        return None
    if status is SourcingStatus.ANONYMOUS:
        head = head_word(first.text)
        if first.kind in {"pronoun", "reference"}:
            return f'The source ("{first.text}") is not identified nearby.'
        verb = "are" if head.endswith("s") and not head.endswith(("ss", "us", "is")) else "is"
        if head in DOCUMENT_HEADS:
            return f"The {head} {verb} not named or linked."
        return f"The {head} {verb} not named."
    # named, not linked
    if first.kind == "reference":  # "the mayor": one office-holder, identified by role only
        return f'"{first.text[:1].upper()}{first.text[1:]}" is identified by role only; no link to the statement.'
    if first.social:
        return f"The post by {first.text} is not linked."
    if head_word(first.text) in DOCUMENT_HEADS:
        return f"{first.text[:1].upper()}{first.text[1:]} is named but not linked."
    if _is_person(first.text):
        return "Quoted person named but no link to the statement."
    return f"{first.text} is named, but there is no link to the statement."


def _link_only_gap(anchor: str) -> str:
    """The writer links instead of naming: the gap says what the link stands for and what to check."""
    head = head_word(anchor)
    if head in LINKABLE_DOCUMENTS:  # "the 2026 budget document": a named document, linked
        return f"Check that the linked {head} supports the claim."
    if names_source(anchor):  # "the Port Authority": a named body, linked
        return f"Check that the linked page from {anchor} supports the claim."
    return f'Sourced only by a link (on "{anchor}"); check that the linked page supports the claim.'


def _is_person(text: str) -> bool:
    ws = words(text)
    if not ws:
        return False
    if ws[0].lower() in PERSON_TITLES:
        return True
    caps = [w for w in ws if w[:1].isupper()]
    # "Jim Banks": a personal name is two or three capitalised words without acronyms ("Newsmax" may be anything).
    return 2 <= len(caps) <= 3 and len(caps) == len(ws) and not any(w.isupper() and len(w) > 1 for w in ws)


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
