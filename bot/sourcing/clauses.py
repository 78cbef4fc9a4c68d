"""Attributions inside one sentence: who tells it, with which cue, through whom.

Rules, in the order a reader resolves them: "according to X" (and "a report cited
by X"), "X said / told / found" with the subject read off the clause before the cue,
the inverted "..., said X", then "citing Y" / "of a report" / a nested cue for chains,
and finally hedges like "reportedly" that attribute to nobody in particular.
"""

from __future__ import annotations

import re

from bot.sourcing.attribution import Attribution, InQuote
from bot.sourcing.framing import (
    citation_attribution,
    headline_attribution,
    label_attribution,
    participle_attribution,
    signed_attribution,
)
from bot.sourcing.lexicon import (
    AMBIGUOUS_CUES,
    ANONYMOUS_MARKERS,
    ANONYMOUS_PEOPLE,
    CONTENT_OPENERS,
    CUE_AUXILIARIES,
    DOCUMENT_CUES,
    DOCUMENT_HEADS,
    INVERTIBLE_CUES,
    MULTIWORD_CUES,
    NAMED_ONLY_CUES,
    OBJECT_CUES,
    PROGRESSIVE_CUES,
    RELAY_CUES,
    SPEECH_CUES,
)
from bot.sourcing.names import same_source
from bot.sourcing.phrases import (
    NAME,
    Phrase,
    classify,
    clean,
    contact_relative,
    has_name,
    head_word,
    is_measure,
    is_quantity,
    name_after,
    np_after,
    subject_before,
)

_CUE_WORD = re.compile(
    r"\b(?:" + "|".join(sorted({*SPEECH_CUES, *PROGRESSIVE_CUES, *MULTIWORD_CUES}, key=len, reverse=True)) + r")\b"
)
_TELL = frozenset({"told", "tells", "tell", "telling"})
_OUTLET_CUES = frozenset({"reports", "reported", "wrote", "writes"})
# Cues whose object is itself a teller: "cited a study", "tweeted an article by Global Research".
_CITE = frozenset({"cited", "cites", "citing", "tweeted", "retweeted", "shared", "posted", "quoted"})
_ACCORDING = re.compile(
    r"\b[Aa]ccording\s+to\s+|\b[Pp]er\s+(?=(?:the|a|an|his|her|its|their)\s|[A-Z])"
    # "..., as noted by Harvard Medical School", "... (via Everyday Health)": the same hand-over, other words
    r"|\b[Aa]s\s+(?:noted|reported|outlined|explained|described|documented|detailed|stated|found)\s+by\s+"
    r"|\(via\s+(?=[A-Z][^()]*\)[.!]?\s*$)"  # only closing the sentence: a "(via X)" mid-sentence backs a side clause
)
_CITING = re.compile(r"\b(?:citing|quoting|cited\s+by|quoted\s+by|relayed\s+by|shared\s+by|reported\s+by)\s+")
_RELAYED_DOC = re.compile(
    r"^\s*(?P<doc>(?:a|an|the)\s+(?:\w+\s+){0,2}?"
    r"(?:report|post|tweet|study|video|story|document|message|claim|article)s?)"
    r"\s+(?:cited|quoted|shared|published|posted|reported|relayed)\s+(?:by|on|in)\s+",
    re.IGNORECASE,
)
_OF_DOC = re.compile(
    r"^\s*(?:of|about|on|to)\s+(?P<doc>(?:a|an|the)\s+(?:[\w’'\-]+\s+){0,3}?"
    r"(?:report|post|tweet|study|video|story|document|message|article|memo|poll|survey|letter|e-?mail|audit|"
    r"filing|review|assessment|recording|analysis|analyses|investigation|dossier|cable|complaint)s?)\b",
    re.IGNORECASE,
)
# "McConnell, now the majority leader, who in 2010 said": the relative pronoun stands for the name.
_RELATIVE_WHO = re.compile(
    rf"(?P<name>{NAME.pattern})(?:(?:,[^,]{{0,80}})?,\s*who|,\s*(?:a|an|the)\s+[^,]{{0,60}}?\s(?:which|that))"
    r"(?:\s+[\w’']+){0,4}\s*$"
)  # "the Asheville Tea PAC, a local organization which said": the name is the teller
# An outlet told something: "Channel 9 News", "Fox 5 DC", "the Ledger" (numbers belong to broadcasters' names).
_OUTLET = re.compile(r"(?:the\s+)?[A-Z][\w&'’.\-]*(?:\s+(?:\d{1,3}|[A-Z][\w&'’.\-]*))*(?=\s+(?:of|about|that|on)\s)")
# A relative clause on an amount: "$1.4 billion that the mayor promised". (Not "..., which he said were ...":
# PolNeAR counts what such a clause reports as attributed, and so would a reader.)
_RELATIVE_OPENER = re.compile(r"(?:\d|\b(?:thousand|million|billion|trillion|percent|cent))\s+that\s*$", re.IGNORECASE)
_BE_WORDS = frozenset("is are was were be been being get got".split())
_INVERTED_OPENERS = (",", "”", '"', "’", "'")
_CLAUSE_BREAK = re.compile(r"[,;:—–()“”\"]|\b(?:but|and|though|although|while|when|as|because|before|after|if)\b")
# A teller signing off at the end: "..., the source added." / "..., sources said Friday."
_TAIL = re.compile(r"[,”\"']\s+(?P<tail>[^,;:“”\"]{2,80})$")
_SIGN_OFF_END = re.compile(r"^\s*(?:\S+\s+){0,2}?\S*$")  # at most two words after the cue: "said Friday"


