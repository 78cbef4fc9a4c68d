"""``factcheck slack`` for real: Socket Mode against the local WebSocket, and the HTTP process
started as users start it, answering a signed event with a threaded report."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import psutil

from tests.support.paths import REPO
from tests.support.slack_harness import (
    event_body,
    held_page,
    message_event,
    news_article,
    posts,
    send,
    slack_env,
    slack_settings,
    socket_bot,
    thread_text,
)

TITLE = "Council raises sales tax to fund road repairs"


def envelope(body: dict, *, retry_attempt: int = 0) -> dict:
    return {
        "envelope_id": str(uuid.uuid4()),
        "type": "events_api",
        "payload": body,
        "accepts_response_payload": False,
        "retry_attempt": retry_attempt,
        "retry_reason": "timeout" if retry_attempt else "",
    }


async def test_socket_mode_answers_in_the_thread_and_drops_redelivery(settings, slack_api, article_server):
    url = article_server.add("/story", news_article())
    configured = slack_settings(settings, api=slack_api, app_token=slack_api.app_token, signing_secret=None)
    event = message_event(f"<{url}>")
    body = event_body(event)
    async with socket_bot(configured) as bot:
        first = envelope(body)
        await slack_api.send_envelope(first)
        await slack_api.wait_for("chat.update", where=lambda c: TITLE in c.params.get("text", ""))
        await slack_api.send_envelope(envelope(body, retry_attempt=1))  # Slack re-delivers the same event_id
        deadline = time.monotonic() + 5
        while len(slack_api.socket_acks) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        await bot.session.drain()
    assert [ack["envelope_id"] for ack in slack_api.socket_acks][:1] == [first["envelope_id"]]
    assert len(slack_api.socket_acks) == 2
    assert len(posts(slack_api, thread_ts=event["ts"])) == 1
    assert TITLE in thread_text(slack_api, thread_ts=event["ts"])
    assert slack_api.ok_calls("apps.connections.open")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.asynccontextmanager
async def bot_process(settings, slack_api, log_path: Path) -> AsyncIterator[tuple[subprocess.Popen, str]]:
    """``python -m adapters.cli slack`` (HTTP mode) with the environment a user would set.
    Its output goes to a file (a pipe nobody reads could fill up and block the bot)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FACTCHECK_", "OPENAI_"))}
    env.update(slack_env(settings, api=slack_api, port=port))
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", "slack"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if (await http.get(f"{base}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert proc.poll() is None, log_path.read_text(errors="replace")
                assert time.monotonic() < deadline, "factcheck slack did not start listening"
                await asyncio.sleep(0.1)
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def test_factcheck_slack_process_answers_a_signed_event(settings, slack_api, article_server, tmp_path):
    """The "done when" of the Slack issue: the real process, pointed at a local Web API server,
    answers a signed message event carrying a link with a threaded report; retries post nothing."""
    url = article_server.add("/story", news_article())
    event = message_event(f"Worth a look <{url}>")
    body = event_body(event)
    async with (
        bot_process(settings, slack_api, tmp_path / "bot.log") as (proc, base),
        httpx.AsyncClient(timeout=10) as http,
    ):
        # The page workers start with the bot, not with the first link (which would wait for them).
        assert psutil.Process(proc.pid).children(recursive=True), "no worker processes before the first link"
        assert (await send(http, f"{base}/slack/events", body)).status_code == 200
        await slack_api.wait_for("chat.update", timeout=30, where=lambda c: TITLE in c.params.get("text", ""))
        for attempt in (1, 2, 3):
            retry = await send(
                http,
                f"{base}/slack/events",
                body,
                headers={"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"},
            )
            assert retry.status_code == 200
        assert (await send(http, f"{base}/slack/events", body, secret="wrong")).status_code == 401
        await asyncio.sleep(0.3)  # a wrongly accepted retry would have posted its placeholder by now
    assert proc.returncode == 0, (tmp_path / "bot.log").read_text(errors="replace")
    thread = posts(slack_api, thread_ts=event["ts"])
    assert len(thread) == 1 and thread[0]["unfurl_links"] is False
    assert TITLE in thread_text(slack_api, thread_ts=event["ts"])
    assert article_server.hits("/story") == 1


async def test_sigterm_lets_a_running_check_finish_its_reply(settings, slack_api, article_server, tmp_path):
    released = threading.Event()

    slow_page = held_page(lambda: released.wait(10))

    url = article_server.add("/slow", handler=slow_page)
    event = message_event(f"<{url}>")
    async with (
        bot_process(settings, slack_api, tmp_path / "bot.log") as (proc, base),
        httpx.AsyncClient(timeout=10) as http,
    ):
        assert (await send(http, f"{base}/slack/events", event_body(event))).status_code == 200
        await slack_api.wait_for("chat.postMessage")  # the placeholder is up, the page still loading
        proc.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.3)
        assert proc.poll() is None  # still finishing the check
        released.set()
        await asyncio.to_thread(proc.wait, 20)
    assert proc.returncode == 0, (tmp_path / "bot.log").read_text(errors="replace")
    assert TITLE in thread_text(slack_api, thread_ts=event["ts"])
