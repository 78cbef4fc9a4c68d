"""Helpers for Slack tests and the Slack benchmark: signed requests, event payloads, a running bot.

async with running_bot(config) as server:              # the real aiohttp endpoint, loopback
    response = await send(http, server.url, event_body(message_event("see <https://...>")))
    await server.bot.session.drain()                     # every check finished its replies
"""

from __future__ import annotations

import contextlib
import itertools
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier

from adapters.session.runtime import embedded_session
from adapters.session.settings import SessionSettings
from adapters.slack.app import SlackBot
from adapters.slack.main import HttpServer, serve_http, socket_mode
from adapters.slack.settings import SlackSettings
from bot.cache import open_cache
from bot.config import Settings
from tests.servers.slack_api_server import SlackApiServer
from tests.support.bot_config import BotConfig

SIGNING_SECRET = "f4c7ch3ck-test-signing-secret"
TEAM_ID = "T0TEST"
CHANNEL = "C0NEWSROOM"
REPORTER = "UREPORTER1"
_ts_counter = itertools.count(1)


def new_ts() -> str:
    return f"{int(time.time())}.{next(_ts_counter):06d}"


def slack_settings(base: Settings, *, api: SlackApiServer, **overrides: Any) -> BotConfig[SlackSettings]:
    """Test settings pointed at the local Web API server, with a bot token and signing secret (no cooldown)."""
    config = BotConfig(
        core=base,
        platform=SlackSettings(bot_token=api.bot_token, signing_secret=SIGNING_SECRET, api_url=api.base_url),
        limits=SessionSettings(cooldown_s=0.0),
    )
    return config.replace(**overrides) if overrides else config


def slack_env(settings: Settings, *, api: SlackApiServer, port: int) -> dict[str, str]:
    """The environment for a real ``factcheck slack`` process (HTTP mode) pointed at the test servers."""
    return {
        "SLACK_BOT_TOKEN": api.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "FACTCHECK_SLACK_API_URL": api.base_url,
        "FACTCHECK_ALLOW_PRIVATE_URLS": "1",
        "FACTCHECK_CACHE_PATH": str(settings.cache_path),
        "FACTCHECK_COOLDOWN_S": "0",
        "FACTCHECK_EVIDENCE": ",".join(settings.evidence) or "off",  # the default providers are on the internet
        "PORT": str(port),
    }


@contextlib.asynccontextmanager
async def running_bot(
    config: BotConfig[SlackSettings],
    *,
    use_cache: bool = False,
    edit_interval_s: float = 0.05,
    max_running: int | None = 8,
    max_waiting: int | None = 64,
    **session_options: Any,
) -> AsyncIterator[HttpServer]:
    """The real HTTP endpoint (the code path ``factcheck slack`` runs) on a free loopback port."""
    async with embedded_session(
        config.core,
        limits=config.limits,
        use_cache=use_cache,
        edit_interval_s=edit_interval_s,
        max_running=max_running,
        max_waiting=max_waiting,
        **session_options,
    ) as session:
        async with serve_http(config.platform, session=session, host="127.0.0.1", port=0) as server:
            try:
                yield server
            finally:
                await session.drain()


@contextlib.asynccontextmanager
async def socket_bot(config: BotConfig[SlackSettings], *, edit_interval_s: float = 0.05) -> AsyncIterator[SlackBot]:
    """Connected over Socket Mode (the code path ``factcheck slack`` runs with SLACK_APP_TOKEN)."""
    async with embedded_session(
        config.core, limits=config.limits, use_cache=False, edit_interval_s=edit_interval_s
    ) as session:
        async with socket_mode(config.platform, session=session) as bot:
            yield bot


# ---------------------------------------------------------------- payloads


def event_body(event: dict[str, Any], *, event_id: str | None = None, team: str = TEAM_ID) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token",
        "team_id": team,
        "api_app_id": "AFACTCHECK",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:12].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": "UFACTBOT", "is_bot": True}],
    }


def message_event(
    text: str,
    *,
    channel: str = CHANNEL,
    ts: str | None = None,
    user: str = REPORTER,
    thread_ts: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    event = {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts or new_ts(),
        "channel_type": "channel",
        "team": TEAM_ID,
        "client_msg_id": str(uuid.uuid4()),
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def mention_event(
    text: str, *, channel: str = CHANNEL, ts: str | None = None, user: str = REPORTER, thread_ts: str | None = None
) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "channel": channel,
        "user": user,
        "text": f"<@UFACTBOT> {text}",
        "ts": ts or new_ts(),
        "team": TEAM_ID,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def command_body(text: str, *, response_url: str, channel: str = CHANNEL, user: str = REPORTER) -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "factcheck-test",
            "channel_id": channel,
            "channel_name": "newsroom",
            "user_id": user,
            "user_name": "reporter",
            "command": "/factcheck",
            "text": text,
            "api_app_id": "AFACTCHECK",
            "response_url": response_url,
            "trigger_id": "1.2.abc",
        }
    )