# "continued" reports speech only when what follows is said ("..., he continued." / "continued: ..."), never when it
# goes on doing something ("continues to wage war", "continued with the plan").
_GOES_ON = frozenset({"continued", "continues"})
_NEGATED = re.compile(r"\b(?:not|never)\b|n[’']t\b", re.IGNORECASE)
# The cue sits in a relative clause set off by commas: "One, who asked not to be named, said".
_RELATIVE_CLAUSE = re.compile(r",\s*(?:who|which|whose)\s+(?:[\w’'\-]+\s+){0,3}$", re.IGNORECASE)
# "claimed the coldest temperature", "declared his retirement": the cue takes an object, it reports nothing.
_OBJECT_AFTER = {
    "claimed": re.compile(
        r"^(?:the|a|an|its|his|her|their)\s+(?:\w+est|most|top|title|lives|life|victory|seat|"
        r"responsibility|prize|crown|record)\b",
        re.IGNORECASE,
    ),
    "claims": re.compile(
        r"^(?:the|a|an|its|his|her|their)\s+(?:\w+est|most|top|title|lives|life|victory|seat|"
        r"responsibility|prize|crown|record)\b",
        re.IGNORECASE,
    ),
    "declared": re.compile(r"^(?:his|her|its|their)\s", re.IGNORECASE),
    "announced": re.compile(
        r"^(?:his|her|its|their)\s+(?:retirement|resignation|candidacy|engagement|departure|"
        r"run|bid|intention|plans?)\b",
        re.IGNORECASE,
    ),
}


def _never(_: int) -> bool:
    return False


def find_attribution(sentence: str, *, in_quote: InQuote = _never) -> Attribution | None:
    """The outermost attribution of ``sentence`` whose cue is outside quotation marks."""
    found = (
        signed_attribution(sentence)
        or label_attribution(sentence)
        or _according_to(sentence, in_quote)
        or _tail_attribution(sentence, in_quote)
        or _cue_attribution(sentence, in_quote)
        or headline_attribution(sentence)
        or participle_attribution(sentence, in_quote)
        or citation_attribution(sentence)
    )
    if found is None:
        return None
    if not found.inner:
        inner = _inner_tellers(sentence, found, in_quote)
        if inner:
            found = Attribution(found.source, found.cue, found.cue_start, found.recipient, inner)
    return found


def anonymous_marker(sentence: str) -> str | None:
    m = ANONYMOUS_MARKERS.search(sentence)
    return m.group(0) if m else None


