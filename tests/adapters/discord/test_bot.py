"""End to end: the real discord.py client, the fake Discord (REST + gateway), the real pipeline.

The article comes from the loopback article server; every REST call the client
makes is recorded by the fake Discord, so these tests assert what Discord would
have received: order (defer first), threads, flags, allowed_mentions, limits.
"""

from __future__ import annotations

import asyncio
import re
from http.server import BaseHTTPRequestHandler

import discord
import pytest

from adapters.discord.front import Destination
from adapters.discord.render import render_messages
from adapters.view.words import USE_THE_MENU
from bot.outcome import Outcome, user_message
from tests.servers.discord_server import FakeDiscord
from tests.support.discord_harness import (
    EXAMPLE_HTML,
    EXAMPLE_TITLE,
    INJECTED_HTML,
    assert_embeds_within_limits,
    assert_no_previews,
    assert_nothing_pings,
    is_report,
    running_bot,
    wait_report,
    wait_thread,
)
from tests.support.discord_reports import long_report

pytestmark = pytest.mark.timeout(60)

CALLBACK = "POST /interactions/{id}/{id}/callback"
EPHEMERAL = 64


async def test_mention_answers_in_a_thread_named_after_the_article(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE_HTML)
    async with running_bot(settings) as bot:
        fake = bot.fake
        trigger = await fake.dispatch_message(f"{bot.mention} is this true? {url}", mentions=[fake.bot_id])
        thread_call = await wait_thread(fake)
        assert thread_call.path == f"/channels/{fake.channel_id}/messages/{trigger['id']}/threads"
        assert thread_call.json["name"] == EXAMPLE_TITLE
        thread_id = int(trigger["id"])
        report = await wait_report(fake, channel_id=thread_id)

        in_thread = fake.thread_messages(thread_id)
        placeholder = in_thread[0]
        assert placeholder.method == "POST" and "Harbor Bridge" in placeholder.json["content"]
        assert placeholder.json["flags"] & 4  # SUPPRESS_EMBEDS on the content message
        edits = [c for c in in_thread if c.method == "PATCH"]
        assert edits and edits[-1].seq < report.seq  # claims/progress shown before the report
        assert "Checked" in edits[-1].json["content"]
        # The triage is the first message's content; the claims are its embeds.
        content = report.json["content"]
        assert content.startswith(f"**Fact-check: {discord.utils.escape_markdown(EXAMPLE_TITLE)}**")
        assert "Check first" in content and "-# Engine: offline analysis" in content
        assert not report.json.get("flags", 0) & 4  # not SUPPRESS_EMBEDS: that would hide the report's own embeds
        titles = [e["title"] for e in report.json["embeds"]]
        assert titles[0].startswith("Claim 1")
        # Nothing was posted in the channel itself besides the typing indicator.
        assert [c.route for c in fake.calls if c.path.startswith(f"/channels/{fake.channel_id}/")] == [
            "POST /channels/{id}/typing",
            "POST /channels/{id}/messages/{id}/threads",
        ]
        assert_nothing_pings(fake)
        assert assert_embeds_within_limits(fake) >= 1


async def test_a_reply_mentioning_the_bot_without_the_content_intent_points_to_the_menu(article_server, settings):
    """Discord blanks a replied-to message the bot may not read (not its own, no mention of it), in the
    event and over REST alike: the bot says how to get the check instead of "no article link"."""
    url = article_server.add("/bridge", EXAMPLE_HTML)
    async with running_bot(settings) as bot:
        fake = bot.fake
        original = await fake.dispatch_message(f"look at this {url}", author_id=fake.other_user_id)
        reply = await fake.dispatch_message(
            f"{bot.mention} check please",
            mentions=[fake.bot_id],
            reference={"message_id": original["id"], "channel_id": str(fake.channel_id)},
        )
        answer = await fake.wait_for(lambda c: USE_THE_MENU in str(FakeDiscord.message_body(c).get("content")))
        assert str(answer.json["message_reference"]["message_id"]) == reply["id"]
        assert answer.json["flags"] & 4
        assert article_server.hits("/bridge") == 0
        assert not [c for c in fake.calls if c.path.endswith("/threads")]


async def test_a_reply_to_a_deleted_message_is_fetched_then_points_to_the_menu(article_server, settings):
    async with running_bot(settings) as bot:
        fake = bot.fake
        await fake.dispatch_message(
            f"{bot.mention} check please",
            mentions=[fake.bot_id],
            reference={"message_id": "1200000000000009999", "channel_id": str(fake.channel_id)},
        )
        await fake.wait_for(lambda c: USE_THE_MENU in str(FakeDiscord.message_body(c).get("content")))
        assert [c.route for c in fake.calls if c.method == "GET" and "/messages/" in c.path] == [
            "GET /channels/{id}/messages/{id}"
        ]


