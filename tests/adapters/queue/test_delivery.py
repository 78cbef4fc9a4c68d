"""Delivery in the scale-out mode, with real parts: front and worker processes, a real Redis, the local Slack API.

Each front is ``factcheck slack`` (HTTP mode) and each worker ``factcheck worker``, started as
deployed; the article pages and the Slack Web API are the loopback test servers; the analysis is
offline (no model), so a check takes a fraction of a second and what is tested is the delivery.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from bot.outcome import Outcome, user_message
from tests.servers.article_server import ArticleServer, hang, respond, sequence
from tests.servers.slack_api_server import SlackApiServer
from tests.support.redis_harness import RedisServer
from tests.support.scale_harness import FactcheckProcess, front_process, scale_env
from tests.support.slack_harness import (
    CHANNEL,
    event_body,
    mention_event,
    message_event,
    news_article,
    posts,
    send,
    thread_text,
)

pytestmark = pytest.mark.timeout(300)

TITLE = "Council raises sales tax to fund road repairs"
READING = ":hourglass_flowing_sand:"  # the placeholder and its progress edits (adapters.slack.render)


@contextlib.contextmanager
def processes() -> Iterator[list[FactcheckProcess]]:
    started: list[FactcheckProcess] = []
    try:
        yield started
    finally:
        for process in started:
            process.close()


async def wait_for_report(
    api: SlackApiServer, *, thread_ts: str, timeout: float = 90, logs: tuple[FactcheckProcess, ...] = ()
) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = thread_text(api, thread_ts=thread_ts)
        if TITLE in text and READING not in text:
            return text
        await asyncio.sleep(0.1)
    seen = "\n".join(f"--- {p.args[0]}:\n{p.log()[-2000:]}" for p in logs)
    raise TimeoutError(f"no report in thread {thread_ts}: {thread_text(api, thread_ts=thread_ts)[:500]}\n{seen}")


async def settle(seconds: float = 1.5) -> None:
    """Give a second post (the failure these tests look for) time to arrive."""
    await asyncio.sleep(seconds)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as client:
        yield client


async def test_two_fronts_given_the_same_signed_event_post_once(
    settings, slack_api: SlackApiServer, article_server: ArticleServer, redis_url: str, http: httpx.AsyncClient
) -> None:
    url = article_server.add("/story", body=news_article().encode())
    env = scale_env(settings, api=slack_api, redis_url=redis_url)
    with processes() as started:
        worker = FactcheckProcess("worker", env=env)
        first, second = front_process(env), front_process(env)
        started += [worker, first, second]
        await asyncio.gather(first.ready_http(), second.ready_http(), worker.ready_log("worker taking jobs"))

        event = message_event(f"Have a look <{url}>")
        body = event_body(event, event_id="Ev0SAME")
        answers = await asyncio.gather(send(http, first.url, body), send(http, second.url, body))
        assert [answer.status_code for answer in answers] == [200, 200]
        # The app_mention twin Slack sends for the same message, with its own event id, to the second front.
        mention = mention_event(f"<{url}>", ts=event["ts"])
        assert (await send(http, second.url, event_body(mention, event_id="Ev0TWIN"))).status_code == 200

        text = await wait_for_report(slack_api, thread_ts=event["ts"], logs=(worker, first, second))
        await settle()
    assert TITLE in text
    thread = posts(slack_api, thread_ts=event["ts"])
    placeholders = [p for p in thread if READING in str(p.get("text"))]
    assert len(placeholders) == 1, thread  # one check, one answer: later posts only continue the report
    assert article_server.hits("/story") == 1
    assert worker.log().count("slack check of url") == 1


async def test_a_worker_killed_mid_check_still_ends_in_one_report(
    settings, slack_api: SlackApiServer, article_server: ArticleServer, redis_url: str, http: httpx.AsyncClient
) -> None:
    page = news_article().encode()
    # The first fetch hangs (the worker is killed while it waits); the re-run's fetch gets the page.
    url = article_server.add("/story", handler=sequence(hang(60), respond(200, page)))
    env = scale_env(settings, api=slack_api, redis_url=redis_url, FACTCHECK_JOB_TIMEOUT_S="8")
    with processes() as started:
        front, doomed = front_process(env), FactcheckProcess("worker", env=env)
        started += [front, doomed]
        await asyncio.gather(front.ready_http(), doomed.ready_log("worker taking jobs"))
        event = message_event(f"Have a look <{url}>")
        assert (await send(http, front.url, event_body(event))).status_code == 200
        await slack_api.wait_for("chat.postMessage", timeout=30)  # the placeholder is up: the check is running
        while article_server.hits("/story") < 1:  # and its fetch is waiting for the page
            await asyncio.sleep(0.02)
        doomed.kill()

        rescuer = FactcheckProcess("worker", env=env)
        started.append(rescuer)
        # arq runs the job again once the dead worker's claim expires (job timeout + 10 s).
        text = await wait_for_report(slack_api, thread_ts=event["ts"], logs=(front, rescuer))
        await settle()
    assert TITLE in text
    thread = slack_api.thread(CHANNEL, event["ts"])
    placeholders = [p for p in posts(slack_api, thread_ts=event["ts"]) if READING in str(p.get("text"))]
    assert len(placeholders) == 1  # the re-run took over the first run's placeholder instead of posting its own
    assert READING not in "\n".join(m.text for m in thread)
    assert "(run 2)" in rescuer.log()
    assert sum(1 for m in thread if TITLE in m.text) == 1


async def test_fifty_links_spread_over_two_workers_are_all_answered(
    settings, slack_api: SlackApiServer, article_server: ArticleServer, redis_url: str, http: httpx.AsyncClient
) -> None:
    urls = [
        article_server.add(f"/story/{n}", body=news_article(extra=[f"Update {n}: the vote is on day {n}."]).encode())
        for n in range(50)
    ]
    env = scale_env(settings, api=slack_api, redis_url=redis_url)
    with processes() as started:
        front = front_process(env)
        workers = [FactcheckProcess("worker", env=env) for _ in range(2)]
        started += [front, *workers]
        await asyncio.gather(front.ready_http(), *(w.ready_log("worker taking jobs") for w in workers))
        events = [message_event(f"Breaking <{url}>") for url in urls]
        answers = await asyncio.gather(*(send(http, front.url, event_body(event)) for event in events))
        assert {answer.status_code for answer in answers} == {200}
        texts = await asyncio.gather(*(wait_for_report(slack_api, thread_ts=e["ts"], timeout=150) for e in events))
    assert all(TITLE in text for text in texts)
    ran = [worker.log().count("slack check of url") for worker in workers]
    assert sum(ran) == 50 and min(ran) > 0, ran  # every link once, and both workers took a share
    assert all(article_server.hits(f"/story/{n}") == 1 for n in range(50))


async def test_redis_down_at_start_is_a_clear_error(settings, slack_api: SlackApiServer, redis_server: RedisServer):
    from tests.support.redis_harness import free_port

    nowhere = f"redis://:sekrit@127.0.0.1:{free_port()}/0"
    env = scale_env(settings, api=slack_api, redis_url=nowhere, FACTCHECK_REDIS_WAIT_S="0")
    for args in (("worker",), ("slack", "--mode", "http")):
        process = FactcheckProcess(*args, env=env)
        try:
            process.process.wait(60)
            log = process.log()
        finally:
            process.close()
        assert process.process.returncode == 1, log
        lines = [line for line in log.splitlines() if line.startswith("factcheck:")]
        assert len(lines) == 1 and "cannot reach Redis at redis://:***@127.0.0.1:" in lines[0], log
        assert "start it, or fix REDIS_URL" in lines[0]
        assert "sekrit" not in log and "Traceback" not in log


async def test_redis_lost_mid_run_is_retried_and_reported(
    settings, slack_api: SlackApiServer, article_server: ArticleServer, own_redis: RedisServer, http
) -> None:
    url = article_server.add("/story", body=news_article().encode())
    env = scale_env(settings, api=slack_api, redis_url=own_redis.url)
    with processes() as started:
        front, worker = front_process(env), FactcheckProcess("worker", env=env)
        started += [front, worker]
        await asyncio.gather(front.ready_http(), worker.ready_log("worker taking jobs"))

        own_redis.stop()
        lost = message_event(f"Have a look <{url}>")
        assert (await send(http, front.url, event_body(lost))).status_code == 200
        [reply] = await slack_api.wait_for("chat.postMessage", timeout=60)
        assert user_message(Outcome.INTERNAL_ERROR) in thread_text(slack_api, thread_ts=lost["ts"])
        assert "could not be queued" in thread_text(slack_api, thread_ts=lost["ts"])
        assert reply.params["thread_ts"] == lost["ts"]
        await worker.wait_log("lost Redis", timeout=60)
        assert "could not queue" in front.log()

        own_redis.start()  # back, empty, on the same port: both carry on without a restart
        back = message_event(f"Once more <{url}>")
        assert (await send(http, front.url, event_body(back))).status_code == 200
        assert TITLE in await wait_for_report(slack_api, thread_ts=back["ts"], logs=(front, worker))
