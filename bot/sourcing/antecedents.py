"""Who "he", "they", "it", "the mayor" or "the post" stands for: the teller a reader would take it to be.

Agreement first: "he"/"she" is a person, "they" a group of people or a body, "it" a body or a document. A person
named in the sentence just before counts even when that sentence quotes no one ("Wayne King ... did not learn of
it." / "He said ..."). Only then the last teller before the claim that fits.
"""

from __future__ import annotations

import re

from bot.sourcing.context import ArticleIndex
from bot.sourcing.framing import main_subject
from bot.sourcing.lexicon import ANONYMOUS_PEOPLE, DOCUMENT_HEADS, NOT_NAMES, PERSON_TITLES
from bot.sourcing.phrases import NAME, Phrase, head_word, role_title, trim_person, words

LOOK_BACK = 10  # sentences searched for a teller
_LOOK_BACK_BODY = 20  # "it said" may point to a company named well before
_SINGULAR = frozenset({"he", "she"})
_ISSUED = frozenset({"release", "statement", "announcement"})  # what a body issues about itself
_PLURAL = frozenset({"they", "we"})
_ORGANISATION_WORDS = frozenset(
    """department police office court group association union agency university administration ministry council
    committee commission service company corp inc corporation institute foundation campaign board authority
    government bank center centre organization organisation school schools party network newspaper times post
    news journal agency""".split()
)
_TITLE_ABBREVIATIONS = {
    "governor": ("gov.",),
    "senator": ("sen.",),
    "representative": ("rep.",),
    "congressman": ("rep.",),
    "congresswoman": ("rep.",),
    "general": ("gen.",),
    "professor": ("prof.",),
    "president": ("pres.",),
}
_PLACE_WORDS = frozenset(
    """States Kingdom Island Islands County City Street Avenue Road Coast Province Region District Republic Park
    Beach Valley Bay River Lake Mountains""".split()
)
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sen|Rep|Gov|Gen)\.?\s+[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?")
_OPENS_POSSESSIVE = re.compile(r"^\W*[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*[’'](?:s\b)?")
_OPENING_NAME = re.compile(
    r"^[“\"]?(?:The\s+)?(?P<name>[A-Z][\w&.\-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w&.\-]*){0,5})\s+[a-z]"
)
_POSSESSIVE = re.compile(r"^[“\"]?(?P<name>[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})[’']s\s")


def antecedent(index: ArticleIndex, here: int, ref: Phrase) -> tuple[int, Phrase] | None:
    """The sentence and teller that ``ref`` (a pronoun or a definite reference) in sentence ``here`` points to."""
    if ref.kind == "reference":
        titled = _titled_name(index, here, ref) or _body_named_by_head(index, here, ref)
        if titled is not None:
            return titled  # "the mayor said" after "Mayor Ellen Okafor's project": the role names her
    pronoun = ref.text.lower() if ref.kind == "pronoun" else None
    if pronoun in _SINGULAR:
        person = _person_in_same_sentence(index, here, pronoun) or _person_just_before(index, here)
        if person is not None:
            return person
    if pronoun == "it":
        body = _possessive_body(index.sentences[here].text)
        if body is not None:
            return here, body
    if pronoun in {"it", "they"} and here > 0 and index.local(here - 1) is None:
        body = _opening_body(index.sentences[here - 1].text)
        if body is not None:
            return here - 1, body  # "The Appellate Court didn't agree. It noted ..."
    return _last_fitting_teller(index, here, ref, pronoun)


def _last_fitting_teller(index: ArticleIndex, here: int, ref: Phrase, pronoun: str | None) -> tuple[int, Phrase] | None:
    wants_social = ref.social
    wants_document = head_word(ref.text) in DOCUMENT_HEADS and not wants_social
    reach = _LOOK_BACK_BODY if pronoun == "it" else LOOK_BACK
    for j in range(here - 1, max(-1, here - 1 - reach), -1):
        att = index.local(j)
        if att is None or att.source.kind not in {"named", "anonymous"}:
            if pronoun in _PLURAL:
                group = _plural_subject(index.sentences[j].text)
                if group is not None and index.sentence_paragraph[j] >= index.sentence_paragraph[here] - 1:
                    return j, group
            continue
        source = att.source
        if wants_social or wants_document or ref.kind == "reference":
            fits = (
                (wants_social and source.social)
                or (wants_document and head_word(source.text) in DOCUMENT_HEADS)
                or (not wants_social and not wants_document and source.kind == "named")
                # "according to the release" after "Customs and Border Protection announced": the body's release
                or (head_word(ref.text) in _ISSUED and source.kind == "named" and is_body(source.text))
            )
        elif pronoun in _SINGULAR:
            fits = source.kind == "named" and not source.social and looks_like_person(source.text)
        elif pronoun in _PLURAL:
            fits = is_plural(source) or (source.kind == "named" and is_body(source.text))
        elif pronoun == "it":
            fits = source.kind == "named" and (is_body(source.text) or head_word(source.text) in DOCUMENT_HEADS)
        else:
            fits = source.kind == "named"
        if fits:
            return j, source
    return None


def is_body(text: str) -> bool:
    """An organisation rather than a person: "Microsoft Corp", "the Ministry of Education", "California ISO"."""
    if looks_like_person(text) and len([w for w in words(text) if w[:1].isupper()]) > 1:
        return False
    ws = words(text)
    if any(w.lower().strip(".’'") in _ORGANISATION_WORDS for w in ws):
        return True
    capitals = [w for w in ws if w[:1].isupper()]
    return len(capitals) == 1 or any(w.isupper() and len(w) > 1 for w in capitals)


def looks_like_person(text: str) -> bool:
    """'Dr Etienne', 'ISD spokesman Tahir Della', 'Hasib', 'a spokesperson for UCEA' (who speaks as "he")."""
    ws = words(text)
    if not ws:
        return False
    lowered = [w.lower().strip(".’',") for w in ws]
    if lowered[0] in PERSON_TITLES or any(w in {"spokesman", "spokeswoman", "spokesperson"} for w in lowered):
        return True
    if any(w in _ORGANISATION_WORDS for w in lowered[-2:]):
        return False
    tail = ws[-2:] if len(ws) >= 2 else ws
    return all(w[:1].isupper() and not (w.isupper() and len(w) > 1) for w in tail)


def is_plural(source: Phrase) -> bool:
    head = head_word(source.text)
    return source.kind == "anonymous" and head.endswith("s") and not head.endswith("ss")


def _person_in_same_sentence(index: ArticleIndex, here: int, pronoun: str) -> tuple[int, Phrase] | None:
    """'Soon after Ms. Price was elected, she said ...': the person the sentence names before "she"."""
    span = index.sentences[here]
    # Names inside a quotation are what the speaker talks about, not the speaker ("'... Indigenous Peoples,' he said").
    sentence = "".join(" " if index.in_quote(span.start + i) else ch for i, ch in enumerate(span.text))
    at = re.search(rf"\b{pronoun}\b", sentence, re.IGNORECASE)
    before = sentence[: at.start()] if at else ""
    titled = _TITLED.findall(before)
    names = titled or people_in(before)
    return (here, Phrase(names[-1], "named", False)) if names else None


def _person_just_before(index: ArticleIndex, here: int) -> tuple[int, Phrase] | None:
    """A person named in the sentence right before (same paragraph, or the last of the one before)."""
    j = here - 1
    if j < 0 or index.sentence_paragraph[j] < index.sentence_paragraph[here] - 1:
        return None
    att = index.local(j)
    if att is not None and att.source.kind == "named" and looks_like_person(att.source.text):
        return j, att.source
    if att is not None:
        return None  # "she said" after "she said", or after someone else's statement: the teller search decides
    previous = index.sentences[j].text
    subject = None if _OPENS_POSSESSIVE.match(previous) else main_subject(previous)
    if subject is not None and looks_like_person(subject.text) and _known_person(index, j, subject.text):
        return j, subject  # "Wheatley called for due process." / "He also urged calm"
    names = people_in(index.sentences[j].text)
    return (j, Phrase(names[0], "named", False)) if len(names) == 1 else None


def _known_person(index: ArticleIndex, j: int, name: str) -> bool:
    """A one-word subject is a person's surname only if the article gave the full name before ("Natalio Wheatley")."""
    if len(name.split()) > 1:
        return True
    return re.search(rf"\b[A-Z][\w\-]+\s+{re.escape(name)}\b", index.text[: index.sentences[j].end]) is not None


def people_in(sentence: str) -> list[str]:
    """Full personal names in a sentence ("Wayne King", "Governor John Rankin"), possessives left out."""
    found = []
    for m in NAME.finditer(sentence):
        name = m.group(0)
        if sentence[m.end() : m.end() + 2] in {"’s", "'s"} or name.endswith(("’", "'")):
            continue
        if sentence[: m.start()].rstrip().lower().endswith(" the") or name.split()[-1] in _PLACE_WORDS:
            continue  # "in the United States courts", "Miami-Dade County": places, not people
        ws = name.split()
        while ws and ws[0].lower().rstrip(".") in NOT_NAMES:
            ws = ws[1:]
        if ws and m.start() == len(sentence) - len(sentence.lstrip(' “"')) and ws[0].endswith("ing"):
            ws = ws[1:]  # "Taking Archie outside is ...": the sentence opens with a verb, not a first name
        bare = [w for w in ws if w.lower() not in PERSON_TITLES]
        if not 2 <= len(bare) <= 4 or any(w.lower().strip(".,") in _ORGANISATION_WORDS for w in ws):
            continue
        if not all(w[:1].isupper() or w in {"de", "van", "von", "der", "des", "bin", "al"} for w in bare):
            continue
        found.append(trim_person(" ".join(ws)))
    return found


def _opening_body(sentence: str) -> Phrase | None:
    """The organisation a sentence opens with, as its subject: "The Appellate Court didn't agree ..."."""
    m = _OPENING_NAME.match(sentence)
    if m is None:
        return None
    name = m.group("name")
    return Phrase(name, "named", False) if is_body(name) and not looks_like_person(name) else None


def _body_named_by_head(index: ArticleIndex, here: int, ref: Phrase) -> tuple[int, Phrase] | None:
    """'the authority' after 'the New York City Housing Authority': the last name ending in that word."""
    head = head_word(ref.text)
    if len(ref.text.split()) != 2 or not head.isalpha() or head in DOCUMENT_HEADS:
        return None
    pattern = re.compile(rf"\b(?:[A-Z][\w&.\-]*\s+(?:(?:of|for|and|the)\s+)*){{1,6}}{head.capitalize()}\b")
    found = None
    for found in pattern.finditer(index.text, 0, index.sentences[here].start):  # noqa: B007 (the last match wins)
        pass
    # "the transportation department" named in lower case, later than any capitalised one, is the one meant.
    mentions = list(
        re.finditer(rf"\b[Tt]he\s+(?:[a-z][\w\-]*\s+){{1,2}}{head}\b", index.text[: index.sentences[here].start])
    )
    lower = mentions[-1] if mentions else None
    if lower is not None and (found is None or lower.start() > found.start()):
        return index.sentence_at(lower.start()), Phrase(lower.group(0), "named", False)
    if found is None:
        return None
    name = re.sub(r"^(?:The|A|An)\s+", "", found.group(0))
    return index.sentence_at(found.start()), Phrase(name, "named", False)


def _possessive_body(sentence: str) -> Phrase | None:
    """'Microsoft's goal ..., it said': the body the sentence opens with."""
    m = _POSSESSIVE.match(sentence)
    if m is None or m.group("name").split()[0].lower() in NOT_NAMES:
        return None
    return Phrase(m.group("name"), "named", False)


def _plural_subject(sentence: str) -> Phrase | None:
    """'Others who have tracked his career see choppier waters': the group a following "they" is."""
    first = sentence.split(maxsplit=1)[0].lower().strip(",") if sentence.strip() else ""
    if first in {"others", "many", "some", "several", "most"}:
        subject = re.split(r"\s(?:see|say|believe|think|warn|argue|have|are|were|do)\b", sentence, maxsplit=1)[0]
        return Phrase(subject.strip(), "anonymous", False)
    ws = sentence.split()
    if len(ws) >= 2 and first == "the" and ws[1].lower().strip(",") in ANONYMOUS_PEOPLE and ws[1].endswith("s"):
        return Phrase(" ".join(ws[:2]), "anonymous", False)
    return None


def _titled_name(index: ArticleIndex, here: int, ref: Phrase) -> tuple[int, Phrase] | None:
    """The last "Mayor Ellen Okafor" before sentence ``here`` when ``ref`` is "the mayor"."""
    role = role_title(ref)
    if role is None or role not in PERSON_TITLES:
        return None  # "the government" names itself; only a person's title points to a name
    spellings = "|".join(re.escape(t) for t in (role, *_TITLE_ABBREVIATIONS.get(role, ())))
    # "Vice President Biden" is not "the president"; "and Colin Powell" is someone else.
    pattern = re.compile(rf"(?<![Vv]ice[\s-])\b(?i:{spellings})(?<=\w|\.)\s+(?:{NAME.pattern})")
    found = None
    for found in pattern.finditer(index.text, 0, index.sentences[here].start):  # noqa: B007 (the last match wins)
        pass
    if found is None:
        return None
    name = re.sub(r"[’']s?$", "", found.group(0).split(" and ")[0])
    return index.sentence_at(found.start()), Phrase(trim_person(name), "named", False)