@pytest.mark.parametrize("exempt", ["intent", "mentions_the_bot"])
async def test_a_reply_mentioning_the_bot_checks_the_replied_message_discord_lets_it_read(
    exempt, article_server, settings
):
    url = article_server.add("/bridge", EXAMPLE_HTML)
    options = {"auto": True, "channels": ("elsewhere",)} if exempt == "intent" else {}
    async with running_bot(settings, **options) as bot:
        fake = bot.fake
        mentions = [fake.bot_id] if exempt == "mentions_the_bot" else []
        text = f"{bot.mention} fyi {url}" if mentions else f"look at this {url}"
        original = await fake.dispatch_message(text, author_id=fake.other_user_id, mentions=mentions)
        if mentions:  # that mention alone starts a check; wait for it, then ask again by reply
            await wait_report(fake, channel_id=int(original["id"]))
        reply = await fake.dispatch_message(
            f"{bot.mention} check please",
            mentions=[fake.bot_id],
            reference={"message_id": original["id"], "channel_id": str(fake.channel_id)},
        )
        if exempt == "intent":
            await wait_report(fake, channel_id=int(reply["id"]))
        else:  # the link was just checked here: the reply gets the pointer to that thread
            await fake.wait_for(_points)
        await bot.session.drain()
        assert_nothing_pings(fake)


def _points(call) -> bool:
    return "already checked" in str(FakeDiscord.message_body(call).get("content"))


async def test_slash_command_defers_before_any_fetch_and_threads_from_its_reply(article_server, settings):
    fake_ref: list[FakeDiscord] = []
    seen_at_fetch: list[list[str]] = []

    def serve(handler: BaseHTTPRequestHandler) -> None:
        seen_at_fetch.append([c.route for c in fake_ref[0].calls])
        body = EXAMPLE_HTML.encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    url = article_server.add("/bridge", handler=serve)
    async with running_bot(settings) as bot:
        fake = bot.fake
        fake_ref.append(fake)
        synced = {command["name"]: command for command in fake.commands}
        assert set(synced) == {"factcheck", "Fact-check"} and synced["Fact-check"]["type"] == 3
        await fake.dispatch_slash(url=url)
        thread_call = await wait_thread(fake)
        report = await wait_report(fake, channel_id=int(thread_call.path.split("/")[4]))

        assert seen_at_fetch and CALLBACK in seen_at_fetch[0]  # the 3-second rule: ack first
        callback = fake.calls_to(CALLBACK)[0]
        assert callback.json == {"type": 5}  # deferred channel message, public "thinking"
        # The first follow-up replaces the "thinking" message: it carries the title, so no preview.
        first_reply = next(c for c in fake.calls if c.route == "POST /webhooks/{id}/{id}")
        assert "Harbor Bridge" in first_reply.json["content"] and first_reply.json["flags"] & 4
        assert first_reply.seq < thread_call.seq and report.seq > thread_call.seq
        assert thread_call.json["name"] == EXAMPLE_TITLE
        assert_nothing_pings(fake)


async def test_slash_command_with_pasted_text(settings):
    paragraphs = re.findall(r"<p>(.*?)</p>", EXAMPLE_HTML)
    text = "\n\n".join(re.sub(r"<[^>]+>", "", p) for p in paragraphs[1:])
    async with running_bot(settings) as bot:
        fake = bot.fake
        await fake.dispatch_slash(text=text)
        thread_call = await wait_thread(fake)
        report = await wait_report(fake, channel_id=int(thread_call.path.split("/")[4]))
        assert any(e["title"].startswith("Claim 1") for e in report.json["embeds"])
        assert fake.calls_to(CALLBACK)[0].json == {"type": 5}
        assert_nothing_pings(fake)


async def test_context_menu_threads_from_the_target_message(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE_HTML)
    async with running_bot(settings) as bot:
        fake = bot.fake
        target = await fake.dispatch_message(f"breaking: {url}", author_id=fake.other_user_id)
        await fake.dispatch_context_menu(target)
        thread_call = await wait_thread(fake)
        assert thread_call.path == f"/channels/{fake.channel_id}/messages/{target['id']}/threads"
        await wait_report(fake, channel_id=int(target["id"]))
        assert fake.calls_to(CALLBACK)[0].json == {"type": 5}
        pointer = next(c for c in fake.calls if c.route == "POST /webhooks/{id}/{id}")
        assert f"<#{target['id']}>" in pointer.json["content"]
        original = fake.messages[fake.original_id(fake.interaction_tokens()[-1])]
        assert original["content"] == pointer.json["content"]  # it replaced the "thinking" message
        assert_nothing_pings(fake)


