"""What each section of ``make bench`` measures: one coroutine per section, each returning its figures and notes.

A section that cannot run here raises ``Skipped`` with the reason the table shows.
"""

from __future__ import annotations

import asyncio
import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLOT = REPO / "bench" / "latency.png"
SMOKE_LLM_LATENCY_S = 0.05  # the scripted model answers at once in a smoke run
EXAMPLE_ARTICLE = REPO / "examples" / "harbor-bridge.html"


class Skipped(Exception):
    """A section that cannot run here; the message goes in the table."""


@dataclass
class Outcome:
    values: dict[str, float | None] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return None if math.isnan(value) else float(value)


def _require(path: Path) -> None:
    if not path.exists():
        raise Skipped("skipped (no data)")


async def quality_checkworthiness(shared: Path, smoke: bool) -> Outcome:
    from bench.eval_checkworthiness import (
        CLAIMBUSTER,
        CT24,
        DEV_TEST,
        evaluate_ct24_devtest,
        evaluate_held_out_debates,
        offline_model,
    )

    _require(shared / CT24 / DEV_TEST)
    _require(shared / CLAIMBUSTER)
    model = offline_model()  # the offline report's model: with the sentence encoder when it is built
    held = await asyncio.to_thread(evaluate_held_out_debates, shared, model=model)
    result = await asyncio.to_thread(evaluate_ct24_devtest, shared, model=model)
    version = getattr(model, "version", "")
    return Outcome(
        {
            "checkworthiness_f1_held_out_debates": held["f1"],
            "checkworthiness_f1_ct24_devtest": result["f1"],
            "checkworthiness_precision_ct24_devtest": result["precision"],
            "checkworthiness_recall_ct24_devtest": result["recall"],
        },
        {
            "checkworthiness_f1_held_out_debates": f"P {held['precision']:.3f} R {held['recall']:.3f}, "
            f"n={held['n']} (6 ClaimBuster debates never trained or tuned on); {version}",
            "checkworthiness_f1_ct24_devtest": f"P {result['precision']:.3f} R {result['recall']:.3f}, n={result['n']}",
        },
    )


def _from_sourcing(result: dict, key: str, metric: str) -> Outcome:
    if result.get("skipped"):
        reason = str(result["skipped"])
        return Outcome({key: None}, {key: reason if reason.startswith("skipped") else f"skipped ({reason})"})
    value = _number(result.get(metric))
    details = {name: _number(v) for name, v in result.items() if name != metric and _number(v) is not None}
    note = ", ".join(f"{name} {v:.3g}" for name, v in list(details.items())[:4])
    return Outcome({key: value}, {key: note})


async def quality_sourcing(shared: Path, smoke: bool) -> Outcome:
    try:
        import bench.eval_sourcing as sourcing
    except ImportError as exc:
        raise Skipped(f"not built yet ({exc.name})") from exc
    outcome = Outcome()
    jobs = (
        ("attribution_f1_polnear_dev", lambda: sourcing.attribution_f1_polnear_dev(shared), "f1"),
        ("sourcing_acc_newsclaims_dev", lambda: sourcing.sourcing_acc_newsclaims_dev(shared), "accuracy"),
        ("claims_f1_newsclaims_dev", lambda: sourcing.claims_f1_newsclaims(shared, _claim_scorer()), "f1"),
    )
    for key, job, metric in jobs:
        try:
            part = _from_sourcing(await asyncio.to_thread(job), key, metric)
        except FileNotFoundError:
            part = Outcome({key: None}, {key: "skipped (no data)"})
        outcome.values.update(part.values)
        outcome.notes.update(part.notes)
    return outcome


async def quality_news_sourcing(shared: Path, smoke: bool) -> Outcome:
    from bench.eval_news_sourcing import news_sourcing

    result = await asyncio.to_thread(news_sourcing, shared)
    if "skipped" in result:
        raise Skipped("skipped (no data)")
    held, tune = result["held"], result["tune"]
    first, second = result["held_batch1"], result["held_batch2"]
    note = (
        f"{held['claims']} claims ({held['named_claims']} named) on {held['pages']} pages"
        f" (first batch {first['status_accuracy']:.3f} / {first['source_accuracy']:.3f},"
        f" second {second['status_accuracy']:.3f} / {second['source_accuracy']:.3f}); tune pages {{}}"
    )
    return Outcome(
        {
            "news_sourcing_status_held": held["status_accuracy"],
            "news_sourcing_source_held": held["source_accuracy"],
            "news_sourcing_status_tune": tune["status_accuracy"],
            "news_sourcing_source_tune": tune["source_accuracy"],
        },
        {
            "news_sourcing_status_held": note.format(f"{tune['status_accuracy']:.3f} of {tune['claims']}"),
            "news_sourcing_source_held": note.format(f"{tune['source_accuracy']:.3f} of {tune['named_claims']}"),
        },
    )


