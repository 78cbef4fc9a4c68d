"""The benchmark harness still runs end to end (``python -m bench.run --smoke``), so it cannot rot.

The smoke run points FACTCHECK_SHARED_DIR at an empty folder, as on CI or a user's clone: the
dataset rows must say "skipped (no data)" with a null value, while everything that needs no
dataset (the LLM cost on the example article, the burst through the real Slack bot process, the
repeated link) must still produce numbers. No timing is asserted: speed lives in the figures.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import shutil
from pathlib import Path

import pytest

from bench import run

DATASET_KEYS = (
    "checkworthiness_f1_held_out_debates",
    "checkworthiness_f1_ct24_devtest",
    "claims_f1_newsclaims_dev",
    "sourcing_acc_newsclaims_dev",
    "attribution_f1_polnear_dev",
    "news_sourcing_status_held",
    "news_sourcing_source_held",
    "extraction_f1_trafilatura_en",
    "offline_ms_per_article_p50",
    "offline_ms_per_article_p95",
)
MEASURED_WITHOUT_DATA = (
    "llm_calls_per_article",
    "llm_tokens_per_article",
    "e2e_over_critical_path",
    "evidence_ms_per_article",
    "evidence_pages_per_report",
    "llm_calls_with_evidence",
    "llm_prompt_tokens_with_evidence",
    "slack_ack_ms_p99",
    "burst50_p95_s",
    "burst50_rss_mb",
    "repeat_link_ms",
    "report_messages_max",
    "report_triage_end_chars",
    "hostile_pss_mb",
    "hostile_process_rss_mb",
    "hostile_worst_s",
)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    folder = tmp_path_factory.mktemp("bench")
    output = folder / "results.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACTCHECK_SHARED_DIR", str(folder / "no-shared-data"))
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "SLACK_APP_TOKEN"):
            patch.delenv(name, raising=False)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            assert run.main(["--smoke", "--output", str(output)]) == 0
    return json.loads(output.read_text(encoding="utf-8")), printed.getvalue()


def test_every_figure_key_is_written_as_a_number_or_null(smoke: tuple[dict, str]) -> None:
    results, _ = smoke
    for figure in run.FIGURES:
        assert figure.key in results, figure.key
    for key, value in results.items():
        assert value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)), (key, value)
        assert value is None or math.isfinite(value), key


def test_absent_datasets_are_skipped_not_failed(smoke: tuple[dict, str]) -> None:
    results, table = smoke
    for key in DATASET_KEYS:
        assert results[key] is None, key
        row = next(line for line in table.splitlines() if f"`{key}`" in line)
        assert "skipped" in row and "error" not in row, row


def test_figures_that_need_no_dataset_are_measured(smoke: tuple[dict, str]) -> None:
    results, table = smoke
    for key in MEASURED_WITHOUT_DATA:
        assert isinstance(results[key], (int, float)) and results[key] > 0, (key, results[key])
    assert results["llm_calls_per_article"] >= 2  # the engine's two rounds: find claims, analyse them
    assert results["repeat_link_llm_calls"] == 0  # a repeated link is answered from the cache
    assert results["burst50_reported"] == results["burst50_links"] == 1
    assert results["burst50_rss_mb"] >= results["burst50_idle_rss_mb"] > 0


def test_the_scale_out_burst_runs_through_real_processes_when_redis_is_installed(smoke: tuple[dict, str]) -> None:
    """Front, Redis and a worker as deployed (bench/scale_burst.py); without redis-server the row says how to get it."""
    results, table = smoke
    if shutil.which("redis-server") is None:
        row = next(line for line in table.splitlines() if "`scale_burst50_p95_s`" in line)
        assert "make redis" in row, row
        return
    assert results["scale_reported"] == results["scale_links"] == 2
    for key in ("scale_burst50_p95_s", "scale_pss_mb", "scale_cpu_ms_per_link", "extraction_over_trafilatura"):
        assert isinstance(results[key], (int, float)) and results[key] > 0, (key, results[key])
    assert results["scale_throughput_ratio"] is None  # one worker in a smoke run


def test_the_table_has_one_row_per_figure(smoke: tuple[dict, str]) -> None:
    _, table = smoke
    rows = [line for line in table.splitlines() if line.startswith("| ") and "`" in line]
    assert [row.split("`")[1] for row in rows] == [figure.key for figure in run.FIGURES]


def test_results_file_is_ignored_by_git() -> None:
    ignored = (Path(run.REPO) / ".gitignore").read_text(encoding="utf-8").split()
    assert "bench/results.json" in ignored
