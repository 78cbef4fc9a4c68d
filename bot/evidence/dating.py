"""When an item was published, relative to the article: before, the same day, or after."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

Timing = Literal["before", "same_day", "after"]
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def iso_day(value: str | None) -> date | None:
    """The calendar day at the start of an ISO date or datetime ("2026-03-03T10:12:00" -> 2026-03-03)."""
    match = _ISO_DAY.match(value or "")
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def timing(published: str | None, *, article_published: str | None) -> Timing | None:
    item, article = iso_day(published), iso_day(article_published)
    if item is None or article is None:
        return None
    if item < article:
        return "before"
    return "same_day" if item == article else "after"
