"""What every front end's check session reads from the environment."""

from __future__ import annotations

from pydantic import Field

from adapters.settings import AdapterSettings


class SessionSettings(AdapterSettings):
    cooldown_s: float = Field(
        30.0, ge=0, alias="FACTCHECK_COOLDOWN_S", description="seconds between two checks started by one user (0: off)"
    )
    daily_budget_usd: float | None = Field(
        None,
        gt=0,
        alias="FACTCHECK_DAILY_BUDGET_USD",
        description="LLM spend per UTC day after which checks are refused (off unless set; needs the prices)",
    )
