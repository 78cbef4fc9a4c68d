"""Where a relayed document came from, when a later sentence says so.

"X told Channel 9 of a leaked memo ..." is often followed by "the memo was first posted by an
anonymous account on a forum": that names the document's origin, the hand a reader would need to
reach to check it. Only the passive "the <document> was <posted> by/on <someone>" and "the <document>
came from <someone>" are read; an active sentence ("the account posted the memo") has its own cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.sourcing.phrases import Phrase, classify, np_after

_ORIGIN_VERBS = (
    r"posted|published|leaked|shared|released|written|uploaded|circulated|obtained|drafted|prepared|commissioned|"
    r"produced|authored|sent|put\s+out|put\s+online|made\s+public"
)
_PASSIVE = (
    r"\s+(?:was|were|had\s+been|has\s+been|have\s+been)\s+"
    rf"(?P<how>(?:\w+ly\s+|first\s+)?(?:{_ORIGIN_VERBS})"
    r"(?:\s+to(?:\s+[\w’'\-]+){1,3}?(?=\s+by\s))?"  # "leaked to reporters by": the origin is after "by"
    r"\s+(?:by|on|in))\s+"
)
_WHEN = re.compile(
    r"\s+(?:in|on|last|this|early|late)\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|\d{4})\b.*$"
)
_CAME_FROM = r"\s+(?P<how>(?:\w+ly\s+)?(?:came|comes|originated)\s+from)\s+"


@dataclass(frozen=True, slots=True)
class Origin:
    source: Phrase  # "an anonymous account on a local forum"
    how: str  # "first posted by", as written


def document_origin(sentence: str, *, head: str) -> Origin | None:
    """The origin of "the <head>" (a memo, a report) that ``sentence`` states, if any."""
    noun = rf"\b(?:the|this|that)\s+(?:[\w’'\-]+\s+){{0,2}}?{re.escape(head)}s?"
    for shape in (_PASSIVE, _CAME_FROM):
        m = re.search(noun + shape, sentence, re.IGNORECASE)
        if m is None:
            continue
        phrase = np_after(sentence[m.end() :])
        phrase = _WHEN.sub("", phrase) if phrase else None  # "by the Heritage Foundation in May"
        source = classify(phrase) if phrase else None
        if source is not None and source.kind in {"named", "anonymous"}:
            return Origin(source, " ".join(m.group("how").split()))
    return None
