"""Our extraction against plain ``trafilatura.extract`` on the same pages: the CPU it adds (issue 13's ratio).

Ours is ``bot.stages.page_article``, metadata, links and page checks included; each pass runs in a fresh
process, the two interleaved page by page; the median pass is the figure.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

EXTRACTION_PASSES = 3


def extraction_ratio(pages: list[bytes], *, passes: int = EXTRACTION_PASSES) -> dict[str, float]:
    """CPU of our extraction over plain trafilatura.extract on the same pages, each pass in a fresh process.

    A bot sees a page once: a second pass over the same pages in one process is served by caches
    keyed by their text (trafilatura's, htmldate's, dateparser's locales) and flatters both sides.
    """
    context = multiprocessing.get_context("spawn")
    ours, theirs = [], []
    for n in range(passes):
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            our_s, their_s = pool.submit(_cold_pass, pages, ours_first=n % 2 == 0).result()
        ours.append(our_s)
        theirs.append(their_s)
    ratios = [o / t for o, t in zip(ours, theirs, strict=True)]
    return {
        "extraction_over_trafilatura": statistics.median(ratios),
        "extraction_over_trafilatura_min": min(ratios),
        "extraction_over_trafilatura_max": max(ratios),
        "extraction_ms_per_page": statistics.median(ours) * 1000 / len(pages),
        "trafilatura_ms_per_page": statistics.median(theirs) * 1000 / len(pages),
    }


def _cold_pass(pages: list[bytes], *, ours_first: bool) -> tuple[float, float]:
    """In a fresh process: CPU seconds of ours and of trafilatura.extract over ``pages``, each page once by
    each, page by page (a machine whose load changes slows both alike), the one to go first alternating
    (what one leaves in a shared cache the other finds)."""
    import trafilatura

    from bench.burst import EXAMPLE
    from bot import stages
    from bot.config import Settings as CoreSettings
    from bot.fetch import FetchedPage
    from bot.outcome import CheckError

    settings = CoreSettings.from_env({})
    limits = stages.Limits(
        max_chars=settings.max_analysed_chars, max_links=stages.MAX_LINKS, max_bytes=settings.max_bytes
    )

    def fetched(body: bytes, i: int) -> FetchedPage:
        url = f"https://news.example/{i}"
        return FetchedPage(
            url=url, final_url=url, status=200, content_type="text/html", charset=None, body=body, redirects=()
        )

    def ours(i: int, body: bytes) -> float:
        page = fetched(body, i)
        started = time.process_time()
        with contextlib.suppress(CheckError):
            stages.page_article(page, url=page.url, limits=limits)
        return time.process_time() - started

    def theirs(body: bytes) -> float:
        started = time.process_time()
        trafilatura.extract(body)
        return time.process_time() - started

    example = EXAMPLE.read_bytes()  # lazy imports and one-time set-up, on a page not measured
    ours(-1, example)
    theirs(example)
    our_s = their_s = 0.0
    for i, body in enumerate(pages):
        if (i % 2 == 0) == ours_first:
            our_s += ours(i, body)
            their_s += theirs(body)
        else:
            their_s += theirs(body)
            our_s += ours(i, body)
    return our_s, their_s
