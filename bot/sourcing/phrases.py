"""Finding and classifying the noun phrase that names a source.

No parser is available offline (spaCy models need a hub download), so the source is
read off the words next to a cue: the clause before "said", the name after "said",
the phrase after "according to". Capitalisation decides named versus unnamed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.sourcing.lexicon import (
    ANONYMOUS_PEOPLE,
    DOCUMENT_HEADS,
    LINKABLE_DOCUMENTS,
    NOT_NAMES,
    PERSON_TITLES,
    PRONOUNS,
    REFERENCE_HEADS,
    SOCIAL_WORDS,
    SPEECH_CUES,
)
from bot.sourcing.names import (
    HONORIFIC,
    NAME,
    NAME_WORD,
    clean,
    cut_at_full_stop,
    person_among,
    trim_person,
    words,
)

_CLAUSE_WORDS = frozenset(
    """to not was is are were what would could should will can may might must and or but has have had been be
    needs wants continue continues failed tried keeps""".split()
)

_PREPOSITIONS = frozenset("of in on for with by at from to about into over under than".split())

Kind = Literal["named", "anonymous", "pronoun", "reference"]

# Where a subject phrase cannot reach across: punctuation, quotes and clause openers.
_BOUNDARY = re.compile(
    r"[;:()\[\]“”\"—–]|,|\s-{1,2}\s"
    r"|\b(?:that|but|while|because|when|after|before|since|although|though|if|so|which|whom|whether|where|and|or|as)\s",
    re.IGNORECASE,
)
_ADVERBIAL_LEAD = re.compile(
    r"^(?:(?:on|in|at|by|late|early|last|this|earlier)\s+(?:\w+\s+){0,2}?"
    r"(?:night|morning|afternoon|evening|week|month|year|day|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"\d{4})\b\s*,?\s*"
    # "But half a year later the White House announced": the time, not part of who announced it.
    r"|(?:half\s+)?(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|\d+)\s+"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\s+(?:later|earlier|ago)\b\s*,?\s*)",
    re.IGNORECASE,
)
# Participles and verbs that end a "according to X" phrase: "a survey conducted ...".
_NP_END = re.compile(
    r"\s(?:conducted|published|released|issued|carried|obtained|seen|reviewed|shared|posted|written|that|which|who|"
    r"in\s+which|on\s+(?:[Mm]onday|[Tt]uesday|[Ww]ednesday|[Tt]hursday|[Ff]riday|[Ss]aturday|[Ss]unday)|last|this|"
    r"earlier|when|where|after|before|as|because)\b"
)


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str  # as written, trimmed
    kind: Kind
    social: bool  # a post, a channel, an account


def _is_capitalised_name_word(word: str, *, first: bool) -> bool:
    if not word or not (word[0].isupper() or word[0] == "@"):
        return False
    bare = word.rstrip(".,’'s").lower()
    if bare in NOT_NAMES:
        return False
    if first and (bare in ANONYMOUS_PEOPLE or bare in DOCUMENT_HEADS):
        return False
    return True


def has_name(text: str) -> bool:
    ws = words(text)
    if len(ws) == 2 and ws[0][:1].isupper() and ws[0].endswith(("’s", "'s")) and ws[1].lower() in REFERENCE_HEADS:
        return True  # "Bloomberg's campaign", "Apple's company": a named body
    if len(ws) >= 2 and ws[0].lower() not in PERSON_TITLES and not any(w[:1].isupper() for w in ws[1:]):
        return False  # "Multiple episodes of his talk": only the sentence-initial capital
    return any(_is_capitalised_name_word(w, first=i == 0) for i, w in enumerate(ws))


_SPEAKERS_FOR = frozenset("spokesman spokeswoman spokesperson spokespeople representative".split())
_AMOUNT_NOUNS = frozenset("body number series handful collection host range set couple dozens dozen".split())


def head_word(text: str) -> str:
    """The noun the phrase is about: the word before "of/for/at/from", else the last word."""
    ws = [w.strip(".’'").lower() for w in words(text)]
    for i, w in enumerate(ws):
        if w == "of" and i > 0 and ws[i - 1] in _AMOUNT_NOUNS:
            continue  # "a large body of neuroscientific studies": the studies
        if i > 0 and w in {"of", "for", "at", "from", "with", "in", "close", "familiar", "who", "on", "by"}:
            if w == "by" and i >= 2 and ws[i - 1].endswith("ed"):
                return ws[i - 2]  # "data published by OpenAI": the data
            return ws[i - 1]
    return ws[-1] if ws else ""


def _verbish(ws: list[str], lower: list[str]) -> bool:
    """A phrase holding a verb or a clause word is not a subject noun phrase ("Kadzik wouldn't")."""
    for i, w in enumerate(lower):
        if w in _CLAUSE_WORDS or w.endswith(("n’t", "n't")):
            if w == "and" and 0 < i < len(ws) - 1 and ws[i - 1][:1].isupper():
                following = ws[i + 2] if ws[i + 1] == "the" and i + 2 < len(ws) else ws[i + 1]
                if following[:1].isupper():  # "Customs and Border Protection", "the CDC and the WHO"
                    continue
            return True
    return False


_TRAILING_TIME = re.compile(
    r"(?:\s+(?:on|last|this|early|late|earlier))?\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"today|yesterday|tonight|week|month|year|morning|night)$",
    re.IGNORECASE,
)


_QUANTITY_LEADS = frozenset("half most majority third quarter nearly almost about over around roughly".split())


def is_quantity(text: str) -> bool:
    """'63 percent', 'around a quarter of adults': a share of poll respondents."""
    first = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    return first[:1].isdigit() or first in _QUANTITY_LEADS


_DETERMINERS = frozenset("the a an this that these those his her its their our my your".split())
_NOT_BEFORE_RELATIVE = (
    _PREPOSITIONS
    | _DETERMINERS
    | frozenset(
        """and or but nor around across through throughout near within without among against during like via per
        behind beyond outside inside toward towards upon amid between including all both""".split()
    )
    | SPEECH_CUES  # "the commissioner says an internal review": a clause, not a noun with a relative
)
# A money amount or a multiple ("three times", "twice") measures something; it never tells anything.
_MEASURE = re.compile(r"[$€£¥]\s?\d|\b(?:times|twice|thrice|fold)\b")  # lower case: not "The Times"


def is_measure(text: str) -> bool:
    """'nearly three times the $1.4 billion': an amount, not a teller (poll shares like '63 percent' are)."""
    return bool(_MEASURE.search(text))


def contact_relative(text: str) -> bool:
    """'the $1.4 billion the mayor' + 'promised': a noun, then a relative clause's subject right before the cue.

    The cue belongs to that relative clause (which modifies the noun), not to the sentence: English drops
    "that" here, so the tell is a determiner opening a second noun phrase right after a first one.
    """
    ws = words(_TRAILING_TIME.sub("", text))
    for i in range(1, len(ws) - 1):
        before = ws[i - 1].lower()
        # A capital "A" after "Hong Kong" starts a new sentence after a dateline, not a relative clause.
        if ws[i] == "the" and i + 1 < len(ws) and HONORIFIC.match(" ".join(ws[i:])):
            continue  # "Senator the Hon. Aubyn Hill": a form of address, not a second noun phrase
        if ws[i] in _DETERMINERS and before not in _NOT_BEFORE_RELATIVE and not before.endswith(("’s", "'s")):
            return len(ws) - i <= 4  # the relative's subject is short and ends at the cue
    return False


_MADE_BY = re.compile(
    rf"\s(?:published|released|issued|conducted|compiled|produced)\s+by\s+(?:the\s+)?{NAME.pattern}"
    # "A new research paper published in Frontiers in Ecology and the Environment journal": the journal names it.
    r"|\spublished\s+in\s+(?:the\s+)?(?:journal\s+)?[A-Z][\w'’.\-]*(?:\s+(?:(?:in|of|and|the|for|on)\s+)*[A-Z][\w'’.\-]*)*"
    r"(?:\s+journal\b)?"
)
_NAMED_TODAY = re.compile(r"[A-Z][\w'’.\-]*\s+Today$")  # "USA Today", "Medical News Today": a name, not a time
_INDEFINITE = frozenset("a an one some two three four several many few another".split())
_SPEAKS_FOR = re.compile(
    r"^(?i:a|an|the)\s+(?:\w+\s+)?(?:spokesman|spokeswoman|spokesperson|representative|statement)\s+(?:for|from|of|at)\s+"
    r"(?P<body>(?:the\s+)?[A-Z].*)$"
)
_LEADING_CUE = re.compile(r"^(?:said|says|told|added|wrote|according\s+to)\s+(?=[A-Z])")


def _speaks_for(text: str) -> str | None:
    """'a spokesperson for the Universities and Colleges Employers' Association': the body speaks, on the record."""
    m = _SPEAKS_FOR.match(text)
    return m.group("body") if m else None


