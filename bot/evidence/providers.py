"""The providers a report asks, built from Settings, each behind the evidence cache and its own pace."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from bot.config import Settings
from bot.evidence.api import ApiClient
from bot.evidence.brave import Brave
from bot.evidence.fact_check_tools import FactCheckTools
from bot.evidence.hits import Hit, ProviderError, SearchProvider
from bot.evidence.searxng import SearXNG
from bot.evidence.store import EvidenceStore
from bot.evidence.wikipedia import Wikipedia
from bot.models import PriorFactCheck

T = TypeVar("T")
LIMITS = {"wikipedia": 3, "searxng": 5, "brave": 5, "fact_check_tools": 5}
# Calls at once per provider: Wikimedia asks API clients to go serially where they can, and small
# Brave plans allow one request a second.
PACE = {"wikipedia": 2, "searxng": 4, "brave": 2, "fact_check_tools": 4}
LABELS = {
    "links": "the article's links",
    "wikipedia": "Wikipedia",
    "fact_check_tools": "Google Fact Check Tools",
    "searxng": "SearXNG",
    "brave": "Brave Search",
}
_MISSING = {
    "fact_check_tools": "GOOGLE_FACT_CHECK_API_KEY",
    "searxng": "FACTCHECK_SEARXNG_URL",
    "brave": "BRAVE_API_KEY",
}


@dataclass
class Providers:
    """Search providers (pages to read), the fact-check provider (earlier verdicts) and what went wrong."""

    search: list[SearchProvider]
    fact_checks: FactCheckTools | None
    trace_links: bool
    asked: list[str]  # provider names, in order, as the report lists them
    warnings: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # provider name -> reason (first failure)
    answered: set[str] = field(default_factory=set)  # providers that answered at least one search
    missed: dict[str, str] = field(default_factory=dict)  # provider name -> reason a single query failed
    searches: int = 0
    _gates: dict[str, asyncio.Semaphore] = field(default_factory=dict)
    _asked: dict[tuple[str, ...], asyncio.Future[Any]] = field(default_factory=dict)

    def gate(self, name: str) -> asyncio.Semaphore:
        return self._gates.setdefault(name, asyncio.Semaphore(PACE.get(name, 2)))

    def note_failure(self, name: str, error: ProviderError) -> None:
        if error.this_query_only:
            self.missed.setdefault(name, error.reason)
        else:
            self.failed.setdefault(name, error.reason)

    def failures(self) -> dict[str, str]:
        """Providers that failed, or whose every search failed, with why."""
        unanswered = {name: why for name, why in self.missed.items() if name not in self.answered}
        return {**unanswered, **self.failed}

    async def once(self, key: tuple[str, ...], ask: Callable[[], Awaitable[T]]) -> T:
        """``ask()`` once per report for ``key``: claims about one subject share one search."""
        future = self._asked.get(key)
        if future is None:
            future = self._asked[key] = asyncio.ensure_future(ask())
        return await asyncio.shield(future)

    def cancel(self) -> None:
        for future in self._asked.values():
            future.cancel()


def build_providers(settings: Settings, client: ApiClient) -> Providers:
    wanted = settings.evidence_providers
    warnings: list[str] = []
    search: list[SearchProvider] = []
    fact_checks = None
    for name in wanted:
        if name == "wikipedia":
            search.append(Wikipedia(client=client, api_url=settings.wikipedia_api_url))
        elif name == "searxng" and settings.searxng_url:
            search.append(SearXNG(client=client, base_url=settings.searxng_url))
        elif name == "brave" and settings.brave_api_key is not None:
            search.append(
                Brave(client=client, url=settings.brave_search_url, api_key=settings.brave_api_key.get_secret_value())
            )
        elif name == "fact_check_tools" and settings.google_fact_check_api_key is not None:
            fact_checks = FactCheckTools(
                client=client,
                url=settings.fact_check_tools_url,
                api_key=settings.google_fact_check_api_key.get_secret_value(),
            )
        elif name in _MISSING:
            warnings.append(f"{LABELS[name]} is listed in FACTCHECK_EVIDENCE but {_MISSING[name]} is not set.")
    active = {provider.name for provider in search} | ({"links"} if "links" in wanted else set())
    if fact_checks is not None:
        active.add(fact_checks.name)
    asked = [name for name in wanted if name in active]
    return Providers(
        search=search, fact_checks=fact_checks, trace_links="links" in wanted, asked=asked, warnings=warnings
    )


async def cached_search(
    providers: Providers, provider: SearchProvider, query: str, *, language: str | None, store: EvidenceStore
) -> list[Hit]:
    """Hits for ``query``, from the cache or the provider; a failure is noted once and gives no hits."""
    key = ("search", provider.name, language or "", query)
    return await providers.once(key, lambda: _search(providers, provider, query, language=language, store=store))


async def _search(
    providers: Providers, provider: SearchProvider, query: str, *, language: str | None, store: EvidenceStore
) -> list[Hit]:
    limit = LIMITS.get(provider.name, 5)
    parts = (provider.name, language or "", str(limit), query)
    cached = await store.get("search", *parts)
    if isinstance(cached, list):
        try:
            return [Hit(**item) for item in cached]
        except TypeError:
            pass
    async with providers.gate(provider.name):
        if provider.name in providers.failed:
            return []  # one outage is reported once, not retried for every claim
        providers.searches += 1
        try:
            hits = await provider.search(query, language=language, limit=limit)
        except ProviderError as exc:
            providers.note_failure(provider.name, exc)
            return []
        providers.answered.add(provider.name)
    await store.put("search", *parts, value=[asdict(hit) for hit in hits])
    return hits


async def cached_reviews(
    providers: Providers, query: str, *, language: str | None, store: EvidenceStore
) -> list[PriorFactCheck]:
    """Earlier fact-checks for ``query``, from the cache or Fact Check Tools; none on failure."""
    key = ("reviews", language or "", query)
    return await providers.once(key, lambda: _reviews(providers, query, language=language, store=store))


async def _reviews(
    providers: Providers, query: str, *, language: str | None, store: EvidenceStore
) -> list[PriorFactCheck]:
    source = providers.fact_checks
    if source is None:
        return []
    limit = LIMITS["fact_check_tools"]
    parts = (source.name, language or "", str(limit), query)
    cached = await store.get("reviews", *parts)
    if isinstance(cached, list):
        try:
            return [PriorFactCheck.model_validate(item) for item in cached]
        except ValueError:
            pass
    async with providers.gate(source.name):
        if source.name in providers.failed:
            return []
        providers.searches += 1
        try:
            reviews = await source.reviews(query, language=language, limit=limit)
        except ProviderError as exc:
            providers.note_failure(source.name, exc)
            return []
        providers.answered.add(source.name)
    await store.put("reviews", *parts, value=[review.model_dump() for review in reviews])
    return reviews
