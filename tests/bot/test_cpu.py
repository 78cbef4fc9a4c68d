"""A process that scores sentences keeps numpy's BLAS to one thread (bot/cpu.py)."""

from __future__ import annotations

from pathlib import Path

import numpy
from threadpoolctl import threadpool_info

import bot.checkworthiness  # noqa: F401 - importing the scoring model is what sets the limit

NUMPY_DIR = Path(numpy.__file__).resolve().parent.parent  # numpy's own BLAS sits beside it (numpy.libs/)


def test_numpys_blas_runs_one_thread_once_the_model_is_imported() -> None:
    # Only numpy's: the bot loads no other BLAS (scikit-learn and scipy, which tests and training import, bring
    # their own, loaded later and not the bot's concern).
    blas = [p for p in threadpool_info() if p["user_api"] == "blas" and "numpy" in Path(p["filepath"]).parent.name]
    assert blas and all(Path(p["filepath"]).is_relative_to(NUMPY_DIR) for p in blas)
    assert all(pool["num_threads"] == 1 for pool in blas)
