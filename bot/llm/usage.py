"""Counts every LLM request and its tokens for one report, and prices them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.models import Usage


@dataclass
class UsageMeter:
    """Mutable on purpose: the engine's concurrent steps add to one meter per report."""

    calls: int = 0  # HTTP requests sent, retries and repairs included
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    dropped_quotes: int = 0

    def add_request(self) -> None:
        self.calls += 1

    def add_tokens(self, usage: object | None) -> None:
        if usage is None:
            return
        prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
        completion = int(getattr(usage, "completion_tokens", 0) or 0)
        total = int(getattr(usage, "total_tokens", 0) or 0) or prompt + completion
        self.prompt_tokens += prompt
        self.completion_tokens += completion
        self.total_tokens += total

    def to_usage(self, settings: Settings) -> Usage:
        return Usage(
            llm_calls=self.calls,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            total_tokens=self.total_tokens,
            cost_usd=cost_usd(
                prompt_tokens=self.prompt_tokens,
                completion_tokens=self.completion_tokens,
                settings=settings,
            ),
            dropped_quotes=self.dropped_quotes,
        )


def cost_usd(*, prompt_tokens: int, completion_tokens: int, settings: Settings) -> float | None:
    """Cost from per-million-token prices; None unless at least one price is configured."""
    if settings.price_input_per_m is None and settings.price_output_per_m is None:
        return None
    cost = prompt_tokens * (settings.price_input_per_m or 0.0) + completion_tokens * (
        settings.price_output_per_m or 0.0
    )
    return round(cost / 1_000_000, 6)