def _according_to(sentence: str, in_quote: InQuote) -> Attribution | None:
    for m in _ACCORDING.finditer(sentence):
        if in_quote(m.start()):
            continue
        rest = sentence[m.end() :]
        relayed = _RELAYED_DOC.match(rest)
        if relayed:
            teller = np_after(rest[relayed.end() :])
            doc = classify(relayed.group("doc"))
            outer = classify(teller) if teller else None
            if outer and doc:
                return Attribution(outer, "according to", m.start(), inner=(doc,))
        phrase = np_after(rest)
        source = classify(phrase) if phrase else None
        if source is None and phrase:
            source = Phrase(phrase, "anonymous", False)
        if source:
            found = Attribution(source, "according to", m.start())
            return _with_relayed_speaker(sentence[: m.start()], found, in_quote)
    return None


def _with_relayed_speaker(before: str, found: Attribution, in_quote: InQuote) -> Attribution:
    """ "Banks said X, according to The Hill": the outlet relays the speaker."""
    if found.source.kind != "named" or not before.strip():
        return found
    speaker = _cue_attribution(before, in_quote)
    if speaker is None or speaker.cue not in RELAY_CUES or speaker.source.kind not in {"named", "anonymous"}:
        return found
    if same_source(speaker.source.text, found.source.text):
        return found
    if speaker.cue in _OUTLET_CUES:  # "Bloomberg reports X, according to the Roper Center": the outlet relays
        return Attribution(speaker.source, speaker.cue, speaker.cue_start, inner=(found.source,))
    return Attribution(found.source, found.cue, found.cue_start, inner=(speaker.source,))


def _cue_attribution(sentence: str, in_quote: InQuote, *, start_at: int = 0) -> Attribution | None:
    for m in _CUE_WORD.finditer(sentence, start_at):
        if in_quote(m.start()):
            continue
        cue = m.group(0)
        if not _reads_as_statement(cue, sentence[m.end() :]) and not _verb_after_teller(cue, sentence, m):
            continue
        progressive = cue in PROGRESSIVE_CUES
        before = sentence[: m.start()].rstrip()
        if progressive and before[before.rfind(" ") + 1 :].lower() not in _BE_WORDS:
            continue  # "footage of Trump saying": a participle, not "Trump is saying"
        pre = _strip_auxiliaries(before, progressive=progressive)
        if pre is None or _NEGATED.search(before[len(pre) :]) or _RELATIVE_CLAUSE.search(pre):
            continue  # "police have not disclosed", "One, who asked not to be named, said": not this cue
        source = _subject(sentence, pre, m, cue)
        if source is None:
            continue
        if cue in NAMED_ONLY_CUES and source.kind not in {"named", "pronoun"}:
            continue
        attribution = Attribution(source, cue, m.start())
        if cue in _TELL:
            attribution = _with_recipient(sentence[m.end() :], attribution)
        elif cue in _CITE:
            cited = np_after(sentence[m.end() :])
            phrase = classify(cited) if cited else None
            if phrase is not None and _is_teller(phrase):
                attribution = Attribution(source, cue, m.start(), inner=(phrase,))
        return attribution
    return None


def _is_teller(phrase: Phrase) -> bool:
    """A cited object that can speak: a document, unnamed people, or a bare name ("cited a study")."""
    if phrase.kind in {"pronoun", "reference"}:
        return False
    if NAME.fullmatch(phrase.text):
        return True
    opening = [w.lower() for w in phrase.text.split()[:3]]  # "a study raising the possibility"
    return any(w in DOCUMENT_HEADS or w in ANONYMOUS_PEOPLE for w in [head_word(phrase.text), *opening])


def _tail_attribution(sentence: str, in_quote: InQuote) -> Attribution | None:
    """'Clinton had told police ..., the source added.': the teller at the end is the outermost one."""
    m = _TAIL.search(sentence.rstrip(" .”\"'"))
    if m is None or len(m.group("tail").split()) > 10:
        return None
    if m.group("tail").split()[0].lower() in {"as", "but", "and", "while", "when", "because", "which", "who", "so"}:
        return None
    found = _cue_attribution(sentence, in_quote, start_at=m.start("tail"))
    if found is None or found.cue_start < m.start("tail"):
        return None
    if not _SIGN_OFF_END.match(sentence.rstrip(" .”\"'")[found.cue_start + len(found.cue) :]):
        return None  # ", but Shelby said he refused ...": a new clause, not a sign-off
    head = _cue_attribution(sentence[: m.start()], in_quote)
    if head is not None and head.cue in RELAY_CUES and head.source.kind == "named":
        if not same_source(head.source.text, found.source.text):
            return Attribution(found.source, found.cue, found.cue_start, found.recipient, (head.source,))
    return found


