"""The session's settings: the cooldown on by default, the daily budget off unless set."""

from __future__ import annotations

import pytest

from adapters.session.settings import SessionSettings


def test_defaults_and_environment() -> None:
    assert SessionSettings.from_env({}) == SessionSettings(cooldown_s=30.0, daily_budget_usd=None)
    read = SessionSettings.from_env({"FACTCHECK_COOLDOWN_S": "0", "FACTCHECK_DAILY_BUDGET_USD": "2.50"})
    assert (read.cooldown_s, read.daily_budget_usd) == (0.0, 2.5)


@pytest.mark.parametrize("variable", ["FACTCHECK_COOLDOWN_S", "FACTCHECK_DAILY_BUDGET_USD"])
def test_a_bad_value_names_the_variable(variable: str) -> None:
    with pytest.raises(ValueError, match=variable):
        SessionSettings.from_env({variable: "-1"})
