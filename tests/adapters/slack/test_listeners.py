"""Every trigger over the real endpoint: channel messages, mention mode, channel restriction,
app_mention (also in threads), /factcheck with a link or text, and the message shortcut."""

from __future__ import annotations

import json

import httpx
import pytest

from adapters.view.words import COMMAND_ACK, COMMAND_USAGE, NOT_ENABLED, PRIVATE_ANSWER
from bot.outcome import USER_MESSAGES, Outcome
from tests.support.slack_harness import (
    CHANNEL,
    REPORTER,
    command_body,
    event_body,
    mention_event,
    message_event,
    new_ts,
    news_article,
    posts,
    running_bot,
    send,
    shortcut_body,
    slack_settings,
    thread_text,
)

TITLE = "Council raises sales tax to fund road repairs"


@pytest.fixture
def story(article_server) -> str:
    return article_server.add("/story", news_article())


async def deliver(settings, *bodies) -> list[httpx.Response]:
    async with httpx.AsyncClient(timeout=20) as http, running_bot(settings) as server:
        responses = [await send(http, server.url, body) for body in bodies]
        await server.bot.session.drain()
    return responses


async def test_mention_mode_ignores_plain_messages_but_answers_mentions(settings, slack_api, story):
    mode = slack_settings(settings, api=slack_api, mode="mention")
    plain = message_event(f"<{story}>")
    mention = mention_event(f"<{story}>")
    await deliver(mode, event_body(plain), event_body(mention))
    assert posts(slack_api, thread_ts=plain["ts"]) == []
    assert len(posts(slack_api, thread_ts=mention["ts"])) == 1
    assert TITLE in thread_text(slack_api, thread_ts=mention["ts"])


async def test_mention_mode_still_answers_direct_messages(settings, slack_api, story):
    mode = slack_settings(settings, api=slack_api, mode="mention")
    direct = message_event(f"<{story}>", channel="D0DIRECT", channel_type="im")
    await deliver(mode, event_body(direct))
    assert TITLE in thread_text(slack_api, thread_ts=direct["ts"], channel="D0DIRECT")


async def test_channel_restriction(settings, slack_api, story):
    restricted = slack_settings(settings, api=slack_api, channels=("#C0ALLOWED",))
    outside = message_event(f"<{story}>", channel=CHANNEL)
    inside = message_event(f"<{story}>", channel="C0ALLOWED")
    mention_outside = mention_event(f"<{story}>", channel=CHANNEL)
    await deliver(restricted, event_body(outside), event_body(inside), event_body(mention_outside))
    assert posts(slack_api, channel=CHANNEL) == []
    assert len(posts(slack_api, channel="C0ALLOWED", thread_ts=inside["ts"])) == 1
    ephemeral = slack_api.ok_calls("chat.postEphemeral")
    assert [(c.params["user"], c.params["text"]) for c in ephemeral] == [(REPORTER, NOT_ENABLED)]


async def test_message_without_link_stays_silent(settings, slack_api):
    await deliver(slack_settings(settings, api=slack_api), event_body(message_event("lunch at noon?")))
    assert slack_api.calls("chat.postMessage") == []


async def test_message_with_two_links_gets_two_reports_in_its_thread(settings, slack_api, article_server, story):
    other = article_server.add("/other", news_article("Second story about the harbour budget"))
    event = message_event(f"compare <{story}> and <{other}|the other one>")
    await deliver(slack_settings(settings, api=slack_api), event_body(event))
    assert len(posts(slack_api, thread_ts=event["ts"])) == 2
    shown = thread_text(slack_api, thread_ts=event["ts"])
    assert TITLE in shown and "Second story about the harbour budget" in shown


async def test_app_mention_inside_a_thread_answers_in_that_thread(settings, slack_api, story):
    root = new_ts()
    mention = mention_event(f"what about <{story}>", thread_ts=root)
    await deliver(slack_settings(settings, api=slack_api), event_body(mention))
    assert len(posts(slack_api, thread_ts=root)) == 1
    assert posts(slack_api, thread_ts=mention["ts"]) == []
    assert TITLE in thread_text(slack_api, thread_ts=root)


async def test_app_mention_without_link_in_a_thread_checks_the_thread_parent(settings, slack_api, story):
    root = new_ts()
    slack_api.add_message(channel=CHANNEL, ts=root, text=f"Story of the day: <{story}>")
    mention = mention_event("can you check this?", thread_ts=root)
    await deliver(slack_settings(settings, api=slack_api), event_body(mention))
    replies = slack_api.ok_calls("conversations.replies")
    assert len(replies) == 1 and replies[0].params["ts"] == root
    assert TITLE in thread_text(slack_api, thread_ts=root)


async def test_app_mention_without_any_link_explains_in_the_thread(settings, slack_api):
    mention = mention_event("hello there")
    await deliver(slack_settings(settings, api=slack_api), event_body(mention))
    [reply] = posts(slack_api, thread_ts=mention["ts"])
    assert USER_MESSAGES[Outcome.NO_LINK] in reply["text"]


