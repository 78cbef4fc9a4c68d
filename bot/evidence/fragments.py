"""Text-fragment links (``#:~:text=``) that scroll a browser to a quote and highlight it.

Syntax (WICG scroll-to-text-fragment): ``#:~:text=[prefix-,]textStart[,textEnd][,-suffix]``.
Each term is percent-encoded, and ``-``, ``,`` and ``&`` must be encoded too, as they are the
syntax's own delimiters (``urllib.parse.quote`` never encodes ``-``). A long quote is linked as a
range (its first and last words) so a footnote marker or a line break inside it on the rendered
page does not break the match; a prefix is added when the start words occur earlier in the text.
Browsers without support simply open the page.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

EDGE_WORDS = 5  # words in textStart / textEnd of a range
RANGE_FROM_WORDS = 12  # quotes with more words than this are linked as a range
PREFIX_WORDS = 3


def encode_term(term: str) -> str:
    return quote(term, safe="").replace("-", "%2D")


def fragment_url(url: str, *, text: str, start: int, end: int) -> str:
    """``url`` with a text directive for ``text[start:end]`` (any fragment it had is replaced)."""
    words = text[start:end].split()
    if not words:
        return url
    if len(words) > RANGE_FROM_WORDS:
        directive = f"{encode_term(' '.join(words[:EDGE_WORDS]))},{encode_term(' '.join(words[-EDGE_WORDS:]))}"
        first = " ".join(words[:EDGE_WORDS])
    else:
        directive = encode_term(" ".join(words))
        first = " ".join(words)
    before = text[:start]
    if first.lower() in " ".join(before.split()).lower():
        prefix = " ".join(before.split()[-PREFIX_WORDS:])
        if prefix:
            directive = f"{encode_term(prefix)}-,{directive}"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, f":~:text={directive}"))
