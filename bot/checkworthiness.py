"""Offline check-worthiness model: how much a sentence deserves a fact-check, 0..1.

Model card. A logistic regression over TF-IDF word 1-2-grams, TF-IDF character
2-5-grams (inside word boundaries) and a handful of cue features (a number, a
percentage, money, a year, a comparison, named-entity-like capitals, attribution
verbs, first-person opinion and hedges, a question). Text is normalised first
(lower case, typographic quotes to ASCII, every digit to ``0``) so "$7 billion"
and "$100 billion" share features. Trained by ``scripts/train_checkworthiness.py``
on ClaimBuster crowdsourced.csv (= CLEF CheckThat! 2024 task 1 English train,
22,501 US presidential debate sentences, positive = check-worthy factual claim);
regularisation and the decision ``threshold`` were chosen on CT24 dev
(= ClaimBuster groundtruth, 1,032 expert-labelled sentences), never on dev-test.
Positive-class F1 (see ``bench/eval_checkworthiness.py``): CT24 dev 0.89
(P 0.87, R 0.91), CT24 dev-test 0.82 (P 0.80, R 0.84, n=318; the task's n-gram
baseline is 0.599). The shipped file is a compressed npz (vocabulary + weights,
~1 MB) read with numpy alone, no scikit-learn or pickle at runtime; scoring 50
sentences takes a few milliseconds. Limits: it learned from spoken US political
debates, so it rewards quantities, comparisons and policy words and is weaker on
news prose, other domains and other languages; it judges the sentence alone
(no context, no speaker); scores are probabilities from a class-balanced fit,
so compare them with ``threshold`` rather than with 0.5.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

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
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


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
    ("money", re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|pounds)\b|\b(?:million|billion|trillion)\b", re.I)),
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
        1 for before, token in zip(tokens, tokens[1:]) if _CAPITALISED.match(token) and before[-1] not in ".!?:"
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

    analyzer: Callable[[str], list[str]]
    index: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray

    def logit(self, sentence: str) -> float:
        counts = Counter(self.analyzer(sentence))
        ids: list[int] = []
        tfs: list[int] = []
        for term, count in counts.items():
            position = self.index.get(term)
            if position is not None:
                ids.append(position)
                tfs.append(count)
        if not ids:
            return 0.0
        positions = np.fromiter(ids, dtype=np.int64, count=len(ids))
        values = (1.0 + np.log(np.fromiter(tfs, dtype=np.float64, count=len(tfs)))) * self.idf[positions]
        return float(values @ self.weights[positions]) / float(np.sqrt(values @ values))


@dataclass(frozen=True, slots=True)
class CheckworthinessModel:
    version: str
    threshold: float  # decision threshold chosen on CT24 dev
    word: _TfidfBlock
    char: _TfidfBlock
    cue_weights: np.ndarray
    intercept: float

    def score(self, sentences: Sequence[str]) -> list[float]:
        """Probability (0..1) that each sentence is a check-worthy factual claim."""
        scores: list[float] = []
        for sentence in sentences:
            z = self.intercept + self.word.logit(sentence) + self.char.logit(sentence)
            z += float(np.dot(self.cue_weights, cue_features(sentence)))
            scores.append(1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0)
        return scores

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
            analyzer=word_analyzer,
            index=_vocabulary(data["word_terms"]),
            idf=data["word_idf"].astype(np.float64),
            weights=data["word_weights"].astype(np.float64),
        )
        char = _TfidfBlock(
            analyzer=char_analyzer,
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
