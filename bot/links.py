"""Article links in plain text (``<url>`` autolinks and bare URLs), normalized.

Platform syntax (Slack's ``<url|label>`` and entities) is read by the adapters, which hand plain text here.

Normalizing (lower-case host, no fragment, no tracking parameters) makes the same
story pasted from two share buttons one cache entry and one report.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url as _courlan_normalize

# <url>: an autolink (Markdown, e-mail; Discord users write it to suppress the preview).
_ANGLE_LINK = re.compile(r"<(https?://[^\s<>]+)>", re.IGNORECASE)
# Bare URLs stop at whitespace and at characters that end a link in prose.
_BARE_LINK = re.compile(r"https?://[^\s<>\"'`|\]\[(){}]+", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?»”’'\")]}>*_~"


def normalize_url(url: str) -> str | None:
    """Canonical form of an http(s) URL, or None when it is not one."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    try:
        cleaned = _courlan_normalize(url)
    except (ValueError, AttributeError, UnicodeError):
        cleaned = url
    parts = urlsplit(cleaned)
    netloc = parts.netloc
    host = parts.hostname or ""
    if host:
        # Only the host part is case-insensitive; userinfo (rejected later by the fetcher) keeps its case.
        netloc = netloc.replace(host, host.lower(), 1) if host in netloc else netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def find_links(text: str, *, limit: int = 3) -> list[str]:
    """Normalized, de-duplicated article URLs in a chat message, in order, at most ``limit``."""
    if not text:
        return []
    found: list[tuple[int, str]] = []
    consumed = [False] * len(text)
    for match in _ANGLE_LINK.finditer(text):
        found.append((match.start(), match.group(1)))
        for i in range(match.start(), match.end()):
            consumed[i] = True
    for match in _BARE_LINK.finditer(text):
        if consumed[match.start()]:
            continue
        url = match.group(0).rstrip(_TRAILING_PUNCT)
        found.append((match.start(), url))
    found.sort(key=lambda item: item[0])

    links: list[str] = []
    for _, raw in found:
        normalized = normalize_url(raw)
        if normalized and normalized not in links:
            links.append(normalized)
        if len(links) >= limit:
            break
    return links
