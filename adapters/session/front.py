"""What a platform implements so the session can answer there: the small interface every front end meets.

A front is built per request (from the ``CheckRequest`` and the platform's API client, so a worker
process can build one too). The session decides what happens and when; the front decides how it
looks and where it goes on its platform. Every method posts at most once and never retries a post
(a retried post after a lost response is a duplicate); platform errors are the front's to log.
"""

from __future__ import annotations

from typing import Protocol

from adapters.session.progress import Progress
from bot.models import Article, Report


class Front(Protocol):
    @property
    def edit_scope(self) -> str | None:
        """The scope whose progress edits share one pace (a Slack workspace), or None for no shared pace."""
        ...

    async def acknowledge(self) -> None:
        """The request is admitted and work starts: show the asker it was heard (defer, typing...)."""
        ...

    async def refuse(self, text: str) -> None:
        """Tell the asker why nothing will be checked (privately where the platform allows)."""
        ...

    async def post_placeholder(self, progress: Progress) -> None:
        """The message that progress edits and the answer will replace."""
        ...

    async def edit_progress(self, progress: Progress) -> None:
        """Show newer progress (paced by the session; best effort)."""
        ...

    async def post_report(self, report: Report, *, article: Article | None) -> None:
        """The report: replaces the placeholder if there is one, continues in further messages."""
        ...

    async def post_pointer(self, report: Report, *, pointer: str) -> None:
        """The same link was checked here before and its report still stands: point to it."""
        ...

    async def post_error(self, text: str) -> None:
        """The check failed: replaces the placeholder if there is one, else a reply."""
        ...

    async def attach_file(self, *, filename: str, content: bytes, note: str) -> None:
        """A file next to the report (the full report as a page)."""
        ...

    async def permalink(self) -> str | None:
        """Where this answer can be found later (a thread link), once the report is posted."""
        ...
