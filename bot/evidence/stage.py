"""The evidence stage: for each key claim, trace the article's own links, search, fetch and rank passages.

One deadline covers the whole stage (``FACTCHECK_EVIDENCE_DEADLINE_S``); each page has its own
(``FACTCHECK_EVIDENCE_PAGE_TIMEOUT_S``); at most ``FACTCHECK_EVIDENCE_PAGES_PER_CLAIM`` pages per
claim and ``..._PER_REPORT`` per report, ``..._CONCURRENCY`` at once. Whatever is back when the
deadline falls is kept; the rest is left out with a warning. A provider that fails costs the
report its results, never the report.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.config import Settings
from bot.evidence import notes
from bot.evidence.api import ApiClient
from bot.evidence.hits import Hit
from bot.evidence.independence import is_near_copy, quotes_the_article, same_site
from bot.evidence.linktrace import failed_check, links_for_claim, read_check
from bot.evidence.pages import Extractor, OverBudget, PageFailed, PageFetcher, PageText, extract_in_thread
from bot.evidence.passages import MIN_SHARE, rank, split_passages
from bot.evidence.providers import LABELS, Providers, build_providers, cached_reviews, cached_search
from bot.evidence.store import EvidenceStore, ValueCache
from bot.evidence.terms import ClaimTerms, claim_terms
from bot.models import Article, Claim, LinkCheck, OutboundLink, PriorFactCheck
from bot.netguard import AddressPolicy, Resolver

log = logging.getLogger(__name__)

PASSAGES_PER_CLAIM = 3  # one per page, best first
REPLACEMENT_ROUNDS = 2  # a dead search result is replaced by the next one, at most this many times


@dataclass(frozen=True, slots=True)
class Source:
    """A page read for a claim, and the hit that led to it."""

    page: PageText
    hit: Hit


@dataclass(frozen=True, slots=True)
class Found:
    """A ranked passage for a claim: ``page.text[start:end] == text``."""

    source: Source
    start: int
    end: int
    text: str
    score: float
    independent: bool


@dataclass
class ClaimEvidence:
    claim: Claim
    terms: ClaimTerms
    link_checks: dict[str, LinkCheck] = field(default_factory=dict)  # by URL, in the article's order
    prior: list[PriorFactCheck] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    passages: list[Found] = field(default_factory=list)


@dataclass
class EvidencePack:
    claims: dict[str, ClaimEvidence]
    providers: list[str]
    failed: list[str]
    warnings: list[str]
    pages_fetched: int = 0
    cache_hits: int = 0
    elapsed_ms: float = 0.0

    def pages(self) -> dict[str, PageText]:
        """Every page read, by the URL evidence links point to."""
        return {s.page.final_url: s.page for state in self.claims.values() for s in state.sources}


@dataclass
class _Run:
    article: Article
    settings: Settings
    providers: Providers
    fetcher: PageFetcher
    store: EvidenceStore
    queries: Mapping[str, str]
    copies: int = 0
    over_budget: bool = False


async def gather_evidence(
    *,
    article: Article,
    claims: Sequence[Claim],
    settings: Settings,
    cache: ValueCache | None = None,
    extract: Extractor = extract_in_thread,
    queries: Mapping[str, str] | None = None,
    policy: AddressPolicy | None = None,
    resolver: Resolver | None = None,
) -> EvidencePack:
    """Evidence for ``claims``; never raises for a provider, a page or the deadline (see the warnings)."""
    started = time.perf_counter()
    store = EvidenceStore(cache, ttl_s=settings.evidence_cache_ttl_s)
    states = {claim.id: ClaimEvidence(claim=claim, terms=claim_terms(claim)) for claim in claims}
    warnings: list[str] = []
    timeout_s = min(settings.evidence_page_timeout_s, settings.evidence_deadline_s)
    async with ApiClient(settings=settings, timeout_s=timeout_s) as client:
        providers = build_providers(settings, client)
        warnings += providers.warnings
        fetcher = PageFetcher(
            settings=settings,
            store=store,
            extract=extract,
            budget=settings.evidence_pages_per_report,
            concurrency=settings.evidence_concurrency,
            policy=policy,
            resolver=resolver,
        )
        run = _Run(article, settings, providers, fetcher, store, queries or {})
        tasks = [asyncio.create_task(_gather_claim(run, state)) for state in states.values()]
        try:
            async with asyncio.timeout(settings.evidence_deadline_s):
                outcomes = await asyncio.gather(*tasks, return_exceptions=True)
            for outcome in outcomes:
                if isinstance(outcome, Exception):
                    log.error("evidence for a claim failed", exc_info=outcome)
        except TimeoutError:
            warnings.append(notes.deadline_reached(settings.evidence_deadline_s))
        finally:
            for task in tasks:
                task.cancel()
            fetcher.cancel()
            providers.cancel()
    for state in states.values():
        state.passages = await asyncio.to_thread(_best_passages, state, article)
    failures = providers.failures()
    failed = [name for name in providers.asked if name in failures]  # in the order they are listed
    warnings += [notes.provider_failed(LABELS.get(name, name), failures[name]) for name in failed]
    if run.copies:
        warnings.append(notes.copies_dropped(run.copies))
    if run.over_budget:
        warnings.append(notes.budget_reached(settings.evidence_pages_per_report))
    return EvidencePack(
        claims=states,
        providers=providers.asked,
        failed=failed,
        warnings=warnings,
        pages_fetched=fetcher.fetched,
        cache_hits=store.hits,
        elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
    )


async def _gather_claim(run: _Run, state: ClaimEvidence) -> None:
    language = run.article.language
    links = links_for_claim(run.article, state.claim) if run.providers.trace_links else []
    traces = [asyncio.create_task(_trace(run, state, link)) for link in links]
    terms = state.terms
    proposed = run.queries.get(state.claim.id)
    searches = [
        cached_search(
            run.providers,
            provider,
            terms.encyclopedia_query() if provider.name == "wikipedia" else proposed or terms.web_query(),
            language=language,
            store=run.store,
        )
        for provider in run.providers.search
    ]
    reviews = cached_reviews(run.providers, proposed or terms.fact_check_query(), language=language, store=run.store)
    try:
        hit_lists, state.prior = await asyncio.gather(asyncio.gather(*searches), reviews)
        slots = max(0, run.settings.evidence_pages_per_claim - len(links))
        linked = {link.url for link in links}  # already read as the article's own links
        await _read_hits(run, state, [hit for hit in _interleave(hit_lists) if hit.url not in linked], slots=slots)
        await asyncio.gather(*traces)
    finally:
        for task in traces:
            task.cancel()


def _interleave(hit_lists: Sequence[list[Hit]]) -> list[Hit]:
    """Each provider's best first, then each one's second..., without repeating a URL."""
    out: list[Hit] = []
    seen: set[str] = set()
    for rank_index in range(max((len(hits) for hits in hit_lists), default=0)):
        for hits in hit_lists:
            if rank_index < len(hits) and hits[rank_index].url not in seen:
                seen.add(hits[rank_index].url)
                out.append(hits[rank_index])
    return out


async def _trace(run: _Run, state: ClaimEvidence, link: OutboundLink) -> None:
    try:
        page = await run.fetcher.get(link.url)
    except PageFailed as exc:
        state.link_checks[link.url] = failed_check(link.url, exc.outcome, exc.detail)
        return
    except OverBudget:
        run.over_budget = True
        return
    check = await asyncio.to_thread(read_check, link.url, page, state.terms, language=run.article.language)
    state.link_checks[link.url] = check
    hit = Hit(url=link.url, title=link.anchor, publisher=None, published=None, snippet=None, provider="links", rank=0)
    state.sources.append(Source(page, hit))


async def _read_hits(run: _Run, state: ClaimEvidence, hits: list[Hit], *, slots: int) -> None:
    article_url = run.article.final_url or run.article.url
    pending = [
        hit
        for hit in hits
        if hit.url != article_url and not same_site(hit.url, article_url)  # the article's own site is no evidence
    ]
    read = 0
    for _ in range(REPLACEMENT_ROUNDS):
        batch, pending = pending[: slots - read], pending[slots - read :]
        if not batch:
            return
        results = await asyncio.gather(*(_read_hit(run, state, hit) for hit in batch))
        read += sum(results)


async def _read_hit(run: _Run, state: ClaimEvidence, hit: Hit) -> bool:
    try:
        page = await run.fetcher.get(hit.url)
    except PageFailed:
        return False
    except OverBudget:
        run.over_budget = True
        return False
    if is_near_copy(page.text, run.article.text):
        run.copies += 1
        return False
    state.sources.append(Source(page, hit))
    return True


def _distinct(sources: list[Source]) -> list[Source]:
    """One source per page: a page that is both the article's link and a search result counts as the link."""
    kept: dict[str, Source] = {}
    for source in sorted(sources, key=lambda s: s.hit.provider != "links"):
        kept.setdefault(source.page.final_url, source)
    return list(kept.values())


def _best_passages(state: ClaimEvidence, article: Article) -> list[Found]:
    """The best passage of each page read for the claim, best pages first (CPU: run on a thread)."""
    state.sources = _distinct(state.sources)
    pool = [p for index, source in enumerate(state.sources) for p in split_passages(source.page.text, page=index)]
    terms = state.terms
    query = " ".join((*terms.names, *terms.figures, *terms.keywords))
    article_url = article.final_url or article.url
    chosen: list[Found] = []
    pages_used: set[int] = set()
    # A page the article itself links to is read with a lower bar: the article chose it as the source.
    ranked_pool = rank(pool, query, language=article.language, boost=(*terms.figures, *terms.names), min_share=0.0)
    for ranked in ranked_pool:
        passage = ranked.passage
        source = state.sources[passage.page]
        if source.hit.provider != "links" and ranked.share < MIN_SHARE:
            continue
        if passage.page in pages_used or quotes_the_article(passage.text, article.text):
            continue
        independent = not same_site(source.page.final_url, article_url)
        chosen.append(Found(source, passage.start, passage.end, passage.text, ranked.score, independent))
        pages_used.add(passage.page)
        if len(chosen) >= PASSAGES_PER_CLAIM:
            break
    return chosen
