"""Key claims: score every sentence of an article, then keep the few most worth checking.

Selection is greedy by score with three guards a reader would expect: no fragments or page furniture
(captions, photo credits, "READ:" teasers, headlines, script code, letter references), nothing below a score
floor, and no sentence that repeats one already chosen (a pull-quote, a headline echoed in the lede). Two kinds of
sentence an editor picks first get a head start: the lede, and a claim resting on unnamed sources. On the
offline path the sentence encoder re-scores the sentences that can still become key claims
(``bot.checkworthiness_encoder``); with a language model the model picks, so the encoder is not run. The result
is in article order so a thread reads like the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from bot.checkworthiness import CheckworthinessModel, default_model
from bot.checkworthiness_encoder import BlendedModel, default_blended_model
from bot.models import Article, Candidate
from bot.sourcing.context import article_index
from bot.sourcing.lexicon import ANONYMOUS_MARKERS

DEFAULT_MAX_CLAIMS = 8
# Just under the model's decision threshold (0.5-0.6): a thin article still yields its near-misses,
# while greetings and opinions (typically < 0.3) stay out.
DEFAULT_FLOOR = 0.45
FLOOR_MARGIN = 0.09  # the floor sits this far under whichever model's decision threshold
ENCODER_POOL = 10  # sentences re-scored by the encoder: the best by the n-gram model, plus the lede
LEDE_SENTENCES = 2  # claim-shaped sentences that open the article
LEDE_BONUS = 0.1  # the lede states the story: an editor checks it first
UNNAMED_BONUS = 0.2  # a claim resting on unnamed sources needs checking more than its words suggest
WITNESS_PENALTY = 0.2  # "I was happy with a generous Mole Dish": the writer's own experience, not a claim to check
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
# Inline script or style that reached the text: never a claim.
_CODE = re.compile(r"[{}]|\bfunction\s*\(|\bvar\s+\w+\s*=|=>|\b(?:window|document)\.\w|\w\(\)\s*;|;\s*\w+\s*=")
# A letters page's reference to what it answers: 'Re. "Prop. 13 ...", Page A8'.
_REFERENCE_LINE = re.compile(r"^\W*re[.:]\s|\bpage\s+[a-z]?\d+\b", re.I)
# A note about the page itself, not about the world: "Institutions are listed for identification purposes only.",
# "The below letter will be appearing in ...", "This post contains references to products from ... advertisers".
_EDITORIAL_NOTE = re.compile(
    r"\bfor\s+identification\s+purposes\b|\ball\s+rights\s+reserved\b|\bcopyrighted\s+property\b"
    r"|^\W*(?:(?:editor|author)[’']?s['’]?\s+note|disclaimer|correction|clarification)\s*:"
    r"|^\W*(?:(?:at\s+least\s+)?(?:some|all)\s+)?(?:the\s+)?content\s+(?:in|of|on)\s+this\s+(?:article|post|page|site)\b"
    r"|^\W*(?:this|the\s+(?:below|above|following))\s+(?:article|post|story|piece|letter|page|column|essay|newsletter)"
    r"(?:\s+below)?\s+(?:is|was|has|have|will|contains|first|originally|appeared|appears|may|does|includes|should)\b"
    r"|^\W*the\s+(?:article|post|story|letter)\s+below\b",
    re.I,
)
# A date glued in front of the first sentence ("July 7, 2020  The below letter ..."), or a list's bullet
# ("• The Sixers played absolutely tremendous team defense ..."): page furniture, not part of the claim.
_BULLET = re.compile(r"^\s*[\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2219*]\s*(?=\S)")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATELINE = re.compile(
    rf"^\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:\s*[—–|:-]\s*|\s+)(?=[“\"‘'(]?(?-i:[A-Z]))",
    re.I,
)
# When the page was posted or updated ("Posted: Thursday, April 21, 2022. 10:11 pm CST."): a stamp, not a claim.
_STAMP = re.compile(
    rf"^\W*(?:posted|published|updated|last\s+updated|first\s+published|(?:last\s+)?modified)\b(?:\s+on)?\s*:?\s*"
    rf"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:{_MONTH}\s|\d)",
    re.I,
)
# How to reach the site ("Contact us at marketing@... or call us at 501-601-0315."): page furniture.
_CONTACT = re.compile(
    r"\b(?:contact|email|e-mail|write\s+to|reach)\s+us\b|\bcall\s+us\s+(?:at|on)\b|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    re.I,
)
# A word spelled with Latin and Cyrillic or Greek letters together ("Соntасt uѕ") is disguised text: lines
# written to dodge scrapers, or a name spoofed with look-alike letters. Never quote it as a claim.
_MIXED_SCRIPT = re.compile(r"(?=[^\W\d_]*[A-Za-z])(?=[^\W\d_]*[\u0370-\u03ff\u0400-\u04ff])[^\W\d_]{2,}")
_UNNAMED_SOURCES = re.compile(
    r"\baccording\s+to\s+(?:sources|people|a\s+person|officials|two|three|several)\b|\bsources\s+(?:said|say|close|familiar|"
    r"who|told)\b|\bpeople\s+familiar\b|\bspeaking\s+on\s+(?:the\s+)?condition\s+of\s+anonymity\b",
    re.I,
)
# The writer tells what they did or felt: "We tried ...", "At the Detroit location, I didn't try ...".
_WITNESS = re.compile(
    r"^(?:[^,\u201c\u201d\"]{0,60},\s*)?(?:I|We)\s+(?:was|were|am|'m|tried|ordered|had|didn[\u2019']t|did|loved|liked|"
    r"found|felt|enjoyed|visited|went|ate|tasted|got|spent|paid)\b"
)
_QUOTED = re.compile(r"\u201c[^\u201c\u201d]*\u201d|\"[^\"]*\"")
_CLOSING_QUOTE = re.compile(r"\u201d|(?<=[,.!?\u2026])\"")
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
    spans = [_without_furniture(span.start, span.text) for span in article_index(article.text).sentences]
    scores = (model or default_model()).score([text for _, text in spans])
    return [
        Candidate(start=start, end=start + len(text), text=text, score=min(max(score, 0.0), 1.0))
        for (start, text), score in zip(spans, scores, strict=False)
    ]


def _without_furniture(start: int, text: str) -> tuple[int, str]:
    """The sentence after a bullet or a date glued in front of it; the claim is what follows."""
    for furniture in (_BULLET, _DATELINE):
        m = furniture.match(text)
        if m is not None and m.end() < len(text):
            start, text = start + m.end(), text[m.end() :]
    return start, text


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
    headline = _content_words(title) if title else frozenset()
    priority = priorities(candidates)
    ledes = {c.start for c in _ledes(candidates)}
    ranked = [c for c in sorted(candidates, key=lambda c: (-priority[c.start], c.start)) if priority[c.start] >= floor]
    for candidate in ranked:
        if len(chosen) >= max_claims:
            break
        words = _admissible(candidate, chosen=chosen, headline=headline, lede=candidate.start in ledes)
        if words is not None:
            chosen.append((candidate, words))
    if len(chosen) == max_claims and max_claims > 1 and not any(rests_on_unnamed(c.text) for c, _ in chosen):
        # A claim resting on unnamed sources is what an editor checks first: the best one takes the last place.
        kept = chosen[:-1]
        for candidate in ranked:
            if rests_on_unnamed(candidate.text):
                words = _admissible(candidate, chosen=kept, headline=headline, lede=candidate.start in ledes)
                if words is not None:
                    chosen = [*kept, (candidate, words)]
                    break
    return sorted((candidate for candidate, _ in chosen), key=lambda c: c.start)


def _admissible(
    candidate: Candidate, *, chosen: Sequence[tuple[Candidate, frozenset[str]]], headline: frozenset[str], lede: bool
) -> frozenset[str] | None:
    """The candidate's content words when it may join ``chosen``; None for furniture and repeats."""
    if not is_claim_shaped(candidate.text):
        return None
    words = _content_words(candidate.text)
    if not words or any(_same_claim(words, other) for _, other in chosen):
        return None
    if not lede and headline and _same_claim(words, headline):
        return None  # the headline echoed in the body; the lede that states it is the story's claim
    return words


