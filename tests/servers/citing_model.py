"""A scripted model that reads the retrieved passages and cites them, as a careful model would.

Round 1 and the rest of round 2 are ``FactcheckModel``'s. For each claim it judges every passage
given for it (``contradicts`` when the passage holds one of ``contradicting`` words, else
``context``), quotes the passage's first sentence (curly quotes straightened, as models retype
them), rests a counter-point on the contradicting passages (after one of its own knowledge, cited to
nothing) and its context on the rest. ``misquote`` ids get a quote that is not on the
page; ``foreign`` cites an id that was not given for the claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tests.servers.openai_requests import given_passages
from tests.servers.openai_server import FactcheckModel

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def first_sentence(text: str) -> str:
    sentence = _SENTENCE_END.split(text.removesuffix(" [...]"), maxsplit=1)[0]
    return sentence.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')


@dataclass
class CitingModel(FactcheckModel):
    claims: int = 8
    contradicting: tuple[str, ...] = ("2.3 billion", "11 months", "31 percent", "2024")
    misquote: set[str] = field(default_factory=set)  # "E1": a quote the page does not hold
    foreign: bool = False
    seen_passages: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)

    def analyse(self, block: str, *, with_summary: bool, asked: list[str]) -> dict[str, Any]:
        result = super().analyse(block, with_summary=with_summary, asked=asked)
        given = given_passages(block)
        self.seen_passages.update(given)
        for analysis in result["analyses"]:
            passages = given.get(analysis["claim_id"], [])
            readings, against, around = [], [], []
            for eid, _, text in passages:
                stance = "contradicts" if any(word in text for word in self.contradicting) else "context"
                quote = "The figures were confirmed by nobody at all." if eid in self.misquote else first_sentence(text)
                readings.append({"id": eid, "stance": stance, "quote": quote})
                (against if stance == "contradicts" else around).append(eid)
            if self.foreign:
                readings.append({"id": "E99", "stance": "supports", "quote": "Anything at all."})
            cited = {"text": "Other reporting gives different figures.", "verify_with": None, "sources": against}
            counter = [*analysis["counter_evidence"][:1], cited]  # its own knowledge first: the engine reorders
            analysis.update(sources=readings, context_sources=around, counter_evidence=counter)
        return result