def _named_before_head(ws: list[str], head: str) -> bool:
    """'A Quinnipiac poll' names its maker before the head; 'a team of researchers in The Netherlands' does not."""
    lowered = [w.lower().strip(".’'") for w in ws]
    end = lowered.index(head) if head in lowered else len(ws)
    return any(w[:1].isupper() for w in ws[1:end])


def classify(text: str) -> Phrase | None:
    """Decide what kind of source a subject phrase is, or None when it is not a source at all."""
    text = _LEADING_CUE.sub("", " ".join(clean(text).split()))  # '"...," said Claverie, ..., told Observer'
    if _speaks_for(text) is not None:
        return Phrase(text, "named", False)  # kept whole: "he said" later is this spokesperson
    cut = _NP_END.search(text)
    maker_named = False
    if cut and cut.start() > 0:
        maker = _MADE_BY.match(text, cut.start())
        # "A Quinnipiac poll released in August" -> "A Quinnipiac poll"; "Data published by OpenAI" keeps its maker.
        text = text[: maker.end()] if maker else text[: cut.start()]
        maker_named = maker is not None
    if not _NAMED_TODAY.search(text):
        text = _TRAILING_TIME.sub("", text)
    if not text or text.endswith(("’s", "'s", "’", "s'")):
        return None
    ws = words(text)
    if not ws or len(ws) > (16 if maker_named else 12):
        return None
    lower = [w.lower().strip(".’'") for w in ws]
    social = any(w in SOCIAL_WORDS for w in lower)
    if len(ws) == 1 and lower[0] in PRONOUNS:
        return Phrase(text, "pronoun", social)
    if len(ws) == 1 and lower[0] in {"one", "another", "others"}:
        return Phrase(text, "anonymous", social)  # "One, who asked not to be named, said"
    if _verbish(ws, lower) or lower[0] in _PREPOSITIONS:
        return None
    if is_quantity(text):
        return Phrase(text, "anonymous", social)  # "63 percent said": poll respondents
    head = head_word(text)
    named = has_name(text)
    if (
        named
        and lower[0] in _INDEFINITE
        and "," not in text
        and head not in DOCUMENT_HEADS
        and not _named_before_head(ws, head)
    ):
        # "one GOP operative", "a team of researchers in The Netherlands": named by nobody. A name before the head
        # ("A Quinnipiac poll") or set off after a comma ("a spokesman, John Kirby") does name the teller.
        named = False
    if head in ANONYMOUS_PEOPLE or head.rstrip("s") in ANONYMOUS_PEOPLE:
        # "Pentagon officials" are still unnamed people; "spokesman John Kirby" ends on a name.
        last = ws[-1]
        if named and _is_capitalised_name_word(last, first=len(ws) == 1) and last.lower().strip(".’'") != head:
            return Phrase(trim_person(text), "named", social)
        if named and head in _SPEAKERS_FOR and _named_before_head(ws, head):
            return Phrase(text, "named", social)  # "a Government spokesperson", "a Pentagon spokesman": the body
        return Phrase(text, "anonymous", social)
    if head in DOCUMENT_HEADS:
        if named:
            return Phrase(text, "named", social)
        if lower[0] in {"the", "this", "that", "its", "his", "her", "their"}:
            return Phrase(text, "reference", social)
        return Phrase(text, "anonymous", social)
    if named:
        return Phrase(trim_person(text), "named", social)
    if lower[0] in {"the", "this", "that"} and len(ws) <= 6 and (head in REFERENCE_HEADS or social):
        return Phrase(text, "reference", social)  # "the agency said": named earlier
    if lower[0] in {"a", "an", "some", "many", "several", "one", "two", "most", "few"} and 2 <= len(ws) <= 6:
        return Phrase(text, "anonymous", social)
    return None


