"""The one entry point every adapter uses: a URL, pasted text or a local file -> events -> Report.

    async for event in check("https://...", settings=settings):
        ...  # ArticleReady, ClaimsFound, ClaimAnalysed..., Finished (always last)

Steps: fetch (bot.fetch) -> extract (bot.extract) -> score sentences (bot.claims)
-> audit sourcing (bot.sourcing) -> LLM analysis (bot.llm, when configured)
-> evidence (bot.evidence, unless FACTCHECK_EVIDENCE=off) -> Report.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import time
from collections.abc import AsyncIterator, Sequence
from importlib import resources
from pathlib import Path

from bot import languages, stages
from bot.cache import ReportCache
from bot.config import Settings
from bot.encoder import ENCODER_DIR, HEAD_FILENAME, encoder_available
from bot.engine import AnalysisEngine, EngineResult
from bot.events import ArticleReady, ClaimAnalysed, ClaimsFound, Event, Finished
from bot.evidence import EvidencePack, add_related_passages, add_to_report, collect
from bot.fetch import FetchedPage, fetch_page
from bot.isolation import Budget, shared_pool
from bot.links import looks_like_url, normalize_url
from bot.models import AnalysisStatus, Article, ArticleInfo, Candidate, Claim, EngineInfo, Report, Timings, Usage
from bot.outcome import CheckError, Outcome
from bot.sourcing import RULES_VERSION

log = logging.getLogger(__name__)

OFFLINE_NOTICE = (
    "Offline analysis: key claims and their sourcing only. Context, counter-evidence and questions "
    "for the reporter need a language model: set OPENAI_API_KEY (or OPENAI_BASE_URL for a local "
    "OpenAI-compatible server such as Ollama) and run again."
)
LLM_FAILED_NOTICE = (
    "The language model failed, so this report holds the offline analysis only: key claims and "
    "their sourcing. See the warnings for why."
)
CUT_NOTICE = (
    "The article is long: only its first {analysed:,} characters (of about {full:,}) were analysed. "
    "Claims further down are not in this report."
)
LANGUAGE_WARNING = (
    "This page is in {language}. The offline analysis reads English only, so it lists no claims rather than "
    "guess at them; a language model reads {language}: configure one to check this page."
)
LANGUAGE_WARNING_LLM = (
    "This page is in {language}. The sourcing audit reads English only: where the model did not give a claim's "
    "sourcing, it is marked not assessed."
)


def build_engine(settings: Settings, *, offline: bool) -> AnalysisEngine | None:
    """The LLM engine when one is configured and wanted, else None (offline analyzer)."""
    if offline or not settings.llm_configured:
        return None
    from bot.llm.engine import LLMEngine  # imported lazily: the offline path never loads openai

    return LLMEngine(settings=settings)


def cache_engine_id(settings: Settings, engine: AnalysisEngine | None, *, max_claims: int | None = None) -> str:
    """The engine part of a report's cache key for these settings (adapters look reports up with it too)."""
    return engine_id(engine, max_claims=max_claims or settings.max_claims, evidence=settings.evidence_providers)


def engine_id(engine: AnalysisEngine | None, *, max_claims: int, evidence: tuple[str, ...] = ()) -> str:
    """Everything that changes a report for the same page goes into its cache key.

    The package version is in it: an upgrade changes extraction, scoring and sourcing rules, so
    it must not be answered with analyses the old code made.
    """
    model = _offline_model_key() if engine is None else _ngram_model_version()
    cw = f"{model}|v={_package_version()}"
    sources = f"|ev={','.join(evidence)}" if evidence else ""
    if engine is None:
        return f"offline|cw={cw}|src={RULES_VERSION}|n={max_claims}{sources}"
    cutoff = engine.model_cutoff  # told to the model: a different cut-off is a different report
    return f"llm|{engine.model}|prompts={engine.prompt_version}|cw={cw}|src={RULES_VERSION}|n={max_claims}{sources}" + (
        f"|cutoff={cutoff}" if cutoff else ""
    )


def offline_claims(
    article: Article, *, max_claims: int, timings: Timings | None = None, encoder: bool = False
) -> tuple[list[Candidate], list[Claim]]:
    """Score every sentence, pick the key claims and audit each one's sourcing, in this process.

    ``encoder``: let the sentence encoder re-score the best sentences (the offline report; with a language model
    the model picks the claims, so it is not spent).
    """
    analysis = stages.analyse(article, max_claims=max_claims, encoder=encoder)
    if timings is not None:
        timings.claims_ms, timings.sourcing_ms = analysis.claims_ms, analysis.sourcing_ms
    return analysis.candidates, analysis.claims


