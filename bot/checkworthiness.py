"""Offline check-worthiness model: how much a sentence deserves a fact-check, 0..1.

Model card. A logistic regression over TF-IDF word 1-2-grams, TF-IDF character
2-5-grams (inside word boundaries) and a handful of cue features (a number, a
percentage, money, a year, a comparison, named-entity-like capitals, attribution
verbs, first-person opinion and hedges, a question). Text is normalised first
(lower case, typographic quotes to ASCII, every digit to ``0``) so "$7 billion"
and "$100 billion" share features. Trained by ``scripts/train_checkworthiness.py``
on ClaimBuster crowdsourced.csv (= CLEF CheckThat! 2024 task 1 English train, US
presidential debate sentences 1960-2016, positive = check-worthy factual claim)
without its held-out fifth of debates (6 of 33, ``bench.eval_checkworthiness.
held_out_debates``), which nothing is trained or tuned on. Regularisation (C=1,
class-balanced) and the decision ``threshold`` (0.56) were chosen by 5-fold
cross-validation with whole debates held out (positive-class F1 0.678 there),
because CT24 dev (= ClaimBuster groundtruth) shares its debates with train and
flatters. Positive-class F1, see ``bench/eval_checkworthiness.py``: held-out
debates 0.660 (P 0.664, R 0.656, 3,862 sentences), CT24 dev-test 0.767 (P 0.871,
R 0.685, n=318, 2020 debates; the task's n-gram baseline is 0.599), CT24 dev
0.893. 22k word + 23k character features in a 0.33 MB compressed npz read with
numpy alone (no scikit-learn, no pickle); scoring 50 sentences takes about 5 ms.
This is the cheap model: it scores every sentence on both paths and picks the
candidates a language model sees; the offline report re-scores the best ones
with the sentence encoder (``bot.checkworthiness_encoder``). Limits: it learned
from spoken US political debates, so it rewards quantities, comparisons and policy words and is weaker on news prose,
other topics and other languages (English only); it judges each sentence
alone, without context or speaker; it misses about a third of check-worthy
sentences from debates it has not seen, and its probabilities come from a
class-balanced fit, so compare them with ``threshold`` rather than with 0.5.
Variants tried to generalise better to unseen debates (other C, class and
label-agreement weights, SVM, L1, view ensembles, number tokens, a
delexicalised block) did not beat it: all but one were within noise on
held-out-debate CV, and that one (the delexicalised block) scored lower on
dev-test (0.756). The list and figures are in the training script's docstring.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from bot.cpu import one_blas_thread

one_blas_thread()  # every process that scores sentences: its numpy work stays on its own core

MODEL_FILENAME = "checkworthiness.npz"
FORMAT = 1

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"(?u)\b\w\w+\b")
_RUN_OF_SPACES = re.compile(r"\s\s+")


def normalize(text: str) -> str:
    """News typography to the debate transcripts' ASCII; digits to 0 so quantities generalise."""
    return _DIGIT.sub("0", text.translate(_TYPOGRAPHY).lower())


def word_ngrams(text: str) -> list[str]:
    """Word unigrams and bigrams of normalised text (scikit-learn's default token pattern)."""
    tokens = _WORD.findall(text)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def char_ngrams(text: str, *, low: int = 2, high: int = 5) -> list[str]:
    """Character n-grams inside padded words, the same as scikit-learn's ``char_wb`` analyzer."""
    grams: list[str] = []
    for word in _RUN_OF_SPACES.sub(" ", text).split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if n >= size:
                # scikit-learn emits a short padded word once, then stops growing n.
                grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams


