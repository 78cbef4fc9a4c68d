"""The throttled placeholder editor against the local Web API: at most one edit per interval,
newest content wins, the final content is always the last edit."""

from __future__ import annotations

import asyncio

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.progress import EditBudget, ThrottledEditor
from adapters.slack.render import SlackMessage
from tests.servers.slack_api_server import SlackApiServer


@pytest.fixture
def slack_api():
    with SlackApiServer() as server:
        yield server


def msg(text: str) -> SlackMessage:
    return SlackMessage(text=text, blocks=({"type": "section", "text": {"type": "mrkdwn", "text": text}},))


async def placeholder(client: AsyncWebClient) -> str:
    response = await client.chat_postMessage(
        channel="C1", thread_ts="1.1", text="Checking…", unfurl_links=False, unfurl_media=False
    )
    return response["ts"]


@pytest.mark.parametrize("interval", [0.25, 1.0])
async def test_at_most_one_edit_per_interval_and_final_content_last(interval, slack_api):
    client = AsyncWebClient(token=slack_api.bot_token, base_url=slack_api.base_url)
    ts = await placeholder(client)
    posted_at = slack_api.ok_calls("chat.postMessage")[0].at
    editor = ThrottledEditor(client=client, channel="C1", ts=ts, interval_s=interval)
    assert ThrottledEditor(client=client, channel="C1", ts=ts).interval_s == 1.0  # the production default

    shown = 0
    deadline = asyncio.get_running_loop().time() + interval * 2.5
    while asyncio.get_running_loop().time() < deadline:
        editor.show(msg(f"progress {shown}"))
        shown += 1
        await asyncio.sleep(interval / 8)
    assert await editor.finish(msg("final report")) is True

    edits = slack_api.ok_calls("chat.update")
    assert edits[-1].params["text"] == "final report"
    assert slack_api.message("C1", ts).text == "final report"
    assert len(edits) < shown / 2  # most progress was coalesced
    times = [e.at for e in edits]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert edits[0].at - posted_at >= editor.settle_s * 0.95  # progress waits to settle first
    assert min(gaps) >= interval * 0.95, gaps  # tolerance only for clock granularity
    numbers = [int(e.params["text"].split()[1]) for e in edits[:-1]]
    assert numbers == sorted(numbers)  # never an older state after a newer one


async def test_invalid_blocks_are_retried_as_plain_text_not_reposted(slack_api):
    client = AsyncWebClient(token=slack_api.bot_token, base_url=slack_api.base_url)
    ts = await placeholder(client)
    slack_api.fail("chat.update", "invalid_blocks")
    editor = ThrottledEditor(client=client, channel="C1", ts=ts, interval_s=0.01)
    assert await editor.finish(msg("the report")) is True
    attempts = slack_api.calls("chat.update")
    assert len(attempts) == 2 and attempts[0].params.get("_scripted_error") == "invalid_blocks"
    assert attempts[1].params["text"] == "the report" and not attempts[1].params.get("blocks")
    assert len(slack_api.calls("chat.postMessage")) == 1  # no ghost duplicate


async def test_other_update_failures_are_reported_to_the_caller(slack_api):
    client = AsyncWebClient(token=slack_api.bot_token, base_url=slack_api.base_url)
    ts = await placeholder(client)
    slack_api.fail("chat.update", "msg_too_long")
    editor = ThrottledEditor(client=client, channel="C1", ts=ts, interval_s=0.01)
    assert await editor.finish(msg("x" * 10)) is False
    assert len(slack_api.calls("chat.update")) == 1


def test_edit_budget_refills_at_its_rate() -> None:
    now = [0.0]
    budget = EditBudget(per_minute=60, burst=2, clock=lambda: now[0])
    assert [budget.try_take() for _ in range(3)] == [True, True, False]
    now[0] = 0.5
    assert budget.try_take() is False
    now[0] = 1.0
    assert budget.try_take() is True and budget.try_take() is False
    now[0] = 100.0
    assert [budget.try_take() for _ in range(3)] == [True, True, False]  # never more than the burst


async def test_progress_waits_for_the_workspace_budget_but_the_final_edit_does_not(slack_api):
    client = AsyncWebClient(token=slack_api.bot_token, base_url=slack_api.base_url)
    ts = await placeholder(client)
    spent = EditBudget(per_minute=0.001, burst=1)
    assert spent.try_take()  # the other checks used it up
    editor = ThrottledEditor(client=client, channel="C1", ts=ts, interval_s=0.02, budget=spent)
    for n in range(5):
        editor.show(msg(f"progress {n}"))
        await asyncio.sleep(0.03)
    assert slack_api.calls("chat.update") == []
    assert await editor.finish(msg("final report")) is True
    assert [c.params["text"] for c in slack_api.calls("chat.update")] == ["final report"]


async def test_a_quick_final_goes_straight_out_and_skips_unsettled_progress(slack_api):
    """A repeated link answered from the cache: placeholder, then at once the answer."""
    client = AsyncWebClient(token=slack_api.bot_token, base_url=slack_api.base_url)
    ts = await placeholder(client)
    editor = ThrottledEditor(client=client, channel="C1", ts=ts)  # production timing: 1 s, settle 0.3 s
    editor.show(msg("Checking: Title…"))
    editor.show(msg("Found 3 key claims…"))
    started = asyncio.get_running_loop().time()
    assert await editor.finish(msg("final report")) is True
    assert asyncio.get_running_loop().time() - started < editor.interval_s  # no wait for an interval
    assert [c.params["text"] for c in slack_api.calls("chat.update")] == ["final report"]


async def test_final_arriving_during_a_progress_wait_is_sent_then(slack_api):
    client = AsyncWebClient(token=slack_api.bot_token, base_url=slack_api.base_url)
    ts = await placeholder(client)
    editor = ThrottledEditor(client=client, channel="C1", ts=ts, interval_s=0.2, settle_s=5.0)
    editor.show(msg("progress"))
    await asyncio.sleep(0.05)
    assert await asyncio.wait_for(editor.finish(msg("final report")), 2.0) is True
    assert [c.params["text"] for c in slack_api.calls("chat.update")] == ["final report"]