async def test_injection_payloads_produce_no_live_mention(article_server, settings):
    url = article_server.add("/evil", INJECTED_HTML)
    async with running_bot(settings, max_claims=20) as bot:
        fake = bot.fake
        trigger = await fake.dispatch_message(f"{bot.mention} {url}", mentions=[fake.bot_id])
        report = await wait_report(fake, channel_id=int(trigger["id"]))
        posted = str(report.json) + str(fake.threads)
        assert "everyone" in posted and "attacker.test" not in posted  # text kept, link target dropped
        assert_nothing_pings(fake)


async def test_cooldown_refuses_a_second_request_from_the_same_user(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE_HTML)
    async with running_bot(settings, cooldown_s=30.0) as bot:
        fake = bot.fake
        await fake.dispatch_slash(url=url)
        first_thread = await wait_thread(fake)
        await wait_report(fake, channel_id=int(first_thread.path.split("/")[4]))
        await fake.dispatch_slash(url=url)
        refused = await fake.wait_for(lambda c: c.route == CALLBACK and (c.json or {}).get("type") == 4)
        assert refused.json["data"]["flags"] & EPHEMERAL
        assert refused.json["data"]["content"].startswith(user_message(Outcome.COOLDOWN).split(" (")[0])
        # By mention too, and another member is not held back.
        await fake.dispatch_message(f"{bot.mention} {url}", mentions=[fake.bot_id])
        await fake.wait_for(lambda c: "too fast" in str(FakeDiscord.message_body(c).get("content")))
        other_url = article_server.add("/other", EXAMPLE_HTML)
        other = await fake.dispatch_message(
            f"{bot.mention} {other_url}", mentions=[fake.bot_id], author_id=fake.other_user_id
        )
        await wait_report(fake, channel_id=int(other["id"]))
        assert article_server.hits("/bridge") == 1  # the refused requests fetched nothing
        assert_nothing_pings(fake)


async def test_errors_are_short_and_ephemeral_for_interactions(article_server, settings):
    missing = article_server.url("/missing")
    async with running_bot(settings) as bot:
        fake = bot.fake
        await fake.dispatch_slash(url=missing)
        error = await fake.wait_for(lambda c: c.method == "POST" and c.path.startswith("/webhooks/"))
        assert error.json["flags"] & EPHEMERAL
        assert error.json["content"].startswith(user_message(Outcome.HTTP_ERROR).split(" (")[0])
        assert len(error.json["content"]) < 200
        assert fake.calls_to("DELETE /webhooks/{id}/{id}/messages/{id}")  # the public "thinking" is gone
        assert not [c for c in fake.calls if c.path.endswith("/threads")]

        await fake.dispatch_slash(text="   ")
        empty = await fake.wait_for(lambda c: c.route == CALLBACK and (c.json or {}).get("type") == 4)
        assert empty.json["data"]["flags"] & EPHEMERAL
        assert empty.json["data"]["content"] == user_message(Outcome.NO_LINK)
        assert_nothing_pings(fake)


async def test_blocked_url_is_refused_without_a_fetch(article_server, settings):
    url = "http://127.0.0.1/bridge"  # loopback on the default port: blocked, not malformed
    async with running_bot(settings, allow_private_urls=False) as bot:
        fake = bot.fake
        await fake.dispatch_slash(url=url)
        error = await fake.wait_for(lambda c: c.method == "POST" and c.path.startswith("/webhooks/"))
        assert error.json["flags"] & EPHEMERAL
        assert error.json["content"].startswith(user_message(Outcome.BLOCKED_URL).split(" (")[0])
        # A mention gets the same words as a plain reply, and no thread.
        await fake.dispatch_message(f"{bot.mention} {url}", mentions=[fake.bot_id])
        reply = await fake.wait_for(lambda c: c.method == "POST" and c.path == f"/channels/{fake.channel_id}/messages")
        assert reply.json["content"].startswith(user_message(Outcome.BLOCKED_URL).split(" (")[0])
        assert reply.json["message_reference"]["message_id"]
        assert article_server.hits() == 0
        assert not [c for c in fake.calls if c.path.endswith("/threads")]
        assert_nothing_pings(fake)


