"""The worker's Slack front against the strict local Web API: each part of an answer posted once across runs.

The process-level crash test (tests/adapters/queue/test_delivery.py) kills a worker while it
waits for a page; these cover the narrower windows: a run that died during ``chat.postMessage``
(posted, never recorded) and a run that died after the answer was out.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.queue.connection import client
from adapters.queue.journal import RedisPostJournal
from adapters.session.journal import ANSWERED
from adapters.session.progress import Progress
from adapters.session.request import CheckRequest
from adapters.slack.journaled import METADATA_EVENT, JournaledSlackFront
from adapters.slack.render import render_progress
from tests.servers.slack_api_server import SlackApiServer
from tests.support.report_samples import hostile_report
from tests.support.slack_harness import CHANNEL, REPORTER, new_ts, posts

URL = "https://news.example/story"


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator:
    connection = client(redis_url, queue_name="q")
    yield connection
    await connection.aclose()


def request(thread: str) -> CheckRequest:
    return CheckRequest(
        platform="slack",
        target=URL,
        kind="url",
        source=thread,
        scope="T0TEST",
        channel=CHANNEL,
        thread=thread,
        user=REPORTER,
        job="t:slack:job1",
    )


def front(api: SlackApiServer, redis, thread: str) -> JournaledSlackFront:
    web = AsyncWebClient(token=api.bot_token, base_url=api.base_url)
    journal = RedisPostJournal(redis, namespace="t", job="t:slack:job1")
    return JournaledSlackFront(client=web, request=request(thread), journal=journal)


async def test_a_run_again_takes_over_the_placeholder_and_the_report_replaces_it(slack_api, redis) -> None:
    thread = new_ts()
    first = front(slack_api, redis, thread)
    await first.post_placeholder(Progress(url=URL))
    again = front(slack_api, redis, thread)  # the worker died; another runs the job from the start
    await again.post_placeholder(Progress(url=URL))
    assert again.placeholder_ts == first.placeholder_ts
    await again.post_report(hostile_report(), article=None)
    thread_posts = posts(slack_api, thread_ts=thread)
    assert sum(":hourglass_flowing_sand:" in str(p["text"]) for p in thread_posts) == 1
    assert slack_api.message(CHANNEL, first.placeholder_ts or "").text.startswith("Fact-check")  # type: ignore[union-attr]


async def test_a_post_made_by_a_run_that_died_before_recording_it_is_found_by_its_metadata(slack_api, redis) -> None:
    thread = new_ts()
    dead = front(slack_api, redis, thread)
    await dead.journal.begin("placeholder")  # the call went out; the process died before the answer came back
    web = AsyncWebClient(token=slack_api.bot_token, base_url=slack_api.base_url)
    lost = await web.chat_postMessage(
        channel=CHANNEL,
        thread_ts=thread,
        text="Checking…",
        unfurl_links=False,
        unfurl_media=False,
        metadata={"event_type": METADATA_EVENT, "event_payload": {"job": "t:slack:job1", "part": "placeholder"}},
    )
    again = front(slack_api, redis, thread)
    await again.post_placeholder(Progress(url=URL))
    assert again.placeholder_ts == lost["ts"]
    assert len(posts(slack_api, thread_ts=thread)) == 1  # edited, not posted again
    assert slack_api.message(CHANNEL, lost["ts"]).text == render_progress(url=URL).text  # type: ignore[union-attr]
    assert await again.journal.recall("placeholder") == lost["ts"]


async def test_once_the_answer_is_out_a_run_again_leaves_the_thread_alone(slack_api, redis) -> None:
    thread = new_ts()
    first = front(slack_api, redis, thread)
    await first.post_placeholder(Progress(url=URL))
    await first.post_report(hostile_report(), article=None)
    await first.attach_file(filename="report.html", content=b"<!doctype html><p>page</p>", note="The page")
    assert await first.journal.recall(ANSWERED) == first.placeholder_ts
    before = len(slack_api.calls())
    again = front(slack_api, redis, thread)
    await again.post_placeholder(Progress(url=URL))
    await again.post_pointer(hostile_report(), pointer="https://slack.example/p1")
    await again.post_error("Something went wrong")
    await again.attach_file(filename="report.html", content=b"<!doctype html><p>page</p>", note="The page")
    assert len(slack_api.calls()) == before  # not one call: the report stands as posted
    assert len(slack_api.files) == 1
