"""Who stands behind a claim sentence, and how a reader could check it.

The sentence's own attribution comes first; when it has none, the surrounding text
is read the way an editor would: the speaker named elsewhere in the same quotation
(or in the paragraph that opened it), a paragraph ending in ":" that introduces a
block ("As Newsmax reported, ...:"), and "he" / "the post" pointing back to the last
named teller. Tellers stack into a chain when one relays another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import languages
from bot.models import Article, Sourcing, SourcingStatus
from bot.sourcing.antecedents import antecedent
from bot.sourcing.attribution import Attribution
from bot.sourcing.clauses import anonymous_marker, find_attribution
from bot.sourcing.context import ArticleIndex, article_index
from bot.sourcing.framing import main_subject
from bot.sourcing.gaps import gap_for
from bot.sourcing.lexicon import DOCUMENT_HEADS, FIGURE, SUPERLATIVE
from bot.sourcing.linking import (
    MAX_ANCHOR,
    counting_link,
    link_only_source,
    links_in,
    navigation_link,
    who_page,
)
from bot.sourcing.names import same_source
from bot.sourcing.origin import Origin, document_origin
from bot.sourcing.phrases import (
    Phrase,
    head_word,
    role_title,
)

_LOOK_AHEAD = 8  # sentences searched for the origin of "a report"
_QUOTE_PARAGRAPHS = 4  # paragraphs a running quotation may span
_QUOTED = 0.5  # share of a sentence inside quotation marks that makes it a quote
_MAX_FIGURES = 3  # a gap names at most this many of a claim's figures
_PER = re.compile(r"\bper\s*$")  # "per 100,000 people" is the denominator, not the figure to source
# "the wealthiest 1 percent took home 8.5 percent": the first names a group of people, the second is the figure.
_GROUP = re.compile(r"\b(?:top|bottom|richest|wealthiest|poorest|highest-paid|lowest-paid)\s*$", re.I)


@dataclass(frozen=True, slots=True)
class Trace:
    layers: tuple[Phrase, ...]  # outermost teller first
    cue: str
    sentences: frozenset[int]  # where the attribution was read: links there count (bot.sourcing.linking)
    origin: Origin | None = None  # where the relayed document came from, said in a later sentence


def audit_sourcing(article: Article, *, start: int, end: int) -> Sourcing:
    """Audit the claim at ``article.text[start:end]``; offsets follow ``Article.text``."""
    if not languages.reads(article.language):
        # The rules are English: on a Finnish quote they would answer "the writer asserts it" with confidence.
        return Sourcing(status=SourcingStatus.NOT_ASSESSED)
    text = article.text
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if end <= start:
        return Sourcing(status=SourcingStatus.UNATTRIBUTED, gap="No claim text to audit.")
    index = article_index(text)
    claim = text[start:end]
    here = index.sentence_at(start)
    trace = _trace(index, here, claim=claim, claim_start=start)
    if trace is None:
        return _without_teller(article, claim, start, end)
    trace = _named_next(index, here, _extend_with_origin(index, here, trace))
    layers = trace.layers
    link = counting_link(article.links, index, start=start, end=end, cue_sentences=trace.sentences)
    first = layers[0]
    if len(layers) >= 2:
        status = SourcingStatus.SECONDHAND
    elif first.kind == "named" or role_title(first) or _identified_document(index, here, first):
        status = SourcingStatus.NAMED_LINKED if link else SourcingStatus.NAMED_UNLINKED
    else:
        # An unnamed source stays anonymous when a link sits on it: the reader should not have to click to learn
        # who is talking. The link is still reported.
        status = SourcingStatus.ANONYMOUS
    return Sourcing(
        status=status,
        source=first.text,
        cue=trace.cue,
        link=link.url if link else None,
        gap=gap_for(layers=layers, status=status, cue=trace.cue, linked=link is not None, origin=trace.origin),
        chain=_chain(trace) if status is SourcingStatus.SECONDHAND else [],
    )


def _named_next(index: ArticleIndex, here: int, trace: Trace) -> Trace:
    """A lede's "says a report" named in the next sentence ("The report by the University and College Union")."""
    first = trace.layers[0]
    head = head_word(first.text)
    if (
        len(trace.layers) > 1
        or first.kind != "anonymous"
        or head not in DOCUMENT_HEADS
        or here + 1 >= len(index.sentences)
    ):
        return trace
    if first.text.split()[0].lower() not in {"a", "an"}:
        return trace
    following = index.local(here + 1)
    if following is None or following.source.kind != "named" or head_word(following.source.text) != head:
        return trace
    return Trace((following.source,), trace.cue, trace.sentences | {here + 1}, trace.origin)


