"""Is an extracted page an article at all? Index pages, paywall teasers, file listings and recipes are not.

Each rule needs two signs, so a real story with a "Subscribe" footer or a list of related links still passes:
a paywall marker *and* little prose before it; many short lines *and* almost no sentences; a listing's rows *and*
nothing else; a recipe's schema *or* its two sections *and* no reported speech. What is refused gets one line that
says what the page looks like (``bot.extract`` raises it as ``NO_ARTICLE_TEXT`` or ``PAYWALL``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.models import Article
from bot.outcome import Outcome
from bot.sentences import paragraph_spans, sentence_spans

_MIN_PROSE_SENTENCES = 3  # an index page has fewer sentences than this ...
_MIN_LINES_FOR_INDEX = 8  # ... spread over at least this many short lines
_INDEX_LINE_CHARS = 100  # the median line of an index page is a headline or a link title
_TEASER_PROSE_WORDS = 180  # a teaser shows at most this many words before its paywall line
_MARKUP_ONLY_PROSE_WORDS = 80  # with only the page's paywall markup to go on, a short story is still a story
_LISTING_SHARE = 0.6  # share of lines that look like rows of a file listing
_PROSE_WORDS = 6
_TERMINAL = ".!?\u201d\u2019\"')"

_TEASER_LINE = re.compile(
    r"to (?:view|read|see|continue reading) the (?:full|rest of the|whole) (?:story|article)|subscribe (?:now )?to "
    r"(?:read|continue)|already a subscriber|to continue reading|for the full story|log in for (?:immediate )?access"
    r"|this (?:story|article|content) is (?:only )?(?:available|for) (?:to )?(?:subscribers|members)"
    r"|related videos related articles",
    re.IGNORECASE,
)
_PAYWALL_MARKUP = re.compile(
    r'"isAccessibleForFree"\s*:\s*"?false|class="[^"]*\b(?:paywall|piano-|subscriber-only|premium-content)', re.I
)
_LISTING_ROW = re.compile(
    r"^\s*(?:\[?\s*(?:DIR|TXT|IMG|PARENTDIR)\s*\]?\s*)?[\w\-.~%]+(?:\.[A-Za-z0-9]{1,5}|/)\s+"
    r"(?:\d{4}-\d{2}-\d{2}|\d{2}-[A-Za-z]{3}-\d{4})(?:\s+\d{1,2}:\d{2})?(?:\s+[\d.]+[KMG]?|\s+-)?\s*$"
)
_INDEX_TITLE = re.compile(r"^\s*(?:index of\s+/|directory listing)", re.IGNORECASE)
_RECIPE_SCHEMA = re.compile(r'"@type"\s*:\s*(?:\[[^\]]*)?"Recipe"', re.IGNORECASE)
_RECIPE_SECTIONS = (
    re.compile(r"^\s*ingredients\b", re.IGNORECASE | re.MULTILINE),
    re.compile(r"^\s*(?:instructions|directions|method|preparation)\b", re.IGNORECASE | re.MULTILINE),
)
_REPORTED = re.compile(r"\b(?:said|says|told|according to)\b")


@dataclass(frozen=True, slots=True)
class NotAnArticle:
    outcome: Outcome
    reason: str  # "this looks like a list of links": completes the user message


def not_an_article(article: Article, html: str = "") -> NotAnArticle | None:
    """Why this page is not an article a fact-check can use, or None when it reads as one."""
    text = article.text
    prose = [s.text for s in sentence_spans(text) if _is_prose(s.text)]
    lines = [p.text for p in paragraph_spans(text)]
    if _INDEX_TITLE.match(article.title or "") or _is_listing(lines):
        return NotAnArticle(Outcome.NO_ARTICLE_TEXT, "this looks like a listing of files, not an article")
    teaser = _TEASER_LINE.search(text)
    if teaser is not None or _PAYWALL_MARKUP.search(html):
        before = text[: teaser.start()] if teaser is not None else text
        words_before = sum(len(s.text.split()) for s in sentence_spans(before) if _is_prose(s.text))
        if words_before < (_TEASER_PROSE_WORDS if teaser is not None else _MARKUP_ONLY_PROSE_WORDS):
            return NotAnArticle(Outcome.PAYWALL, "this looks like a paywalled teaser")
    if len(prose) < _MIN_PROSE_SENTENCES and len(lines) >= _MIN_LINES_FOR_INDEX and _short_lines(lines):
        return NotAnArticle(Outcome.NO_ARTICLE_TEXT, "this looks like a list of links, not an article")
    recipe = _RECIPE_SCHEMA.search(html) or all(section.search(text) for section in _RECIPE_SECTIONS)
    if recipe and not _REPORTED.search(text):
        return NotAnArticle(Outcome.NO_ARTICLE_TEXT, "this looks like a recipe, not a news article")
    return None


def _short_lines(lines: list[str]) -> bool:
    """An index is a column of short lines (headlines, link titles), not long runs of text."""
    lengths = sorted(len(line) for line in lines)
    return lengths[len(lengths) // 2] <= _INDEX_LINE_CHARS


def _is_prose(sentence: str) -> bool:
    stripped = sentence.strip()
    return len(stripped.split()) >= _PROSE_WORDS and stripped[-1:] in _TERMINAL


def _is_listing(lines: list[str]) -> bool:
    if len(lines) < 3:
        return False
    rows = sum(1 for line in lines if _LISTING_ROW.match(line))
    return rows / len(lines) >= _LISTING_SHARE
