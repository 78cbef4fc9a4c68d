"""What the rules find: who tells a sentence, with which cue, through whom."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.sourcing.phrases import Phrase

InQuote = Callable[[int], bool]


@dataclass(frozen=True, slots=True)
class Attribution:
    source: Phrase
    cue: str
    cue_start: int  # offset in the sentence
    recipient: str | None = None  # "told Newsmax": the outlet the teller spoke to
    inner: tuple[Phrase, ...] = ()  # further tellers, outer to inner
