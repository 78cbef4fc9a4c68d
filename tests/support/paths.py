"""Where the tests find the repository, their fixtures and the shared evaluation data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("FACTCHECK_SHARED_DIR", REPO.parent / "shared"))
FIXTURES = REPO / "tests" / "fixtures"


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or skip the test cleanly when it is absent (a user's machine)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (shared eval data is only on the project machines)")
    return path
