"""The factcheck command as a user runs it: a real subprocess, real loopback HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.paths import REPO

EXAMPLE = REPO / "examples" / "harbor-bridge.html"


def factcheck(*args: str, stdin: str | None = None, tmp_path: Path, allow_private: bool = True):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FACTCHECK_", "AZURE_"))}
    env["FACTCHECK_CACHE_PATH"] = str(tmp_path / "cache.sqlite3")
    env["FACTCHECK_EVIDENCE"] = "off"  # its default providers are on the internet
    if allow_private:
        env["FACTCHECK_ALLOW_PRIVATE_URLS"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


def test_json_contract(article_server, tmp_path):
    url = article_server.add("/bridge", EXAMPLE.read_bytes())
    result = factcheck("check", url, "--format", "json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert set(data["article"]) >= {
        "url",
        "title",
        "site_name",
        "author",
        "published",
        "language",
        "text",
        "word_count",
    }
    assert data["engine"]["mode"] == "offline" and "model" in data["engine"]
    claim = data["claims"][0]
    assert set(claim) >= {
        "id",
        "quote",
        "start",
        "end",
        "checkworthiness",
        "sourcing",
        "context",
        "counter_evidence",
        "questions",
    }
    assert set(claim["sourcing"]) >= {"status", "source", "cue", "link", "gap"}
    assert data["article"]["text"][claim["start"] : claim["end"]] == claim["quote"]
    assert isinstance(data["warnings"], list) and "usage" in data and "timings" in data
    assert "article:" in result.stderr and "claims:" in result.stderr  # progress goes to stderr


def test_text_and_markdown_formats_of_a_local_file(tmp_path):
    text = factcheck("check", str(EXAMPLE), tmp_path=tmp_path)
    assert text.returncode == 0, text.stderr
    assert "key claims:" in text.stdout and "Riverside" in text.stdout
    assert "Check first" in text.stdout and "need a language model" in text.stdout
    md = factcheck("check", str(EXAMPLE), "--format", "markdown", "--max-claims", "2", tmp_path=tmp_path)
    assert md.returncode == 0 and md.stdout.startswith("## Fact-check:")
    assert "### 2 key claims" in md.stdout and "check-worthiness" not in md.stdout  # scores stay in the JSON


def test_stdin_text(tmp_path):
    result = factcheck(
        "check",
        "-",
        "--format",
        "json",
        tmp_path=tmp_path,
        stdin="The bridge will cost $4 billion, nearly three times the 2024 estimate of $1.4 billion.",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["article"]["url"] is None
    assert len(report["claims"]) == 1 and "claims: 1 key claim found" in result.stderr.splitlines()  # not "claims"


def test_bad_targets_exit_3_with_one_line(article_server, tmp_path):
    article_server.add("/pdf", b"%PDF-1.7", content_type="application/pdf")
    for target in (article_server.url("/missing"), article_server.url("/pdf")):
        result = factcheck("check", target, tmp_path=tmp_path)
        assert result.returncode == 3, (target, result.stderr)
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        assert result.stderr.strip().splitlines()[-1].startswith("factcheck: ")


def test_private_address_refused_by_default(article_server, tmp_path):
    url = article_server.add("/bridge", EXAMPLE.read_bytes())
    result = factcheck("check", url, tmp_path=tmp_path, allow_private=False)
    assert result.returncode == 3
    assert "private or internal" in result.stderr or "can't be checked" in result.stderr
    assert article_server.hits() == 0


def test_unusable_arguments_exit_2(tmp_path):
    assert factcheck("check", tmp_path=tmp_path).returncode == 2
    assert factcheck("check", str(EXAMPLE), "--max-claims", "0", tmp_path=tmp_path).returncode == 2
    assert factcheck("check", str(EXAMPLE), "--format", "pdf", tmp_path=tmp_path).returncode == 2


def test_checkworthiness_command(tmp_path):
    lines = (
        "The unemployment rate fell to 3.5 percent in 2019, the lowest in 50 years.\n"
        "Thank you all for coming tonight.\n"
    )
    result = factcheck("checkworthiness", stdin=lines, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert len(rows) == 2 and all(label in {"Yes", "No"} for _, label in rows)
    assert float(rows[0][0]) > float(rows[1][0])
    assert rows[0][1] == "Yes" and rows[1][1] == "No"


def test_html_format_is_one_self_contained_page(tmp_path):
    page = factcheck("check", str(EXAMPLE), "--format", "html", tmp_path=tmp_path)
    assert page.returncode == 0, page.stderr
    assert page.stdout.startswith("<!DOCTYPE html>") and page.stdout.rstrip().endswith("</html>")
    assert "Content-Security-Policy" in page.stdout and "<script" not in page.stdout
    assert page.stdout.count("<mark ") >= 3 and 'id="claim-1"' in page.stdout


def test_bot_commands_list_the_settings_they_read(capsys):
    import pytest

    from adapters.cli import main
    from adapters.discord.settings import DiscordSettings
    from adapters.session.settings import SessionSettings
    from adapters.slack.settings import SlackSettings

    for command, platform in (("slack", SlackSettings), ("discord", DiscordSettings)):
        with pytest.raises(SystemExit) as stopped:
            main([command, "--help"])
        assert stopped.value.code == 0
        shown = capsys.readouterr().out
        for variables, _ in platform.variables() + SessionSettings.variables():
            assert variables in shown, (command, variables)
    assert "DISCORD_TOKEN or DISCORD_BOT_TOKEN" in shown and "SLACK_" not in shown  # the last one: discord
