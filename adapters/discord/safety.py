"""Make text inert before it reaches Discord: no mention, no masked link, no formatting we did not write.

``AllowedMentions.none()`` already stops pings; this is the second layer, so a copied message,
a quote in another bot, or a future code path that forgets the flag still shows ``@everyone`` as
text. Which URLs stay live is the one link policy (``adapters.view.links``): untrusted text has
its masked links undone and other URLs defanged there; here every bracket is escaped as well, so
no ``[label](url)`` can form again however the brackets nest.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import quote, urlsplit

from adapters.view.links import clean_prose

ZWSP = "\u200b"

# <@123>, <@!123>, <@&123>, <#123>: any id length, not just real snowflakes.
_ANGLE_MENTION = re.compile(r"<(?=[@#])")
_AT_MASS = re.compile(r"@(?=(?:everyone|here)\b)", re.IGNORECASE)
# URLs are left as they are (a backslash would break them); the policy already decided they may show.
_URL = re.compile(r"https?://[^\s<>\[\]|\"'`]+")
# Inline markers anywhere; block markers (heading, quote, list, subtext) only at a line start.
_INLINE = re.compile(r"([\\*_~|`\[\]<>])")
_LINE_START = re.compile(r"(?m)^(\s*)(#|-|>|\d+\.)")


def escape(text: str | None, *, previews: bool = True) -> str:
    """Text already through the link policy, as literal Discord markdown (mentions broken too).

    ``previews=False`` is for message content, where Discord unfurls a bare URL: each is wrapped
    in ``<>``, which shows it without a preview (embeds never unfurl).
    """
    if not text:
        return ""
    pieces: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        pieces.append(_escape_plain(text[last : match.start()]))
        pieces.append(match.group(0) if previews else f"<{match.group(0)}>")
        last = match.end()
    pieces.append(_escape_plain(text[last:]))
    return neutralise_mentions("".join(pieces))


def _escape_plain(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def neutralise(text: str | None, *, allowed_urls: Collection[str] = ()) -> str:
    """Untrusted text (a page title, model output) as inert Discord markdown."""
    return escape(clean_prose(text, allowed=allowed_urls))


def neutralise_mentions(text: str) -> str:
    """Break every mention form with a zero-width space, leaving the text readable."""
    text = _AT_MASS.sub("@" + ZWSP, text)
    return _ANGLE_MENTION.sub("<" + ZWSP, text)


def masked_link(url: str, label: str, *, preview: bool = True) -> str:
    """``[label](url)`` for a link the policy allows; the label comes from the link's own target.

    ``preview=False`` writes ``[label](<url>)``, which Discord shows without unfurling (message content).
    """
    target = quote(url, safe=":/?#@!$&'*+,;=%~-._")  # no ( ) < > [ ] or spaces: they would end the link early
    return f"[{escape(label)}]({target if preview else f'<{target}>'})"


def safe_cut(text: str, cut: int) -> int:
    """Move a hard cut back so it never separates a backslash from what it escapes, nor splits ``[label](url)``."""
    wanted = cut
    while cut > 1 and text[cut - 1] == "\\" and (len(text[:cut]) - len(text[:cut].rstrip("\\"))) % 2 == 1:
        cut -= 1
    open_at = text.rfind("[", 0, cut)
    if open_at != -1 and (open_at == 0 or text[open_at - 1] != "\\") and ")" not in text[open_at:cut]:
        cut = open_at
    return cut if cut > 0 else wanted


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
