"""Is a page independent of the article? Not when it is the article's own site, or a near-copy of it.

A wire reprint or a syndicated copy says nothing the article does not: it is not a second source.
Sites are compared by registrable domain (courlan, on the public suffix list), so
``news.bbc.co.uk`` and ``www.bbc.co.uk`` are one site; an address without a domain (an IP
literal) is its own site per host and port. Copies are found with rapidfuzz's normalised Indel
similarity on the start of both texts (unrelated news pages score below 45; a reprint with
a fifth of its paragraphs changed still scores above 70).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from courlan import extract_domain
from rapidfuzz import fuzz

COPY_SIMILARITY = 60.0  # percent; between unrelated pages (<= 45) and reprints (>= 70)
QUOTED_SIMILARITY = 90.0  # a passage this close to some stretch of the article is the article's own words
COMPARED_CHARS = 8_000  # the start of each text: enough to tell a copy, and bounded CPU


def site_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    domain = extract_domain(url)
    if domain:
        return domain.lower()
    return f"{host}:{port}" if port else host


def same_site(url: str | None, other: str | None) -> bool:
    site = site_of(url)
    return site is not None and site == site_of(other)


def _normalized(text: str) -> str:
    return " ".join(text.lower().split())[:COMPARED_CHARS]


def is_near_copy(page_text: str, article_text: str) -> bool:
    return fuzz.ratio(_normalized(page_text), _normalized(article_text)) >= COPY_SIMILARITY


def quotes_the_article(passage: str, article_text: str) -> bool:
    """The passage is (nearly) words the article itself contains: the page quotes or reprints the article."""
    needle = " ".join(passage.lower().split())
    if len(needle) < 40:
        return False
    return fuzz.partial_ratio(needle, " ".join(article_text.lower().split())) >= QUOTED_SIMILARITY