def rests_on_unnamed(sentence: str) -> bool:
    """ "according to sources who know both women", "it is understood": the writer's tellers are not named.

    Words inside a quotation are the speaker's ("He understands that our nation is progressing," Walter said).
    """
    text = _QUOTED.sub(" ", sentence)
    closing = _CLOSING_QUOTE.search(text)  # a sentence that opens inside a quotation begun before it
    text = text[closing.end() :] if closing else text
    text = text.split("\u201c", 1)[0].split('"', 1)[0]  # and one that opens a quotation running on
    return bool(_UNNAMED_SOURCES.search(text) or ANONYMOUS_MARKERS.search(text))


def priorities(candidates: Sequence[Candidate]) -> dict[int, float]:
    """Score plus the head starts (the lede, claims resting on unnamed sources), less the writer's own experience."""
    ledes = {c.start for c in _ledes(candidates)}
    return {
        c.start: c.score
        + (LEDE_BONUS if c.start in ledes else 0.0)
        + (UNNAMED_BONUS if rests_on_unnamed(c.text) else 0.0)
        - (WITNESS_PENALTY if _WITNESS.match(c.text) else 0.0)
        for c in candidates
    }


def _ledes(candidates: Sequence[Candidate]) -> list[Candidate]:
    return [c for c in sorted(candidates, key=lambda c: c.start) if is_claim_shaped(c.text)][:LEDE_SENTENCES]