_UNIQUE_BODIES = frozenset("government cabinet parliament treasury kremlin pentagon".split())


def role_title(phrase: Phrase) -> str | None:
    """ "the mayor" -> "mayor": an office that identifies one person (or one body) in the story's setting."""
    ws = [w.lower() for w in words(phrase.text)]
    if phrase.kind != "reference" or len(ws) != 2 or ws[0] not in {"the", "this"}:
        return None
    if ws[1] in _UNIQUE_BODIES:
        return ws[1]  # "the government have argued": the country's government, named by the story
    return ws[1] if ws[1] in PERSON_TITLES and not ws[1].endswith(".") else None


def names_source(text: str) -> bool:
    """Whether a link's words name who or what stands behind it: "2026 budget document", "the Port Authority"."""
    if head_word(text) in LINKABLE_DOCUMENTS:
        return True
    source = classify(text)
    return source is not None and source.kind == "named"


_PARENTHESES = re.compile(r"\s*\([^()]*\)")


_QUOTED_TITLE_END = re.compile(r',\s*["”’]$')
_RELATIVE_PART = re.compile(r"^\s*(?:who|which|whose|whom)\b", re.IGNORECASE)


def subject_before(text: str) -> str | None:
    """The subject phrase that ends ``text`` (the words right before a cue)."""
    stripped = _QUOTED_TITLE_END.sub(",", _PARENTHESES.sub("", text).rstrip())  # 'the article "The Case," argued'
    if not stripped:
        return None
    if stripped.endswith(","):
        # "Banks, who sits on the committee, told": the subject sits before the appositive.
        parts = stripped[:-1].split(",")
        while len(parts) >= 3 and _RELATIVE_PART.match(parts[-1]):
            parts = parts[:-1]  # "Chi Onwurah, the Labour MP for ..., who is supporting the report, said"
        person = person_among(parts)
        if person is not None:
            return person
        if len(parts) >= 2:
            before = _last_clause(parts[-2])
            kind = classify(before) if before else None
            if before and kind and kind.kind == "named":
                return before
            # "One local, Johan Mattsson, told": the appositive is the name.
            appositive = clean(parts[-1])
            if appositive and NAME.fullmatch(appositive) and classify(appositive):
                return appositive
            if before and kind:
                return before
            # "under questioning Josenrique Cueto, the deputy director,": the name that ends the clause.
            trailing = re.search(rf"({NAME.pattern})$", parts[-2].strip()) if len(parts) >= 2 else None
            if trailing is not None and (found := classify(trailing.group(1))) is not None and found.kind == "named":
                return trailing.group(1)
        return None
    return _last_clause(stripped)