async def load_article(
    target: str | Path, *, settings: Settings, timings: Timings, budget: Budget | None = None
) -> Article:
    """Turn the target into an Article. ``Path`` means a local file (CLI only: never from chat).

    Extraction runs in a worker process (``bot.isolation``) within ``budget``, the page's hard time
    bound, so no page can hold the event loop or the other checks.
    """
    pool = shared_pool(workers=settings.cpu_workers)
    budget = budget or Budget(settings.page_timeout_s)
    limits = _limits(settings)
    if isinstance(target, Path):
        started = time.perf_counter()
        article = await pool.run(stages.file_article, target, limits=limits, budget=budget)
        timings.extract_ms = _ms(started)
        return article
    if looks_like_url(target):
        url = normalize_url(target)
        if url is None:
            raise CheckError(Outcome.INVALID_URL, "only http and https links")
        pool.start()  # the workers get ready while the page downloads
        started = time.perf_counter()
        page = await fetch_page(url, settings=settings)
        timings.fetch_ms = _ms(started)
        started = time.perf_counter()
        article = await pool.run(stages.page_article, page, url=url, limits=limits, budget=budget)
        timings.extract_ms = _ms(started)
        return article
    started = time.perf_counter()
    article = await pool.run(stages.text_article, target, limits=limits, budget=budget)
    timings.extract_ms = _ms(started)
    return article


async def check(
    target: str | Path,
    *,
    settings: Settings,
    offline: bool = False,
    max_claims: int | None = None,
    cache: ReportCache | None = None,
    engine: AnalysisEngine | None = None,
) -> AsyncIterator[Event]:
    """Check one article. Never raises for bad input: the last event is always ``Finished``."""
    started = time.perf_counter()
    timings = Timings()
    max_claims = max_claims or settings.max_claims
    own_engine = None
    try:
        if engine is None:
            engine = own_engine = build_engine(settings, offline=offline)
        elif offline:
            engine = None
        key_engine = cache_engine_id(settings, engine, max_claims=max_claims)
        cache_url = normalize_url(target) if isinstance(target, str) and looks_like_url(target) else None

        if cache is not None and cache_url is not None:
            hit = await cache.get_latest(url=cache_url, engine_id=key_engine)
            if hit is not None:
                async for event in _replay(hit):
                    yield event
                return

        budget = Budget(settings.page_timeout_s)
        article = await load_article(target, settings=settings, timings=timings, budget=budget)
        yield ArticleReady(article)
        url_key = cache_url or f"text:{article.content_hash}"
        if cache is not None:
            hit = await cache.get(url=url_key, content_hash=article.content_hash, engine_id=key_engine)
            if hit is not None:
                async for event in _replay(hit, article=article):
                    yield event
                return

        pool = shared_pool(workers=settings.cpu_workers)
        analysis = await pool.run(stages.analyse, article, max_claims=max_claims, encoder=engine is None, budget=budget)
        candidates, claims = analysis.candidates, analysis.claims
        timings.claims_ms, timings.sourcing_ms = analysis.claims_ms, analysis.sourcing_ms

        outcome = Outcome.OK
        report = _report(article, claims, engine=engine, checkworthiness_model=analysis.model_version)
        if article.cut_from_chars is not None:
            report.warnings.append(CUT_NOTICE.format(analysed=len(article.text), full=article.cut_from_chars))
        if not languages.reads(article.language):
            warning = LANGUAGE_WARNING if engine is None else LANGUAGE_WARNING_LLM
            report.warnings.append(warning.format(language=languages.name(article.language or "")))
        if engine is None:
            yield ClaimsFound(tuple(claims))
            report.notice = OFFLINE_NOTICE
        else:
            step = time.perf_counter()
            result: EngineResult | None = None

            async def lookup(found: Sequence[Claim]) -> EvidencePack:  # between the engine's two rounds
                return await collect(
                    article=article,
                    claims=found,
                    settings=settings,
                    cache=cache,
                    extract=functools.partial(_extract_evidence_page, settings=settings),
                )

            async for step_event in engine.run(
                article=article,
                candidates=candidates,
                offline_claims=claims,
                max_claims=max_claims,
                evidence=lookup if settings.evidence_providers else None,
            ):
                if isinstance(step_event, (ClaimsFound, ClaimAnalysed)):
                    yield step_event
                else:
                    result = step_event
            timings.llm_ms = _ms(step)
            if result is not None:
                report.claims = list(result.claims)
                report.summary = list(result.summary)
                report.sourcing_verdict = result.sourcing_verdict
                report.flags = list(result.flags)
                report.unmatched_quotes = list(result.unmatched_quotes)
                report.usage = result.usage
                report.warnings.extend(result.warnings)
                if result.failed:
                    outcome = Outcome.LLM_FAILED
                    report.notice = LLM_FAILED_NOTICE
                if result.evidence is not None:
                    add_to_report(report, result.evidence, stance_judged=True, article_published=article.published)
                    timings.evidence_ms = result.evidence.elapsed_ms
                    timings.llm_ms = round(timings.llm_ms - timings.evidence_ms, 1)
        if settings.evidence_providers and report.evidence_summary is None:  # no model, or round 1 failed
            step = time.perf_counter()
            await add_related_passages(
                article=article,
                report=report,
                settings=settings,
                cache=cache,
                extract=functools.partial(_extract_evidence_page, settings=settings),
            )
            timings.evidence_ms = _ms(step)
        timings.total_ms = _ms(started)
        report.timings = timings
        if cache is not None and cacheable(outcome, report):
            await cache.put(url=url_key, content_hash=article.content_hash, engine_id=key_engine, report=report)
        yield Finished(outcome, report)
    except CheckError as exc:
        yield Finished(exc.outcome, None, exc.detail)
    except Exception:  # the bot must answer even when a step has a bug
        log.exception("check failed unexpectedly")
        yield Finished(Outcome.INTERNAL_ERROR, None)
    finally:
        if own_engine is not None:
            await own_engine.aclose()  # adapters pass one long-lived engine; a one-off one is closed here


