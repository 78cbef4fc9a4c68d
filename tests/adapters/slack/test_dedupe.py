from __future__ import annotations

from adapters.slack.dedupe import TtlDedupe


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_first_seen_once_within_ttl_then_again_after_expiry() -> None:
    clock = FakeClock()
    seen = TtlDedupe(ttl_s=10, clock=clock)
    assert seen.first_seen("event|Ev1") is True
    assert [seen.first_seen("event|Ev1") for _ in range(3)] == [False, False, False]
    assert "event|Ev1" in seen
    clock.now = 10.5
    assert "event|Ev1" not in seen
    assert seen.first_seen("event|Ev1") is True


def test_bounded_size_drops_the_oldest() -> None:
    seen = TtlDedupe(ttl_s=100, max_entries=3, clock=FakeClock())
    for key in "abcd":
        assert seen.first_seen(key)
    assert len(seen) == 3 and "a" not in seen and "d" in seen


def test_forget_allows_a_key_again() -> None:
    seen = TtlDedupe(ttl_s=100, clock=FakeClock())
    seen.first_seen("k")
    seen.forget("k")
    assert seen.first_seen("k")
