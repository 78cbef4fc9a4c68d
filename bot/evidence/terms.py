"""What a claim is about, in words a search engine and a page can match: figures, names, key terms.

Figures and names are what a source must hold to back a claim ("$100 billion", "Ukraine"); the
key terms fill out a search query. Names that only attribute the claim (the teller in "Banks told
Newsmax") are left out of what a linked source must mention: the source need not name its teller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.models import Claim
from bot.sourcing.lexicon import FIGURE
from bot.sourcing.phrases import NAME

MAX_NAMES = 4
MAX_FIGURES = 3
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
# Capitalised only because they open a sentence or a title, or too common to identify anything.
_NOT_NAMES = frozenset(
    """a an the but and or so if as at in on of for to by from with this that these those it its we our you your
    they their he she his her i my me us them there here when while after before since until meanwhile however
    although though because according also even just only now then still yet not no yes mr mrs ms dr rep sen
    gov president minister monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december read more related""".split()
)
_TITLES = frozenset("mr mrs ms dr rep sen gov gen col lt sgt prof president minister senator representative".split())
_WORD = re.compile(r"[^\W_][\w'’\-]*", re.UNICODE)
_STOP = frozenset(
    """a an the and or but if as at in on of for to by from with into about over than then this that these those
    it its is are was were be been being has have had do does did will would could should can may might must
    not no so such there their they them he she his her we our you your i my me us who whom which what when
    where why how all any each more most some other also just only very said says say told according while
    since because after before during between up down out off again once here now new one two three""".split()
)


@dataclass(frozen=True)
class ClaimTerms:
    figures: tuple[str, ...]  # as written in the claim: "$100 billion", "30 percent", "2021"
    names: tuple[str, ...]  # "Vladimir Putin", "Taliban"
    attribution: tuple[str, ...]  # names that only say who tells the claim
    keywords: tuple[str, ...]  # other content words, in order

    @property
    def required(self) -> tuple[str, ...]:
        """What a source must hold to back the claim: its figures, then the names it is about."""
        return self.figures + tuple(name for name in self.names if name not in self.attribution)

    def web_query(self, *, max_words: int = 12) -> str:
        """Names, figures and key terms: what a web search engine matches best."""
        return _join((*self.names, *self.figures, *self.keywords), max_words=max_words)

    def encyclopedia_query(self) -> str:
        """The subject alone: Wikipedia's search wants every word to match, so fewer is better."""
        subject = tuple(name for name in self.names if name not in self.attribution)[:2]
        return _join(subject or self.keywords[:3], max_words=5)

    def fact_check_query(self) -> str:
        return _join((*self.names[:2], *self.keywords), max_words=8)


def _join(parts: tuple[str, ...], *, max_words: int) -> str:
    words: list[str] = []
    for part in parts:
        for word in part.split():
            if word.lower() not in {w.lower() for w in words}:
                words.append(word)
    return " ".join(words[:max_words])


def claim_terms(claim: Claim) -> ClaimTerms:
    text = claim.quote.replace("’", "'")
    figures = _figures(text)
    names = _names(text)
    teller_words = {w.lower() for teller in (claim.sourcing.source, *claim.sourcing.chain) for w in _proper(teller)}
    attribution = tuple(name for name in names if teller_words & {w.lower() for w in _proper(name)})
    covered = {w.lower() for part in (*figures, *names) for w in _WORD.findall(part)}
    keywords = []
    for word in _WORD.findall(text):
        lower = word.lower()
        if (
            len(word) >= 4
            and lower not in _STOP
            and lower not in covered
            and not word[0].isdigit()
            and not _ignored(word)
        ):
            covered.add(lower)
            keywords.append(word)
    return ClaimTerms(figures=figures, names=names, attribution=attribution, keywords=tuple(keywords))


def _figures(text: str) -> tuple[str, ...]:
    found: list[tuple[int, str]] = [(m.start(), m.group(0).strip(" ,.")) for m in FIGURE.finditer(text)]
    spans = [(m.start(), m.end()) for m in FIGURE.finditer(text)]
    for m in _YEAR.finditer(text):
        if not any(start <= m.start() < end for start, end in spans):
            found.append((m.start(), m.group(0)))
    out: list[str] = []
    for _, figure in sorted(found):
        if figure and figure not in out:
            out.append(figure)
    return tuple(out[:MAX_FIGURES])


def _proper(text: str | None) -> list[str]:
    """The capitalised words of a name that identify it ("Jim", "Banks"), without titles and function words."""
    return [w for w in _WORD.findall(text or "") if w[0].isupper() and len(w) >= 3 and not _ignored(w)]


def _ignored(word: str) -> bool:
    bare = word.lower().strip(".'")
    base = bare.split("'")[0]  # we've, it's, they're
    return bare in _NOT_NAMES or bare in _TITLES or base in _NOT_NAMES


def _names(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for match in NAME.finditer(text):
        for part in re.split(r"\s+and\s+", match.group(0)):
            words = part.split()
            while words and _ignored(words[0]):
                words = words[1:]
            while words and _ignored(words[-1]):
                words = words[:-1]
            name = " ".join(words).strip(" .,'")
            name = name.removesuffix("'s")
            if len(name) < 2 or _ignored(name) or name.isdigit() or name in out:
                continue
            out.append(name)
    return tuple(out[:MAX_NAMES])