def _identified_document(index: ArticleIndex, here: int, first: Phrase) -> bool:
    """'The new regulations state ...' in a story about those regulations: the document is identified."""
    head = head_word(first.text)
    if first.kind != "reference" or head not in DOCUMENT_HEADS:
        return False
    if re.search(r"\w[’']s\s", first.text):
        return True  # "the grid operator’s 2019 resource assessment": its owner identifies it
    stem = head[:-1] if head.endswith("s") else head
    earlier = index.text[: index.sentences[here].start].lower()
    return re.search(rf"\b{re.escape(stem)}s?\b", earlier) is not None


def _without_teller(article: Article, claim: str, start: int, end: int) -> Sourcing:
    """No one tells the claim: a hedge ("reportedly"), a link on it, or the writer's own assertion."""
    marker = anonymous_marker(claim)
    if marker:
        return Sourcing(status=SourcingStatus.ANONYMOUS, cue=marker, gap=gap_for(marker=marker))
    link = next((found for found in links_in(article.links, start, end) if not navigation_link(found)), None)
    named = link_only_source(link) if link is not None else None
    if link is not None and named is None and who_page(link):
        link = None  # "[Dianne Austin](coilstolocs.com/about/) decided ...": who the story is about, no backing
    figures = tuple(
        dict.fromkeys(
            m.group(0).strip()
            for m in FIGURE.finditer(claim)
            if not _PER.search(claim, 0, m.start()) and not _GROUP.search(claim, 0, m.start())
        )
    )[:_MAX_FIGURES]
    if link is None:
        best = SUPERLATIVE.search(claim)
        superlative = best.group(0) if best else None
        return Sourcing(
            status=SourcingStatus.UNATTRIBUTED, gap=gap_for(figures=figures, superlative=superlative, unattributed=True)
        )
    if named is not None:
        return Sourcing(
            status=SourcingStatus.NAMED_LINKED, source=named, cue="link", link=link.url, gap=gap_for(link_only=named)
        )
    anchor = " ".join(link.anchor.split())[:MAX_ANCHOR]
    return Sourcing(status=SourcingStatus.UNATTRIBUTED, cue="link", link=link.url, gap=gap_for(unnamed_link=anchor))


def _chain(trace: Trace) -> list[str]:
    origin = [trace.origin.source.text] if trace.origin else []
    return [layer.text for layer in trace.layers] + origin


def _trace(
    index: ArticleIndex, here: int, *, claim: str | None = None, claim_start: int = 0, depth: int = 0
) -> Trace | None:
    span = index.sentences[here] if index.sentences else None
    if span is None:
        return None
    whole = claim is None or (claim_start == span.start and claim == span.text)
    if whole:
        own = index.local(here)
        first, last = span.start, span.end
    else:
        assert claim is not None
        own = find_attribution(claim, in_quote=lambda i: index.in_quote(claim_start + i))
        first, last = claim_start, claim_start + len(claim)
    if own is not None:
        trace = _resolved(index, here, own, depth)
        return _with_intro(index, here, trace, depth)
    if index.quoted_share(first, last) >= _QUOTED:
        speaker = _quote_speaker(index, here, depth, include_here=not whole)
        if speaker is not None:
            return speaker
    labelled = _paragraph_label(index, here, depth)
    if labelled is not None:
        return labelled
    return _intro(index, index.sentence_paragraph[here], depth)


def _paragraph_label(index: ArticleIndex, here: int, depth: int) -> Trace | None:
    """A transcript paragraph ("PENCE: ...") speaks for all its sentences."""
    paragraph = index.sentence_paragraph[here]
    first = index.sentence_at(index.paragraphs[paragraph].start)
    if first == here:
        return None
    own = index.local(first)
    if own is None or own.cue != ":":
        return None
    return _resolved(index, first, own, depth + 1)


def _layers_of(own: Attribution) -> tuple[Phrase, ...]:
    if not own.inner:
        return (own.source,)
    recipient = (Phrase(own.recipient, "named", False),) if own.recipient else ()
    return (own.source, *recipient, *own.inner)


def _resolved(index: ArticleIndex, here: int, own: Attribution, depth: int) -> Trace:
    layers = _layers_of(own)
    sentences = {here}
    if own.source.kind in {"pronoun", "reference"} and depth < 2:
        antecedent = _antecedent(index, here, own.source)
        if antecedent is not None:
            _, outer = antecedent
            layers = (*outer, *layers[1:])  # its sentence only names who "he" is: its links are not this claim's
    return Trace(_dedupe(layers), own.cue, frozenset(sentences))


