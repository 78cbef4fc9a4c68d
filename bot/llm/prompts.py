"""Prompt files from the top-level ``prompts`` package, with one version for all of them.

The version is ``prompts/VERSION`` plus a short hash of every prompt file, so an
edited prompt changes the cache key even when nobody remembers to bump VERSION.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from string import Template

PROMPT_NAMES = (
    "untrusted_data.md",
    "find_claims.system.md",
    "find_claims.user.md",
    "analyse_claims.system.md",
    "analyse_claims.summary.md",
    "analyse_claims.user.md",
    "evidence.rules.md",
    "evidence.none.md",
    "cutoff.known.md",
    "cutoff.unknown.md",
    "repair.user.md",
    "repair.json_schema.md",
    "repair.schema_in_prompt.md",
    "schema_in_prompt.md",
)


@dataclass(frozen=True)
class Prompts:
    version: str
    texts: Mapping[str, str]

    def render(self, name: str, **values: object) -> str:
        """Fill ``$placeholders``; values are inserted as-is and never re-parsed as templates."""
        return Template(self.texts[name]).substitute({key: str(value) for key, value in values.items()})

    def fragment(self, name: str, **values: object) -> str:
        """A piece of a prompt that goes inside another one: rendered, without its final newline."""
        return self.render(name, **values).strip()


@lru_cache(maxsize=1)
def load_prompts() -> Prompts:
    root = files("prompts")
    texts = {name: root.joinpath(name).read_text(encoding="utf-8") for name in PROMPT_NAMES}
    base = root.joinpath("VERSION").read_text(encoding="utf-8").strip()
    digest = hashlib.sha256()
    for name in PROMPT_NAMES:
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(texts[name].encode("utf-8"))
    return Prompts(version=f"{base}+{digest.hexdigest()[:8]}", texts=texts)
