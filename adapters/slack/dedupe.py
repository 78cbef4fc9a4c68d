"""A bounded TTL set with set-if-absent semantics: one report per Slack event and per posted link.

Slack retries an event up to three times (``X-Slack-Retry-Num``) and sends ``app_mention`` and
``message`` for one post; both must end in a single report. ``first_seen`` runs without awaiting,
so under asyncio it is atomic: two concurrent deliveries cannot both win.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class TtlDedupe:
    def __init__(self, *, ttl_s: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()  # key -> expiry, oldest first

    def first_seen(self, key: str) -> bool:
        """True the first time ``key`` shows up within the TTL (and remembers it), else False."""
        now = self._clock()
        self._evict(now)
        if key in self._seen:
            return False
        self._seen[key] = now + self.ttl_s
        if len(self._seen) > self.max_entries:
            self._seen.popitem(last=False)
        return True

    def forget(self, key: str) -> None:
        self._seen.pop(key, None)

    def __contains__(self, key: str) -> bool:
        expiry = self._seen.get(key)
        return expiry is not None and expiry > self._clock()

    def __len__(self) -> int:
        return len(self._seen)

    def _evict(self, now: float) -> None:
        # Every entry has the same TTL, so insertion order is expiry order.
        while self._seen:
            key, expiry = next(iter(self._seen.items()))
            if expiry > now:
                break
            self._seen.popitem(last=False)
