"""One check, from the pipeline's events to messages in a thread.

The trigger (mention, slash command, context menu) decides where things go by
passing three callbacks; this module decides what is said and when:
placeholder -> claims found -> each claim analysed (edits ≤ 1/s) -> report embeds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from adapters.discord.cooldown import Cooldown
from adapters.discord.destinations import Destination, edit_text
from adapters.discord.progress import ThrottledEditor
from adapters.discord.render import progress_text, render_report, thread_name
from adapters.session.pointers import ThreadPointers
from bot.cache import ReportCache
from bot.config import Settings
from bot.events import ArticleReady, ClaimAnalysed, ClaimsFound, Finished
from bot.links import find_links
from bot.outcome import Outcome, user_message
from bot.pipeline import check

log = logging.getLogger(__name__)

# (thread name) -> where the report goes, and the jump URL to remember for the link, if any.
Open = Callable[[str], Awaitable[tuple[Destination, str | None]]]
Say = Callable[[str], Awaitable[object]]


@dataclass
class Services:
    """What every trigger shares: settings, the cache, the cooldown, the concurrency cap."""

    settings: Settings
    cache: ReportCache | None
    cooldown: Cooldown
    pointers: ThreadPointers | None = None  # where each link's report thread is, per server
    engine: object | None = None  # one LLM engine per process (None: offline, or built per check)
    slots: asyncio.Semaphore = field(init=False)  # settings.max_concurrent checks at once; more are told "busy"

    def __post_init__(self) -> None:
        self.slots = asyncio.Semaphore(self.settings.max_concurrent)


@dataclass(frozen=True)
class Request:
    target: str  # a normalized URL, or pasted text
    url: str | None  # the URL when the target is one (cache pointer key)
    scope: str | None  # guild id: where "already checked" pointers are valid
    user_id: int
    skipped_links: int = 0  # links beyond the first, named in the placeholder


def request_from_text(text: str, *, scope: str | None, user_id: int) -> Request | None:
    """The first link in chat text as a request, or None when there is no link."""
    links = find_links(text, limit=10)
    if not links:
        return None
    return Request(target=links[0], url=links[0], scope=scope, user_id=user_id, skipped_links=len(links) - 1)


def cooldown_refusal(services: Services, user_id: int) -> str | None:
    """The words for a refused request, or None when the user may start a check now."""
    wait = services.cooldown.acquire(user_id)
    if wait <= 0:
        return None
    return user_message(Outcome.COOLDOWN, f"try again in {max(1, round(wait))} s")


async def earlier_post(services: Services, request: Request) -> str | None:
    """The jump URL of a report for the same link in the same server, within the TTL."""
    if services.pointers is None or request.url is None or request.scope is None:
        return None
    return await services.pointers.get(scope=request.scope, url=request.url)


async def run_check(request: Request, *, services: Services, open_destination: Open, fail: Say) -> Outcome:
    """Run the pipeline and narrate it. ``fail`` gets the words when nothing was posted yet."""
    if services.slots.locked():
        await fail(user_message(Outcome.BUSY))
        return Outcome.BUSY
    async with services.slots:
        return await _narrate(request, services=services, open_destination=open_destination, fail=fail)


async def _narrate(request: Request, *, services: Services, open_destination: Open, fail: Say) -> Outcome:
    destination: Destination | None = None
    pointer: str | None = None
    editor: ThrottledEditor | None = None
    title: str | None = None
    total: int | None = None
    note = f"\n(Checking the first link; {request.skipped_links} more ignored.)" if request.skipped_links else ""

    async for event in check(request.target, settings=services.settings, cache=services.cache, engine=services.engine):
        if isinstance(event, ArticleReady):
            title = event.article.title or ("Pasted text" if request.url is None else event.article.url)
            destination, pointer = await open_destination(thread_name(title))
            placeholder = await destination.post(progress_text(title=title, total=None, done=0) + note)
            editor = ThrottledEditor(lambda text, message=placeholder: edit_text(message, text + note))
        elif isinstance(event, ClaimsFound) and editor is not None:
            total = len(event.claims)
            editor.update(progress_text(title=title, total=total, done=0))
        elif isinstance(event, ClaimAnalysed) and editor is not None:
            total = event.total
            editor.update(progress_text(title=title, total=total, done=event.index))
        elif isinstance(event, Finished):
            return await _finish(
                event,
                request=request,
                services=services,
                destination=destination,
                editor=editor,
                title=title,
                pointer=pointer,
                fail=fail,
            )
    raise RuntimeError("pipeline ended without Finished")  # pragma: no cover: pipeline contract


async def _finish(
    event: Finished,
    *,
    request: Request,
    services: Services,
    destination: Destination | None,
    editor: ThrottledEditor | None,
    title: str | None,
    pointer: str | None,
    fail: Say,
) -> Outcome:
    report = event.report
    if report is None:
        if editor is not None:
            await editor.close(f"⚠ {event.message}")
        else:
            await fail(event.message)
        return event.outcome
    if destination is None:  # pragma: no cover: the pipeline always sends ArticleReady first
        raise RuntimeError("pipeline finished with a report but sent no ArticleReady")
    if editor is not None:
        await editor.close(progress_text(title=title, total=len(report.claims), done=len(report.claims), finished=True))
    for embeds in render_report(report):
        await destination.post_embeds(embeds)
    if pointer and request.url and request.scope and services.pointers is not None:
        await services.pointers.put(scope=request.scope, url=request.url, pointer=pointer)
    return event.outcome
