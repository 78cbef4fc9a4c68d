"""The command line against careless and hostile input: one clear line and the right exit code.

Each case of issue 12 with its real payload, through the real ``factcheck`` process.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from tests.support.paths import REPO

LATIN1 = (
    "Le conseil municipal a approuvé mardi un budget de 12 millions d'euros pour le port, a déclaré le maire. "
    "Selon la Cour des comptes, les dépenses ont augmenté de 4 % en un an."
).encode("latin-1")


def factcheck(*args: str, stdin: bytes | None = None, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FACTCHECK_", "AZURE_"))}
    env.update(FACTCHECK_CACHE_PATH=str(tmp_path / "cache.sqlite3"), FACTCHECK_ALLOW_PRIVATE_URLS="1")
    env.pop("LANG", None)  # as in a bare container: stdin's own encoding must not matter
    env["LC_ALL"] = "C"
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )


def one_line(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode()
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.startswith("factcheck: ")]
    assert len(lines) == 1, err
    return lines[0]


def test_latin1_text_on_stdin_is_read(tmp_path: Path) -> None:
    result = factcheck("check", "-", "--format", "json", "--offline", stdin=LATIN1, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert "a approuvé mardi un budget" in json.loads(result.stdout)["article"]["text"]


def test_random_bytes_on_stdin_cannot_be_read(tmp_path: Path) -> None:
    result = factcheck("check", "-", stdin=random.Random(3).randbytes(50_000), tmp_path=tmp_path)
    assert result.returncode == 3 and result.stdout == b""
    assert "isn't readable text" in one_line(result)


def test_a_binary_file_named_txt_is_not_text(tmp_path: Path) -> None:
    fake = tmp_path / "notes.txt"
    fake.write_bytes((REPO / "bench" / "latency.png").read_bytes())
    result = factcheck("check", str(fake), tmp_path=tmp_path)
    assert result.returncode == 3 and result.stdout == b""
    assert "isn't readable text" in one_line(result)


def test_pasted_text_as_an_argument_is_not_a_target(tmp_path: Path) -> None:
    paragraph = "The bridge will cost $4 billion, nearly three times the estimate. " * 6  # > 255 characters
    result = factcheck("check", paragraph, tmp_path=tmp_path)
    assert result.returncode == 2 and result.stdout == b""
    line = one_line(result)
    assert "not a file name" in line and "- to read text from stdin" in line and len(line) < 220


def test_a_url_with_a_space_is_not_checked_as_text(tmp_path: Path) -> None:
    result = factcheck("check", "https://exa mple.com/x", tmp_path=tmp_path)
    assert result.returncode == 2 and result.stdout == b""
    assert "not a usable URL" in one_line(result)
    assert not (tmp_path / "cache.sqlite3").exists()  # nothing was checked, so nothing cached


def test_missing_file_and_directory_are_not_targets(tmp_path: Path) -> None:
    for target, reason in ((str(tmp_path / "nope.html"), "no such file"), (str(tmp_path), "not a file")):
        result = factcheck("check", target, tmp_path=tmp_path)
        assert result.returncode == 2, target
        assert reason in one_line(result)


def test_two_megabytes_of_text_are_cut_with_a_note(tmp_path: Path) -> None:
    sentence = "The council approved a budget of {n} million dollars for the harbor on Tuesday.\n"
    text = "".join(sentence.format(n=n) for n in range(26_000)).encode()
    assert len(text) > 2_000_000
    result = factcheck("check", "-", "--format", "json", stdin=text, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    assert len(report["article"]["text"]) <= 100_000
    assert any("only its first" in warning for warning in report["warnings"])


def test_more_than_a_page_may_hold_is_too_large(tmp_path: Path) -> None:
    result = factcheck("check", "-", stdin=b"word " * 1_100_000, tmp_path=tmp_path)  # 5.5 MB > 5 MiB
    assert result.returncode == 3
    assert "too large" in one_line(result)