async def _replay(report: Report, *, article: Article | None = None) -> AsyncIterator[Event]:
    """A cached report, as the same event sequence a fresh check gives."""
    if article is None:
        info = report.article
        article = Article(
            url=info.url,
            final_url=info.url,
            title=info.title,
            site_name=info.site_name,
            author=info.author,
            published=info.published,
            language=info.language,
            text=info.text,
        )
        yield ArticleReady(article)
    # The timings are the analysis's own (how long it took when it was made); usage is this
    # answer's, and a cached answer costs nothing.
    cached = report.model_copy(update={"cached": True, "usage": Usage()})
    yield ClaimsFound(tuple(cached.claims))
    yield Finished(Outcome.OK, cached)


def _offline_model_key() -> str:
    """Which offline model scores pages here, for the cache key, without loading it into this process.

    ``bot.claims.offline_model_version()`` loads the blend, sentence encoder included (130 MB): the
    workers hold that, the bot process need not. The blend's head and the encoder's manifest
    identify it; without the encoder the n-gram model alone scores.
    """
    head = resources.files("bot").joinpath("data", HEAD_FILENAME)
    if not (encoder_available() and head.is_file()):
        return _ngram_model_version()
    digest = hashlib.sha256(head.read_bytes() + (ENCODER_DIR / "MANIFEST.json").read_bytes()).hexdigest()
    return f"blend-{digest[:12]}"


def _ngram_model_version() -> str:
    # Imported here: the model needs numpy (~19 MB), which a bot or CLI process whose pages are scored in the
    # page workers would otherwise hold for a version string.
    from bot.checkworthiness import default_model

    return default_model().version


def _report(
    article: Article, claims: list[Claim], *, engine: AnalysisEngine | None, checkworthiness_model: str
) -> Report:
    return Report(
        article=ArticleInfo.from_article(article),
        engine=EngineInfo(
            mode="offline" if engine is None else "llm",
            model=None if engine is None else engine.model,
            model_cutoff=None if engine is None else engine.model_cutoff,
            prompt_version=None if engine is None else engine.prompt_version,
            checkworthiness_model=checkworthiness_model,
        ),
        claims=claims,
    )


async def _extract_evidence_page(page: FetchedPage, *, settings: Settings) -> Article:
    """Evidence pages are as hostile as articles: the same extractor, worker pool and time bound."""
    return await shared_pool(workers=settings.cpu_workers).run(
        stages.page_article, page, url=page.url, limits=_limits(settings), budget=Budget(settings.page_timeout_s)
    )


def _limits(settings: Settings) -> stages.Limits:
    return stages.Limits(
        max_chars=settings.max_analysed_chars, max_links=stages.MAX_LINKS, max_bytes=settings.max_bytes
    )


def cacheable(outcome: Outcome, report: Report) -> bool:
    """Only a whole answer is kept: no claims, or a claim whose analysis failed, is asked again next time."""
    if outcome is not Outcome.OK or not report.claims:
        return False
    return all(claim.analysis is not AnalysisStatus.FAILED for claim in report.claims)


@functools.lru_cache(maxsize=1)
def _package_version() -> str:
    try:
        return importlib.metadata.version("factcheck-bot")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "source"


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
