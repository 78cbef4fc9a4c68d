"""Make untrusted text (article, LLM output) inert before it reaches Discord.

``AllowedMentions.none()`` already stops pings; this is the second layer, so a
copied message, a quote in another bot, or a future code path that forgets the
flag still shows ``@everyone`` as text. Masked links ``[trusted](https://evil)``
are reduced to their label: the only URLs we show are sources shown as themselves.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import discord

ZWSP = "\u200b"

# [label](target) and ![alt](image): the label stays, the hidden target goes.
_MASKED_LINK = re.compile(r"!?\[([^\[\]]*)\]\(\s*<?[^)\s]*>?(?:\s+\"[^\"]*\")?\s*\)")
# Reference-style definitions "[r]: https://..." are exfiltration vectors too.
_LINK_DEFINITION = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
# <@123>, <@!123>, <@&123>, <#123>: any id length, not just real snowflakes.
_ANGLE_MENTION = re.compile(r"<(?=[@#])")
_AT_MASS = re.compile(r"@(?=(?:everyone|here)\b)", re.IGNORECASE)
# Zero-width and bidi controls can hide or reorder text (not our own ZWSP insertions: run first).
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def neutralise(text: str | None) -> str:
    """Untrusted text as inert Discord markdown: no mentions, no masked links, no formatting."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", text)
    text = _LINK_DEFINITION.sub("", text)
    text = _MASKED_LINK.sub(lambda m: m.group(1), text)
    text = discord.utils.escape_markdown(text)
    return neutralise_mentions(text)


def neutralise_mentions(text: str) -> str:
    """Break every mention form with a zero-width space, leaving the text readable."""
    text = _AT_MASS.sub("@" + ZWSP, text)
    text = _ANGLE_MENTION.sub("<" + ZWSP, text)
    return discord.utils.escape_mentions(text)


def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit to show as itself, or None."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    if any(ch.isspace() or ch in "<>()[]`" for ch in url):
        return None
    return neutralise_mentions(url)
