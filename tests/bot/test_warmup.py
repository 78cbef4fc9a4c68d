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
