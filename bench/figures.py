"""The figures ``make bench`` reports: each one's key, label, goal and test, and the table they make."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    label: str
    goal: str
    meets: Callable[[float, dict], bool] | None = None  # (value, all values)
    digits: int = 3


FIGURES: tuple[Figure, ...] = (
    Figure(
        "checkworthiness_f1_held_out_debates",
        "Check-worthiness F1, held-out debates",
        ">= 0.70 (aim 0.80)",
        lambda v, _: v >= 0.70,
    ),
    Figure(
        "checkworthiness_f1_ct24_devtest",
        "Check-worthiness F1, CT24 dev-test",
        ">= 0.80 (baseline 0.599)",
        lambda v, _: v >= 0.80,
    ),
    Figure("claims_f1_newsclaims_dev", "Claim-sentence F1, NewsClaims dev", "> 0.309", lambda v, _: v > 0.309),
    Figure("sourcing_acc_newsclaims_dev", "Sourcing accuracy, NewsClaims dev", ">= 0.50", lambda v, _: v >= 0.50),
    Figure(
        "news_sourcing_status_held",
        "Sourcing status right, own news labels, held pages",
        ">= 0.90",
        lambda v, _: v >= 0.90,
    ),
    Figure(
        "news_sourcing_source_held", "Source name right, own news labels, held pages", ">= 0.90", lambda v, _: v >= 0.90
    ),
    Figure("attribution_f1_polnear_dev", "Attribution F1, PolNeAR dev", "report it"),
    Figure("extraction_f1_trafilatura_en", "Main-text F1, trafilatura-eval EN", "report it (trafilatura 0.922)"),
    Figure("offline_ms_per_article_p50", "Offline CPU ms per page, p50", "<= 150", lambda v, _: v <= 150, 1),
    Figure("offline_ms_per_article_p95", "Offline CPU ms per page, p95", "report it", None, 1),
    Figure("llm_calls_per_article", "LLM calls per article", "<= 3", lambda v, _: v <= 3, 1),
    Figure("llm_tokens_per_article", "LLM tokens per article", "report it", None, 0),
    Figure(
        "llm_prompt_tokens_per_article",
        "LLM prompt tokens per article",
        "<= 2 x article + 3,000",
        lambda v, all_: all_.get("llm_prompt_tokens_goal") is not None and v <= all_["llm_prompt_tokens_goal"],
        0,
    ),
    Figure("llm_prompt_over_goal_max", "LLM prompt / its goal, worst page", "<= 1.0", lambda v, _: v <= 1.0, 3),
    Figure("e2e_over_critical_path", "End-to-end / critical path", "<= 1.15", lambda v, _: v <= 1.15, 3),
    Figure("evidence_ms_per_article", "Evidence stage ms per article", "report it", None, 0),
    Figure("evidence_pages_per_report", "Evidence pages fetched per report", "<= 16", lambda v, _: v <= 16, 0),
    Figure("llm_calls_with_evidence", "LLM calls per article, with evidence", "<= 3", lambda v, _: v <= 3, 0),
    Figure("llm_prompt_tokens_with_evidence", "LLM prompt tokens per article, with evidence", "report it", None, 0),
    Figure("slack_ack_ms_p99", "Slack ack ms, p99 of 200", "<= 50", lambda v, _: v <= 50, 1),
    Figure(
        "burst50_p95_s",
        "Burst of 50 links, p95 s",
        "<= 3, every link answered",
        lambda v, all_: v <= 3 and all_.get("burst50_reported") == all_.get("burst50_links"),
        2,
    ),
    Figure(
        "report_messages_max",
        "8-claim model report, chat messages",
        "<= 2 on Slack and Discord",
        lambda v, _: v <= 2,
        0,
    ),
    Figure(
        "report_triage_end_chars",
        "Triage ends at character",
        "<= 1500 (the first screen)",
        lambda v, _: v <= 1500,
        0,
    ),
    Figure("burst50_rss_mb", "Burst of 50 links, memory MB (PSS, all)", "<= 250", lambda v, _: v <= 250, 1),
    Figure(
        "repeat_link_ms",
        "Repeated link (cache hit) ms",
        "<= 100, 0 LLM calls",
        lambda v, all_: v <= 100 and all_.get("repeat_link_llm_calls") == 0,
        1,
    ),
    Figure(
        "scale_burst50_p95_s",
        "Burst of 50, Redis + 2 workers, p95 s",
        "<= 3, every link answered",
        lambda v, all_: v <= 3 and all_.get("scale_reported") == all_.get("scale_links"),
        2,
    ),
    Figure("scale_throughput_ratio", "Burst of 50, throughput 2 workers / 1", ">= 1.7", lambda v, _: v >= 1.7, 2),
    Figure("scale_pss_mb", "Burst of 50, 2 workers, memory MB (PSS, all)", "<= 400", lambda v, _: v <= 400, 1),
    Figure("scale_cpu_ms_per_link", "Burst of 50, CPU ms per link (all)", "<= 40", lambda v, _: v <= 40, 1),
    Figure(
        "extraction_over_trafilatura",
        "Our extraction / trafilatura.extract, CPU",
        "<= 1.2",
        lambda v, _: v <= 1.2,
        2,
    ),
    Figure("hostile_pss_mb", "Worst page, peak memory MB (all processes, PSS)", "<= 300", lambda v, _: v <= 300, 1),
    Figure("hostile_process_rss_mb", "Worst page, peak RSS MB of one process", "<= 300", lambda v, _: v <= 300, 1),
    Figure("hostile_worst_s", "Worst page, seconds to its answer", "report it (page bound 10 s)", None, 2),
    Figure(
        "hostile_beside_normal_s",
        "Ordinary page beside the worst page, s",
        "<= 2, answered",
        lambda v, all_: v <= 2 and all_.get("hostile_beside_normal_ok") == 1,
        2,
    ),
)


def spread(values: dict[str, float | None], key: str, digits: int) -> str:
    low, high = values.get(f"{key}_min"), values.get(f"{key}_max")
    if low is None or high is None:
        return ""
    return f"{low:.{digits}f} to {high:.{digits}f}"


def markdown_table(values: dict[str, float | None], notes: dict[str, str]) -> str:
    lines = ["| figure | key | value | min to max | goal | met | notes |", "|---|---|---|---|---|---|---|"]
    for figure in FIGURES:
        value = values.get(figure.key)
        shown = "" if value is None else f"{value:.{figure.digits}f}"
        met = "" if value is None or figure.meets is None else ("yes" if figure.meets(value, values) else "**no**")
        note = notes.get(figure.key, "").replace("|", "/")
        lines.append(
            f"| {figure.label} | `{figure.key}` | {shown or note or 'n/a'} | "
            f"{spread(values, figure.key, figure.digits)} | {figure.goal} | {met} | "
            f"{note if shown else ''} |"
        )
    return "\n".join(lines)
