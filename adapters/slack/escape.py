"""Output safety for Slack mrkdwn: untrusted text can ping nobody and link nowhere unexpected.

Slack's control sequences all start with ``<`` (``<!channel>``, ``<@U1>``, ``<url|label>``), so
escaping ``&``, ``<`` and ``>`` (exactly these three, exactly once, at the output boundary) disarms
them. Which URLs may be live and how a link is labelled is the one link policy of
``adapters.view.links``; this module only writes it in Slack's syntax.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import quote

from adapters.view.links import clean_prose, defang_url, link_label

__all__ = ["defang_url", "escape_mrkdwn", "link", "link_label", "safe_cut", "safe_text"]

MAX_LINK_CHARS = 2000  # a longer link markup would crowd a 3,000-character text object: shown as its label only


def escape_mrkdwn(text: str) -> str:
    """Slack's three control characters as entities; nothing else is touched."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_text(text: str | None, *, allowed_urls: Collection[str] = ()) -> str:
    """Untrusted text made safe for a mrkdwn field (also the top-level ``text`` fallback)."""
    return escape_mrkdwn(clean_prose(text, allowed=allowed_urls))


def link(url: str, *, label: str | None = None) -> str:
    """A mrkdwn link whose visible text comes from its own target, so it cannot lie about it.

    Only call this with URLs the link policy allows (the article, sources it or the evidence
    cites, Slack permalinks). ``label`` must be our own words, never page text. A URL so long
    that its markup would crowd a text object (a 560-character link with a Cyrillic slug is about
    2,900 characters once encoded) is shown as its label alone.
    """
    target = quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")  # percent-encode <, >, |, spaces, non-ASCII
    shown = escape_mrkdwn(label if label is not None else link_label(url)).replace("|", "¦")
    markup = f"<{escape_mrkdwn(target)}|{shown}>"
    return markup if len(markup) <= MAX_LINK_CHARS else shown


def safe_cut(text: str, cut: int) -> int:
    """Move a hard cut back so it falls outside an ``&entity;`` and outside a ``<link|label>``."""
    wanted = cut
    amp = text.rfind("&", max(0, cut - 8), cut)
    if amp != -1 and ";" not in text[amp:cut]:
        cut = amp
    lt = text.rfind("<", 0, cut)
    if lt != -1 and ">" not in text[lt:cut]:
        cut = lt
    return cut if cut > 0 else wanted  # only a link longer than the limit (never: see MAX_LINK_CHARS)
