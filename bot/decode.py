"""Bytes from a hostile page, a file or stdin -> str, by the WHATWG Encoding Standard's labels only.

Python's codec registry answers to far more names than a browser does, and some of its codecs
are not for text: a page declaring ``charset=punycode`` made decoding quadratic (388 s for 5 MB).
So a label counts only when the Encoding Standard names it (``webencodings`` holds its table and
maps each label to a linear-time codec); any other label is ignored, and a page nobody labelled
usably is read as UTF-8, with a detected encoding or, failing both, UTF-8 with replacement.
"""

from __future__ import annotations

import codecs
import re

import webencodings
from charset_normalizer import from_bytes, is_binary

from bot.outcome import CheckError, Outcome

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
PRESCAN_BYTES = 4096  # where a page's <meta charset> is looked for
DETECT_BYTES = 64 * 1024  # detection reads a sample: its cost must not grow with the page
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16le"),
    (codecs.BOM_UTF16_BE, "utf-16be"),
)


def whatwg_encoding(label: str | None) -> webencodings.Encoding | None:
    """The Encoding Standard's encoding for ``label``, or None when the Standard does not name it.

    The labels the Standard maps to "replacement" (iso-2022-kr, hz-gb-2312...) are None too: a
    browser shows such a page as one replacement character; we read it as any unlabelled page.
    """
    if not label:
        return None
    encoding = webencodings.lookup(label)
    return None if encoding is None or encoding.name == "replacement" else encoding


def _as(encoding: webencodings.Encoding, body: bytes, errors: str = "strict") -> str:
    # Through the codec itself: x-user-defined is webencodings' own, unknown to Python's registry.
    return str(encoding.codec_info.decode(body, errors)[0])


def _bom(body: bytes) -> webencodings.Encoding | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return webencodings.lookup(name)
    return None


def _meta(body: bytes) -> webencodings.Encoding | None:
    found = _META_CHARSET.search(body[:PRESCAN_BYTES])
    encoding = whatwg_encoding(found.group(1).decode("ascii", "ignore")) if found else None
    if encoding is not None and encoding.name in {"utf-16le", "utf-16be"}:
        return webencodings.UTF8  # a meta tag readable as ASCII is not UTF-16 (the Standard's rule)
    if encoding is not None and encoding.name == "x-user-defined":
        return webencodings.lookup("windows-1252")
    return encoding


def _detected(body: bytes) -> webencodings.Encoding | None:
    """charset_normalizer's guess from a sample, kept only when the Standard names it."""
    best = from_bytes(body[:DETECT_BYTES]).best()
    return whatwg_encoding(best.encoding) if best is not None else None


def _decode(body: bytes, candidates: list[webencodings.Encoding]) -> str:
    seen: set[str] = set()
    for encoding in candidates:
        if encoding.name in seen:
            continue
        seen.add(encoding.name)
        try:
            return _as(encoding, body)
        except UnicodeDecodeError:
            continue
    fallback = _detected(body) or (candidates[0] if candidates else webencodings.UTF8)
    return _as(fallback, body, "replace")


def decode_html(body: bytes, charset: str | None = None) -> str:
    """A page's bytes -> str: BOM, the header's charset, the page's meta charset, UTF-8, detection.

    Each declared encoding is tried strictly in that order, so a page whose header says UTF-8 but
    whose bytes are Shift_JIS is read by its meta tag; when none fits, detection on a sample, then
    the first declared encoding (UTF-8 when none) with replacement characters.
    """
    declared = [_bom(body), whatwg_encoding(charset), _meta(body), webencodings.UTF8]
    return _decode(body, [encoding for encoding in declared if encoding is not None])


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Plain text (stdin, a .txt file, a text/plain page) -> str; binary data is refused.

    Raises CheckError(NOT_TEXT) for bytes that are not text in any encoding (an image, an
    executable, random bytes), whatever the file is called.
    """
    sample = data[:DETECT_BYTES]
    if _bom(data) is None and (b"\x00" in sample or is_binary(sample)):
        raise CheckError(Outcome.NOT_TEXT)
    declared = [_bom(data), whatwg_encoding(charset), webencodings.UTF8]
    return _decode(data, [encoding for encoding in declared if encoding is not None])
