"""What every evidence provider returns, and the interface each one implements.

A provider turns a query into :class:`Hit` objects. Everything in a hit came from a third
party (a search engine, an API, a page): it is untrusted text and an untrusted URL, which
only the hostile-URL fetcher may open (``bot.evidence.pages``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.models import EvidenceProvider


@dataclass(frozen=True, slots=True)
class Hit:
    url: str
    title: str | None
    publisher: str | None
    published: str | None  # ISO date or datetime as the provider gives it
    snippet: str | None
    provider: EvidenceProvider
    rank: int  # 1 = the provider's best


class ProviderError(Exception):
    """A provider answered with an error, garbage or not at all; ``reason`` is a few words for the report.

    ``this_query_only``: the provider works but could not answer this one query (a SearXNG whose engines
    timed out on it); the provider is reported as failed only if none of its searches succeeded."""

    def __init__(self, reason: str, *, this_query_only: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.this_query_only = this_query_only


class SearchProvider(Protocol):
    """One search service: ``search(query, language=..., limit=...)`` -> hits, or ``ProviderError``."""

    @property
    def name(self) -> EvidenceProvider: ...

    @property
    def label(self) -> str: ...  # how the report names it: "Wikipedia", "SearXNG"

    async def search(self, query: str, *, language: str | None, limit: int) -> list[Hit]: ...
