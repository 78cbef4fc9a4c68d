"""``factcheck worker`` on the command line, and the one-process default untouched by the scale-out mode."""

from __future__ import annotations

import subprocess
import sys

import pytest

from adapters.cli import main
from adapters.queue.settings import QueueSettings
from adapters.session.settings import SessionSettings
from tests.support.scale_harness import REPO


def test_worker_help_lists_what_it_reads(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["worker", "--help"])
    assert stopped.value.code == 0
    shown = capsys.readouterr().out
    for variable, _ in QueueSettings.variables() + SessionSettings.variables():
        assert variable in shown
    assert "SLACK_BOT_TOKEN" in shown and "DISCORD_TOKEN" in shown and "SLACK_SIGNING_SECRET" not in shown
    with pytest.raises(SystemExit):
        main(["slack", "--help"])
    assert "REDIS_URL" in capsys.readouterr().out  # a front says it can queue


def test_a_worker_without_redis_url_says_what_is_missing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["worker"]) == 2
    assert capsys.readouterr().err.strip() == (
        "factcheck: factcheck worker needs REDIS_URL (the Redis the fronts queue checks in)"
    )


def test_the_one_process_default_loads_nothing_of_the_scale_out_mode() -> None:
    """Without REDIS_URL a front never imports Redis or arq (the README's two commands need neither)."""
    code = (
        "import sys\n"
        "from adapters.slack import main as slack_main\n"
        "from adapters.discord import main as discord_main\n"
        "from adapters import cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'redis', 'arq'}))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]", loaded.stdout
