"""Where one answer's messages went, kept across runs of its job: how a re-run edits instead of posting twice.

A queue delivers a job at least once: a worker that dies mid-check leaves its job to another,
which runs it again from the start. Posts have no idempotency key on the platforms (a retried
``chat.postMessage`` is a second message), so a front writes down each message it posts, by part
("placeholder", "answer-1", "file"...): before the call that the call is under way (``begin``),
after it the platform's id (``record``). A re-run that finds an id edits that message; one that
finds a call under way looks on the platform for it (the message carries the job in its metadata)
before posting. One process has nothing to re-run, so its fronts have no journal (``None``).
"""

from __future__ import annotations

from typing import Protocol

PENDING = "?"  # ``recall``'s answer for a post that was begun and never recorded (its process died mid-call)
ANSWERED = "answered"  # the part recorded once the final answer (report, pointer or error) is out


class PostJournal(Protocol):
    """One job's posts (``HSET posts:job part ref``), kept for days so every re-run finds them."""

    @property
    def job(self) -> str:
        """The job whose posts these are (put in each post's metadata, so a lost one can be found)."""
        ...

    async def recall(self, part: str) -> str | None:
        """The platform's id of ``part``, ``PENDING`` when its post was begun but not recorded, or None."""
        ...

    async def begin(self, part: str) -> None:
        """A post of ``part`` is about to be made."""
        ...

    async def record(self, part: str, ref: str) -> None:
        """``part`` is posted as ``ref`` (a message ts or id)."""
        ...
