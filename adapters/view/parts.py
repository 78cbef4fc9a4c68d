"""The pieces a view is made of: text, live links, labelled rows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Link:
    """A live link: the policy allowed it and its label comes from its own target."""

    url: str
    label: str


Piece = str | Link  # text (untrusted or ours, to be escaped) or a live link
Line = tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled part of a claim: a single value, or a list when there are several."""

    label: str
    lines: tuple[Line, ...]
    marked: bool = False  # every line is model knowledge: the label carries the mark

    @property
    def is_list(self) -> bool:
        return len(self.lines) > 1


def line_text(line: Line) -> str:
    """A line as plain text, links by their label."""
    return "".join(piece if isinstance(piece, str) else piece.label for piece in line)
