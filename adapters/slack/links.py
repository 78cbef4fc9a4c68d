"""Article links in Slack message text (mrkdwn), handed to the core's link finder as plain text.

Slack sends every link as ``<url>`` or ``<url|label>`` with ``&``, ``<`` and ``>`` escaped as
entities, and mentions, channels and specials as ``<@U…>``, ``<#C…|name>``, ``<!here>``: those are
Slack's syntax, so they are read here and never in the core.
"""

from __future__ import annotations

import html
import re

from bot.links import find_links as find_plain_links

_TOKEN = re.compile(r"<([^<>]*)>")
_WEB = re.compile(r"^https?://", re.IGNORECASE)


def find_links(text: str, *, limit: int) -> list[str]:
    """Normalized, de-duplicated article URLs in a Slack message, in order, at most ``limit``."""
    return find_plain_links(_TOKEN.sub(_plain, text or ""), limit=limit)


def _plain(match: re.Match[str]) -> str:
    target = html.unescape(match.group(1).split("|", 1)[0])
    # The label is only display text (it may even be another URL): the target is the link.
    return f" <{target}> " if _WEB.match(target) and not re.search(r"[\s<>]", target) else " "