def rescore_with_encoder(candidates: Sequence[Candidate], *, blended: BlendedModel) -> list[Candidate]:
    """The blend's scores for the sentences that can still become key claims; the rest keep the n-gram score.

    Only the best ``ENCODER_POOL`` claim-shaped sentences by the n-gram model, and the lede, are encoded: the
    encoder costs ~5 ms a sentence, and a sentence far down the n-gram ranking does not become a key claim.
    """
    shaped = [c for c in candidates if is_claim_shaped(c.text)]
    pool = {c.start: c for c in sorted(shaped, key=lambda c: -c.score)[:ENCODER_POOL]}
    pool.update({c.start: c for c in _ledes(candidates)})
    members = sorted(pool.values(), key=lambda c: c.start)
    scores = blended.score([c.text for c in members], n_gram_scores=[c.score for c in members])
    rescored = {
        c.start: c.model_copy(update={"score": min(max(s, 0.0), 1.0)}) for c, s in zip(members, scores, strict=True)
    }
    return [rescored.get(c.start, c) for c in candidates]


def key_claims(
    article: Article, *, max_claims: int = DEFAULT_MAX_CLAIMS, encoder: bool = False
) -> tuple[list[Candidate], list[Candidate]]:
    """Every sentence scored, and the key claims among them. ``encoder``: re-score with the sentence encoder."""
    candidates = score_sentences(article)
    threshold = default_model().threshold
    blended = default_blended_model() if encoder else None
    if blended is not None:
        candidates = rescore_with_encoder(candidates, blended=blended)
        threshold = blended.threshold
    chosen = select_key_claims(candidates, max_claims=max_claims, floor=threshold - FLOOR_MARGIN, title=article.title)
    return candidates, chosen


def offline_model_version() -> str:
    """The version of the model that scores offline claims here: the blend when the encoder is built."""
    blended = default_blended_model()
    return blended.version if blended is not None else default_model().version


@lru_cache(maxsize=4096)  # asked of every sentence by the pool, the lede and the selection
def is_claim_shaped(sentence: str) -> bool:
    """False for fragments and page furniture: captions, credits, teasers, headlines, script code, references, notes."""
    text = sentence.strip()
    if len(_WORD.findall(text)) < MIN_WORDS:
        return False
    if _TEASER.match(text) or _CODE.search(text) or _REFERENCE_LINE.search(text) or _EDITORIAL_NOTE.search(text):
        return False
    if _STAMP.match(text) or _CONTACT.search(text) or _MIXED_SCRIPT.search(text):
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