async def test_slash_command_with_link(settings, slack_api, story):
    body = command_body(story, response_url=slack_api.response_url())
    [response] = await deliver(slack_settings(settings, api=slack_api), body)
    assert response.status_code == 200 and response.text == COMMAND_ACK
    root, placeholder = posts(slack_api)[:2]
    assert "thread_ts" not in root and f"<@{REPORTER}> asked for a fact-check" in root["text"]
    # the report's thread hangs off the root message the bot posted
    assert slack_api.message(CHANNEL, placeholder["thread_ts"]).text == root["text"]
    assert TITLE in thread_text(slack_api, thread_ts=placeholder["thread_ts"])
    assert root["unfurl_links"] is False and root["unfurl_media"] is False


async def test_slash_command_with_pasted_text(settings, slack_api):
    text = " ".join(["The council voted 7 to 2 to raise the sales tax by 1.5 points, officials said."] * 8)
    body = command_body(text, response_url=slack_api.response_url())
    [response] = await deliver(slack_settings(settings, api=slack_api), body)
    assert response.text == COMMAND_ACK
    root, placeholder = posts(slack_api)[:2]
    assert "pasted text" in root["text"]
    shown = thread_text(slack_api, thread_ts=placeholder["thread_ts"])
    assert "Sourcing overall" in shown and "council voted 7 to 2" in shown


async def test_slash_command_without_text_shows_usage(settings, slack_api):
    [response] = await deliver(
        slack_settings(settings, api=slack_api), command_body("", response_url=slack_api.response_url())
    )
    assert response.text == COMMAND_USAGE
    assert slack_api.calls("chat.postMessage") == []


async def test_slash_command_in_a_channel_the_bot_cannot_post_to_answers_privately(settings, slack_api, story):
    slack_api.hide_channel(CHANNEL)  # a private channel or DM the bot is not in
    await deliver(slack_settings(settings, api=slack_api), command_body(story, response_url=slack_api.response_url()))
    assert slack_api.ok_calls("chat.postMessage") == []
    answers = slack_api.ok_calls("response_url")
    assert PRIVATE_ANSWER in answers[0].params["text"]
    assert all(answer.params["response_type"] == "ephemeral" for answer in answers)
    assert TITLE in "\n".join(json.dumps(answer.params) for answer in answers[1:])


async def test_message_shortcut_where_the_bot_is_not_in_the_conversation_uses_the_response_url(
    settings, slack_api, story
):
    """Slack answers channel_not_found for a private channel or DM the bot was never added to; the
    shortcut's response URL still reaches the user who asked, within its five uses."""
    slack_api.hide_channel(CHANNEL)
    message = {"type": "message", "user": "UOTHER", "ts": new_ts(), "text": f"Breaking: <{story}>"}
    await deliver(
        slack_settings(settings, api=slack_api), shortcut_body(message, response_url=slack_api.response_url())
    )
    assert [c.params.get("_scripted_error") for c in slack_api.calls("chat.postMessage")] == ["channel_not_found"]
    answers = slack_api.ok_calls("response_url")
    assert 2 <= len(answers) <= 5
    assert PRIVATE_ANSWER in answers[0].params["text"] and answers[0].params["response_type"] == "ephemeral"
    report = "\n".join(json.dumps(answer.params, ensure_ascii=False) for answer in answers[1:])
    assert TITLE in report and "Sourcing" in report
    assert slack_api.calls("files.getUploadURLExternal") == []  # a file cannot go through a response URL


async def test_message_shortcut_refusal_where_the_bot_is_not_in_the_conversation(settings, slack_api):
    slack_api.hide_channel(CHANNEL)
    message = {"type": "message", "user": "UOTHER", "ts": new_ts(), "text": "see you at 3"}
    await deliver(
        slack_settings(settings, api=slack_api), shortcut_body(message, response_url=slack_api.response_url())
    )
    [answer] = slack_api.ok_calls("response_url")
    assert answer.params["text"] == USER_MESSAGES[Outcome.NO_LINK]


@pytest.mark.parametrize("in_thread", [False, True])
async def test_message_shortcut_answers_in_the_message_thread(in_thread, settings, slack_api, story):
    root = new_ts()
    message = {"type": "message", "user": "UOTHER", "ts": new_ts(), "text": f"Breaking: <{story}>"}
    if in_thread:
        message["thread_ts"] = root
    body = shortcut_body(message, response_url=slack_api.response_url())
    [response] = await deliver(slack_settings(settings, api=slack_api), body)
    assert response.status_code == 200
    expected_thread = root if in_thread else message["ts"]
    assert len(posts(slack_api, thread_ts=expected_thread)) == 1
    assert TITLE in thread_text(slack_api, thread_ts=expected_thread)


async def test_message_shortcut_on_a_message_without_link(settings, slack_api):
    message = {"type": "message", "user": "UOTHER", "ts": new_ts(), "text": "see you at 3"}
    await deliver(
        slack_settings(settings, api=slack_api), shortcut_body(message, response_url=slack_api.response_url())
    )
    assert slack_api.calls("chat.postMessage") == []
    [ephemeral] = slack_api.ok_calls("chat.postEphemeral")
    assert ephemeral.params["text"] == USER_MESSAGES[Outcome.NO_LINK]
    assert json.dumps(ephemeral.params)  # recorded with its parsed body
