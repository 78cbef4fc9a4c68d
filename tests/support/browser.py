"""Headless Chromium (Debian's ``chromium`` package) for the report page's tests and ``make bench``.

``make browser`` (run by .ci/run) installs it. On a developer machine without it the page's browser
tests skip; in CI (``CI`` set) its absence fails them, so they always run there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# Chromium as root in a container: no sandbox, no GPU, and nothing of its own on the network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
)
TIMEOUT_S = 60


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    import pytest

    found = find_chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must run `make browser` before the tests")
        pytest.skip("chromium is not installed (make browser installs it)")
    return found


def _run(chromium: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="factcheck-chromium-") as profile:  # a fresh profile every run
        return subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )


def dump_dom(chromium: str, page: Path) -> str:
    """The page's DOM after Chromium loaded it, serialised."""
    result = _run(chromium, "--dump-dom", page.resolve().as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def screenshot(chromium: str, page: Path, out: Path, *, width: int = 1400, height: int = 1800) -> Path:
    result = _run(chromium, f"--window-size={width},{height}", f"--screenshot={out.resolve()}", page.resolve().as_uri())
    assert result.returncode == 0 and out.is_file(), result.stderr[-2000:]
    return out
