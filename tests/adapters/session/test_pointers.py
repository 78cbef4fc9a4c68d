from adapters.session.pointers import SQLiteThreadPointers
from bot.cache import SQLiteReportCache


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


async def test_pointers_are_scoped_and_replaced(tmp_path):
    pointers = SQLiteThreadPointers(path=tmp_path / "c.sqlite3", ttl_s=60)
    await pointers.put(scope="T1", url="u", pointer="pointer-1")
    await pointers.put(scope="T1", url="u", pointer="pointer-2")
    assert await pointers.get(scope="T1", url="u") == "pointer-2"
    assert await pointers.get(scope="T2", url="u") is None
    pointers.close()


async def test_pointers_expire_and_survive_a_restart(tmp_path):
    clock = Clock()
    path = tmp_path / "c.sqlite3"
    first = SQLiteThreadPointers(path=path, ttl_s=60, clock=clock)
    await first.put(scope="T1", url="u", pointer="p")
    first.close()
    second = SQLiteThreadPointers(path=path, ttl_s=60, clock=clock)
    assert await second.get(scope="T1", url="u") == "p"
    clock.now += 61
    assert await second.get(scope="T1", url="u") is None
    second.close()


async def test_pointers_share_the_cache_file_without_touching_reports(tmp_path):
    path = tmp_path / "c.sqlite3"
    cache = SQLiteReportCache(path=path, ttl_s=60)
    pointers = SQLiteThreadPointers(path=path, ttl_s=60)
    await pointers.put(scope="T1", url="u", pointer="p")
    assert cache.purge_expired() == 0
    assert await cache.get_latest(url="u", engine_id="e") is None
    assert await pointers.get(scope="T1", url="u") == "p"
    pointers.close()
    cache.close()
