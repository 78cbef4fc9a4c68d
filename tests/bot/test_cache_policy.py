"""What the report cache may hold and for how long (issue 12): only whole answers, served as made,
never across an upgrade, and deleted once expired."""

from __future__ import annotations

import importlib.metadata
import sqlite3
from pathlib import Path

from bot.cache import PURGE_EVERY_S, SQLiteReportCache, open_cache
from bot.checkworthiness import default_model
from bot.config import Settings
from bot.events import Finished
from bot.models import AnalysisStatus, ArticleInfo, Claim, EngineInfo, Report, Sourcing, SourcingStatus
from bot.outcome import Outcome
from bot.pipeline import cacheable, check, engine_id
from tests.servers.article_server import ArticleServer
from tests.support.paths import REPO

EXAMPLE = (REPO / "examples" / "harbor-bridge.html").read_bytes()
NO_CLAIMS = """Letters to the editor
I think we should all be kinder to each other, and I hope the council listens this time.
Thank you to everyone who came to the meeting on a cold night; it was lovely to see you.
Maybe next year we could meet somewhere warmer, perhaps at the library, if they would have us."""


async def final(target: str, settings: Settings, cache: SQLiteReportCache | None) -> Finished:
    events = [event async for event in check(target, settings=settings, offline=True, cache=cache)]
    assert isinstance(events[-1], Finished)
    return events[-1]


def rows(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [key for (key,) in db.execute("SELECT key FROM entries ORDER BY key")]


async def test_a_report_without_claims_is_not_kept(settings: Settings) -> None:
    cache = open_cache(settings)
    first = await final(NO_CLAIMS, settings, cache)
    assert first.outcome is Outcome.OK and first.report is not None and first.report.claims == []
    again = await final(NO_CLAIMS, settings, cache)
    assert again.report is not None and not again.report.cached
    assert rows(settings.cache_path) == []


def test_a_failed_analysis_is_not_a_success() -> None:
    info = ArticleInfo(
        url=None, title=None, site_name=None, author=None, published=None, language="en", text="t", word_count=1
    )
    claim = Claim(
        id="c1", quote="t", start=0, end=1, checkworthiness=0.9, sourcing=Sourcing(status=SourcingStatus.UNATTRIBUTED)
    )
    report = Report(article=info, engine=EngineInfo(mode="llm"), claims=[claim])
    assert cacheable(Outcome.OK, report)
    assert not cacheable(Outcome.LLM_FAILED, report)
    failed = claim.model_copy(update={"analysis": AnalysisStatus.FAILED})
    assert not cacheable(Outcome.OK, report.model_copy(update={"claims": [claim, failed]}))


async def test_a_cached_report_keeps_its_original_timings(article_server: ArticleServer, settings: Settings) -> None:
    url = article_server.add("/bridge", EXAMPLE)
    cache = open_cache(settings)
    first = (await final(url, settings, cache)).report
    second = (await final(url, settings, cache)).report
    assert first is not None and second is not None
    assert second.cached and not first.cached and article_server.hits("/bridge") == 1
    assert first.timings.total_ms > 0 and second.timings == first.timings


async def test_an_upgrade_does_not_serve_old_analyses(article_server: ArticleServer, settings: Settings) -> None:
    version = importlib.metadata.version("factcheck-bot")
    assert f"|v={version}|" in engine_id(None, max_claims=settings.max_claims)
    url = article_server.add("/bridge", EXAMPLE)
    made_before = (await final(url, settings, None)).report
    assert made_before is not None
    cache = open_cache(settings)
    # What the release before this one wrote for the same page: the same key without the version.
    before = f"offline|cw={default_model().version}|n={settings.max_claims}"
    await cache.put(url=url, content_hash="h", engine_id=before, report=made_before)
    now = (await final(url, settings, cache)).report
    assert now is not None and not now.cached and article_server.hits("/bridge") == 2


async def test_expired_rows_are_deleted_not_kept(tmp_path: Path) -> None:
    now = [1_000_000.0]
    path = tmp_path / "c.sqlite3"
    cache = SQLiteReportCache(path=path, ttl_s=60, clock=lambda: now[0])
    await cache.put_value("evidence|a", "1", ttl_s=60)
    await cache.put_value("evidence|b", "2", ttl_s=10 * PURGE_EVERY_S)
    now[0] += 120
    await cache.put_value("evidence|c", "3", ttl_s=60)  # within the hour: nothing purged yet
    assert rows(path) == ["evidence|a", "evidence|b", "evidence|c"]
    now[0] += PURGE_EVERY_S
    await cache.put_value("evidence|d", "4", ttl_s=60)  # an hour on: expired rows go
    assert rows(path) == ["evidence|b", "evidence|d"]
    cache.close()
    now[0] += 2 * PURGE_EVERY_S
    SQLiteReportCache(path=path, ttl_s=60, clock=lambda: now[0]).close()  # opening purges too
    assert rows(path) == ["evidence|b"]
