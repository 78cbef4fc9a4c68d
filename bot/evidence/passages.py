"""Pages cut into passages with their offsets, ranked against a claim with BM25 (bm25s, Snowball stems).

A passage is a paragraph of the page's extracted text, or a run of its sentences when the
paragraph is long, so a quote never spans two blocks of the page (a text fragment must not).
Numbers are tokens too ("5", "30"): bm25s's default pattern drops one-character tokens. Words
are stemmed in the article's language (PyStemmer), so "taxes" finds "tax".
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from bot.sentences import sentence_spans

MIN_CHARS = 40
MAX_CHARS = 600  # a paragraph longer than this is cut at sentence ends
MAX_PASSAGES_PER_PAGE = 400  # a huge page is read from the top
TOKEN_PATTERN = r"(?u)\b\w+\b"
MIN_SHARE = 0.3  # a passage must hold this share of the claim's distinct terms to count as related
# bm25s ships stop words for these languages only.
_STOPWORDS = {"en", "de", "nl", "fr", "es", "pt", "it", "ru", "sv", "no", "zh", "tr", "ko"}
_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")
_STEMMERS = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "et": "estonian", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian", "ne": "nepali",
    "nl": "dutch", "no": "norwegian", "nb": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Passage:
    page: int  # index of the page in the pool it was ranked in
    start: int  # offsets in the page's text
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Ranked:
    passage: Passage
    score: float
    matched: int  # distinct query terms the passage holds
    share: float  # ... as a share of the query's distinct terms


def split_passages(text: str, *, page: int = 0) -> list[Passage]:
    out: list[Passage] = []
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        stripped = line.strip()
        if len(stripped) < MIN_CHARS:
            continue
        lead = len(line) - len(line.lstrip())
        start, end = start + lead, start + lead + len(stripped)
        if end - start <= MAX_CHARS:
            out.append(Passage(page, start, end, text[start:end]))
        else:
            out.extend(_sentence_runs(text, start, end, page))
        if len(out) >= MAX_PASSAGES_PER_PAGE:
            break
    return out[:MAX_PASSAGES_PER_PAGE]


def _sentence_runs(text: str, start: int, end: int, page: int) -> list[Passage]:
    runs: list[Passage] = []
    run_start: int | None = None
    run_end = start
    for span in sentence_spans(text[start:end]):
        s, e = start + span.start, start + span.end
        if run_start is not None and e - run_start > MAX_CHARS:
            runs.append(Passage(page, run_start, run_end, text[run_start:run_end]))
            run_start = None
        if run_start is None:
            run_start = s
        run_end = e
    if run_start is not None and run_end - run_start >= MIN_CHARS:
        runs.append(Passage(page, run_start, run_end, text[run_start:run_end]))
    return runs


@lru_cache(maxsize=8)
def _stemmer(language: str | None) -> Callable[[list[str]], list[str]] | None:
    import Stemmer

    algorithm = _STEMMERS.get(language or "en")
    return Stemmer.Stemmer(algorithm).stemWords if algorithm else None


@lru_cache(maxsize=1)
def _bm25s() -> ModuleType:
    """bm25s, imported on first use (only reports with evidence pay for it). It sets its own logger to DEBUG
    on import, which would print every index build under the CLI: the application's log level decides."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.NOTSET)
    return bm25s


def tokens(texts: Sequence[str], *, language: str | None) -> list[list[str]]:
    bm25s = _bm25s()
    stopwords = language if language in _STOPWORDS else None
    normalized = [_THOUSANDS.sub("", text) for text in texts]
    result = bm25s.tokenize(
        normalized,
        token_pattern=TOKEN_PATTERN,
        stopwords=stopwords or [],
        stemmer=_stemmer(language),
        return_ids=False,
        show_progress=False,
    )
    return [list(words) for words in result]


def rank(
    passages: Sequence[Passage],
    query: str,
    *,
    language: str | None,
    boost: Sequence[str] = (),
    min_share: float = MIN_SHARE,
) -> list[Ranked]:
    """Passages sharing enough of ``query``'s terms (``min_share`` of them, at least two), best first.

    ``boost`` terms count twice."""
    if not passages:
        return []
    bm25s = _bm25s()
    corpus = tokens([p.text for p in passages], language=language)
    query_tokens = tokens([query, " ".join(boost)], language=language)
    wanted = query_tokens[0] + query_tokens[1]
    if not wanted:
        return []
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    scores = retriever.get_scores(wanted)
    distinct = set(wanted)
    ranked = [
        Ranked(passage, float(score), matched, matched / len(distinct))
        for passage, score, words in zip(passages, scores, corpus, strict=True)
        for matched in [len(distinct.intersection(words))]
    ]
    needed = min(len(distinct), max(2, math.ceil(min_share * len(distinct))))
    kept = [r for r in ranked if r.score > 0 and r.matched >= needed]
    return sorted(kept, key=lambda r: (-r.score, r.passage.page, r.passage.start))