def _claim_scorer():
    """The offline report's model with its own tuned threshold (booleans), not eval_sourcing's default 0.5."""
    from bench.eval_checkworthiness import offline_model

    model = offline_model()
    return lambda texts: [model.is_checkworthy(score) for score in model.score(list(texts))]


async def extraction(shared: Path, smoke: bool) -> Outcome:
    from bench.extraction import evaluate_extraction

    result = await asyncio.to_thread(evaluate_extraction, shared, limit=1 if smoke else None, repeats=1 if smoke else 3)
    if result is None:
        raise Skipped("skipped (no data)")
    return Outcome(
        {
            "extraction_f1_trafilatura_en": result["f1"],
            "extraction_precision_trafilatura_en": result["precision"],
            "extraction_recall_trafilatura_en": result["recall"],
            "offline_ms_per_article_p50": result["cpu_ms_p50"],
            "offline_ms_per_article_p50_min": result["cpu_ms_p50_min"],
            "offline_ms_per_article_p50_max": result["cpu_ms_p50_max"],
            "offline_ms_per_article_p95": result["cpu_ms_p95"],
            "offline_ms_per_article_p95_min": result["cpu_ms_p95_min"],
            "offline_ms_per_article_p95_max": result["cpu_ms_p95_max"],
        },
        {
            "extraction_f1_trafilatura_en": f"P {result['precision']:.3f} R {result['recall']:.3f}, "
            f"{result['pages']} pages",
            "offline_ms_per_article_p50": f"{result['pages']} pages x {result['repeats']} passes",
        },
    )


async def llm(shared: Path, smoke: bool) -> Outcome:
    try:
        from bench.llm_bench import SAMPLE, measure_llm, measure_prompt_goal
    except ImportError as exc:
        raise Skipped(f"not built yet ({exc.name})") from exc
    from bench.pipeline_e2e import measure_pipeline_e2e

    if (shared / SAMPLE).is_file():
        text, source = (shared / SAMPLE).read_text(encoding="utf-8"), "sample article"
    else:  # no shared data (CI, a user's clone): the repo's example article
        from bot.extract import extract_file

        text, source = extract_file(EXAMPLE_ARTICLE).text, "example article (sample absent)"
    latency = SMOKE_LLM_LATENCY_S if smoke else 1.0  # a smoke proves the harness runs; its timings mean nothing
    engine_runs = [await measure_llm(shared_dir=shared, text=text, latency_s=latency) for _ in range(1 if smoke else 3)]
    engine_ratios = [float(run["ratio_to_critical_path"]) for run in engine_runs]
    e2e = await measure_pipeline_e2e(runs=1 if smoke else 3, warmup=not smoke, latency_s=latency)
    goal = await measure_prompt_goal(shared_dir=shared, smoke=smoke)
    first = engine_runs[0]
    values = {
        "llm_calls_per_article": _number(first.get("llm_calls")),
        "llm_tokens_per_article": _number(first.get("total_tokens")),
        "llm_prompt_tokens_per_article": _number(first.get("prompt_tokens")),
        "llm_completion_tokens_per_article": _number(first.get("completion_tokens")),
        "llm_prompt_tokens_goal": _number(first.get("prompt_goal")),
        "llm_prompt_over_goal_max": _number(goal.get("prompt_over_goal_max")),
        **{k: v for k, v in e2e.items() if k.startswith(("e2e_", "evidence_", "llm_"))},
        "e2e_engine_over_2_calls": statistics.median(engine_ratios),
        "e2e_engine_over_2_calls_min": min(engine_ratios),
        "e2e_engine_over_2_calls_max": max(engine_ratios),
    }
    return Outcome(
        values,
        {
            "llm_calls_per_article": source,
            "llm_tokens_per_article": f"prompt {first.get('prompt_tokens')}, "
            f"completion {first.get('completion_tokens')} (scripted answers: completion is a floor)",
            "llm_prompt_tokens_per_article": f"{source}: goal {first.get('prompt_goal')} for "
            f"{first.get('article_tokens')} article tokens (characters / 4, schema included)",
            "llm_prompt_over_goal_max": "; ".join(
                f"{name} {item['prompt_tokens']} of {item['prompt_goal']}" for name, item in goal["articles"].items()
            )
            or "no pages",
            "e2e_over_critical_path": f"full pipeline.check with evidence, example article's world, {e2e['runs']} "
            f"runs, {e2e['e2e_seconds']:.2f} s each; floor fetch + 2 x {latency:g} s + evidence; "
            f"LLM engine alone {statistics.median(engine_ratios):.3f} x 2 s",
            "evidence_ms_per_article": f"example article, 5 providers on loopback, {e2e['provider_latency_s']:g} s "
            "per API answer and per page",
            "llm_prompt_tokens_with_evidence": "example article, numbered passages in round 2",
        },
    )


