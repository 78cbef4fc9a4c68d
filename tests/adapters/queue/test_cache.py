"""The report cache in a real Redis: the SQLite cache's contract, shared by every worker."""

from __future__ import annotations

import asyncio

from adapters.queue.cache import RedisReportCache
from adapters.queue.connection import client
from bot.cache import ReportCache
from bot.models import ArticleInfo, EngineInfo, Report

URL = "https://news.example/a-very-long-story-" + "x" * 3000


def report(title: str = "Harbor budget approved") -> Report:
    return Report(
        article=ArticleInfo(
            url=URL,
            title=title,
            site_name=None,
            author=None,
            published=None,
            language="en",
            text="The council approved the budget.",
            word_count=5,
        ),
        engine=EngineInfo(mode="offline", checkworthiness_model="cw-1"),
    )


async def test_a_report_put_by_one_worker_is_found_by_another(redis_url: str) -> None:
    first, second = client(redis_url, queue_name="q"), client(redis_url, queue_name="q")
    try:
        writer = RedisReportCache(redis=first, ttl_s=60, namespace="t")
        reader = RedisReportCache(redis=second, ttl_s=60, namespace="t")
        assert await reader.get_latest(url=URL, engine_id="offline|n=8") is None
        await writer.put(url=URL, content_hash="h1", engine_id="offline|n=8", report=report())
        found = await reader.get(url=URL, content_hash="h1", engine_id="offline|n=8")
        assert found is not None and found.article.title == "Harbor budget approved"
        latest = await reader.get_latest(url=URL, engine_id="offline|n=8")
        assert latest == found
        assert await reader.get(url=URL, content_hash="h2", engine_id="offline|n=8") is None
        assert await reader.get_latest(url=URL, engine_id="llm|gpt|n=8") is None  # another engine: another report
        keys = [key.decode() for key in await second.keys("t:*")]
        assert len(keys) == 2 and all(len(key) < 64 for key in keys)  # digests, not 3,000-character URLs
        assert 0 < await second.ttl(keys[0]) <= 60
    finally:
        await first.aclose()
        await second.aclose()


async def test_the_newest_report_is_the_latest(redis_url: str) -> None:
    redis = client(redis_url, queue_name="q")
    try:
        cache = RedisReportCache(redis=redis, ttl_s=60, namespace="t")
        await cache.put(url=URL, content_hash="h1", engine_id="e", report=report("Old"))
        await cache.put(url=URL, content_hash="h2", engine_id="e", report=report("New"))
        latest = await cache.get_latest(url=URL, engine_id="e")
        assert latest is not None and latest.article.title == "New"
    finally:
        await redis.aclose()


async def test_reports_expire_and_a_broken_entry_is_a_miss(redis_url: str) -> None:
    redis = client(redis_url, queue_name="q")
    try:
        cache = RedisReportCache(redis=redis, ttl_s=1, namespace="t")
        await cache.put(url=URL, content_hash="h1", engine_id="e", report=report())
        [key] = [k for k in await redis.keys("t:report:*")]
        await redis.set(key, b"not a compressed report", keepttl=True)
        assert await cache.get(url=URL, content_hash="h1", engine_id="e") is None
        await asyncio.sleep(1.1)
        assert await redis.keys("t:*") == []
        off = RedisReportCache(redis=redis, ttl_s=0, namespace="t")
        await off.put(url=URL, content_hash="h1", engine_id="e", report=report())
        assert await redis.keys("t:*") == []
    finally:
        await redis.aclose()


async def test_an_unreachable_cache_is_a_miss_not_a_failure(own_redis) -> None:
    redis = client(own_redis.url, queue_name="q", retries=0)
    try:
        cache = RedisReportCache(redis=redis, ttl_s=60, namespace="t")
        own_redis.stop()
        await cache.put(url=URL, content_hash="h1", engine_id="e", report=report())
        assert await cache.get(url=URL, content_hash="h1", engine_id="e") is None
        assert await cache.get_latest(url=URL, engine_id="e") is None
        await cache.put_value("k", "v", ttl_s=5)
        assert await cache.get_value("k") is None
    finally:
        await redis.aclose()


async def test_other_values_keep_their_own_ttl(redis_url: str) -> None:
    redis = client(redis_url, queue_name="q")
    try:
        cache: ReportCache = RedisReportCache(redis=redis, ttl_s=60, namespace="t")
        assert await cache.get_value("evidence|1|page|abc") is None
        await cache.put_value("evidence|1|page|abc", '{"text": "The tunnel opened in 1998."}', ttl_s=5)
        assert await cache.get_value("evidence|1|page|abc") == '{"text": "The tunnel opened in 1998."}'
        [key] = [k for k in await redis.keys("t:value:*")]
        assert 0 < await redis.ttl(key) <= 5
        await cache.put_value("evidence|1|page|off", "x", ttl_s=0)
        assert await cache.get_value("evidence|1|page|off") is None
    finally:
        await redis.aclose()