def _verb_after_teller(cue: str, sentence: str, m: re.Match[str]) -> bool:
    """'The report by the Union claims institutions have ...': after a name or a document, "claims" is the verb."""
    if cue not in {"claims", "says", "shows", "finds", "notes", "states", "reports"}:
        return False
    before = sentence[: m.start()].split()
    after = sentence[m.end() :].split()
    if not before or not after or not after[0][:1].islower() or after[0].lower() in _BE_WORDS:
        return False
    word = before[-1].strip(",’'")
    return (word[:1].isupper() and word.lower() not in {"the", "a", "an"}) or word.lower() in DOCUMENT_HEADS


def _reads_as_statement(cue: str, after: str) -> bool:
    """Whether the words after an ambiguous cue read as what was said ("shows that", not "show than")."""
    rest = after.lstrip()
    if not rest or rest[0] in ",:;.“\"'‘—–(":
        return True
    nxt = rest.split(maxsplit=1)[0].lower().strip(",.;:")
    if cue in {"asked", "asks", "ask"} and nxt in {"how", "whether", "why", "what", "when", "where", "if", "about"}:
        return False  # "as Robert Ruano asked how the BRT will cross": a question, not a claim
    if nxt == "by" or (cue in _OBJECT_AFTER and _OBJECT_AFTER[cue].match(rest)):
        return False  # "recalled by the Reich": a passive; "claimed the coldest temperature": an object
    if cue in OBJECT_CUES and nxt in {"the", "a", "an", "to", "up", "another", "its", "his", "her", "their"}:
        return False
    if cue in _GOES_ON and nxt in {"to", "with", "on", "as", "in", "into", "for", "through", "until"}:
        return False  # "as it continues to wage war": goes on doing, says nothing
    if nxt in {"up", "from", "off", "out", "back"} and not rest.lower().startswith("back in "):
        return False
    if cue not in AMBIGUOUS_CUES:
        return True
    return nxt in CONTENT_OPENERS or rest[0].isupper() or rest[0].isdigit() or rest[0] == "$"


def _strip_auxiliaries(pre: str, *, progressive: bool) -> str | None:
    """Drop "has also" in "X has also said"; None for passives ("was told")."""
    text = pre.rstrip()
    while text:
        cut = text.rfind(" ")
        last = text[cut + 1 :].lower()
        if last in _BE_WORDS and not progressive:
            return None
        if last in CUE_AUXILIARIES or last in _BE_WORDS:
            text = text[:cut].rstrip() if cut >= 0 else ""
            continue
        break
    return text


_SHORT_OPENER = 8  # words: a name and a short appositive ("Michael Fitton, defending,")


def _named_opener(opened: str) -> bool:
    """A sentence that opens with a person and a short appositive, then the cue: the cue is not inverted."""
    if not opened.endswith(",") or len(opened.split()) > _SHORT_OPENER or any(q in opened for q in "“”\"'‘’"):
        return False
    first = opened.split(",", 1)[0].strip()
    source = classify(first)
    return source is not None and source.kind == "named" and NAME.fullmatch(first) is not None and " " in first