def _antecedent(index: ArticleIndex, here: int, ref: Phrase) -> tuple[int, tuple[Phrase, ...]] | None:
    """The teller that "he" / "the post" / "the agency" points to, with whoever relayed it."""
    found = antecedent(index, here, ref)
    if found is None:
        return None
    where, source = found
    return where, _outer_for(index, where, source) if where != here else (source,)


def _outer_for(index: ArticleIndex, where: int, source: Phrase) -> tuple[Phrase, ...]:
    """The antecedent with whoever relayed it (its intro), but not what it relayed itself."""
    intro = _intro(index, index.sentence_paragraph[where], depth=2)
    outer = intro.layers if intro else ()
    return _dedupe((*outer, source))


def _with_intro(index: ArticleIndex, here: int, trace: Trace, depth: int) -> Trace:
    intro = _intro(index, index.sentence_paragraph[here], depth + 1) if depth < 2 else None
    if intro is None:
        return trace
    if trace.layers[0].kind in {"pronoun", "reference"}:
        return Trace(intro.layers, trace.cue, trace.sentences | intro.sentences)  # "she said" = the one introduced
    return Trace(_dedupe((*intro.layers, *trace.layers)), intro.cue, trace.sentences | intro.sentences)


def _intro(index: ArticleIndex, paragraph: int, depth: int) -> Trace | None:
    """A previous paragraph ending in ":" that names who speaks in this one."""
    if paragraph == 0 or depth > 2:
        return None
    prev = index.paragraphs[paragraph - 1]
    if not index.text[prev.start : prev.end].rstrip().endswith(":"):
        return None
    last = index.sentence_at(prev.end - 1)
    own = index.local(last)
    if own is None:
        # "Sanders made the following comment:": no cue, but the named subject introduces the block.
        subject = main_subject(index.sentences[last].text)
        if subject is None:
            return None
        return Trace((subject,), ":", frozenset({last}))
    return _resolved(index, last, own, depth + 1)


def _quote_speaker(index: ArticleIndex, here: int, depth: int, *, include_here: bool = False) -> Trace | None:
    """The speaker of a quotation: same paragraph first, then up the paragraphs it runs over."""
    paragraph = index.sentence_paragraph[here]
    order = ([here] if include_here else []) + _paragraph_sentences(index, paragraph, around=here)
    for _ in range(_QUOTE_PARAGRAPHS):
        for j in order:
            own = index.local(j)
            if own is not None:
                return _resolved(index, j, own, depth + 1)
        quotes = index.quotes[paragraph]
        if paragraph == 0 or not quotes.opens_with_quote:
            break
        if not index.quotes[paragraph - 1].open_at_end:
            # A paragraph that is only a quotation goes on with the speaker of the paragraph before.
            previous = _paragraph_sentences(index, paragraph - 1, around=None)
            for j in reversed(previous):
                own = index.local(j)
                if own is not None and own.source.kind in {"named", "pronoun"} and own.cue != ":":
                    return _resolved(index, j, own, depth + 1)
            break
        paragraph -= 1
        order = _paragraph_sentences(index, paragraph, around=None)
    return _intro(index, paragraph, depth + 1)


def _paragraph_sentences(index: ArticleIndex, paragraph: int, *, around: int | None) -> list[int]:
    members = [i for i, p in enumerate(index.sentence_paragraph) if p == paragraph]
    if around is None:
        return members
    after = [i for i in members if i > around]
    before = [i for i in reversed(members) if i < around]
    return after + before


def _extend_with_origin(index: ArticleIndex, here: int, trace: Trace) -> Trace:
    """ "told Newsmax of a report": when the article names the report's origin later, add it."""
    last = trace.layers[-1]
    if len(trace.layers) < 2 or last.kind == "named" or head_word(last.text) not in DOCUMENT_HEADS:
        return trace
    for j in range(here + 1, min(len(index.sentences), here + 1 + _LOOK_AHEAD)):
        att = index.local(j)
        source = att.source if att is not None else None
        if source and source.kind == "named" and (source.social or head_word(source.text) in DOCUMENT_HEADS):
            if not any(same_source(source.text, layer.text) for layer in trace.layers):
                # The unnamed "a report" is this origin: name it instead of adding a hand.
                return Trace((*trace.layers[:-1], source), trace.cue, trace.sentences | {j})
        origin = document_origin(index.sentences[j].text, head=head_word(last.text))
        if origin is not None:
            # "the memo was first posted by an anonymous account": the document stays, its origin follows it.
            return Trace(trace.layers, trace.cue, trace.sentences | {j}, origin)
    return trace


def _dedupe(layers: tuple[Phrase, ...]) -> tuple[Phrase, ...]:
    kept: list[Phrase] = []
    for layer in layers:
        if kept and same_source(kept[-1].text, layer.text):
            continue
        kept.append(layer)
    return tuple(kept)
