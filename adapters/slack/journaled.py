"""The Slack front a queue worker uses: each message of an answer is posted once, whatever re-runs its job.

A worker killed mid-check leaves its job to another worker, which runs it from the start. This
front writes every post into the job's journal (adapters.session.journal) and, on a re-run, edits
the message the first run posted instead of posting again: the placeholder is taken over (and
edited from "Reading..." on), the report replaces it as usual, its continuation messages are
edited in place. A post begun but never recorded (the process died during the call) is looked up
in the thread: each post carries its job and part in Slack message metadata
(``conversations.replies`` with ``include_all_metadata``). Once the answer is out, a re-run leaves
the thread alone, and the full-report page is attached at most once.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.session.journal import ANSWERED, PENDING, PostJournal
from adapters.session.progress import Progress
from adapters.session.request import CheckRequest
from adapters.slack.front import SlackFront
from adapters.slack.render import SlackMessage

log = logging.getLogger(__name__)

METADATA_EVENT = "factcheck_post"  # the metadata event type our posts carry
FILE_PART = "file"
SEARCH_LIMIT = 200  # the thread messages searched for a lost post (ours come early in a thread)


class JournaledSlackFront(SlackFront):
    def __init__(self, *, client: AsyncWebClient, request: CheckRequest, journal: PostJournal) -> None:
        super().__init__(client=client, request=request)
        self.journal = journal

    async def answered(self) -> bool:
        """The final answer of this job is already in the thread (an earlier run posted it)."""
        return await self.journal.recall(ANSWERED) is not None

    async def post_placeholder(self, progress: Progress) -> None:
        if await self.answered():
            return  # never turn a posted report back into "Reading..."
        await super().post_placeholder(progress)

    async def _answer(self, messages: list[SlackMessage]) -> None:
        if await self.answered():
            log.info("job %s: its answer is already posted; nothing posted again", self.journal.job)
            return
        await super()._answer(messages)
        await self.journal.record(ANSWERED, self.first_ts or "")

    async def attach_file(self, *, filename: str, content: bytes, note: str) -> None:
        if await self.journal.recall(FILE_PART) is not None:
            return  # attached, or possibly attached by a run that died: a page is not worth a duplicate
        await self.journal.begin(FILE_PART)
        await super().attach_file(filename=filename, content=content, note=note)
        await self.journal.record(FILE_PART, "sent")

    async def _post(self, message: SlackMessage, *, part: str) -> str | None:
        known = await self.journal.recall(part)
        if known == PENDING:
            known = await self._find(part)
        if known:
            if await self._update(known, message):
                await self.journal.record(part, known)
                return known
            log.info("job %s: its earlier %s is gone; posting it anew", self.journal.job, part)
        await self.journal.begin(part)
        ts = await self._chat_post(message, metadata=self._metadata(part))
        if ts is not None:
            await self.journal.record(part, ts)
        return ts

    def _metadata(self, part: str) -> dict[str, Any]:
        return {"event_type": METADATA_EVENT, "event_payload": {"job": self.journal.job, "part": part}}

    async def _find(self, part: str) -> str | None:
        """The ts of this job's ``part`` in the thread, posted by a run that died before recording it."""
        if self.thread_ts is None:
            return None  # a /factcheck root that may or may not exist: nothing to search in
        try:
            response = await self.client.conversations_replies(
                channel=self.channel, ts=self.thread_ts, include_all_metadata=True, limit=SEARCH_LIMIT
            )
        except SlackApiError as exc:
            log.warning("conversations.replies failed: %s", exc.response.get("error"))
            return None
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == METADATA_EVENT
                and payload.get("job") == self.journal.job
                and payload.get("part") == part
                and isinstance(message.get("ts"), str)
            ):
                return message["ts"]
        return None