def _subject(sentence: str, pre: str, m: re.Match[str], cue: str) -> Phrase | None:
    opened = pre.rstrip()
    inverted_ok = (not opened or opened.endswith(_INVERTED_OPENERS)) and cue in INVERTIBLE_CUES
    if inverted_ok and _named_opener(opened):
        inverted_ok = False  # "Michael Fitton, defending, said Hartley had ...": the teller opened the sentence
    if inverted_ok:
        after = name_after(sentence[m.end() :])
        source = classify(after) if after else None
        # "..., said 40 soldiers died": an amount after the cue opens what was said, not who said it.
        amount = is_quantity(after or "") and not has_name(after or "")  # but "said 9/11 widow Terry Strada"
        if source and source.kind in {"named", "anonymous"} and not _is_time(after or "") and not amount:
            return source
    relative = _RELATIVE_WHO.search(pre)
    if relative is not None:
        source = classify(relative.group("name"))
        if source is not None and source.kind == "named":
            return source
    phrase = subject_before(pre)
    if phrase is None or is_measure(phrase) or contact_relative(phrase) or _RELATIVE_OPENER.search(pre[: -len(phrase)]):
        return None  # "the $1.4 billion (that) the mayor promised": the cue sits in a clause that modifies a noun
    source = classify(phrase)
    if source is None:
        return None
    if cue in DOCUMENT_CUES or cue in {"read", "reads"}:
        # "found" / "shows" / "the post read" need a document or a research body, not "he".
        head = head_word(source.text)
        if source.kind == "pronoun" or (source.kind == "reference" and head not in DOCUMENT_HEADS):
            return None
        if cue in {"read", "reads"} and head not in DOCUMENT_HEADS:
            return None
    if source.kind == "reference" and len(source.text.split()) < 2:
        return None
    if source.kind == "anonymous" and not is_quantity(source.text):
        # "a baseless claim that", "a liberal think tank": a noun phrase, not someone speaking.
        head = head_word(source.text)
        if head not in DOCUMENT_HEADS and head not in ANONYMOUS_PEOPLE and head.rstrip("s") not in ANONYMOUS_PEOPLE:
            if head not in {"one", "another", "others"}:  # "One, who asked not to be named, said"
                return None
    return source


_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday on in at last this yesterday today".split()
)


def _is_time(text: str) -> bool:
    return text.split()[0].lower() in _TIME_WORDS


def _with_recipient(after: str, attribution: Attribution) -> Attribution:
    rest = after.lstrip()
    recipient = None
    if rest[:1] in {"“", '"'}:
        close = rest.find("”" if rest[0] == "“" else '"', 1)
        if 0 < close < 60:
            recipient = clean(rest[1:close])
            rest = rest[close + 1 :]
    else:
        outlet = _OUTLET.match(rest)
        name = outlet.group(0) if outlet else name_after(rest)
        if name and (name[0].isupper() or outlet):
            recipient = name
            rest = rest[rest.find(name) + len(name) :]
    inner: tuple[Phrase, ...] = ()
    doc = _OF_DOC.match(rest)
    if doc:
        phrase = classify(doc.group("doc"))
        if phrase:
            inner = (phrase,)
    return Attribution(attribution.source, attribution.cue, attribution.cue_start, recipient, inner)


def _inner_tellers(sentence: str, outer: Attribution, in_quote: InQuote) -> tuple[Phrase, ...]:
    """A second teller inside the content: "X, citing Y," or "X said Y reported"."""
    after = outer.cue_start + len(outer.cue)
    for m in _CITING.finditer(sentence):
        if in_quote(m.start()):
            continue
        phrase = np_after(sentence[m.end() :])
        relayed = classify(phrase) if phrase else None
        if relayed and relayed.kind != "pronoun" and not same_source(relayed.text, outer.source.text):
            return (relayed,)
    nested = _cue_attribution(sentence, in_quote, start_at=after)
    if nested is None or nested.cue not in RELAY_CUES or nested.source.kind not in {"named", "anonymous"}:
        return ()
    if same_source(nested.source.text, outer.source.text):
        return ()
    if head_word(outer.source.text) in DOCUMENT_HEADS and nested.source.kind == "anonymous":
        return ()  # "a poll found that 74 percent of voters said": respondents, not a relay
    # Only a teller inside the outer content counts ("X said that Y reported"), not a new clause ("..., but Y said").
    subject_at = sentence.rfind(nested.source.text, after, nested.cue_start)
    between = sentence[after:subject_at] if subject_at >= 0 else ""
    if subject_at < 0 or _CLAUSE_BREAK.search(between) or len(between.split()) > 8:
        return ()
    return (nested.source,)
