"""The one check session, driven through the real Slack endpoint and the strict local Web API:
in-flight sharing, the per-user cooldown, the daily budget, the job deadline, the repeated-link
policy, and a request run by a "worker" from its JSON alone."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.session.request import CheckRequest
from adapters.session.runtime import embedded_session
from adapters.session.session import utc_day
from adapters.session.settings import SessionSettings
from adapters.slack.front import SlackFront
from bot.outcome import USER_MESSAGES, Outcome
from tests.servers.openai_server import OpenAIServer
from tests.support.slack_harness import (
    CHANNEL,
    REPORTER,
    event_body,
    held_page,
    message_event,
    news_article,
    posts,
    running_bot,
    send,
    slack_settings,
    thread_text,
)

TITLE = "Council raises sales tax to fund road repairs"
pytestmark = pytest.mark.timeout(60)


async def deliver(server, *events: dict) -> None:
    async with httpx.AsyncClient(timeout=20) as http:
        for event in events:
            assert (await send(http, server.url, event_body(event))).status_code == 200


async def test_the_same_link_asked_many_times_at_once_runs_once_and_everyone_is_answered(
    bot_settings, slack_api, article_server
):
    """20 reporters paste the same breaking story while it is being fetched: one fetch, one analysis,
    one full report; every other message gets one reply pointing to that thread."""
    release = asyncio.Event()
    loop = asyncio.get_running_loop()
    url = article_server.add(
        "/breaking", handler=held_page(lambda: asyncio.run_coroutine_threadsafe(release.wait(), loop).result(10))
    )
    events = [message_event(f"<{url}>", user=f"UREPORTER{n:02d}") for n in range(20)]
    async with running_bot(bot_settings, use_cache=True) as server:
        await deliver(server, *events)
        await slack_api.wait_for("chat.postMessage", count=1)  # the first one's placeholder
        await asyncio.sleep(0.2)
        assert len(slack_api.ok_calls("chat.postMessage")) == 1  # the others wait for its result, silently
        release.set()
        await server.bot.session.drain()
    assert article_server.hits("/breaking") == 1
    first, rest = events[0], events[1:]
    assert TITLE in thread_text(slack_api, thread_ts=first["ts"])
    for event in rest:
        [reply] = posts(slack_api, thread_ts=event["ts"])
        assert "checked here recently" in reply["text"] or "checked here recently" in str(reply["blocks"])
    assert len(slack_api.ok_calls("chat.postMessage")) == 20  # one post each (the report fits one message)


async def test_a_slack_user_gets_the_cooldown_too(settings, slack_api, article_server):
    """One user cannot start check after check: the second message within the window is refused,
    privately, while the links of one message count as one request."""
    first = article_server.add("/one", news_article("First story"))
    second = article_server.add("/two", news_article("Second story"))
    third = article_server.add("/three", news_article("Third story"))
    config = slack_settings(settings, api=slack_api, cooldown_s=30.0)
    both = message_event(f"<{first}> and <{second}>")
    again = message_event(f"<{third}>")
    async with running_bot(config) as server:
        await deliver(server, both)
        await server.bot.session.drain()
        await deliver(server, again)
        await server.bot.session.drain()
    assert "First story" in thread_text(slack_api, thread_ts=both["ts"])
    assert "Second story" in thread_text(slack_api, thread_ts=both["ts"])
    assert posts(slack_api, thread_ts=again["ts"]) == [] and article_server.hits("/three") == 0
    [refusal] = slack_api.ok_calls("chat.postEphemeral")
    assert refusal.params["user"] == REPORTER and refusal.params["channel"] == CHANNEL
    assert (
        refusal.params["text"].startswith(USER_MESSAGES[Outcome.COOLDOWN]) and "try again in" in refusal.params["text"]
    )


async def test_the_daily_budget_stops_checks_with_a_clear_message(settings, slack_api, article_server):
    with OpenAIServer() as llm:
        priced = slack_settings(
            settings,
            api=slack_api,
            openai_base_url=llm.base_url,
            openai_api_key="test",
            price_input_per_m=1_000.0,  # a dollar a thousand tokens: one check spends the cap
            price_output_per_m=1_000.0,
            daily_budget_usd=0.01,
        )
        first = message_event(f"<{article_server.add('/one', news_article('First story'))}>")
        second = message_event(f"<{article_server.add('/two', news_article('Second story'))}>")
        async with running_bot(priced) as server:
            await deliver(server, first)
            await server.bot.session.drain()
            spent = await server.bot.session.state.budget.spent(utc_day())
            await deliver(server, second)
            await server.bot.session.drain()
        requests_after_first = len(llm.chat_requests)
    assert spent >= 0.01
    assert "First story" in thread_text(slack_api, thread_ts=first["ts"])
    assert article_server.hits("/two") == 0 and requests_after_first > 0
    [refusal] = slack_api.ok_calls("chat.postEphemeral")
    assert refusal.params["text"].startswith(USER_MESSAGES[Outcome.BUDGET_REACHED])
    assert "$0.01 a day" in refusal.params["text"]


async def test_a_budget_without_prices_is_a_configuration_error(settings):
    configured = settings.replace(openai_base_url="http://127.0.0.1:9/v1", openai_api_key="test")
    with pytest.raises(ValueError, match="FACTCHECK_PRICE_INPUT"):
        async with embedded_session(configured, limits=SessionSettings(daily_budget_usd=5.0)):
            pass


async def test_the_job_deadline_still_ends_in_a_reply(bot_settings, slack_api, article_server):
    release = asyncio.Event()
    loop = asyncio.get_running_loop()
    url = article_server.add(
        "/stuck", handler=held_page(lambda: asyncio.run_coroutine_threadsafe(release.wait(), loop).result(10))
    )
    event = message_event(f"<{url}>")
    async with running_bot(bot_settings, deadline_s=0.5) as server:
        await deliver(server, event)
        await slack_api.wait_for("chat.update", where=lambda c: "took too long" in c.params.get("text", ""))
        release.set()
        await server.bot.session.drain()
    [placeholder] = posts(slack_api, thread_ts=event["ts"])
    assert USER_MESSAGES[Outcome.INTERNAL_ERROR] in thread_text(slack_api, thread_ts=event["ts"])
    assert "Checking" in placeholder["text"]


async def test_a_repeated_link_points_back_only_while_its_report_stands(bot_settings, slack_api, article_server):
    url = article_server.add("/story", news_article())
    first, second, third = (message_event(f"<{url}>") for _ in range(3))
    async with running_bot(bot_settings, use_cache=True) as server:
        await deliver(server, first)
        await server.bot.session.drain()
        await deliver(server, second)
        await server.bot.session.drain()
    # A new analysis setup (here: more claims) makes the cached report stale for it: check again.
    async with running_bot(bot_settings.replace(max_claims=5), use_cache=True) as server:
        await deliver(server, third)
        await server.bot.session.drain()
    assert "checked here recently" in thread_text(slack_api, thread_ts=second["ts"])
    assert len(posts(slack_api, thread_ts=second["ts"])) == 1
    assert article_server.hits("/story") == 2
    assert TITLE in thread_text(slack_api, thread_ts=third["ts"])
    assert "checked here recently" not in thread_text(slack_api, thread_ts=third["ts"])


async def test_a_worker_answers_a_request_from_its_json_alone(bot_settings, slack_api, article_server):
    """The front process only knows the event; a worker gets the request as JSON and answers through
    the Web API with its own client: placeholder, report, the page, in the asker's thread."""
    url = article_server.add("/story", news_article())
    event = message_event(f"<{url}>")
    queued = CheckRequest(
        platform="slack",
        target=url,
        kind="url",
        source=event["ts"],
        event_id="Ev0WORKER",
        scope="T0TEST",
        channel=CHANNEL,
        thread=event["ts"],
        user=REPORTER,
    ).model_dump_json()

    request = CheckRequest.model_validate_json(queued)
    client = AsyncWebClient(token=slack_api.bot_token, base_url=slack_api.base_url)
    async with embedded_session(bot_settings.core, limits=bot_settings.limits, edit_interval_s=0.05) as session:
        outcome = await session.handle(request, SlackFront(client=client, request=request))
    assert outcome is Outcome.OK
    assert TITLE in thread_text(slack_api, thread_ts=event["ts"])
    [completed] = slack_api.ok_calls("files.completeUploadExternal")
    assert completed.params["channel_id"] == CHANNEL and completed.params["thread_ts"] == event["ts"]
    [upload] = slack_api.files.values()
    assert upload.content is not None and upload.content.startswith(b"<!DOCTYPE html>")
    assert len(upload.content) == upload.length and upload.filename.endswith(".html")
