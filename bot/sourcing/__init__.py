"""Offline sourcing audit: who stands behind a claim sentence and how a reader could check it."""

from bot.sourcing.audit import audit_sourcing

__all__ = ["audit_sourcing"]
