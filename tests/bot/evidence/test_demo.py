"""``make demo`` (python -m examples.demo): offline, it shows traced links, earlier fact-checks and related passages."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.paths import REPO


def demo(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FACTCHECK_", "AZURE_"))}
    return subprocess.run(
        [sys.executable, "-m", "examples.demo", *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=90
    )


def test_demo_report_has_the_evidence_without_a_model_or_network() -> None:
    done = demo("--format", "json", "--quiet")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    claims = report["claims"]
    verdicts = sorted(check["verdict"] for claim in claims for check in claim["link_checks"])
    assert verdicts == ["not_found", "supports"]
    assert [p["rating"] for claim in claims for p in claim["prior_fact_checks"]] == ["Misleading"]
    items = [item for claim in claims for item in claim["evidence"]]
    assert len(items) >= 4 and all(item["stance"] is None for item in items)
    assert report["engine"]["mode"] == "offline" and report["evidence_summary"]["stance_judged"] is False
    assert report["warnings"] == []


def test_demo_text_says_the_passages_are_unjudged() -> None:
    done = demo()
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())  # the terminal report is wrapped
    assert "does not mention 2025" in text and "Misleading" in text
    assert "nobody judged whether they support or contradict" in text
    assert "DEBUG" not in done.stderr
