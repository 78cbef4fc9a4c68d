"""Positive-class precision/recall/F1 of the shipped check-worthiness model on CLEF CheckThat! 2024.

``python -m bench.eval_checkworthiness [SHARED_DIR]`` prints dev (= ClaimBuster groundtruth, from the
same debates as train: optimistic) and dev-test (new debates, the honest number), recall on NewsClaims dev
(news prose) and scoring speed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.checkworthiness import CheckworthinessModel, default_model, load_model

CT24 = Path("eval-data") / "checkthat2024-task1-en"
DEV = "CT24_checkworthy_english_dev.tsv"
DEV_TEST = "CT24_checkworthy_english_dev-test.tsv"
DEFAULT_SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CLAIMBUSTER = Path("eval-data") / "claimbuster" / "crowdsourced.csv"
HELD_OUT_SHARE = 5  # one ClaimBuster debate in five is never trained or tuned on

# A record ends with its Yes/No label; upstream train line 16877 glues two records with no newline,
# so records are cut at the label instead of at line ends.
_RECORD = re.compile(r"(\d+)\t(.*?)\t(Yes|No)(?=\d+\t|\r?\n|$)", re.S)


@dataclass(frozen=True, slots=True)
class Labelled:
    sentence_id: str
    text: str
    checkworthy: bool


def load_ct24(path: Path) -> list[Labelled]:
    """Rows of a CT24 task 1 TSV (``Sentence_id  Text  class_label``), header skipped."""
    body = path.read_text(encoding="utf-8").split("\n", 1)[1]
    return [Labelled(m.group(1), _unquote(m.group(2)), m.group(3) == "Yes") for m in _RECORD.finditer(body)]


def _unquote(text: str) -> str:
    # Texts holding a comma or quote are CSV-quoted inside the TSV ("He said ""no"".").
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return text


def held_out_debates(file_ids: Sequence[str]) -> frozenset[str]:
    """The debates kept out of training and model selection: the first fifth in SHA-256 order of their file names."""
    ordered = sorted(set(file_ids), key=lambda name: hashlib.sha256(name.encode("utf-8")).hexdigest())
    return frozenset(ordered[: len(ordered) // HELD_OUT_SHARE])


def load_claimbuster_rows(shared_dir: Path) -> list[tuple[str, bool, str]]:
    """(text, check-worthy, debate file) for every ClaimBuster crowdsourced sentence (= CT24 train)."""
    with (shared_dir / CLAIMBUSTER).open(newline="", encoding="utf-8") as handle:
        return [(row["Text"], row["Verdict"] == "1", row["File_id"]) for row in csv.DictReader(handle)]


def load_held_out_debates(shared_dir: Path) -> list[Labelled]:
    rows = load_claimbuster_rows(shared_dir)
    held = held_out_debates([debate for _, _, debate in rows])
    return [Labelled(debate, text, label) for text, label, debate in rows if debate in held]


def positive_class_scores(*, truth: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    tp = sum(1 for t, p in zip(truth, predicted, strict=False) if t and p)
    fp = sum(1 for t, p in zip(truth, predicted, strict=False) if p and not t)
    fn = sum(1 for t, p in zip(truth, predicted, strict=False) if t and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "f1": f1,
        "precision": precision,
        "recall": recall,
        "n": len(truth),
        "positives": int(sum(bool(t) for t in truth)),
    }


class Scorer(Protocol):
    """Either offline model: the n-gram one (``bot.checkworthiness``) or the blend (``bot.checkworthiness_encoder``)."""

    threshold: float

    def score(self, sentences: Sequence[str]) -> list[float]: ...

    def is_checkworthy(self, score: float) -> bool: ...


def offline_model() -> Scorer:
    """The model the offline report uses here: the encoder blend when the encoder is built, else the n-gram model."""
    from bot.checkworthiness_encoder import default_blended_model

    return default_blended_model() or default_model()


def evaluate_held_out_debates(shared_dir: Path, *, model: Scorer | None = None) -> dict[str, float]:
    """Positive-class F1/P/R on the ClaimBuster debates no model was trained or tuned on (3,862 sentences)."""
    return evaluate(load_held_out_debates(shared_dir), model=model or offline_model())


def evaluate(rows: Sequence[Labelled], *, model: Scorer) -> dict[str, float]:
    scores = model.score([row.text for row in rows])
    result = positive_class_scores(
        truth=[row.checkworthy for row in rows], predicted=[model.is_checkworthy(s) for s in scores]
    )
    return {**result, "threshold": model.threshold}


def _ct24_dir(shared_dir: Path) -> Path:
    return shared_dir / CT24


def evaluate_ct24_devtest(shared_dir: Path, *, model: Scorer | None = None) -> dict[str, float]:
    """Positive-class F1/P/R on CT24 dev-test (318 sentences; task n-gram baseline F1 0.599)."""
    return evaluate(load_ct24(_ct24_dir(shared_dir) / DEV_TEST), model=model or default_model())


def evaluate_ct24_dev(shared_dir: Path, *, model: CheckworthinessModel | None = None) -> dict[str, float]:
    """Positive-class F1/P/R on CT24 dev (1,032 sentences from the training debates): optimistic."""
    return evaluate(load_ct24(_ct24_dir(shared_dir) / DEV), model=model or default_model())


def evaluate_newsclaims_recall(shared_dir: Path, *, model: CheckworthinessModel | None = None) -> dict[str, float]:
    """Share of NewsClaims dev claim sentences (COVID news, 103) the model calls check-worthy.

    Only recall: dev.json lists the claims but not the other sentences of each article (kept back).
    A news-prose reference for a model trained on debates.
    """
    model = model or default_model()
    articles = json.loads((shared_dir / "eval-data" / "newsclaims" / "dev.json").read_text(encoding="utf-8"))
    sentences = [claim["sentence"] for claims in articles.values() for claim in claims.values()]
    flagged = sum(model.is_checkworthy(score) for score in model.score(sentences))
    return {"recall": flagged / len(sentences), "n": len(sentences), "threshold": model.threshold}


def scoring_speed(rows: Sequence[Labelled], *, batch: int = 50) -> dict[str, float]:
    """Milliseconds per ``batch`` sentences (about one article), on a freshly loaded model."""
    texts = [row.text for row in rows]
    batches = [texts[i : i + batch] for i in range(0, len(texts) - batch + 1, batch)]
    model = load_model()  # its per-word cache starts empty, as after a restart
    timings = []
    for chunk in batches:
        started = time.perf_counter()
        model.score(chunk)
        timings.append(1000 * (time.perf_counter() - started))
    return {
        "first_batch_ms": timings[0],
        "median_batch_ms": sorted(timings)[len(timings) // 2],
        "batch": batch,
        "batches": len(batches),
    }


def main(argv: Sequence[str]) -> None:
    shared = Path(argv[0]) if argv else DEFAULT_SHARED
    started = time.perf_counter()
    model = default_model()
    load_ms = 1000 * (time.perf_counter() - started)
    dev_rows = load_ct24(_ct24_dir(shared) / DEV)
    report = {
        "model": model.version,
        "load_ms": round(load_ms, 1),
        "ct24_dev": evaluate(dev_rows, model=model),
        "ct24_dev_test": evaluate_ct24_devtest(shared, model=model),
        "newsclaims_dev_recall": evaluate_newsclaims_recall(shared, model=model),
        "speed": scoring_speed(dev_rows),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
