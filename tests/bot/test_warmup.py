"""The worker processes start warm: the forkserver they are forked from loaded every offline model once."""

from __future__ import annotations

from bot.encoder import encoder_available
from bot.isolation import WorkerPool


def loaded_in_this_process() -> tuple[int, int, int]:
    """Runs in a worker, before it has done any check: which cached models are already there."""
    from bot.checkworthiness import default_model
    from bot.checkworthiness_encoder import default_blended_model
    from bot.encoder import default_encoder

    return (
        default_model.cache_info().currsize,
        default_encoder.cache_info().currsize,
        default_blended_model.cache_info().currsize,
    )


async def test_a_fresh_worker_has_the_encoder_and_both_models_loaded() -> None:
    assert encoder_available(), "make test builds the encoder first (make encoder)"
    pool = WorkerPool(workers=1)
    pool.start()
    try:
        assert await pool.run(loaded_in_this_process) == (1, 1, 1)
    finally:
        pool.close()


def test_with_a_model_configured_the_workers_leave_the_encoder_unloaded() -> None:
    """The model picks the claims then: the encoder would be memory held in every worker for nothing.

    A process of its own: the forkserver reads the environment it starts with, once."""
    import os
    import subprocess
    import sys

    from tests.support.paths import REPO

    code = (
        "import asyncio\n"
        "from bot.isolation import WorkerPool\n"
        "from tests.bot.test_warmup import loaded_in_this_process\n"
        "async def main():\n"
        "    pool = WorkerPool(workers=1)\n"
        "    pool.start()\n"
        "    try:\n"
        "        print(await pool.run(loaded_in_this_process))\n"
        "    finally:\n"
        "        pool.close()\n"
        "asyncio.run(main())\n"
    )
    env = {**os.environ, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "(1, 0, 0)", done.stdout + done.stderr
