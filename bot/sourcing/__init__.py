"""Offline sourcing audit: who stands behind a claim sentence and how a reader could check it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.sourcing.audit import audit_sourcing

# Bumped when the audit's rules change what a report says, so cached reports made by older rules are not reused.
RULES_VERSION = "4"

__all__ = ["RULES_VERSION", "audit_sourcing"]


def __getattr__(name: str) -> Any:
    # The audit (the sentence splitter, numpy) loads when it is first used, not when a process only needs
    # RULES_VERSION for a cache key: a bot or CLI process whose pages are analysed in the page workers.
    if name == "audit_sourcing":
        from bot.sourcing.audit import audit_sourcing

        return audit_sourcing
    raise AttributeError(name)