async def test_same_link_in_the_same_server_points_to_the_earlier_thread(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE_HTML)
    async with running_bot(settings) as bot:
        fake = bot.fake
        first = await fake.dispatch_message(f"{bot.mention} {url}", mentions=[fake.bot_id])
        await wait_report(fake, channel_id=int(first["id"]))
        jump = f"https://discord.com/channels/{fake.guild_id}/{first['id']}"
        for _ in range(50):  # the pointer is stored right after the report is posted
            if await bot.session.state.pointers.get(scope=str(fake.guild_id), url=url):
                break
            await asyncio.sleep(0.05)
        await fake.dispatch_message(f"{bot.mention} again {url}", mentions=[fake.bot_id])
        pointer = await fake.wait_for(lambda c: jump in str(FakeDiscord.message_body(c).get("content")))
        assert pointer.json["flags"] & 4  # the link is not unfurled
        assert len([c for c in fake.calls if c.path.endswith("/threads")]) == 1
        assert article_server.hits("/bridge") == 1
        assert_nothing_pings(fake)


async def test_long_report_goes_out_in_several_messages_within_limits(settings):
    async with running_bot(settings) as bot:
        fake = bot.fake
        channel = bot.client.get_channel(fake.channel_id)
        assert isinstance(channel, discord.TextChannel)
        destination = Destination(channel=channel)
        messages = render_messages(long_report(claims=10))
        for message in messages:
            await destination.embeds(message.embeds, content=message.content or None)
        posted = [c for c in fake.sent_messages() if FakeDiscord.message_body(c).get("embeds")]
        assert len(posted) == len(messages) > 1
        assert is_report(posted[0])
        assert assert_embeds_within_limits(fake) == len(messages)
        assert_nothing_pings(fake)


async def test_a_title_holding_a_url_never_unfurls_in_the_interaction_response(article_server, settings):
    """The slash command's first reply carries the article's title: sent with embeds suppressed (the
    view also defangs a URL in a title; suppression is the guarantee that holds whatever the text)."""
    title = "Read https://unfurl.example/tracker before the vote"
    html = EXAMPLE_HTML.replace(EXAMPLE_TITLE, title)
    url = article_server.add("/bridge", html)
    async with running_bot(settings) as bot:
        fake = bot.fake
        await fake.dispatch_slash(url=url)
        thread_call = await wait_thread(fake)
        await wait_report(fake, channel_id=int(thread_call.path.split("/")[4]))
        await bot.session.drain()
        original = fake.messages[fake.original_id(fake.interaction_tokens()[-1])]
        assert "unfurl" in original["content"] and original["flags"] & 4
        assert_no_previews(fake)
        assert_nothing_pings(fake)


async def test_the_full_report_page_is_attached_in_the_thread(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE_HTML)
    async with running_bot(settings) as bot:
        fake = bot.fake
        trigger = await fake.dispatch_message(f"{bot.mention} {url}", mentions=[fake.bot_id])
        report = await wait_report(fake, channel_id=int(trigger["id"]))
        await bot.session.drain()
        [upload] = [c for c in fake.calls if c.files]
        assert upload.path == f"/channels/{trigger['id']}/messages" and upload.seq > report.seq
        [(filename, content)] = upload.files
        assert filename.endswith(".html") and content.startswith(b"<!DOCTYPE html>")
        assert upload.json["flags"] & 4 and upload.json["attachments"][0]["filename"] == filename
        assert_nothing_pings(fake)


async def test_without_attach_files_the_report_still_stands(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE_HTML)
    async with running_bot(settings) as bot:
        fake = bot.fake
        fake.bot_permissions &= ~(1 << 15)  # a server that did not grant Attach Files
        trigger = await fake.dispatch_message(f"{bot.mention} {url}", mentions=[fake.bot_id])
        await wait_report(fake, channel_id=int(trigger["id"]))
        await bot.session.drain()
        assert len([c for c in fake.calls if c.files]) == 1  # tried once, refused (403), not retried
        shown = " ".join(d["content"] for d in fake.messages.values() if d["channel_id"] == trigger["id"])
        assert user_message(Outcome.INTERNAL_ERROR) not in shown and "Checked" in shown


async def test_a_failure_while_posting_the_report_replaces_the_progress_with_an_error(article_server, settings):
    """The old Discord flow left "Analysed 2 of 5…" forever when posting the report failed."""
    url = article_server.add("/bridge", EXAMPLE_HTML)
    async with running_bot(settings) as bot:
        fake = bot.fake
        fake.fail_next("POST /channels/{id}/messages", when=lambda c: bool(FakeDiscord.message_body(c).get("embeds")))
        trigger = await fake.dispatch_message(f"{bot.mention} {url}", mentions=[fake.bot_id])
        await fake.wait_for(
            lambda c: user_message(Outcome.INTERNAL_ERROR) in str(FakeDiscord.message_body(c).get("content"))
        )
        await bot.session.drain()
        [placeholder] = [d for d in fake.messages.values() if d["channel_id"] == trigger["id"]]
        assert placeholder["content"].endswith(user_message(Outcome.INTERNAL_ERROR))
        assert "Analysed" not in placeholder["content"] and "Checked" not in placeholder["content"]
