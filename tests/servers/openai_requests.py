"""The engine's requests read back, as the scripted models (openai_server.FactcheckModel and its kin) read them.

Round 1 shows the article with ``[S#]`` sentence ids and names the classifier's best
sentences by id; round 2 marks each claim in the article as ``⟦c1⟧…⟦/c1⟧``, lists
the offline audit per claim and says which ids it asks about. These helpers parse
exactly that, so a change of the engine's request form fails here first.
"""

from __future__ import annotations

import re
from typing import Any

_SENTENCE_MARK = re.compile(r"\[S(\d+)\] ")
_LINK_MARK = re.compile(r"\[L\d+\]")
_HINT = re.compile(r"\bS(\d+) ([0-9.]+)")
_ASKED = re.compile(r"^Analyse the claims (.+?), marked", re.MULTILINE)
_MARKED = re.compile(r"\u27e6(c\d+)\u27e7(.*?)\u27e6/\1\u27e7", re.DOTALL)
_AUDIT = re.compile(r"^(c\d+) \|.*offline audit: (.*)$", re.MULTILINE)

REPAIR_OPENING = "Your previous answer could not be used"  # prompts/repair.user.md


def section(block: str, title: str) -> str:
    """The text under a "## <title>" heading of the data block, up to the next heading."""
    start = block.find(f"## {title}")
    if start < 0:
        return ""
    body = block[block.index("\n", start) + 1 :] if "\n" in block[start:] else ""
    end = body.find("\n## ")
    return body if end < 0 else body[:end]


def marked_sentences(block: str) -> dict[int, str]:
    """Round 1: the article's sentences by their [S#] id, as the engine showed them (links unmarked)."""
    parts = _SENTENCE_MARK.split(section(block, "Article"))
    return {int(parts[i]): " ".join(_LINK_MARK.sub("", parts[i + 1]).split()) for i in range(1, len(parts) - 1, 2)}


def ranked_hints(block: str) -> list[int]:
    """Round 1: the sentence ids the classifier rated most check-worthy, best first."""
    hints = _HINT.findall(section(block, "Most check-worthy"))
    return [int(number) for number, _ in sorted(hints, key=lambda hint: -float(hint[1]))]


def asked_ids(user: str) -> list[str]:
    """Round 2: the claim ids one request asks about."""
    asked = _ASKED.search(user)
    return asked.group(1).split(", ") if asked else []


def marked_claims(block: str) -> dict[str, str]:
    """Round 2: each claim's words as marked in the article (⟦c1⟧…⟦/c1⟧)."""
    return {m.group(1): " ".join(_LINK_MARK.sub("", m.group(2)).split()) for m in _MARKED.finditer(block)}


def audit_fields(block: str) -> dict[str, dict[str, str]]:
    """Round 2: each claim's offline audit as the engine wrote it ("status", "source", "cue", "link": "L2", "chain")."""
    return {
        m.group(1): dict(part.split("=", 1) for part in m.group(2).split("; ") if "=" in part)
        for m in _AUDIT.finditer(block)
    }


def audit_reading(fields: dict[str, str]) -> dict[str, Any]:
    """An audit (``audit_fields``) in the shape of the answer's ``sourcing``: a model that agrees with it."""
    link = fields.get("link", "")
    return {
        "status": fields.get("status", "unattributed"),
        "source": fields.get("source"),
        "chain": fields["chain"].split(" > ") if fields.get("chain") else [],
        "link": int(link[1:]) if link.startswith("L") else None,
        "gap": None if link else "The article does not link to the source.",
    }


_PASSAGE_HEAD = re.compile(r'^\[(E\d+)\] for (c\d+) \| (.*)\n"(.*)"$', re.MULTILINE)


def given_passages(block: str) -> dict[str, list[tuple[str, str, str]]]:
    """Round 2 with evidence: per claim id, its passages as (id "E3", description, text as shown)."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for m in _PASSAGE_HEAD.finditer(section(block, "Retrieved passages")):
        out.setdefault(m.group(2), []).append((m.group(1), m.group(3), m.group(4)))
    return out
