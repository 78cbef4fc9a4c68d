"""Offline sourcing audit: who stands behind a claim sentence and how a reader could check it."""

from bot.sourcing.audit import audit_sourcing

# Bumped when the audit's rules change what a report says, so cached reports made by older rules are not reused.
RULES_VERSION = "4"

__all__ = ["RULES_VERSION", "audit_sourcing"]
