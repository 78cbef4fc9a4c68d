"""One link (or pasted text) checked in one Slack thread: placeholder, progress, report.

Every write is a single attempt: slack_sdk's rate-limit handler honours 429 Retry-After, and
nothing else is retried, because a retried chat.postMessage after a lost response is a
duplicate report.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, field
from enum import Enum

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.session.pointers import ThreadPointers
from adapters.slack.dedupe import TtlDedupe
from adapters.slack.progress import EditBudget, ThrottledEditor
from adapters.slack.render import (
    SlackMessage,
    render_error,
    render_pointer,
    render_progress,
    render_report,
)
from bot.cache import ReportCache
from bot.config import Settings
from bot.events import ArticleReady, ClaimAnalysed, ClaimsFound, Finished
from bot.models import Article
from bot.outcome import Outcome, user_message
from bot.pipeline import check

log = logging.getLogger(__name__)

DEDUPE_TTL_S = 3600.0  # Slack retries within ~5 minutes; an hour is plenty


class CheckResult(str, Enum):
    POSTED = "posted"  # a report (or a pointer to an earlier one) is in the thread
    FAILED = "failed"  # an error reply is in the thread
    DUPLICATE = "duplicate"  # this message and link were already handled
    BUSY = "busy"
    UNPOSTABLE = "unpostable"  # Slack refused our placeholder (not in channel, archived...)


@dataclass(frozen=True, slots=True)
class ThreadTarget:
    """Where a check comes from and where its answer goes."""

    scope: str  # Slack team id: repeated-link pointers are per workspace
    channel: str
    thread_ts: str  # the thread the answer goes into
    source_ts: str  # the message that asked (one report per message and link)


@dataclass(eq=False)
class SlackChecker:
    settings: Settings
    cache: ReportCache | None = None
    pointers: ThreadPointers | None = None  # where each link's report thread is, per workspace
    engine: object | None = None  # one LLM engine per process (None: offline, or built per check)
    edit_interval_s: float = 1.0
    max_running: int | None = None  # pipelines at once (default settings.max_concurrent); the rest wait
    max_waiting: int | None = None  # beyond running + waiting a link is told "busy" (default settings.max_queued)
    handled: TtlDedupe = field(default_factory=lambda: TtlDedupe(ttl_s=DEDUPE_TTL_S))
    edit_budget: EditBudget = field(default_factory=EditBudget)
    jobs: set[asyncio.Future] = field(default_factory=set)  # filled by app.TrackedLazyRunner
    _admitted: int = 0
    _slots: asyncio.Semaphore | None = None

    def __post_init__(self) -> None:
        if self.max_running is None:
            self.max_running = self.settings.max_concurrent
        if self.max_waiting is None:
            self.max_waiting = self.settings.max_queued

    # ------------------------------------------------------------ background work

    async def idle(self, timeout: float = 30.0) -> None:
        """Wait until no lazy listener is running (tests, graceful shutdown)."""
        async with asyncio.timeout(timeout):
            while self.jobs:
                await asyncio.gather(*list(self.jobs), return_exceptions=True)

    # ------------------------------------------------------------ one check

    async def check_in_thread(
        self, client: AsyncWebClient, *, where: ThreadTarget, target: str, url: str | None
    ) -> CheckResult:
        """Check ``target`` (a URL when ``url`` is set, else pasted text) and answer in the thread."""
        digest = url or "text:" + hashlib.sha256(target.encode()).hexdigest()[:16]
        if not self.handled.first_seen(f"{where.channel}|{where.source_ts}|{digest}"):
            return CheckResult.DUPLICATE
        if self._admitted >= self.max_running + self.max_waiting:
            await self.post(
                client,
                channel=where.channel,
                thread_ts=where.thread_ts,
                message=render_error(user_message(Outcome.BUSY), url=url),
            )
            return CheckResult.BUSY
        self._admitted += 1
        try:
            return await self._check(client, where=where, target=target, url=url)
        finally:
            self._admitted -= 1

    async def _check(self, client: AsyncWebClient, *, where: ThreadTarget, target: str, url: str | None) -> CheckResult:
        placeholder_ts = await self.post(
            client, channel=where.channel, thread_ts=where.thread_ts, message=render_progress(url=url)
        )
        if placeholder_ts is None:
            return CheckResult.UNPOSTABLE
        editor = ThrottledEditor(
            client=client,
            channel=where.channel,
            ts=placeholder_ts,
            interval_s=self.edit_interval_s,
            budget=self.edit_budget,
        )
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.max_running)
        pointer: str | None = None
        finished: Finished | None = None
        try:
            async with self._slots:
                pointer = (
                    await self.pointers.get(scope=where.scope, url=url) if self.pointers is not None and url else None
                )
                finished, article = await self._run_pipeline(target, url=url, editor=editor)
            messages = self._answer(finished, article=article, pointer=pointer, url=url)
        except Exception:  # a bug in a step must still end in a reply, never silence
            log.exception("Slack check failed unexpectedly")
            await editor.close()
            finished, messages = None, [render_error(user_message(Outcome.INTERNAL_ERROR), url=url)]

        if not await editor.finish(messages[0]):
            await self.post(client, channel=where.channel, thread_ts=where.thread_ts, message=messages[0])
        for message in messages[1:]:
            await self.post(client, channel=where.channel, thread_ts=where.thread_ts, message=message)
        if finished is None or finished.report is None:
            return CheckResult.FAILED
        if url and self.pointers is not None and not (finished.report.cached and pointer):
            await self._remember_thread(client, where=where, url=url, ts=placeholder_ts)
        return CheckResult.POSTED

    @staticmethod
    def _answer(
        finished: Finished, *, article: Article | None, pointer: str | None, url: str | None
    ) -> list[SlackMessage]:
        """What goes in the thread: an error, a pointer to the earlier thread, or the report."""
        if finished.report is None:
            return [render_error(finished.message, url=url)]
        if finished.report.cached and pointer:
            return [render_pointer(finished.report, permalink=pointer)]
        return render_report(finished.report, article=article)

    async def _run_pipeline(
        self, target: str, *, url: str | None, editor: ThrottledEditor
    ) -> tuple[Finished, Article | None]:
        article: Article | None = None
        total: int | None = None
        # The pipeline has its own fetch and LLM deadlines; this one only guarantees an answer.
        deadline = self.settings.fetch_timeout_s + self.settings.llm_deadline_s + 30
        try:
            async with asyncio.timeout(deadline):
                async for event in check(url or target, settings=self.settings, cache=self.cache, engine=self.engine):
                    if isinstance(event, ArticleReady):
                        article = event.article
                        editor.show(render_progress(url=url, title=article.title))
                    elif isinstance(event, ClaimsFound):
                        total = len(event.claims)
                        editor.show(render_progress(url=url, title=_title(article), claims_total=total))
                    elif isinstance(event, ClaimAnalysed):
                        editor.show(
                            render_progress(
                                url=url, title=_title(article), claims_total=event.total, analysed=event.index
                            )
                        )
                    elif isinstance(event, Finished):
                        return event, article
        except TimeoutError:
            log.warning("check exceeded the %.0f s job deadline", deadline)
        return Finished(Outcome.INTERNAL_ERROR, None, "took too long"), article

    async def _remember_thread(self, client: AsyncWebClient, *, where: ThreadTarget, url: str, ts: str) -> None:
        """Where this link's report now is, for the next time someone posts it in this workspace."""
        try:
            response = await client.chat_getPermalink(channel=where.channel, message_ts=ts)
            permalink = response.get("permalink")
            if permalink and self.pointers is not None:
                await self.pointers.put(scope=where.scope, url=url, pointer=permalink)
        except Exception:  # the report is posted; losing the pointer only costs a re-check later
            log.warning("could not remember where the report was posted", exc_info=True)

    # ------------------------------------------------------------ writes

    async def post(
        self, client: AsyncWebClient, *, channel: str, thread_ts: str | None, message: SlackMessage
    ) -> str | None:
        """One chat.postMessage in the thread, unfurls off; the new message's ts or None."""
        try:
            response = await client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=message.text,
                blocks=list(message.blocks) or None,
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            log.warning("chat.postMessage failed: %s", exc.response.get("error"))
            return None
        return response.get("ts")


def _title(article: Article | None) -> str | None:
    return article.title if article is not None else None
