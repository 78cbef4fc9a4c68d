"""Clean untrusted model output before it reaches any adapter.

Adapters escape for their platform; here we only remove what no platform should
ever render (zero-width, bidi and tag characters, control characters) and cap
lengths so one verbose or hostile answer cannot flood a thread.
"""

from __future__ import annotations

import re
import unicodedata

# Model text never carries links: the only URLs in a report are the article's own (link-preview
# exfiltration: an injected page can make the model emit a URL that leaks data when unfurled).
_MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]{0,300})\]\([^)\s]{0,2000}\)")
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.\-]{1,20}://|\bwww\.)[^\s<>\"')\]]*[^\s<>\"')\].,;:!?]", re.IGNORECASE)
LINK_REMOVED = "[link removed]"
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _keep(char: str) -> bool:
    if char == "\n":
        return True
    # Cc: control characters; Cf: format characters (zero-width, bidi overrides,
    # Unicode tags used for "ASCII smuggling", soft hyphen); Co/Cn: private/unassigned.
    return unicodedata.category(char) not in {"Cc", "Cf", "Co", "Cn", "Cs"}


def clean_text(value: str, *, limit: int) -> str:
    """``value`` without invisible controls or links, with spaces collapsed, cut to ``limit`` characters."""
    text = "".join(ch if _keep(ch) else (" " if ch == "\t" else "") for ch in unicodedata.normalize("NFC", value))
    text = _MARKDOWN_LINK.sub(lambda m: m.group(1), text)
    text = _URL.sub(LINK_REMOVED, text)
    text = _SPACES.sub(" ", text)
    text = _BLANK_LINES.sub("\n\n", text)
    text = "\n".join(line.strip() for line in text.split("\n")).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def clean_lines(values: list[str], *, limit: int, max_items: int) -> list[str]:
    """Cleaned, non-empty, de-duplicated items, at most ``max_items``."""
    out: list[str] = []
    for value in values:
        text = clean_text(value, limit=limit)
        if text and text not in out:
            out.append(text)
        if len(out) >= max_items:
            break
    return out


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$")


def safe_language(value: str | None) -> str | None:
    """A BCP-47-looking tag or a plain language name; anything else (page metadata is untrusted) is dropped."""
    if not value:
        return None
    value = value.strip()
    if _LANGUAGE_TAG.match(value):
        return value
    if re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)?", value) and len(value) <= 30:
        return value
    return None


# The report labels model knowledge itself ("model knowledge, to verify"): a model that labels its own text
# would get the label twice.
_SELF_LABEL = re.compile(
    r"\s*[(\[]\s*(?:model knowledge|from my knowledge|unverified|not verified|to (?:be )?verif(?:y|ied)|"
    r"needs? verification|verify)(?:\s*[,;/]\s*(?:to (?:be )?verif(?:y|ied)|unverified|needs? verification))?"
    r"\s*[)\]]\s*"
    r"|\s*[\u2014\u2013-]\s*(?:to verify|unverified)\s*\.?\s*$",
    re.IGNORECASE,
)


def strip_self_labels(text: str) -> str:
    """``text`` without the model's own "(to verify)" / "(model knowledge)" tags."""
    stripped, count = _SELF_LABEL.subn(" ", text)
    if not count:
        return text
    return _SPACE_BEFORE_STOP.sub(r"\1", _SPACES.sub(" ", stripped)).strip()


_SPACE_BEFORE_STOP = re.compile(r" ([.,;:!?])")


_LIST_MARK = re.compile(r"^\s*(?:[-*\u2022\u2013]|\d{1,2}[.)])\s+")


def strip_list_mark(text: str) -> str:
    """A line without the bullet or number a model put before it (the report lays out its own lists)."""
    return _LIST_MARK.sub("", text, count=1)