def _inside_name(text: str, m: re.Match[str]) -> bool:
    """'Customs and Border Protection': an "and" between capitalised words joins one name, it ends no clause."""
    if m.group(0).strip().lower() != "and":
        return False
    before = text[: m.start()].split()
    after = text[m.end() :]
    if after.startswith("the "):
        after = after[4:]  # "Frontiers in Ecology and the Environment"
    return bool(before) and before[-1][:1].isupper() and after[:1].isupper()


# "That said, the government have argued": a discourse marker, not a clause with a subject.
_DISCOURSE_LEAD = re.compile(r"^\s*(?:that\s+said|having\s+said\s+that|that\s+being\s+said)\b\s*,?\s*", re.I)


def _last_clause(text: str) -> str | None:
    text = _DISCOURSE_LEAD.sub("", text)
    last = None
    for m in _BOUNDARY.finditer(text):
        if not _inside_name(text, m):
            last = m.end()
    piece = text[last:] if last is not None else text
    piece = _ADVERBIAL_LEAD.sub("", piece.strip())
    piece = clean(piece)
    if not piece:
        return None
    ws = piece.split()
    if len(ws) > 11:
        name = None
        for name in NAME.finditer(piece):  # noqa: B007 (the last match wins)
            pass
        if name is None or name.end() < len(piece) - 2:
            return None
        piece = name.group(0)
    return piece


_ROLE_THEN_NAME = re.compile(rf"\s+(?:[a-z][\w\-]*\s+){{1,3}}?(?={NAME_WORD}\s+{NAME_WORD})({NAME.pattern})")


def name_after(text: str) -> str | None:
    """The source named right after an inverted cue: '..., said Shelley Rankin, a microbiologist'."""
    text = _PARENTHESES.sub("", text.lstrip())  # "Pan American Health Organization (PAHO) Director ..."
    m = NAME.match(text)
    if m:
        name = m.group(0)
        # "said Department of Correction spokesman Jason Kersten": the body, the role, then the person.
        person = _ROLE_THEN_NAME.match(text, m.end())
        if person is not None and len(person.group(0).split()) <= 6:
            name = text[: person.end()]
        return clean(name)
    # "said the agency's director", "says a spokesman for the ministry"
    piece = re.split(r"[,;:—–()“”\"]|\s(?:in|on|at|during|who|which|that|after|before)\s", text, maxsplit=1)[0]
    piece = cut_at_full_stop(piece)
    piece = clean(_cut_participle(piece))
    if piece and len(piece.split()) <= 8:
        return piece
    return None


def _cut_participle(piece: str) -> str:
    """'a study raising the possibility' -> 'a study'; 'a report highlighting the' -> 'a report'."""
    ws = piece.split()
    for i, w in enumerate(ws[:-1]):
        if (w.lower() in DOCUMENT_HEADS or w.lower() in ANONYMOUS_PEOPLE) and ws[i + 1].endswith("ing"):
            return " ".join(ws[: i + 1])
    return piece


def np_after(text: str) -> str | None:
    """The noun phrase after 'according to' / 'citing', cut at the clause that describes it."""
    piece = cut_at_full_stop(re.split(r"[,;:—–()“”\"]", text.lstrip(), maxsplit=1)[0])
    first = re.match(rf"({NAME.pattern})\s+and\s+(?=[a-z])", piece)
    if first is not None:
        piece = first.group(1)  # "according to Levy and authorities from ...": the named teller comes first
    m = _NP_END.search(piece)
    if m:
        piece = piece[: m.start()]
    piece = clean(piece)
    piece = _cut_participle(piece)
    if not piece or len(piece.split()) > 12:
        return None
    return piece
