"""Article links in plain text (``<url>`` autolinks and bare URLs), normalized.

Platform syntax (Slack's ``<url|label>`` and entities) is read by the adapters, which hand plain text here.

Normalizing (lower-case host, no fragment, no tracking parameters) makes the same
story pasted from two share buttons one cache entry and one report. Only parameters
known to track clicks are dropped: any other one may name the article
(``article.php?eid=48213``), so it is kept as written, in its place.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from courlan import normalize_url as _courlan_normalize

# <url>: an autolink (Markdown, e-mail; Discord users write it to suppress the preview).
_ANGLE_LINK = re.compile(r"<(https?://[^\s<>]+)>", re.IGNORECASE)
# Bare URLs stop at whitespace and at characters that end a link in prose.
_BARE_LINK = re.compile(r"https?://[^\s<>\"'`|\]\[(){}]+", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?»”’'\")]}>*_~"
# Click trackers by name (after Firefox's and Brave's query-stripping lists), and utm_*: each says
# where a click came from, never which article. Broader lists strip ref=, source=, id= or uid=,
# which some sites use to address the article itself.
_TRACKING_PREFIXES = ("utm_",)
_TRACKING = frozenset(
    name.lower()
    for name in (
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ysclid", "twclid",
        "ttclid", "igshid", "igsh", "li_fat_id", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi",
        "__hssc", "__hstc", "__hsfp", "hsCtaTracking", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id",
        "vero_conv", "wickedid", "rb_clickid", "s_cid", "_openstat", "xtor", "guccounter", "guce_referrer",
        "guce_referrer_sig", "__twitter_impression", "smid",
    )
)  # fmt: skip


_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://\S+$")


def looks_like_url(target: str) -> bool:
    """A scheme, "://" and no space: a target to fetch (or refuse as a URL), not text to check."""
    return bool(_URL_LIKE.match(target.strip()))


def normalize_url(url: str) -> str | None:
    """Canonical form of an http(s) URL, or None when it is not one."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    # courlan normalizes scheme, host, port and path; the query is ours (its tracker list is too wide).
    without_query = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    try:
        cleaned = _courlan_normalize(without_query)
    except (ValueError, AttributeError, UnicodeError):
        cleaned = without_query
    clean = urlsplit(cleaned)
    netloc = clean.netloc
    host = clean.hostname or ""
    if host:
        # Only the host part is case-insensitive; userinfo (rejected later by the fetcher) keeps its case.
        netloc = netloc.replace(host, host.lower(), 1) if host in netloc else netloc.lower()
    return urlunsplit((clean.scheme.lower(), netloc, clean.path or "/", strip_tracking(parts.query), ""))


def strip_tracking(query: str) -> str:
    """``query`` without its click-tracking parameters; every other one kept byte for byte, in order.

    An ampersand copied HTML-escaped (``&amp;``, from a page's source or an e-mail) separates
    parameters like a plain one.
    """
    pairs = (pair.removeprefix("amp;") for pair in query.split("&"))
    kept = [pair for pair in pairs if pair and not _is_tracking(unquote_plus(pair.partition("=")[0]).strip().lower())]
    return "&".join(kept)


def _is_tracking(name: str) -> bool:
    return name in _TRACKING or name.startswith(_TRACKING_PREFIXES)


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
