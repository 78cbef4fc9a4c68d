"""Small text helpers shared by the providers: third-party strings made plain and short."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

_TAG = re.compile(r"<[^>]{0,200}>")
_SPACE = re.compile(r"\s+")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def plain(value: str | None, *, limit: int = 300) -> str | None:
    """Markup stripped (search engines bold the matches), entities decoded, one line, capped."""
    if not value:
        return None
    text = _SPACE.sub(" ", html.unescape(_TAG.sub("", value))).strip()
    return text[:limit] or None


def host_of(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def language_code(language: str | None) -> str | None:
    """The primary ISO 639 subtag of a BCP-47 tag ("pt-BR" -> "pt"), or None when it is not one."""
    if not language:
        return None
    primary = language.strip().lower().replace("_", "-").split("-")[0]
    return primary if _LANGUAGE.match(primary) else None
