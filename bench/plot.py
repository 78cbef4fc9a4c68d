"""``bench/latency.png``: how long each link of the burst took, against the critical-path floor.

A histogram of the end-to-end seconds of every reported link (all runs together), a vertical line
at the floor no implementation can beat (fetch + the LLM's two sequential rounds), and the p50 and
p95 marked, so a glance shows how much of the wait is ours rather than the model's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers and CI

import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

from bench.extraction import percentile  # noqa: E402


def plot_latency(*, latencies_s: Sequence[float], floor_s: float, path: Path, title: str | None = None) -> Path:
    """Draw the distribution and write it (atomically) to ``path``; returns ``path``."""
    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=120)
    try:
        if latencies_s:
            high = max(max(latencies_s), floor_s) * 1.05
            axes.hist(
                latencies_s,
                bins=min(40, max(10, len(latencies_s) // 3)),
                range=(0, high),
                color="#4C78A8",
                edgecolor="white",
                label=f"links with a report, all bursts (n={len(latencies_s)})",
            )
            for q, style in ((50, ":"), (95, "--")):
                value = percentile(latencies_s, q)
                axes.axvline(value, color="#333333", linestyle=style, linewidth=1.2, label=f"p{q} {value:.2f} s")
        axes.axvline(floor_s, color="#E45756", linewidth=2.2, label=f"critical-path floor {floor_s:.2f} s")
        axes.set_xlabel("seconds from the pasted link to the finished report in its thread")
        axes.set_ylabel("links")
        axes.set_title(title or "Burst of 50 links through the Slack bot, scripted LLM at 1 s per call")
        axes.legend(loc="upper right", fontsize=8)
        axes.grid(axis="y", alpha=0.3)
        figure.tight_layout()
        temporary = path.with_name(path.name + ".tmp")
        figure.savefig(temporary, format="png")
        temporary.replace(path)
    finally:
        plt.close(figure)
    return path
