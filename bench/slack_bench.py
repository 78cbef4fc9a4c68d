"""Slack ack latency and time to placeholder, through the real HTTP endpoint on loopback.

``await measure_ack(events=200)`` starts the bot as deployed (``factcheck slack`` in HTTP mode, its
own process) against a local Slack Web API and a local article server in this process, sends N
signed ``message`` events, each with its own article link, and measures for each:

- ack: from sending the signed request to its HTTP 200 (Slack retries after 3 s; goal p99 <= 50 ms);
- placeholder: from sending the request to the "Checking..." reply arriving at the Web API.

The checks really run (fetch, extract, offline analysis) while later events arrive, so acks are
measured under that load. ``in_process=True`` runs the endpoint (``serve_http``, the same code) in
this process instead: quicker to start, but the test servers then compete with the bot for the GIL,
so its figures are an upper bound.

``python -m bench.slack_bench [EVENTS]`` prints the summary as JSON.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.bot_process import BotProcess, free_port
from bot.config import Settings
from tests.servers.article_server import ArticleServer
from tests.servers.slack_api_server import SlackApiServer
from tests.support.slack_harness import (
    event_body,
    message_event,
    news_article,
    running_bot,
    signed_headers,
    slack_env,
    slack_settings,
)


@dataclass(frozen=True)
class AckResult:
    ack_ms: list[float]  # per measured event, in order
    placeholder_ms: list[float]  # per measured event that got a placeholder
    statuses: list[int]
    events: int
    interval_s: float

    def summary(self) -> dict[str, Any]:
        return {
            "slack_events": self.events,
            "slack_ack_ms_p50": _pct(self.ack_ms, 50),
            "slack_ack_ms_p99": _pct(self.ack_ms, 99),
            "slack_ack_ms_max": max(self.ack_ms) if self.ack_ms else None,
            "slack_placeholder_ms_p50": _pct(self.placeholder_ms, 50),
            "slack_placeholder_ms_p99": _pct(self.placeholder_ms, 99),
            "slack_non_200": sum(1 for s in self.statuses if s != 200),
            "slack_ack_note": (
                f"{self.events} signed message events, one link each, "
                f"{'back to back' if not self.interval_s else f'every {self.interval_s:g} s'}, "
                f"real endpoint on loopback with the checks running"
            ),
        }


async def measure_ack(
    *,
    events: int = 200,
    warmup: int = 3,
    interval_s: float = 0.0,
    settings: Settings | None = None,
    distinct_links: bool = True,
    in_process: bool = False,
) -> AckResult:
    """Send ``warmup + events`` signed events and time the acks and placeholders of the last ``events``.

    ``distinct_links=False`` sends the same link every time (after the first, cache hits: less load).
    """
    with SlackApiServer() as slack, ArticleServer() as pages, tempfile.TemporaryDirectory() as tmp:
        base = settings or Settings.from_env({})
        configured = slack_settings(
            base.replace(allow_private_urls=True, cache_path=Path(tmp) / "cache.sqlite3"), api=slack
        )
        sent_at: dict[str, float] = {}
        acks: list[float] = []
        statuses: list[int] = []

        async def deliver(endpoint: str) -> None:
            async with httpx.AsyncClient(timeout=10) as http:
                for index in range(warmup + events):
                    path = f"/story/{index}" if distinct_links else "/story"
                    url = pages.add(path, news_article(f"Council story number {index}"))
                    event = message_event(f"<{url}>")
                    raw = json.dumps(event_body(event))
                    headers = signed_headers(raw)
                    started = time.monotonic()
                    response = await http.post(endpoint, content=raw.encode(), headers=headers)
                    elapsed = time.monotonic() - started
                    if index >= warmup:
                        acks.append(elapsed * 1000)
                        statuses.append(response.status_code)
                        sent_at[event["ts"]] = started
                    if interval_s:
                        await asyncio.sleep(interval_s)

        if in_process:
            async with running_bot(
                configured, use_cache=True, edit_interval_s=1.0, max_waiting=events + warmup
            ) as server:
                await deliver(server.url)
                await server.bot.session.drain(timeout=max(60.0, events * 2.0))
        else:
            port = free_port()
            process = BotProcess(port=port, env=slack_env(configured.core, api=slack, port=port))
            try:
                await process.ready()
                await deliver(process.url)
                await _wait_for_placeholders(slack, sent_at, timeout=max(60.0, events * 0.5))
            finally:
                process.stop()

        first_post: dict[str, float] = {}
        for call in slack.ok_calls("chat.postMessage"):  # ApiCall.at is time.monotonic() in this process
            thread = call.params.get("thread_ts")
            if thread in sent_at and thread not in first_post:
                first_post[thread] = call.at
        placeholders = [(first_post[ts] - sent) * 1000 for ts, sent in sent_at.items() if ts in first_post]
    return AckResult(ack_ms=acks, placeholder_ms=placeholders, statuses=statuses, events=events, interval_s=interval_s)


async def _wait_for_placeholders(slack: SlackApiServer, sent_at: dict[str, float], *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        threads = {c.params.get("thread_ts") for c in slack.ok_calls("chat.postMessage")}
        if all(ts in threads for ts in sent_at):
            return
        await asyncio.sleep(0.05)


async def measure_slack(
    *, events: int = 200, paced_events: int | None = None, paced_interval_s: float = 0.2, in_process: bool = False
) -> dict[str, Any]:
    """The figures ``bench.run`` puts in its table: ``slack_ack_ms_p99`` and friends for ``events``
    sent back to back (a flood), and ``slack_paced_*`` for a steady newsroom pace (default 5/s)."""
    flood = (await measure_ack(events=events, in_process=in_process)).summary()
    paced_events = paced_events if paced_events is not None else min(events, 50)
    paced = (await measure_ack(events=paced_events, interval_s=paced_interval_s, in_process=in_process)).summary()
    flood.update({key.replace("slack_", "slack_paced_", 1): value for key, value in paced.items()})
    return flood


def _pct(values: list[float], pct: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[pct - 1], 2)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    print(json.dumps(asyncio.run(measure_slack(events=count)), indent=2))
