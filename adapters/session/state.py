"""The state a check session shares with other sessions, behind small interfaces.

One process uses the embedded implementations (adapters.session.embedded: in memory, and SQLite for
what must outlive a restart). Several front and worker processes need the same answers from one
place, so each interface is shaped after one Redis idiom (named beside it) and the session logic
never learns which implementation it talks to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from adapters.session.pointers import ThreadPointers


class EventDedupe(Protocol):
    """Set-if-absent with a time to live (``SET key holder NX EX ttl``)."""

    async def first_seen(self, key: str, *, ttl_s: float, holder: str = "") -> bool:
        """True the first time ``key`` shows up within ``ttl_s`` (and remembers it), else False.

        A non-empty ``holder`` that already holds ``key`` also gets True: a queued job run again
        after its worker died is the same delivery, not a second one."""
        ...


class Cooldowns(Protocol):
    """One started request per user per window (``SET cd:user holder NX EX``, then ``GET``/``TTL``)."""

    async def start(self, user: str, *, holder: str, seconds: float) -> float:
        """0.0 when ``user`` may start now (or ``holder``, e.g. the same message, already holds the
        window), else the seconds left to wait."""
        ...


class InFlight(Protocol):
    """One run per key at a time; the others wait for its result (``SET inflight:key NX EX`` + a result key)."""

    async def claim(self, key: str, *, ttl_s: float, holder: str = "") -> bool:
        """True when the caller now runs ``key``; False when someone else is running it. A non-empty
        ``holder`` that already holds ``key`` (a re-run of the same queued job) takes it over."""
        ...

    async def publish(self, key: str, result: str) -> None:
        """The runner's result (JSON), handed to every waiter; the key is free again."""
        ...

    async def wait(self, key: str, *, timeout_s: float) -> str | None:
        """The runner's result, or None when it did not come within ``timeout_s``."""
        ...


class DailyBudget(Protocol):
    """Money spent on the LLM per UTC day (``INCRBYFLOAT budget:day`` + ``EXPIRE``)."""

    async def spent(self, day: str) -> float: ...

    async def add(self, day: str, usd: float) -> None: ...


class EditRate(Protocol):
    """A shared pace for progress edits per workspace (``INCR rl:upd:team:minute`` + ``EXPIRE``)."""

    async def try_take(self, scope: str) -> bool:
        """True when one more progress edit fits the pace now."""
        ...


@dataclass(frozen=True)
class SessionState:
    """Everything a session shares; built once per process by ``embedded_state`` (or a Redis twin)."""

    handled: EventDedupe
    cooldowns: Cooldowns
    in_flight: InFlight
    budget: DailyBudget
    edit_rate: EditRate
    pointers: ThreadPointers | None = None
