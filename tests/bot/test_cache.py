import time

from bot.cache import SQLiteReportCache
from bot.models import ArticleInfo, EngineInfo, Report


def _report(title: str) -> Report:
    info = ArticleInfo(
        url="https://a.example/x",
        title=title,
        site_name=None,
        author=None,
        published=None,
        language="en",
        text="text",
        word_count=1,
    )
    return Report(article=info, engine=EngineInfo(mode="offline"))


async def test_put_get_and_latest(tmp_path):
    cache = SQLiteReportCache(path=tmp_path / "c.sqlite3", ttl_s=60)
    await cache.put(url="https://a.example/x", content_hash="h1", engine_id="offline", report=_report("one"))
    assert (await cache.get(url="https://a.example/x", content_hash="h1", engine_id="offline")).article.title == "one"
    assert await cache.get(url="https://a.example/x", content_hash="h2", engine_id="offline") is None
    assert await cache.get(url="https://a.example/x", content_hash="h1", engine_id="llm|m") is None
    latest = await cache.get_latest(url="https://a.example/x", engine_id="offline")
    assert latest is not None and latest.article.title == "one"


async def test_entries_expire(tmp_path):
    cache = SQLiteReportCache(path=tmp_path / "c.sqlite3", ttl_s=0)
    await cache.put(url="u", content_hash="h", engine_id="e", report=_report("gone"))
    time.sleep(0.01)
    assert await cache.get_latest(url="u", engine_id="e") is None


async def test_survives_reopen_and_ignores_corrupt_values(tmp_path):
    path = tmp_path / "c.sqlite3"
    first = SQLiteReportCache(path=path, ttl_s=60)
    await first.put(url="u", content_hash="h", engine_id="e", report=_report("kept"))
    first._set_sync("report|e|u|bad", "{not json")
    first.close()
    second = SQLiteReportCache(path=path, ttl_s=60)
    assert (await second.get(url="u", content_hash="h", engine_id="e")).article.title == "kept"
    assert await second.get(url="u", content_hash="bad", engine_id="e") is None