# Cue features read the raw sentence (before lower-casing) because capitals carry the signal.
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(r"\d")),
    ("percent", re.compile(r"%|\bper ?cent\b", re.I)),
    (
        "money",
        re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|pounds)\b|\b(?:million|billion|trillion)\b", re.I),
    ),
    ("year", re.compile(r"\b(?:1[89]|20)\d\d\b")),
    (
        "comparison",
        re.compile(
            r"\b(?:more|less|fewer|higher|lower|larger|smaller|increased?|decreased?|doubled?|tripled?|"
            r"rose|fell|grew|cut|most|least|largest|highest|lowest|record|only)\b",
            re.I,
        ),
    ),
    ("attribution", re.compile(r"\b(?:said|says|told|according to|reported|report|announced|claimed)\b", re.I)),
    (
        "opinion",
        re.compile(
            r"\b(?:I think|I believe|I feel|I hope|I want|we need|we must|we should|we have to|should|"
            r"would|could|might|maybe|perhaps|going to)\b",
            re.I,
        ),
    ),
    ("question", re.compile(r"\?\s*[\"')\]]*\s*$")),
    ("first_person", re.compile(r"\b(?:I|me|my|I'm|I've|I'll)\b")),
)
_CAPITALISED = re.compile(r"^[\"'(]?[A-Z][a-z]")
CUE_NAMES: tuple[str, ...] = (*(name for name, _ in _CUES), "capitals", "length")


def cue_features(sentence: str) -> list[float]:
    """Dense cues in [0, 1]; named like ``CUE_NAMES``."""
    text = sentence.translate(_TYPOGRAPHY).strip()
    values = [1.0 if pattern.search(text) else 0.0 for _, pattern in _CUES]
    tokens = text.split()
    # Capitalised words after the first, not opening a new sentence: names, places, bodies.
    capitals = sum(
        1
        for before, token in zip(tokens, tokens[1:], strict=False)
        if _CAPITALISED.match(token) and before[-1] not in ".!?:"
    )
    words = len(tokens)
    values.append(min(capitals, 6) / 6.0)
    values.append(min(math.log1p(words) / math.log1p(60), 1.0))
    return values


def word_analyzer(text: str) -> list[str]:
    return word_ngrams(normalize(text))


def char_analyzer(text: str) -> list[str]:
    return char_ngrams(normalize(text))


@dataclass(frozen=True, slots=True)
class _TfidfBlock:
    """One fitted TF-IDF vocabulary with its slice of the classifier's weights."""

    index: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray

    def word_ids(self, normalized: str) -> list[int]:
        index = self.index
        return [index[term] for term in word_ngrams(normalized) if term in index]

    def char_ids(self, normalized: str, cache: dict[str, tuple[int, ...]]) -> list[int]:
        # char_wb n-grams never cross a word boundary, so each word's ids are computed once and reused.
        ids: list[int] = []
        for word in normalized.split():
            known = cache.get(word)
            if known is None:
                index = self.index
                known = tuple(index[g] for g in char_ngrams(word) if g in index)
                if len(cache) < _WORD_CACHE_SIZE:
                    cache[word] = known
            ids.extend(known)
        return ids

    def logits(self, ids_per_sentence: list[list[int]]) -> np.ndarray:
        """w·x for each sentence, x = L2-normalised sublinear TF-IDF, in a few vectorised numpy calls."""
        n = len(ids_per_sentence)
        lengths = [len(ids) for ids in ids_per_sentence]
        flat = np.fromiter(itertools.chain.from_iterable(ids_per_sentence), dtype=np.int64, count=sum(lengths))
        owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
        size = len(self.idf)
        keys, counts = np.unique(owner * size + flat, return_counts=True)
        sentence, term = np.divmod(keys, size)
        values = (1.0 + np.log(counts)) * self.idf[term]
        norms = np.sqrt(np.bincount(sentence, weights=values * values, minlength=n))
        dots = np.bincount(sentence, weights=values * self.weights[term], minlength=n)
        return np.divide(dots, norms, out=np.zeros(n), where=norms > 0)


