"""Does a page mention a claim's figure or name? Tolerant of how numbers and names are written.

"$100 billion" is found as "100 billion", "$100bn" or "100 billion dollars"; "30 percent" as "30%"
or "30 per cent"; "1,400" as "1400". A name is found when each of its identifying words is
("Rep. Jim Banks" -> "Jim" and "Banks"), in any case.
"""

from __future__ import annotations

import re
from functools import lru_cache

_NUMBER = re.compile(r"\d[\d,.]*")
_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}(?!\d))")
_SCALES = {
    "thousand": "thousand|k",
    "million": "million|mn|mln|m",
    "billion": "billion|bn|b",
    "trillion": "trillion|tn|t",
    "bn": "billion|bn|b",
    "m": "million|mn|mln|m",
    "k": "thousand|k",
}
_PERCENT = r"\s?(?:%|percent\b|per\s+cent\b|pct\b|percentage\s+points?\b)"
_WORD = re.compile(r"[^\W_][\w'’\-]*")
_IGNORED = frozenset("of the for and de da van von del der al bin on mr mrs ms dr rep sen gov president".split())


def normalize_numbers(text: str) -> str:
    """Thousands separators removed ("1,400,000" -> "1400000"), so numbers compare as written."""
    return _THOUSANDS.sub("", text)


@lru_cache(maxsize=512)
def figure_pattern(figure: str) -> re.Pattern[str]:
    low = normalize_numbers(figure.lower())
    match = _NUMBER.search(low)
    if match is None:  # "tens of billions": the words as written, spacing aside
        return re.compile(r"\s+".join(re.escape(word) for word in low.split()), re.IGNORECASE)
    number = match.group(0).rstrip(".,")
    if "." in number:
        number = number.rstrip("0").rstrip(".") or "0"
    number_re = rf"(?<![\d.]){re.escape(number)}(?:\.0+)?(?![\d]|\.\d)"
    rest = low[match.end() :]
    if re.match(r"\s?(?:%|percent|per\s+cent|pct|percentage)", rest):
        return re.compile(number_re + _PERCENT, re.IGNORECASE)
    scale = re.match(r"\s?(thousand|million|billion|trillion|bn|m|k)\b", rest)
    if scale:
        return re.compile(rf"{number_re}\s?(?:{_SCALES[scale.group(1)]})\b", re.IGNORECASE)
    return re.compile(number_re, re.IGNORECASE)


def mentions_figure(text: str, figure: str) -> bool:
    return figure_pattern(figure).search(text) is not None


def name_words(name: str) -> list[str]:
    words = [w for w in _WORD.findall(name.replace("’", "'")) if w.lower().strip(".") not in _IGNORED]
    return words or [name]


def mentions_name(text: str, name: str) -> bool:
    return all(
        re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None for word in name_words(name)
    )


def mentions(text: str, term: str, *, is_figure: bool) -> bool:
    """``text`` should already be number-normalised (:func:`normalize_numbers`) when checking figures."""
    return mentions_figure(text, term) if is_figure else mentions_name(text, term)
