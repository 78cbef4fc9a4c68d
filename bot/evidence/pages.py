"""Evidence pages, fetched like the article: the hostile-URL fetcher, then the same extractor.

Every URL here came from a third party (a search result, the article's own link), so each goes
through ``bot.fetch.fetch_page`` (address checks on every hop, size and time caps) with its own
deadline, and through the extractor the pipeline hands in (the one the article used). A report
fetches each URL once, at most ``budget`` pages, ``concurrency`` at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

from bot.config import Settings
from bot.evidence.store import EvidenceStore
from bot.fetch import FetchedPage, fetch_page
from bot.models import Article
from bot.netguard import AddressPolicy, Resolver
from bot.outcome import CheckError, Outcome

Extractor = Callable[[FetchedPage], Awaitable[Article]]


@dataclass(frozen=True, slots=True)
class PageText:
    url: str  # as requested
    final_url: str  # after redirects: what evidence links point to
    title: str | None
    site_name: str | None
    published: str | None
    language: str | None
    text: str


class PageFailed(Exception):
    """The page could not be read; ``outcome`` and ``detail`` say why (link checks report them)."""

    def __init__(self, outcome: Outcome, detail: str | None = None) -> None:
        super().__init__(detail or outcome.value)
        self.outcome = outcome
        self.detail = detail


class OverBudget(Exception):
    """The report already fetched as many pages as it may."""


async def extract_in_thread(page: FetchedPage) -> Article:
    """The default extractor (tests, tools): the same functions the pipeline runs, on a worker thread.

    The pipeline hands in its worker pool's extractor instead (killable, time-bound); importing the
    extractor here lazily keeps trafilatura out of the bot process, which never extracts itself."""
    from bot.extract import decode_html, extract_html, extract_text

    if page.content_type == "text/plain":
        return await asyncio.to_thread(extract_text, decode_html(page.body, page.charset))
    return await asyncio.to_thread(
        extract_html, page.body, url=page.url, final_url=page.final_url, charset=page.charset
    )


class PageFetcher:
    def __init__(
        self,
        *,
        settings: Settings,
        store: EvidenceStore,
        extract: Extractor,
        budget: int,
        concurrency: int,
        policy: AddressPolicy | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self._settings = settings.replace(
            fetch_timeout_s=min(settings.fetch_timeout_s, settings.evidence_page_timeout_s), fetch_attempts=1
        )
        self._store = store
        self._extract = extract
        self._budget = budget
        self._gate = asyncio.Semaphore(concurrency)
        self._policy = policy or AddressPolicy.from_settings(settings)
        self._resolver = resolver
        self._pages: dict[str, asyncio.Task[PageText]] = {}
        self.fetched = 0  # pages requested over the network (cache hits not counted)

    def known(self, url: str) -> bool:
        return url in self._pages

    @property
    def room(self) -> int:
        return self._budget - len(self._pages)

    async def get(self, url: str) -> PageText:
        """The page's text, or ``PageFailed`` / ``OverBudget``. The same URL is fetched once per report."""
        task = self._pages.get(url)
        if task is None:
            if len(self._pages) >= self._budget:
                raise OverBudget(url)
            task = asyncio.ensure_future(self._load(url))
            self._pages[url] = task
        return await asyncio.shield(task)  # one caller giving up must not cancel the others' page

    def cancel(self) -> None:
        for task in self._pages.values():
            task.cancel()

    async def _load(self, url: str) -> PageText:
        cached = await self._store.get("page", url)
        if isinstance(cached, dict):
            try:
                return PageText(**cached)
            except TypeError:
                pass  # an older shape: fetch again
        async with self._gate:
            self.fetched += 1
            try:
                fetched = await fetch_page(url, settings=self._settings, policy=self._policy, resolver=self._resolver)
                article = await self._extract(fetched)
            except CheckError as exc:
                raise PageFailed(exc.outcome, exc.detail) from None
        page = PageText(
            url=url,
            final_url=fetched.final_url,
            title=article.title,
            site_name=article.site_name,
            published=article.published,
            language=article.language,
            text=article.text,
        )
        await self._store.put("page", url, value=asdict(page))
        return page
