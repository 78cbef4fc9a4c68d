"""Main-text extraction quality and offline CPU cost on the trafilatura-eval English subset.

Quality: our ``bot.extract.extract_html`` on each gzipped page, scored with the metric in
``eval-data/trafilatura-eval/SOURCE.md`` (whitespace-normalised substring match of the gold
``with`` / ``without`` segments, micro-summed; a failed extraction counts as empty output), so
the F1 compares with the published trafilatura numbers (0.922 for plain trafilatura on this subset).

Cost: CPU time (``time.process_time``) of the offline pipeline per page, i.e. extraction plus
``bot.pipeline.offline_claims(article, max_claims=8)``. The page bytes are decompressed before
the clock starts; network fetch is not part of it (the burst benchmark covers wall time).

``python -m bench.extraction [SHARED_DIR]`` prints the figures.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.extract import extract_html
from bot.outcome import CheckError

TRAFILATURA_EVAL = Path("eval-data") / "trafilatura-eval"
GOLD = "evaldata_en_subset.json"
MAX_CLAIMS = 8
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Page:
    key: str
    html: bytes
    with_segments: tuple[str, ...]
    without_segments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Counts:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fn + other.fn, self.fp + other.fp, self.tn + other.tn)

    def scores(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        total = self.tp + self.fn + self.fp + self.tn
        denominator = 2 * self.tp + self.fp + self.fn
        return {
            "f1": 2 * self.tp / denominator if denominator else 0.0,
            "precision": precision,
            "recall": recall,
            "accuracy": (self.tp + self.tn) / total if total else 0.0,
        }


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def score_page(*, extracted: str, page: Page) -> Counts:
    """SOURCE.md metric for one page: ``with`` found = TP else FN, ``without`` found = FP else TN."""
    text = normalise(extracted)
    found_with = sum(1 for segment in page.with_segments if normalise(segment) in text)
    found_without = sum(1 for segment in page.without_segments if normalise(segment) in text)
    return Counts(
        tp=found_with,
        fn=len(page.with_segments) - found_with,
        fp=found_without,
        tn=len(page.without_segments) - found_without,
    )


def load_pages(shared_dir: Path, *, limit: int | None = None) -> list[Page] | None:
    """The English subset pages with their gold, or None when the dataset is absent."""
    root = shared_dir / TRAFILATURA_EVAL
    gold_path = root / GOLD
    if not gold_path.is_file():
        return None
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    pages = []
    for key in sorted(gold):
        entry = gold[key]
        path = root / "html" / f"{entry['file']}.gz"
        if not path.is_file():
            continue
        pages.append(
            Page(
                key=key,
                html=gzip.decompress(path.read_bytes()),
                with_segments=tuple(s for s in entry.get("with", []) if s),
                without_segments=tuple(s for s in entry.get("without", []) if s),
            )
        )
        if limit is not None and len(pages) >= limit:
            break
    return pages


def _offline_claims() -> Callable:
    from bot.pipeline import (
        offline_claims,  # imported late: the pipeline pulls in the trained model
    )

    return offline_claims


def run_page(page: Page, *, offline_claims: Callable) -> tuple[str, float]:
    """(extracted text, CPU ms of extraction + claims) for one page; failures give empty text."""
    started = time.process_time()
    try:
        article = extract_html(page.html, url=f"https://example.org/{page.key}")
    except CheckError:
        return "", (time.process_time() - started) * 1000
    offline_claims(article, max_claims=MAX_CLAIMS, encoder=True)  # the offline report's path, encoder included
    return article.text, (time.process_time() - started) * 1000


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), without numpy for one call."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def evaluate_extraction(shared_dir: Path, *, limit: int | None = None, repeats: int = 1) -> dict | None:
    """F1 of our extraction and CPU ms per page (p50/p95); None when the dataset is absent.

    With ``repeats`` > 1 every page is timed in that many passes; each pass gives a p50 and a p95
    over pages, and the figures are the median pass with min/max across passes (the extracted text
    is deterministic, so quality is scored once).
    """
    pages = load_pages(shared_dir, limit=limit)
    if pages is None:
        return None
    offline_claims = _offline_claims()
    run_page(pages[0], offline_claims=offline_claims)  # warm-up: model load and lazy imports
    per_page: list[list[float]] = [[] for _ in pages]
    totals = Counts()
    for attempt in range(max(1, repeats)):
        for index, page in enumerate(pages):
            text, cpu_ms = run_page(page, offline_claims=offline_claims)
            per_page[index].append(cpu_ms)
            if attempt == 0:
                totals += score_page(extracted=text, page=page)
    passes = [[times[i] for times in per_page] for i in range(max(1, repeats))]
    p50s = [percentile(run, 50) for run in passes]
    p95s = [percentile(run, 95) for run in passes]
    return {
        **totals.scores(),
        "pages": len(pages),
        "repeats": max(1, repeats),
        "cpu_ms_p50": statistics.median(p50s),
        "cpu_ms_p95": statistics.median(p95s),
        "cpu_ms_p50_min": min(p50s),
        "cpu_ms_p50_max": max(p50s),
        "cpu_ms_p95_min": min(p95s),
        "cpu_ms_p95_max": max(p95s),
    }


def main(argv: Sequence[str]) -> None:
    from bench.run import shared_dir as default_shared_dir

    shared = Path(argv[0]) if argv else default_shared_dir()
    result = evaluate_extraction(shared)
    if result is None:
        print(f"skipped (no data): {shared / TRAFILATURA_EVAL / GOLD} is absent")
        return
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
