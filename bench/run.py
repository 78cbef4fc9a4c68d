"""``make bench``: speed, cost, scale and analysis quality on this machine, in one table.

    python -m bench.run            # the full run (a few minutes on 2 cores)
    python -m bench.run --smoke    # one article, one event: proves the harness still runs (CI)

Prints a Markdown table and writes ``bench/results.json`` (git-ignored): every figure key maps to a
number, or to ``null`` when it could not be measured here (dataset absent, a piece not built yet);
the table says why. Timing figures that repeat also get ``<key>_min`` / ``<key>_max``.

Datasets are read from ``<repo>/../shared/eval-data`` (``FACTCHECK_SHARED_DIR`` overrides it: this
is a harness setting, not a bot setting, so it is read here and not in ``bot.config``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bench.figures import FIGURES, markdown_table
from bench.sections import (
    Outcome,
    Skipped,
    burst,
    extraction,
    hostile,
    llm,
    quality_checkworthiness,
    quality_news_sourcing,
    quality_sourcing,
    report_view,
    scale,
    slack_ack,
)

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results.json"

log = logging.getLogger("bench")


def shared_dir() -> Path:
    override = os.environ.get("FACTCHECK_SHARED_DIR", "").strip()
    return Path(override) if override else REPO.parent / "shared"


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    keys: tuple[str, ...]
    run: Callable[[Path, bool], Awaitable[Outcome]]


SECTIONS: tuple[Section, ...] = (
    Section(
        "check-worthiness",
        ("checkworthiness_f1_held_out_debates", "checkworthiness_f1_ct24_devtest"),
        quality_checkworthiness,
    ),
    Section(
        "sourcing",
        ("attribution_f1_polnear_dev", "sourcing_acc_newsclaims_dev", "claims_f1_newsclaims_dev"),
        quality_sourcing,
    ),
    Section("news sourcing", ("news_sourcing_status_held", "news_sourcing_source_held"), quality_news_sourcing),
    Section(
        "extraction",
        ("extraction_f1_trafilatura_en", "offline_ms_per_article_p50", "offline_ms_per_article_p95"),
        extraction,
    ),
    Section(
        "llm",
        (
            "llm_calls_per_article",
            "llm_tokens_per_article",
            "llm_prompt_tokens_per_article",
            "llm_prompt_over_goal_max",
            "e2e_over_critical_path",
            "evidence_ms_per_article",
            "evidence_pages_per_report",
            "llm_calls_with_evidence",
            "llm_prompt_tokens_with_evidence",
        ),
        llm,
    ),
    Section("slack", ("slack_ack_ms_p99",), slack_ack),
    Section("report view", ("report_messages_max", "report_triage_end_chars"), report_view),
    Section("burst", ("burst50_p95_s", "burst50_rss_mb", "repeat_link_ms"), burst),
    Section(
        "scale-out",
        (
            "scale_burst50_p95_s",
            "scale_throughput_ratio",
            "scale_pss_mb",
            "scale_cpu_ms_per_link",
            "extraction_over_trafilatura",
        ),
        scale,
    ),
    Section(
        "hostile pages",
        ("hostile_pss_mb", "hostile_process_rss_mb", "hostile_worst_s", "hostile_beside_normal_s"),
        hostile,
    ),
)


# ------------------------------------------------------------------ harness


async def run_all(*, shared: Path, smoke: bool) -> tuple[dict[str, float | None], dict[str, str]]:
    values: dict[str, float | None] = {}
    notes: dict[str, str] = {}
    for section in SECTIONS:
        started = time.perf_counter()
        try:
            outcome = await section.run(shared, smoke)
            values.update(outcome.values)
            notes.update(outcome.notes)
        except Skipped as exc:
            notes.update({key: str(exc) for key in section.keys})
        except Exception as exc:  # one broken piece must not hide the others' figures
            traceback.print_exc()
            notes.update({key: f"error: {type(exc).__name__}: {exc}"[:160] for key in section.keys})
        for key in section.keys:
            values.setdefault(key, None)
            if values[key] is None and key not in notes:
                notes[key] = "not reported by the section"
        print(f"[bench] {section.name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return values, notes


def write_results(values: dict[str, float | None], *, path: Path = RESULTS) -> None:
    ordered = {figure.key: values.get(figure.key) for figure in FIGURES}
    ordered.update({k: v for k, v in sorted(values.items()) if k not in ordered})
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(ordered, indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="one article, one event: checks the harness runs")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON results")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # real pages make it chatty
    started = time.perf_counter()
    values, notes = asyncio.run(run_all(shared=shared_dir(), smoke=args.smoke))
    values["bench_seconds"] = round(time.perf_counter() - started, 1)
    write_results(values, path=args.output)
    print(markdown_table(values, notes))
    print(
        f"\n{'Smoke run' if args.smoke else 'Run'} took {values['bench_seconds']:.0f} s on {os.cpu_count()} cores; "
        f"results in {args.output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
