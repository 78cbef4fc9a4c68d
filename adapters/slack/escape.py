"""Output safety for Slack: untrusted text (article, LLM) can ping nobody and link nowhere unexpected.

Slack's control sequences all start with ``<`` (``<!channel>``, ``<@U1>``, ``<url|label>``), so
escaping ``&``, ``<`` and ``>`` (exactly these three, exactly once, at the output boundary) disarms
them. On top of that, URLs inside untrusted prose are defanged unless they are the article or a link
the article itself cites: a page or a model could otherwise plant a data-carrying URL that Slack
turns into a link (link-preview exfiltration). Markdown images and reference definitions, which only
exist to make a client fetch something, are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import quote, urlsplit

from bot.links import normalize_url

_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)")
_MD_REFERENCE_DEF = re.compile(r"(?m)^[ \t]{0,3}\[[^\]\n]{1,200}\]:[ \t]*\S+[^\n]*$")
_MD_MASKED_LINK = re.compile(r"\[([^\]\n]{0,500})\]\(\s*([^)\s]{1,2000})[^)\n]{0,200}\)")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>|\"'`]+")
_TRAILING_PUNCT = ".,;:!?)]}'\"»”’*_~"


def escape_mrkdwn(text: str) -> str:
    """Slack's three control characters as entities; nothing else is touched."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def defang_url(url: str) -> str:
    """A URL a reader can still read but no client turns into a link (hxxps://evil[.]test/...)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    host, slash, path = rest.partition("/")
    host = host.replace(".", "[.]")
    if scheme:
        scheme = re.sub(r"(?i)^http", "hxxp", scheme)
        return f"{scheme}://{host}{slash}{path}"
    return f"{host}{slash}{path}"


def safe_text(text: str | None, *, allowed_urls: Collection[str] = ()) -> str:
    """Untrusted text made safe for a mrkdwn field (also the top-level ``text`` fallback).

    ``allowed_urls`` are normalized URLs (the article and the links it cites) that may stay
    readable as themselves; any other URL is defanged.
    """
    if not text:
        return ""
    text = _MD_IMAGE.sub("", text)
    text = _MD_REFERENCE_DEF.sub("", text)
    text = _MD_MASKED_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    text = _URL.sub(lambda m: _keep_or_defang(m.group(0), allowed_urls), text)
    return escape_mrkdwn(text)


def _keep_or_defang(raw: str, allowed_urls: Collection[str]) -> str:
    url = raw.rstrip(_TRAILING_PUNCT)
    tail = raw[len(url) :]
    candidate = url if "://" in url else f"https://{url}"
    if allowed_urls and normalize_url(candidate) in allowed_urls:
        return raw
    return defang_url(url) + tail


def link(url: str, *, label: str | None = None) -> str:
    """A mrkdwn link whose visible text comes from its own target, so it cannot lie about it.

    Only call this with trusted URLs (the article, links it cites, Slack permalinks).
    ``label`` must be trusted words too (our own, never page text).
    """
    target = quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")  # percent-encode <, >, |, spaces
    shown = label if label is not None else link_label(url)
    return f"<{escape_mrkdwn(target)}|{escape_mrkdwn(shown).replace('|', '¦')}>"


def link_label(url: str, *, max_chars: int = 60) -> str:
    """Host and path of a URL, shortened: what the reader should see for a link."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url[:max_chars]
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/")
    shown = f"{host}{path}" if host else url
    if len(shown) > max_chars:
        shown = shown[: max_chars - 1] + "…"
    return shown
