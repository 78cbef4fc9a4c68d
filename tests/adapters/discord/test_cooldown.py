from __future__ import annotations

from adapters.discord.cooldown import Cooldown


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_second_request_within_the_window_is_refused_with_the_wait() -> None:
    clock = FakeClock()
    cooldown = Cooldown(seconds=30, clock=clock)
    assert cooldown.acquire(1) == 0.0
    clock.now += 5
    assert cooldown.acquire(1) == 25.0
    assert cooldown.acquire(2) == 0.0  # other users are not affected


def test_allowed_again_after_the_window() -> None:
    clock = FakeClock()
    cooldown = Cooldown(seconds=30, clock=clock)
    cooldown.acquire(1)
    clock.now += 31
    assert cooldown.acquire(1) == 0.0


def test_zero_disables() -> None:
    cooldown = Cooldown(seconds=0)
    assert cooldown.acquire(1) == 0.0 and cooldown.acquire(1) == 0.0


def test_memory_is_bounded() -> None:
    clock = FakeClock()
    cooldown = Cooldown(seconds=30, clock=clock, max_users=10)
    for uid in range(50):
        cooldown.acquire(uid)
    assert len(cooldown._last) <= 10