async def slack_ack(shared: Path, smoke: bool) -> Outcome:
    try:
        from bench.slack_bench import measure_slack
    except ImportError as exc:
        raise Skipped(f"not built yet ({exc.name})") from exc
    # The smoke keeps the endpoint in this process: the burst below already starts the real bot process.
    runs = [await measure_slack(events=1 if smoke else 200, in_process=smoke) for _ in range(1 if smoke else 3)]
    result = runs[0]
    values = {k: _number(v) for k, v in result.items() if _number(v) is not None}
    p99s = [float(run["slack_ack_ms_p99"]) for run in runs if _number(run.get("slack_ack_ms_p99")) is not None]
    if p99s:  # a p99 of 200 is the second-slowest ack: noisy, so the median of 3 runs
        values.update(
            slack_ack_ms_p99=statistics.median(p99s), slack_ack_ms_p99_min=min(p99s), slack_ack_ms_p99_max=max(p99s)
        )
    note = str(result.get("slack_ack_note") or f"{result.get('slack_events')} events")
    if values.get("slack_placeholder_ms_p50") is not None:
        note += f"; placeholder p50 {values['slack_placeholder_ms_p50']:.0f} ms"
    if values.get("slack_non_200"):
        note += f"; {values['slack_non_200']:g} answers were not 200"
    return Outcome(values, {"slack_ack_ms_p99": note})


async def burst(shared: Path, smoke: bool) -> Outcome:
    from bench.burst import measure_burst
    from bench.plot import plot_latency

    result = await measure_burst(
        shared_dir=shared,
        links=1 if smoke else 50,
        runs=1 if smoke else 3,
        solo=not smoke,
        **({"llm_latency_s": SMOKE_LLM_LATENCY_S, "repeats": 1} if smoke else {}),
    )
    values = {
        k: v
        for k, v in result.items()
        if _number(v) is not None and k.startswith(("burst50_", "repeat_link_", "slack_single_link_"))
    }
    values["burst50_critical_path_s"] = result["critical_path_s"]
    reported, busy = result["burst50_reported"], result["burst50_busy"]
    notes = {
        "burst50_p95_s": f"over links with a report: {reported:g} of {result['links']} (median of "
        f"{result['runs']} runs), {busy:g} told busy; floor {result['critical_path_s']:.2f} s"
        + (f"; one link alone {result['slack_single_link_s']:.2f} s" if "slack_single_link_s" in result else ""),
        "repeat_link_ms": f"to the final reply through Slack, {result['repeat_link_llm_calls']} LLM calls; "
        f"pipeline cache hit alone {result.get('repeat_link_pipeline_ms', float('nan')):.1f} ms",
        "burst50_rss_mb": f"bot and its page workers: {result['burst50_idle_rss_mb']:.0f} MB started, "
        f"{result['burst50_warm_rss_mb']:.0f} MB after its first check; pages: {result['source']}",
    }
    values["burst50_links"] = result["links"]
    if not smoke and result.get("latencies_s"):
        await asyncio.to_thread(
            plot_latency, latencies_s=result["latencies_s"], floor_s=result["critical_path_s"], path=PLOT
        )
        notes["burst50_p95_s"] += f"; plot {PLOT.relative_to(REPO)}"
    return Outcome(values, notes)


