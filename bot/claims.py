"""Key claims: score every sentence of an article, then keep the few most worth checking.

Selection is greedy by score with three guards a reader would expect: no fragments or page furniture
(captions, photo credits, "READ:" teasers, headlines), nothing below a score floor, and no sentence that
repeats one already chosen (a pull-quote, a headline echoed in the lede). The result is in article order
so a thread reads like the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.checkworthiness import CheckworthinessModel, default_model
from bot.models import Article, Candidate
from bot.sourcing.context import article_index

DEFAULT_MAX_CLAIMS = 8
# Just under the model's decision threshold (0.5-0.6): a thin article still yields its near-misses,
# while greetings and opinions (typically < 0.3) stay out.
DEFAULT_FLOOR = 0.45
MIN_WORDS = 6  # shorter sentences are rarely a whole checkable claim
# Two sentences are the same claim when their content words overlap this much.
JACCARD_DUPLICATE = 0.6
CONTAINMENT_DUPLICATE = 0.8

_TEASER = re.compile(
    r"^\W*(?:read|read more|related|see also|also read|more|watch|listen|click here|sign up|subscribe|"
    r"photo|photos|image|video|credit|source|advertisement)\b\s*[:|\-]",
    re.I,
)
# Photo credits; plain mentions ("told AFP", "a photo shows") are not enough.
_CREDIT = re.compile(
    r"\((?:AP |AFP |Reuters )?photo\b|\bphoto(?:graph)? (?:by|via|credit)\b|\bgetty images\b"
    r"|/(?:AP|AFP|Reuters|Getty|Pool)\b",
    re.I,
)
_CLOSERS = "\"'\u201d\u2019)]\u00bb "
_TERMINAL = ".!?:;\u2026"
_WORD = re.compile(r"\w+")
_STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his i in is it its of on or our she "
    "that the their them they this to was we were which who will with you".split()
)


def score_sentences(article: Article, *, model: CheckworthinessModel | None = None) -> list[Candidate]:
    """Every sentence of ``article.text`` with its offsets and check-worthiness score, in article order."""
    # The sourcing audit splits the same text into the same sentences: its cached index splits once.
    spans = article_index(article.text).sentences
    scores = (model or default_model()).score([span.text for span in spans])
    return [
        Candidate(start=span.start, end=span.end, text=span.text, score=min(max(score, 0.0), 1.0))
        for span, score in zip(spans, scores, strict=False)
    ]


def select_key_claims(
    candidates: Sequence[Candidate],
    *,
    max_claims: int = DEFAULT_MAX_CLAIMS,
    floor: float = DEFAULT_FLOOR,
    title: str | None = None,
) -> list[Candidate]:
    """The highest-scoring distinct claims, at most ``max_claims``, in article order.

    ``title`` (the page title, when known) is treated like a headline: a sentence repeating it is skipped.
    """
    if max_claims <= 0:
        return []
    chosen: list[tuple[Candidate, frozenset[str]]] = []
    seen = [_content_words(title)] if title else []
    for candidate in sorted(candidates, key=lambda c: (-c.score, c.start)):
        if len(chosen) >= max_claims or candidate.score < floor:
            break
        if not is_claim_shaped(candidate.text):
            continue
        words = _content_words(candidate.text)
        if not words or any(_same_claim(words, other) for other in seen):
            continue
        chosen.append((candidate, words))
        seen.append(words)
    return sorted((candidate for candidate, _ in chosen), key=lambda c: c.start)


def is_claim_shaped(sentence: str) -> bool:
    """False for fragments and page furniture: captions, credits, teasers, headlines."""
    text = sentence.strip()
    if len(_WORD.findall(text)) < MIN_WORDS:
        return False
    if _TEASER.match(text):
        return False
    if text[0] in "([" and text[-1] in ")]":  # "(READ: ...)", "(Photo: ...)" asides
        return False
    ending = text.rstrip(_CLOSERS)
    if not ending or ending[-1] not in _TERMINAL:
        # Headlines, subheads and photo captions carry no final punctuation; body sentences do.
        return False
    return not _CREDIT.search(text)


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS)


def _same_claim(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    shared = len(a & b)
    return shared / len(a | b) >= JACCARD_DUPLICATE or shared / min(len(a), len(b)) >= CONTAINMENT_DUPLICATE