def shortcut_body(message: dict[str, Any], *, response_url: str, channel: str = CHANNEL, user: str = REPORTER) -> str:
    payload = {
        "type": "message_action",
        "callback_id": "factcheck_message",
        "trigger_id": "1.2.abc",
        "team": {"id": TEAM_ID, "domain": "factcheck-test"},
        "user": {"id": user, "name": "reporter"},
        "channel": {"id": channel, "name": "newsroom"},
        "message": message,
        "message_ts": message["ts"],
        "response_url": response_url,
        "token": "legacy",
    }
    return urlencode({"payload": json.dumps(payload)})


# ---------------------------------------------------------------- signing and sending


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None, content_type: str = "application/json"
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": content_type}


async def send(
    http: httpx.AsyncClient,
    url: str,
    body: dict[str, Any] | str,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST a signed Slack request (JSON for events, form for commands and shortcuts)."""
    if isinstance(body, dict):
        raw, content_type = json.dumps(body), "application/json"
    else:
        raw, content_type = body, "application/x-www-form-urlencoded"
    all_headers = signed_headers(raw, secret=secret, timestamp=timestamp, content_type=content_type)
    all_headers.update(headers or {})
    return await http.post(url, content=raw.encode("utf-8"), headers=all_headers)


# ---------------------------------------------------------------- articles


def article_html(
    *, title: str, paragraphs: list[str], site: str = "The Example Times", published: str = "2026-03-04"
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{title}</title><meta property="og:title" content="{title}">'
        f'<meta property="og:site_name" content="{site}">'
        f'<meta property="article:published_time" content="{published}"></head>'
        f'<body><header><nav><a href="/">Home</a></nav></header><main><article><h1>{title}</h1>{body}'
        "</article></main><footer>Copyright</footer></body></html>"
    )


NEWS_PARAGRAPHS = [
    "The city council voted 7 to 2 on Tuesday to raise the municipal sales tax by 1.5 percentage points, "
    "the largest increase in two decades, according to the official minutes published on the council website.",
    "Mayor Ana Ruiz said the increase would raise about $48 million a year for road repairs and school buildings.",
    "Officials familiar with the budget said the real shortfall was closer to $90 million, a figure the "
    "finance department has not confirmed.",
    "Unemployment in the city fell to 3.9 percent in January, down from 5.2 percent a year earlier, the "
    "state labour office reported in its monthly bulletin.",
    "Critics argue that sales taxes hit low-income households hardest, and a 2019 study by the Tax Policy "
    "Institute found that the poorest fifth of residents pay four times as much of their income in sales tax "
    "as the richest fifth.",
    "The increase takes effect on July 1 and will be reviewed after three years, council member Tom Lee told "
    "reporters after the vote.",
    "Residents who spoke at the public hearing were divided, with 41 speaking against the plan and 23 in favour.",
]


def news_article(
    title: str = "Council raises sales tax to fund road repairs", *, extra: list[str] | None = None
) -> str:
    return article_html(title=title, paragraphs=NEWS_PARAGRAPHS + list(extra or []))


# ---------------------------------------------------------------- reading what the bot did


def posts(api: SlackApiServer, *, thread_ts: str | None = None, channel: str = CHANNEL) -> list[dict[str, Any]]:
    """Successful chat.postMessage params, optionally only those in one thread."""
    return [
        c.params
        for c in api.ok_calls("chat.postMessage")
        if c.params.get("channel") == channel and (thread_ts is None or c.params.get("thread_ts") == thread_ts)
    ]


def updates(api: SlackApiServer) -> list[dict[str, Any]]:
    return [c.params for c in api.ok_calls("chat.update")]


def all_texts(params: dict[str, Any]) -> list[str]:
    """Every string a chat.postMessage / chat.update would show: text and every block text."""
    found = [str(params.get("text") or "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(params.get("blocks") or [])
    return found


def thread_text(api: SlackApiServer, *, thread_ts: str, channel: str = CHANNEL) -> str:
    """The thread as it reads now (placeholders replaced by their last edit), texts and blocks."""
    parts: list[str] = []
    for message in api.thread(channel, thread_ts):
        parts += all_texts({"text": message.text, "blocks": message.blocks})
    return "\n".join(parts)


def assert_unfurls_off(api: SlackApiServer) -> None:
    """Every chat.postMessage the bot made turned link and media previews off (checked after each test)."""
    for call in api.calls("chat.postMessage"):
        assert call.params.get("unfurl_links") is False and call.params.get("unfurl_media") is False, call.params


# ---------------------------------------------------------------- shared fixtures and pages
# Test modules import these fixtures by name; pytest finds them there.


@pytest.fixture
def slack_api():
    """The local Web API; every post it received must have had unfurls off."""
    with SlackApiServer() as server:
        yield server
        assert_unfurls_off(server)


@pytest.fixture
async def http():
    async with httpx.AsyncClient(timeout=20) as client:
        yield client


@pytest.fixture
def bot_settings(settings, slack_api):
    return slack_settings(settings, api=slack_api)


@pytest.fixture
def cache(bot_settings):
    """The report cache the bot's session uses (same file), for tests that look into it."""
    store = open_cache(bot_settings.core)
    yield store
    store.close()


def held_page(wait: Callable[[], object], body: str | None = None) -> Callable:
    """An article-server handler that sends the page only once ``wait()`` returns (a fetch in flight)."""

    def handler(request) -> None:
        wait()
        page = (body if body is not None else news_article()).encode()
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(page)))
        request.end_headers()
        request.wfile.write(page)

    return handler