async def report_view(shared: Path, smoke: bool) -> Outcome:
    from bench.llm_bench import SAMPLE
    from bench.report_view import measure_report_view

    sample = shared / SAMPLE
    text = sample.read_text(encoding="utf-8") if sample.is_file() else None
    result = await measure_report_view(text=text, smoke=smoke)
    worst_end = max(result["slack_triage_end"], result["discord_triage_end"])
    values = {
        (k if k.startswith("report_") else f"report_{k}"): _number(v)
        for k, v in result.items()
        if _number(v) is not None
    }
    values["report_messages_max"] = float(max(result["slack_messages"], result["discord_messages"]))
    values["report_triage_end_chars"] = _number(worst_end)
    source = "sample article" if text is not None else "example article (sample absent)"
    notes = {
        "report_messages_max": f"{source}, {result['report_claims']} claims, {result['report_text_chars']:,} chars as "
        f"text: Slack {result['slack_messages']} ({result['slack_first_chars']:,} + "
        f"{result['slack_chars'] - result['slack_first_chars']:,} chars), Discord {result['discord_messages']} "
        f"({result['discord_chars']:,} chars); offline: Slack {result['offline_slack_messages']}, Discord "
        f"{result['offline_discord_messages']}; with evidence (example world): Slack "
        f"{result['evidence_slack_messages']}, Discord {result['evidence_discord_messages']}",
        "report_triage_end_chars": f"Slack {result['slack_triage_end']:.0f}, "
        f"Discord {result['discord_triage_end']:.0f}; page {result['html_kb']:.0f} KB in {result['html_ms']:.0f} ms"
        + (f"; screenshot {Path(result['screenshot']).relative_to(REPO)}" if "screenshot" in result else ""),
    }
    return Outcome(values, notes)


async def hostile(shared: Path, smoke: bool) -> Outcome:
    from bench.hostile import measure_hostile
    from tests.support.hostile_pages import normal_article, worst_pages

    pages = [normal_article()] if smoke else worst_pages()
    results = await asyncio.to_thread(measure_hostile, pages=pages, beside=not smoke)
    worst = max(results.values(), key=lambda r: float(r["pss_mb"]))
    values: dict[str, float | None] = {
        "hostile_pss_mb": max(float(r["pss_mb"]) for r in results.values()),
        "hostile_rss_mb": max(float(r["rss_mb"]) for r in results.values()),
        "hostile_process_rss_mb": max(float(r["process_rss_mb"]) for r in results.values()),
        "hostile_worst_s": max(float(r["seconds"]) for r in results.values()),
    }
    for name, result in results.items():
        key = name.replace("-", "_")
        values[f"hostile_{key}_s"] = float(result["seconds"])
        values[f"hostile_{key}_pss_mb"] = float(result["pss_mb"])
    per_page = "; ".join(
        f"{name} {r['seconds']} s, {r['pss_mb']:.0f} MB, exit {r['exit']}" for name, r in results.items()
    )
    notes = {
        "hostile_pss_mb": f"factcheck check --offline, each page in its own process: {per_page}",
        "hostile_process_rss_mb": f"RSS of all processes summed, shared pages twice: {values['hostile_rss_mb']:.0f}",
        "hostile_worst_s": f"worst by memory: {worst['what']}, last line '{worst['last_line']}'"[:200],
    }
    if not smoke:
        beside = [float(r["beside_normal_s"]) for r in results.values()]
        values["hostile_beside_normal_s"] = max(beside)
        values["hostile_beside_normal_ok"] = float(all(r["beside_normal_outcome"] == "ok" for r in results.values()))
        alone = max(float(r["normal_alone_s"]) for r in results.values())
        notes["hostile_beside_normal_s"] = f"one process, 2 workers; the ordinary page alone {alone:.2f} s"
    else:
        notes["hostile_beside_normal_s"] = "skipped (smoke run)"
    return Outcome(values, notes)


async def scale(shared: Path, smoke: bool) -> Outcome:
    import shutil

    from bench.scale_burst import scale_figures

    if shutil.which("redis-server") is None:
        raise Skipped("skipped (no redis-server: make redis)")
    values, notes = await scale_figures(shared_dir=shared, smoke=smoke, smoke_llm_latency_s=SMOKE_LLM_LATENCY_S)
    return Outcome(values, notes)