# Distinct words' character n-gram ids, kept once seen. Each entry is ~260 bytes, so this caps a
# long-running bot's cache near 13 MB; news vocabulary repeats, so the hit rate stays high.
_WORD_CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class CheckworthinessModel:
    version: str
    threshold: float  # decision threshold chosen by held-out-debate cross-validation
    word: _TfidfBlock
    char: _TfidfBlock
    cue_weights: np.ndarray
    intercept: float
    _char_cache: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False, compare=False)

    def score(self, sentences: Sequence[str]) -> list[float]:
        """Probability (0..1) that each sentence is a check-worthy factual claim."""
        if not sentences:
            return []
        normalized = [normalize(s) for s in sentences]
        cues = np.array([cue_features(s) for s in sentences], dtype=np.float64)
        z = (
            self.intercept
            + self.word.logits([self.word.word_ids(t) for t in normalized])
            + self.char.logits([self.char.char_ids(t, self._char_cache) for t in normalized])
            + cues @ self.cue_weights
        )
        return [float(p) for p in 1.0 / (1.0 + np.exp(-np.clip(z, -500.0, 500.0)))]

    def is_checkworthy(self, score: float) -> bool:
        return score >= self.threshold


# ---------------------------------------------------------------- file format


def _vocabulary_blob(terms: Sequence[str]) -> np.ndarray:
    # One newline-joined UTF-8 blob: terms never hold a newline (whitespace is collapsed).
    return np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)


def _vocabulary(blob: np.ndarray) -> dict[str, int]:
    terms = blob.tobytes().decode("utf-8").split("\n")
    return {term: position for position, term in enumerate(terms)}


def save_model(
    path: Path,
    *,
    version: str,
    threshold: float,
    word_terms: Sequence[str],
    word_idf: np.ndarray,
    word_weights: np.ndarray,
    char_terms: Sequence[str],
    char_idf: np.ndarray,
    char_weights: np.ndarray,
    cue_weights: np.ndarray,
    intercept: float,
    metrics: dict[str, object],
) -> None:
    """Write the model as a compressed npz with no pickled objects (the training script calls this)."""
    meta = {
        "format": FORMAT,
        "version": version,
        "threshold": threshold,
        "intercept": intercept,
        "cue_names": list(CUE_NAMES),
        "metrics": metrics,
    }
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8),
        word_terms=_vocabulary_blob(word_terms),
        word_idf=np.asarray(word_idf, dtype=np.float32),
        word_weights=np.asarray(word_weights, dtype=np.float32),
        char_terms=_vocabulary_blob(char_terms),
        char_idf=np.asarray(char_idf, dtype=np.float32),
        char_weights=np.asarray(char_weights, dtype=np.float32),
        cue_weights=np.asarray(cue_weights, dtype=np.float64),
    )
    path.write_bytes(buffer.getvalue())


def read_metadata(path: Path | None = None) -> dict[str, object]:
    with np.load(_resolve(path), allow_pickle=False) as data:
        return json.loads(data["meta"].tobytes().decode("utf-8"))


def _resolve(path: Path | None) -> Path | io.BytesIO:
    if path is not None:
        return path
    return io.BytesIO(resources.files("bot").joinpath("data", MODEL_FILENAME).read_bytes())


def load_model(path: Path | None = None) -> CheckworthinessModel:
    """Load a model file; the one shipped in ``bot/data`` when ``path`` is None."""
    with np.load(_resolve(path), allow_pickle=False) as data:
        meta = json.loads(data["meta"].tobytes().decode("utf-8"))
        if meta.get("format") != FORMAT or tuple(meta.get("cue_names", ())) != CUE_NAMES:
            raise ValueError(f"check-worthiness model format mismatch: {meta.get('format')!r}")
        word = _TfidfBlock(
            index=_vocabulary(data["word_terms"]),
            idf=data["word_idf"].astype(np.float64),
            weights=data["word_weights"].astype(np.float64),
        )
        char = _TfidfBlock(
            index=_vocabulary(data["char_terms"]),
            idf=data["char_idf"].astype(np.float64),
            weights=data["char_weights"].astype(np.float64),
        )
        return CheckworthinessModel(
            version=str(meta["version"]),
            threshold=float(meta["threshold"]),
            word=word,
            char=char,
            cue_weights=data["cue_weights"].astype(np.float64),
            intercept=float(meta["intercept"]),
        )


@lru_cache(maxsize=1)
def default_model() -> CheckworthinessModel:
    return load_model()
