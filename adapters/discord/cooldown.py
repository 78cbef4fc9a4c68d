"""Per-user cooldown, so one member cannot run up the LLM bill (OWASP LLM10)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Cooldown:
    """At most one started check per user every ``seconds``; ``clock`` is injectable for tests."""

    seconds: float
    clock: Callable[[], float] = time.monotonic
    max_users: int = 10_000  # bound memory: old entries are dropped first
    _last: dict[int, float] = field(default_factory=dict)

    def acquire(self, user_id: int) -> float:
        """Start a check for ``user_id``: 0.0 when allowed, else the seconds left to wait."""
        if self.seconds <= 0:
            return 0.0
        now = self.clock()
        last = self._last.get(user_id)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        self._last.pop(user_id, None)
        self._last[user_id] = now
        if len(self._last) > self.max_users:
            self._evict(now)
        return 0.0

    def _evict(self, now: float) -> None:
        expired = [uid for uid, started in self._last.items() if now - started >= self.seconds]
        for uid in expired:
            del self._last[uid]
        while len(self._last) > self.max_users:  # all still cooling: drop the oldest
            del self._last[next(iter(self._last))]
