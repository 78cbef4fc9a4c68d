"""The CPU stages of a check as plain functions: what runs in a worker process (``bot.isolation``).

Arguments and results are plain data (bytes, paths, pydantic models) so they pickle across the
process boundary; nothing here touches the network, the cache or the event loop. The heavy
modules (trafilatura, lxml, numpy, the sourcing rules) are imported inside the functions: the bot
process only names these functions, so it never loads them; the workers have them preloaded
(``bot.warmup``), so the import there costs nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from bot.fetch import FetchedPage
from bot.models import Article, Candidate, Claim

MAX_LINKS = 500  # outbound links considered: enough for any article, bounded for a page of links


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of a page the analysis looks at (settings, passed to the worker)."""

    max_chars: int
    max_links: int
    max_bytes: int  # a local file larger than a page may be is refused, as a page would be


@dataclass(frozen=True, slots=True)
class Analysis:
    candidates: list[Candidate]
    claims: list[Claim]
    claims_ms: float
    sourcing_ms: float
    model_version: str  # the check-worthiness model that scored them (the blend when the encoder ran)


def page_article(page: FetchedPage, *, url: str, limits: Limits) -> Article:
    """A fetched page -> Article (decoding by WHATWG labels, extraction, bounds)."""
    from bot.decode import decode_text
    from bot.extract import extract_html, extract_text

    if page.content_type == "text/plain":
        article = extract_text(decode_text(page.body, page.charset), max_chars=limits.max_chars)
        return article.model_copy(update={"url": url, "final_url": page.final_url})
    return extract_html(
        page.body,
        url=url,
        final_url=page.final_url,
        charset=page.charset,
        max_chars=limits.max_chars,
        max_links=limits.max_links,
    )


def file_article(path: Path, *, limits: Limits) -> Article:
    from bot.extract import extract_file

    return extract_file(path, max_chars=limits.max_chars, max_links=limits.max_links, max_bytes=limits.max_bytes)


def text_article(text: str, *, limits: Limits) -> Article:
    from bot.extract import extract_text

    return extract_text(text, max_chars=limits.max_chars)


def analyse(article: Article, *, max_claims: int, encoder: bool = False) -> Analysis:
    """Score every sentence, pick the key claims and audit each one's sourcing.

    ``encoder``: the sentence encoder re-scores the best sentences (the offline report only). A page in a language
    the analysis cannot read gets no claims (``bot.languages``); the pipeline says so in the report.
    """
    from bot import languages
    from bot.checkworthiness import default_model
    from bot.claims import key_claims, offline_model_version
    from bot.sourcing import audit_sourcing

    started = time.perf_counter()
    candidates, chosen = key_claims(article, max_claims=max_claims, encoder=encoder)
    if not languages.reads(article.language):
        chosen = []
    scored = time.perf_counter()
    claims = [
        Claim(
            id=f"c{index}",
            quote=candidate.text,
            start=candidate.start,
            end=candidate.end,
            checkworthiness=round(candidate.score, 4),
            sourcing=audit_sourcing(article, start=candidate.start, end=candidate.end),
        )
        for index, candidate in enumerate(chosen, start=1)
    ]
    done = time.perf_counter()
    return Analysis(
        candidates=candidates,
        claims=claims,
        claims_ms=round((scored - started) * 1000, 1),
        sourcing_ms=round((done - scored) * 1000, 1),
        model_version=offline_model_version() if encoder else default_model().version,
    )
