"""Attributions framed around a sentence rather than inside it.

A speaker label opening a line ("WALLACE: ..."), a quotation signed after a bar
("... ― Sonya Herridge"), a headline verb ("Obama Says ..."), and a participle that
hangs a statement on the main clause's subject ("A judge rejected it, saying ...").
"""

from __future__ import annotations

import re

from bot.sourcing.attribution import Attribution, InQuote
from bot.sourcing.lexicon import HEADLINE_CUES, NOT_SPEAKERS, PARTICIPLE_CUES, SPEECH_CUES
from bot.sourcing.phrases import NAME, Phrase, classify, subject_before

_LABEL = re.compile(
    r"^\s*[\"“]?(?P<label>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,2}"  # WALLACE:
    r"|[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){0,3}):\s+\S"  # Pat Caddell:
)
_MAIN_SUBJECT_LEAD = re.compile(
    r"^(?:(?:on|in|at|after|before|during|last|earlier|meanwhile|but|however|and|still|yet|now|then|also)\b"
    r"[^,]{0,60},\s*"
    r"(?:\d{4},\s*)?)",
    re.IGNORECASE,
)
_STOP_SUBJECT = frozenset(
    """has have had is are was were will would could should can may might must did does do not also who which
    that""".split()
)
# A quotation signed after a bar or dash: '... our greatest shame.” ― Sonya Herridge'.
_SIGNED = re.compile(rf"(?:[”\"']\s*|^\s*)[―—–]\s*(?P<name>{NAME.pattern})\s*$")


# A quotation followed by its speaker and no verb: '"Our agents continue ...," Augusto Reyes, Director of the Branch.'
_NAMED_AFTER_QUOTE = re.compile(rf"[,.]\s*[”\"]\s*,?\s*(?P<name>{NAME.pattern})\s*(?:,[^,“”\"]{{3,100}})?[.\s“”\"]*$")


def signed_attribution(sentence: str) -> Attribution | None:
    after = _NAMED_AFTER_QUOTE.search(sentence)
    if after is not None and len(after.group("name").split()) >= 2:
        source = classify(after.group("name"))
        if source is not None and source.kind == "named":
            return Attribution(source, ",", after.start("name"))
    m = _SIGNED.search(sentence)
    if m is None:
        return None
    source = classify(m.group("name"))
    if source is None or source.kind != "named":
        return None
    return Attribution(source, "―", m.start())


def main_subject(clause: str) -> Phrase | None:
    """The person's name that opens a clause ("On July 6, Sanders made the following comment")."""
    source = _main_subject(clause)
    if source is None or source.kind != "named" or not NAME.fullmatch(source.text):
        return None
    if source.text.split()[0].lower() in NOT_SPEAKERS:
        return None
    return source


def label_attribution(sentence: str) -> Attribution | None:
    """A line opened by its speaker: "WALLACE: Do you ...", "Report: Putin and ..."."""
    m = _LABEL.match(sentence)
    if m is None:
        return None
    label = m.group("label")
    first = label.split()[0].lower().strip(".")
    if any(ch.isdigit() for ch in label) or first in NOT_SPEAKERS or label.lower() in NOT_SPEAKERS:
        return None
    source = classify(label)
    if source is None or source.kind not in {"named", "anonymous"}:
        return None
    return Attribution(source, ":", m.end("label"))


def headline_attribution(sentence: str) -> Attribution | None:
    for m in HEADLINE_CUES.finditer(sentence):
        phrase = subject_before(sentence[: m.start()])
        source = classify(phrase) if phrase else None
        if source is not None and source.kind in {"named", "anonymous"}:
            return Attribution(source, m.group(0).lower(), m.start())
    return None


def participle_attribution(sentence: str, in_quote: InQuote) -> Attribution | None:
    """ "A judge rejected the request, saying ...": the statement belongs to the main clause's subject."""
    for m in PARTICIPLE_CUES.finditer(sentence):
        if in_quote(m.start()):
            continue
        source = _main_subject(sentence[: m.start()])
        if source is not None:
            cue = m.group(0).lstrip(", ").split()[0]
            return Attribution(source, cue, m.start())
    return None


def _main_subject(clause: str) -> Phrase | None:
    text = _MAIN_SUBJECT_LEAD.sub("", clause.lstrip('“" '))
    taken: list[str] = []
    for word in text.split():
        bare = word.lower().strip(",.;:")
        verb = bare in _STOP_SUBJECT or bare in SPEECH_CUES or (bare.endswith("ed") and word.islower())
        if verb or word.endswith(","):
            if word.endswith(",") and bare not in _STOP_SUBJECT:
                taken.append(word.rstrip(","))
            break
        if taken and word.islower() and bare not in _NAME_JOINERS and _is_bare_name(taken):
            break  # "Senator Ann Marsh made ...": the name ends where the verb starts
        taken.append(word)
        if len(taken) > 6:
            return None
    source = classify(" ".join(taken)) if taken else None
    if source is None or source.kind not in {"named", "anonymous", "pronoun"}:
        return None
    return source


_NAME_JOINERS = frozenset({"of", "for", "the", "de", "and"})


def _is_bare_name(taken: list[str]) -> bool:
    return all(w[:1].isupper() for w in taken) and taken[-1].lower() not in {"a", "an", "the", "this", "that"}


# An author-date or author-institution citation closing the sentence: "(Otto, Imperial College London)",
# "(World Meteorological Organization, 2023)".
_CITATION = re.compile(r"\((?P<name>[A-Z][^(),;]{1,80}),\s*(?:(?:19|20)\d{2}[a-z]?|[A-Z][^()]{1,60})\)[.!]?\s*$")


def citation_attribution(sentence: str) -> Attribution | None:
    m = _CITATION.search(sentence.rstrip())
    source = classify(m.group("name")) if m else None
    if m is None or source is None or source.kind != "named":
        return None
    return Attribution(source, "(", m.start())
