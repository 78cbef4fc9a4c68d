"""One text splitter for every front end; each platform says where a hard cut is safe.

A cut goes at a paragraph, then a line, then a space; only a line with no space in its second
half is cut hard, and then ``safe_cut`` moves the cut back so that no chunk ends inside a control
sequence of the platform (an ``&entity;`` or ``<link>`` on Slack, a ``\\`` escape on Discord).
"""

from __future__ import annotations

from collections.abc import Callable

SafeCut = Callable[[str, int], int]


def anywhere(text: str, cut: int) -> int:
    """Plain text: any character boundary is safe."""
    return cut


def split_text(text: str, *, limit: int, safe_cut: SafeCut = anywhere) -> list[str]:
    """``text`` in chunks of at most ``limit`` characters, none empty, with no text lost but the
    whitespace at each cut."""
    if limit < 2:
        raise ValueError("limit must be at least 2")
    text = text.strip()
    chunks: list[str] = []
    while len(text) > limit:
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = text.rfind(separator, 0, limit + 1)
            if cut >= limit // 2:
                break
        if cut < limit // 2:
            cut = safe_cut(text, limit)
            if not 0 < cut <= limit:
                cut = limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return [chunk for chunk in chunks if chunk]


def shorten(text: str, limit: int, *, safe_cut: SafeCut = anywhere) -> str:
    """``text`` cut to ``limit`` characters with a visible ellipsis, at a space when one is near."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    else:
        head = head[: safe_cut(head + " ", len(head))]
    return head.rstrip() + "…"
