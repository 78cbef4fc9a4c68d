"""Names of tellers: what a name looks like, where it ends, which of several is the person.

Split from ``bot.sourcing.phrases`` (which classifies whole phrases): these read the words of one name.
"""

from __future__ import annotations

import re

from bot.sourcing.lexicon import NOT_NAMES, PERSON_TITLES

_WORD = re.compile(r"[\w.'’\-@#]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


NAME_WORD = r"(?:[A-Z][\w'’.\-]*|@\w+)"
_CONNECT = r"(?:of|for|the|de|des|du|da|dos|das|di|le|la|van|von|del|der|den|ter|ten|al|bin|ibn|abu|on|and)"
NAME = re.compile(rf"{NAME_WORD}(?:\s+(?:{_CONNECT}\s+)*{NAME_WORD})*")


_TRAILING_JUNK = re.compile(r"[\s,;:.\"“”'’‘]+$")
_LEADING_JUNK = re.compile(r"^[\s,;:.\"“”'’‘(]+")


def clean(text: str) -> str:
    return _LEADING_JUNK.sub("", _TRAILING_JUNK.sub("", text)).strip()


def trim_person(text: str) -> str:
    """ "Rep. Jim Banks of Indiana" -> "Rep. Jim Banks": a title marks a person, "of X" is their place."""
    ws = text.split()
    if ws and ws[0].lower() in PERSON_TITLES and " of " in text:
        return text.split(" of ", 1)[0]
    return text


HONORIFIC = re.compile(r"^(?:the\s+)?(?:Hon\.?|Honourable|Honorable|Rt\.?\s+Hon\.?)\s+")
_PERSON_PARTS = 4  # comma-separated pieces before a cue searched for the person: "Role, Name," / "Name, role, role,"


def person_among(parts: list[str]) -> str | None:
    """The person's name among "Role of X, Name," or "Mr Name, chairman of X, Y committee,": the teller.

    A comma piece that is only a name (two to four capitalised words, or a title and a surname) wins over the role
    or body around it ("Minister of Industry, Investment and Commerce, Senator the Hon. Aubyn Hill, told").
    """
    for part in reversed(parts[-_PERSON_PARTS:]):
        piece = clean(part)
        ws = piece.split()
        titled = bool(ws) and (ws[0].lower() in PERSON_TITLES or ws[0].lower() + "." in PERSON_TITLES)
        bare = HONORIFIC.sub("", " ".join(ws[1:])) if titled else piece
        names = bare.split()
        if not names or not NAME.fullmatch(bare) or not all(w[:1].isupper() for w in names):
            continue
        if any(w.lower().strip(".,’'") in NOT_NAMES or w.lower() in PERSON_TITLES for w in names):
            continue
        if (titled and 1 <= len(names) <= 4) or 2 <= len(names) <= 4:
            if not any(w.lower() in _BODY_WORDS for w in names):
                return piece
    return None


_BODY_WORDS = frozenset(
    """department police office court group association union agency university administration ministry council
    committee commission service company corporation institute foundation campaign board authority government
    bank center centre organization organisation school party network times post news journal hospital trust
    federation alliance coalition caucus club church""".split()
)


_FULL_STOP = re.compile(r"\.(?:\s|$)")
# A period after a title or an initial does not end the phrase: "Dr. Abed Abu Hasira", "Amanda A. Kostro Miller".
_ABBREVIATED = re.compile(
    r"(?:^|[\s(])(?:[A-Z]|Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Adm|Maj|Rev|Hon|St|Jr|Sr|Mt|Ft|Inc|Co|Corp|"
    r"Ltd|Bros|Ph\.D|U\.S|U\.K|U\.N|D\.C)$"
)


def cut_at_full_stop(text: str) -> str:
    """``text`` up to its first period that ends a sentence (not one after "Dr" or an initial)."""
    for m in _FULL_STOP.finditer(text):
        if not _ABBREVIATED.search(text, 0, m.start()):
            return text[: m.start()]
    return text


def same_source(a: str, b: str) -> bool:
    """Whether two mentions name the same teller ("Rep. Jim Banks" / "Banks")."""
    ta = {w.lower().strip(".’'s") for w in words(a) if w[:1].isupper()} - NOT_NAMES - PERSON_TITLES
    tb = {w.lower().strip(".’'s") for w in words(b) if w[:1].isupper()} - NOT_NAMES - PERSON_TITLES
    if ta and tb:
        return bool(ta & tb)
    return clean(a).lower() == clean(b).lower()
