"""Settings read from the environment: the concurrency limits shared by the Slack and Discord adapters."""

from __future__ import annotations

import pytest

from bot.config import Settings


def test_concurrency_limits_default_to_a_whole_burst_at_once() -> None:
    settings = Settings.from_env({})
    assert settings.max_concurrent >= 32  # a breaking story is ~50 links pasted together
    assert settings.max_queued >= settings.max_concurrent


def test_concurrency_limits_are_read_from_the_environment() -> None:
    settings = Settings.from_env({"FACTCHECK_MAX_CONCURRENT": "12", "FACTCHECK_MAX_QUEUED": "3"})
    assert (settings.max_concurrent, settings.max_queued) == (12, 3)


def test_concurrency_limits_are_clamped_to_something_that_can_run() -> None:
    settings = Settings.from_env({"FACTCHECK_MAX_CONCURRENT": "0", "FACTCHECK_MAX_QUEUED": "-5"})
    assert (settings.max_concurrent, settings.max_queued) == (1, 0)


def test_a_non_number_names_the_variable() -> None:
    with pytest.raises(ValueError, match="FACTCHECK_MAX_CONCURRENT"):
        Settings.from_env({"FACTCHECK_MAX_CONCURRENT": "many"})
