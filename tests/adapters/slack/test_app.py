"""The real HTTP endpoint (the code path ``factcheck slack`` runs): signing, acks, retries,
duplicates and ignored events. Signed requests over loopback; Web API and article are local."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest
from slack_sdk.signature import SignatureVerifier

from adapters.session.runtime import embedded_session
from adapters.slack.settings import SlackSettings
from tests.support.slack_harness import (
    CHANNEL,
    SIGNING_SECRET,
    event_body,
    held_page,
    mention_event,
    message_event,
    news_article,
    posts,
    running_bot,
    send,
    signed_headers,
    slack_settings,
    thread_text,
    updates,
)

GOLDEN_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
GOLDEN_TIMESTAMP = 1531420618
GOLDEN_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
GOLDEN_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


async def test_message_with_link_gets_one_threaded_report(bot_settings, cache, slack_api, article_server, http):
    url = article_server.add("/story", news_article())
    event = message_event(f"Have a look <{url}>")
    async with running_bot(bot_settings, use_cache=True) as server:
        response = await send(http, server.url, event_body(event))
        assert response.status_code == 200
        await server.bot.session.drain()

    placeholder, *rest = posts(slack_api)
    assert placeholder["thread_ts"] == event["ts"]
    assert placeholder["text"].startswith(":hourglass_flowing_sand: Checking:")
    for params in posts(slack_api):
        assert params["unfurl_links"] is False and params["unfurl_media"] is False
        assert params["thread_ts"] == event["ts"]
    final = updates(slack_api)[-1]
    assert "Council raises sales tax to fund road repairs" in final["text"]
    shown = thread_text(slack_api, thread_ts=event["ts"])
    assert "Sourcing overall" in shown and "Checking:" not in shown  # the placeholder became the report
    assert article_server.hits("/story") == 1
    writes = slack_api.ok_calls("chat.postMessage") + slack_api.ok_calls("chat.update")
    assert len({call.peer for call in writes}) < len(writes)  # one shared session: connections reused


@pytest.mark.parametrize("tamper", ["wrong_secret", "flipped_byte", "no_headers", "no_v0_prefix"])
async def test_bad_signature_is_rejected_with_401_and_does_nothing(
    tamper, bot_settings, slack_api, article_server, http
):
    url = article_server.add("/story", news_article())
    raw = json.dumps(event_body(message_event(f"<{url}>")))
    headers = signed_headers(raw, secret="not-the-secret" if tamper == "wrong_secret" else SIGNING_SECRET)
    if tamper == "flipped_byte":
        raw = raw.replace('"event_callback"', '"event_callbacK"')  # one byte, signed before the change
    elif tamper == "no_headers":
        headers = {"Content-Type": "application/json"}
    elif tamper == "no_v0_prefix":
        headers["X-Slack-Signature"] = headers["X-Slack-Signature"].removeprefix("v0=")
    async with running_bot(bot_settings) as server:
        response = await http.post(server.url, content=raw.encode(), headers=headers)
        await server.bot.session.drain()
    assert response.status_code == 401
    assert slack_api.calls("chat.postMessage") == [] and article_server.hits("/story") == 0


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"payload=%7B%22type%22%3A", "application/x-www-form-urlencoded"),  # a cut-off shortcut payload
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"", "application/json"),
    ],
)
async def test_malformed_unsigned_bodies_get_401_and_no_traceback(
    body, content_type, bot_settings, slack_api, http, caplog
):
    """Anyone can reach the endpoint: what Slack did not sign is refused before anything parses it."""
    async with running_bot(bot_settings) as server:
        for headers in ({}, {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"}):
            response = await http.post(server.url, content=body, headers={"Content-Type": content_type, **headers})
            assert response.status_code == 401, response.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert slack_api.calls("chat.postMessage") == []


@pytest.mark.parametrize("skew", [-330, 330])  # past the 5-minute window even when the machine is slow
async def test_stale_or_future_timestamp_is_rejected(skew, bot_settings, slack_api, article_server, http):
    url = article_server.add("/story", news_article())
    async with running_bot(bot_settings) as server:
        response = await send(
            http, server.url, event_body(message_event(f"<{url}>")), timestamp=int(time.time()) + skew
        )
    assert response.status_code == 401
    assert slack_api.calls("chat.postMessage") == []


async def test_golden_signing_vector(settings, slack_api, http):
    """Slack's own published vector: our signer reproduces it, and the endpoint (with that secret)
    still refuses it because its 2018 timestamp is far outside the 5-minute window."""
    signer = SignatureVerifier(GOLDEN_SECRET)
    assert signer.generate_signature(timestamp=str(GOLDEN_TIMESTAMP), body=GOLDEN_BODY) == GOLDEN_SIGNATURE

    class Then:
        def now(self) -> float:
            return GOLDEN_TIMESTAMP + 10

    assert SignatureVerifier(GOLDEN_SECRET, clock=Then()).is_valid(
        body=GOLDEN_BODY, timestamp=str(GOLDEN_TIMESTAMP), signature=GOLDEN_SIGNATURE
    )
    golden = slack_settings(settings, api=slack_api, signing_secret=GOLDEN_SECRET)
    async with running_bot(golden) as server:
        response = await http.post(
            server.url,
            content=GOLDEN_BODY.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": str(GOLDEN_TIMESTAMP),
                "X-Slack-Signature": GOLDEN_SIGNATURE,
            },
        )
    assert response.status_code == 401


async def test_retried_deliveries_yield_exactly_one_report(bot_settings, cache, slack_api, article_server, http):
    url = article_server.add("/story", news_article())
    event = message_event(f"<{url}>")
    body = event_body(event, event_id="Ev0RETRY0001")
    async with running_bot(bot_settings, use_cache=True) as server:
        first = await send(http, server.url, body)
        retries = await asyncio.gather(
            *(
                send(
                    http,
                    server.url,
                    body,
                    headers={"X-Slack-Retry-Num": str(n), "X-Slack-Retry-Reason": "http_timeout"},
                )
                for n in (1, 2, 3)
            )
        )
        await server.bot.session.drain()
        late = await send(
            http, server.url, body, headers={"X-Slack-Retry-Num": "3", "X-Slack-Retry-Reason": "http_error"}
        )
        await server.bot.session.drain()
    assert [r.status_code for r in (first, *retries, late)] == [200] * 5
    assert len(posts(slack_api, thread_ts=event["ts"])) == 1  # one placeholder, edited into the report
    assert article_server.hits("/story") == 1


async def test_app_mention_and_message_for_one_post_yield_one_report(
    bot_settings, cache, slack_api, article_server, http
):
    url = article_server.add("/story", news_article())
    mention = mention_event(f"check <{url}>")
    same_post = message_event(mention["text"], ts=mention["ts"])
    async with running_bot(bot_settings, use_cache=True) as server:
        responses = await asyncio.gather(
            send(http, server.url, event_body(same_post)), send(http, server.url, event_body(mention))
        )
        await server.bot.session.drain()
    assert [r.status_code for r in responses] == [200, 200]
    assert len(posts(slack_api, thread_ts=mention["ts"])) == 1
    assert article_server.hits("/story") == 1


@pytest.mark.parametrize("variant", ["bot_message", "other_bot", "self", "message_changed", "message_deleted"])
async def test_bot_edited_and_deleted_messages_are_ignored(variant, bot_settings, slack_api, article_server, http):
    url = article_server.add("/story", news_article())
    text = f"<{url}>"
    if variant == "bot_message":
        event = message_event(text, subtype="bot_message", bot_id="BOTHER")
        event.pop("user")
    elif variant == "other_bot":
        event = message_event(text, bot_id="BOTHER", user="UOTHERBOT")
    elif variant == "self":
        event = message_event(text, user=slack_api.bot_user_id, bot_id=slack_api.bot_id)
    elif variant == "message_changed":
        event = {
            "type": "message",
            "subtype": "message_changed",
            "channel": CHANNEL,
            "hidden": True,
            "ts": "1.2",
            "message": message_event(text),
            "previous_message": message_event("old"),
        }
    else:
        event = {
            "type": "message",
            "subtype": "message_deleted",
            "channel": CHANNEL,
            "hidden": True,
            "ts": "1.3",
            "deleted_ts": "1.1",
            "previous_message": message_event(text),
        }
    async with running_bot(bot_settings) as server:
        response = await send(http, server.url, event_body(event))
        await server.bot.session.drain()
    assert response.status_code == 200
    assert slack_api.calls("chat.postMessage") == [] and article_server.hits("/story") == 0


async def test_ack_goes_out_before_the_slow_work(bot_settings, slack_api, article_server, http):
    """The 200 must not wait for the fetch: the page is still downloading when the ack arrives."""
    released = asyncio.Event()
    loop = asyncio.get_running_loop()

    # Hold the response until the test has seen its ack (the server thread waits on the loop).
    slow_page = held_page(
        lambda: asyncio.run_coroutine_threadsafe(asyncio.wait_for(released.wait(), 10), loop).result()
    )

    url = article_server.add("/slow", handler=slow_page)
    event = message_event(f"<{url}>")
    async with running_bot(bot_settings) as server:
        response = await send(http, server.url, event_body(event))
        assert response.status_code == 200
        assert updates(slack_api) == []  # no report yet: the work is still running
        await slack_api.wait_for("chat.postMessage")  # the placeholder does not wait for the page
        released.set()
        await server.bot.session.drain()
    assert "Council raises sales tax" in updates(slack_api)[-1]["text"]


async def test_url_verification_challenge(bot_settings, http):
    async with running_bot(bot_settings) as server:
        response = await send(http, server.url, {"type": "url_verification", "challenge": "abc123", "token": "legacy"})
    assert response.status_code == 200 and response.json() == {"challenge": "abc123"}


def test_configuration_errors_are_explicit(slack_api) -> None:
    from adapters.slack.app import check_config, web_client

    with pytest.raises(ValueError, match="SLACK_BOT_TOKEN"):
        check_config(SlackSettings.from_env({}), socket_mode=False)
    no_secret = SlackSettings.from_env({"SLACK_BOT_TOKEN": slack_api.bot_token})
    with pytest.raises(ValueError, match="SLACK_SIGNING_SECRET"):
        check_config(no_secret, socket_mode=False)
    check_config(no_secret, socket_mode=True)  # Socket Mode needs no signing secret
    no_slash = no_secret.replace(api_url=slack_api.base_url.rstrip("/"))
    assert web_client(no_slash).base_url.endswith("/api/")
    assert web_client(no_secret).base_url == "https://slack.com/api/"


def test_slack_settings_come_from_the_environment_and_hide_secrets() -> None:
    slack = SlackSettings.from_env(
        {"SLACK_BOT_TOKEN": "xoxb-live-1", "FACTCHECK_SLACK_MODE": " Mention ", "FACTCHECK_SLACK_CHANNELS": "C1; C2,"}
    )
    assert (slack.mode, slack.channels) == ("mention", ("C1", "C2"))
    assert "xoxb-live-1" not in repr(slack)
    with pytest.raises(ValueError, match="FACTCHECK_SLACK_MODE"):
        SlackSettings.from_env({"FACTCHECK_SLACK_MODE": "everything"})


async def test_channel_names_instead_of_ids_are_warned_about(settings, slack_api, caplog) -> None:
    from adapters.slack.app import build_app

    named = slack_settings(settings, api=slack_api, channels=("#newsroom", "C0NEWSROOM"))
    async with embedded_session(named.core, limits=named.limits, use_cache=False) as session:
        with caplog.at_level("WARNING", logger="adapters.slack.app"):
            build_app(named.platform, session=session)
    warned = [r.getMessage() for r in caplog.records if r.name == "adapters.slack.app"]
    assert len(warned) == 1 and "'#newsroom'" in warned[0]
