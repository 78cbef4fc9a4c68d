"""The one check session: every front end's request, from admission to the last reply, in one place.

    async with CheckSession(settings=..., limits=..., state=..., cache=...) as session:
        session.start(request, front)      # Slack, Discord: a tracked task
        outcome = await session.handle(request, front)   # the CLI: inline

For each request, in order: de-duplication (a repeated delivery is dropped), the per-user cooldown,
the daily spend cap, the repeated-link policy (a link already answered in this workspace or server,
whose report still stands, gets a pointer to that thread), in-flight sharing (the same target asked
twice at once runs once, and every asker is answered), admission (``max_running`` at once,
``max_waiting`` more queued, then "busy"), the placeholder, paced progress, the job deadline, the
answer, the full-report page, and the catch-all: whatever fails, the asker gets a reply. Refusals are
typed errors (adapters.session.refusals) handled by ``_refused`` alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from adapters.session.front import Front
from adapters.session.progress import Progress, ProgressEditor, Sleep
from adapters.session.refusals import BudgetReached, Busy, Duplicate, OnCooldown, Refusal
from adapters.session.request import CheckRequest
from adapters.session.settings import SessionSettings
from adapters.session.state import SessionState
from adapters.view.html import render_html, report_filename
from adapters.view.words import HTML_ATTACHMENT_NOTE
from bot.cache import ReportCache
from bot.config import Settings
from bot.engine import AnalysisEngine
from bot.events import ArticleReady, Finished
from bot.models import Article, Report
from bot.outcome import Outcome, user_message
from bot.pipeline import build_engine, cache_engine_id, check

log = logging.getLogger(__name__)

T = TypeVar("T")
HANDLED_TTL_S = 3600.0  # Slack retries within ~5 minutes; an hour is plenty
DEADLINE_MARGIN_S = 30.0  # beyond the fetch and LLM deadlines, which the pipeline enforces itself


class _Shared(BaseModel):
    """What one run hands the askers who joined it (JSON, so it can cross processes)."""

    outcome: Outcome
    detail: str | None = None
    report: str | None = None  # Report JSON
    scope: str = ""
    pointer: str | None = None


def utc_day(now: float | None = None) -> str:
    return datetime.fromtimestamp(time.time() if now is None else now, UTC).date().isoformat()


class CheckSession:
    def __init__(
        self,
        *,
        settings: Settings,
        limits: SessionSettings,
        state: SessionState,
        cache: ReportCache | None,
        offline: bool = False,
        max_running: int | None = None,
        max_waiting: int | None = None,
        edit_interval_s: float = 1.0,
        settle_s: float = 0.3,
        attach_page: bool = True,
        deadline_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        today: Callable[[], str] = utc_day,
    ) -> None:
        self.settings = settings
        self.limits = limits
        self.state = state
        self.cache = cache
        self.offline = offline
        self.max_running = max(1, max_running if max_running is not None else settings.max_concurrent)
        self.max_waiting = max(0, max_waiting if max_waiting is not None else settings.max_queued)
        self.edit_interval_s = edit_interval_s
        self.settle_s = settle_s
        self.attach_page = attach_page
        self._clock = clock
        self._sleep = sleep
        self._today = today
        # The pipeline has its own fetch and LLM deadlines; this one only guarantees an answer.
        self.deadline_s = deadline_s or settings.fetch_timeout_s + settings.llm_deadline_s + DEADLINE_MARGIN_S
        self.engine: AnalysisEngine | None = build_engine(settings, offline=offline)  # closed by aclose()
        self.engine_key = cache_engine_id(settings, self.engine)
        if limits.daily_budget_usd is not None and self.engine is not None and not _priced(settings):
            raise ValueError(
                "FACTCHECK_DAILY_BUDGET_USD needs FACTCHECK_PRICE_INPUT and FACTCHECK_PRICE_OUTPUT to count the spend"
            )
        self._slots = asyncio.Semaphore(self.max_running)
        self._admitted = 0
        self._tasks: set[asyncio.Task[Any]] = set()

    # ------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> CheckSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self.drain()
        except TimeoutError:
            log.warning("stopping with checks still running")
        await self.aclose()

    def start(self, request: CheckRequest, front: Front) -> asyncio.Task[Outcome]:
        """Handle ``request`` in a task the session tracks (for ``drain``); returns at once."""
        return self.spawn(self.handle(request, front))

    def spawn(self, work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Run ``work`` (a front end's handling of one trigger) as a task ``drain`` waits for."""
        task = asyncio.create_task(work)
        self._track(task)
        return task

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait until every check in progress has finished its replies (shutdown, tests)."""
        async with asyncio.timeout(timeout):
            while self._tasks - {asyncio.current_task()}:
                await asyncio.gather(*(self._tasks - {asyncio.current_task()}), return_exceptions=True)

    async def aclose(self) -> None:
        if self.engine is not None:
            await self.engine.aclose()
            self.engine = None

    @property
    def running(self) -> int:
        """Checks admitted and not yet finished (running or waiting for a slot)."""
        return self._admitted

    def _track(self, task: asyncio.Task[Any] | None) -> None:
        if task is not None and task not in self._tasks:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    # ------------------------------------------------------------ one request

    async def handle(self, request: CheckRequest, front: Front) -> Outcome:
        """Admit, run and answer ``request``; never raises for a failed check."""
        self._track(asyncio.current_task())
        try:
            await self._admit(request)
            await front.acknowledge()
            return await self._answer(request, front)
        except Refusal as refusal:
            await self._refused(request, front, refusal)
            return refusal.outcome
        except Exception:  # a bug in a step (ours or a platform's) must still end in a reply, never silence
            log.exception("%s check failed unexpectedly", request.platform)
            with contextlib.suppress(Exception):
                await front.post_error(user_message(Outcome.INTERNAL_ERROR))
            return Outcome.INTERNAL_ERROR

    async def _admit(self, request: CheckRequest) -> None:
        """The refusals that need no I/O on the platform, so an interaction can still answer privately."""
        handled = f"{request.platform}|{request.channel}|{request.source}|{request.target_key}"
        if not await self.state.handled.first_seen(handled, ttl_s=HANDLED_TTL_S, holder=request.job):
            raise Duplicate(handled)
        if request.user:
            wait = await self.state.cooldowns.start(
                f"{request.platform}|{request.user}", holder=request.source, seconds=self.limits.cooldown_s
            )
            if wait > 0:
                raise OnCooldown(wait)
        cap = self.limits.daily_budget_usd
        if cap is not None and self.engine is not None and await self.state.budget.spent(self._today()) >= cap:
            raise BudgetReached(cap)

    async def _refused(self, request: CheckRequest, front: Front, refusal: Refusal) -> None:
        """The one place a refusal is turned into words (or silence)."""
        log.info("%s request %s refused: %s", request.platform, request.source, type(refusal).__name__)
        if refusal.quiet or not request.addressed:
            return
        try:
            await front.refuse(refusal.text)
        except Exception:
            log.warning("could not tell the user about the refusal", exc_info=True)

    async def _answer(self, request: CheckRequest, front: Front) -> Outcome:
        if await self._point_to_earlier(request, front):
            return Outcome.OK
        key = f"{self.engine_key}|{request.target_key}"
        if not await self.state.in_flight.claim(key, ttl_s=self.deadline_s + DEADLINE_MARGIN_S, holder=request.job):
            return await self._follow(request, front, key)
        shared = _Shared(outcome=Outcome.INTERNAL_ERROR)
        try:
            shared = await self._lead(request, front)
        except Busy:
            shared = _Shared(outcome=Outcome.BUSY)
            raise
        finally:
            await self.state.in_flight.publish(key, shared.model_dump_json())
        return shared.outcome

    async def _point_to_earlier(self, request: CheckRequest, front: Front) -> bool:
        """The repeated-link policy: point to the earlier thread only while its report still stands."""
        pointers = self.state.pointers
        if request.url is None or not request.scope or pointers is None or self.cache is None:
            return False
        pointer = await pointers.get(scope=request.scope, url=request.url)
        if pointer is None:
            return False
        report = await self.cache.get_latest(url=request.url, engine_id=self.engine_key)
        if report is None:
            return False  # expired or changed since: check again, and the new thread becomes the pointer
        await front.post_pointer(report.model_copy(update={"cached": True}), pointer=pointer)
        return True

    async def _lead(self, request: CheckRequest, front: Front) -> _Shared:
        if self._admitted >= self.max_running + self.max_waiting:
            raise Busy()
        self._admitted += 1
        try:
            progress = Progress(url=request.url)
            await front.post_placeholder(progress)
            editor = ProgressEditor(
                front.edit_progress,
                interval_s=self.edit_interval_s,
                settle_s=self.settle_s,
                rate=self.state.edit_rate if front.edit_scope else None,
                rate_scope=front.edit_scope or "",
                clock=self._clock,
                sleep=self._sleep,
            )
            try:
                async with self._slots:
                    finished, article = await self._run(request, progress, editor)
            except BaseException:
                await editor.close()
                raise
            await editor.settle()
        finally:
            self._admitted -= 1
        if finished.report is None:
            await front.post_error(finished.message)
            return _Shared(outcome=finished.outcome, detail=finished.detail)
        pointer = await self._deliver(request, front, finished.report, article=article)
        return _Shared(
            outcome=finished.outcome,
            report=finished.report.model_dump_json(),
            scope=request.scope,
            pointer=pointer,
        )

    async def _run(
        self, request: CheckRequest, progress: Progress, editor: ProgressEditor
    ) -> tuple[Finished, Article | None]:
        article: Article | None = None
        target: str | Path = Path(request.target) if request.kind == "file" else request.target
        try:
            async with asyncio.timeout(self.deadline_s):
                async for event in check(
                    target, settings=self.settings, offline=self.offline, cache=self.cache, engine=self.engine
                ):
                    if isinstance(event, ArticleReady):
                        article = event.article
                    if isinstance(event, Finished):
                        return event, article
                    progress = progress.after(event)
                    editor.show(progress)
        except TimeoutError:
            log.warning("check exceeded the %.0f s job deadline", self.deadline_s)
        return Finished(Outcome.INTERNAL_ERROR, None, "took too long"), article

    async def _follow(self, request: CheckRequest, front: Front, key: str) -> Outcome:
        """Someone else is checking the same target right now: answer from their result."""
        raw = await self.state.in_flight.wait(key, timeout_s=self.deadline_s + DEADLINE_MARGIN_S)
        if raw is None:
            shared = _Shared(outcome=Outcome.INTERNAL_ERROR, detail="took too long")
        else:
            shared = _Shared.model_validate_json(raw)
        if shared.report is None:
            if shared.outcome is Outcome.BUSY:
                raise Busy()
            await front.post_error(user_message(shared.outcome, shared.detail))
            return shared.outcome
        report = Report.model_validate_json(shared.report)
        if shared.pointer and request.scope and shared.scope == request.scope:
            await front.post_pointer(report, pointer=shared.pointer)
        else:
            await self._deliver(request, front, report, article=None)
        return shared.outcome

    async def _deliver(
        self, request: CheckRequest, front: Front, report: Report, *, article: Article | None
    ) -> str | None:
        """Post the report, count its cost, remember its thread, attach the page; the thread's pointer."""
        await front.post_report(report, article=article)
        cost = report.usage.cost_usd
        if cost and not report.cached:
            await self.state.budget.add(self._today(), cost)
        pointer = await front.permalink()
        if pointer and request.url and request.scope and self.state.pointers is not None:
            await self.state.pointers.put(scope=request.scope, url=request.url, pointer=pointer)
        if self.attach_page:
            try:
                page = await asyncio.to_thread(render_html, report)  # pure, a few ms: off the event loop
                await front.attach_file(
                    filename=report_filename(report), content=page.encode("utf-8"), note=HTML_ATTACHMENT_NOTE
                )
            except Exception:  # the report itself is posted; the page is a convenience
                log.warning("could not attach the full report", exc_info=True)
        return pointer


def _priced(settings: Settings) -> bool:
    return settings.price_input_per_m is not None or settings.price_output_per_m is not None
