"""A check with the LLM engine: progress per claim, edits at most once a second, hostile model output inert."""

from __future__ import annotations

import dataclasses
import json

import pytest

from adapters.discord.cooldown import Cooldown
from adapters.discord.flow import Request, Services, run_check
from bot.outcome import USER_MESSAGES, Outcome
from tests.servers.openai_server import FactcheckModel, OpenAIServer, Reply, SeenRequest
from tests.support.discord_harness import (
    EXAMPLE_HTML,
    assert_embeds_within_limits,
    assert_nothing_pings,
    running_bot,
    wait_report,
    wait_thread,
)

pytestmark = pytest.mark.timeout(60)

HOSTILE = " @everyone <@&456> <@123> [Read more](https://attacker.test/?q=secret) ![x](https://attacker.test/p.png)"


@dataclasses.dataclass
class HostileModel:
    """A model steered by the page: every free-text answer ends with pings and a hidden link."""

    inner: FactcheckModel = dataclasses.field(default_factory=FactcheckModel)

    def __call__(self, request: SeenRequest) -> Reply:
        reply = self.inner(request)
        if reply.status != 200 or reply.content is None:
            return reply
        data = json.loads(reply.content)
        for analysis in data.get("analyses", []):
            analysis["context"] += HOSTILE
            analysis["questions"] = [q + HOSTILE for q in analysis["questions"]]
        if "summary" in data:
            data["summary"] = [line + HOSTILE for line in data["summary"]]
        return Reply(content=json.dumps(data))


async def test_llm_check_shows_each_stage_and_nothing_pings(article_server, settings):
    url = article_server.add("/bridge", EXAMPLE_HTML)
    with OpenAIServer(responder=HostileModel(), latency_s=1.2) as llm:
        configured = settings.replace(openai_base_url=llm.base_url, openai_api_key="test-key")
        async with running_bot(configured) as bot:
            fake = bot.fake
            await fake.dispatch_slash(url=url)
            thread_call = await wait_thread(fake)
            thread_id = int(thread_call.path.split("/")[4])
            report = await wait_report(fake, channel_id=thread_id, timeout=40)

            edits = [c for c in fake.thread_messages(thread_id) if c.method == "PATCH"]
            shown = [c.json["content"] for c in edits]
            assert any("Found" in text for text in shown), shown
            assert any("analysed" in text for text in shown), shown
            assert "Checked" in shown[-1] and edits[-1].seq < report.seq
            gaps = [b.at - a.at for a, b in zip(edits, edits[1:], strict=False)]
            assert all(gap >= 0.9 for gap in gaps), gaps  # at most one edit per second

            posted = json.dumps([c.json for c in fake.sent_messages()], ensure_ascii=False)
            assert "attacker.test" not in posted
            assert "Context for c1" in posted and "everyone" in posted  # the words arrived, inert
            footer = report.json["embeds"][0]["footer"]["text"]
            assert "Engine: gpt-5-mini" in footer and "LLM calls" in footer and "tokens" in footer
            assert_nothing_pings(fake)
            assert assert_embeds_within_limits(fake) >= 1
    assert len(llm.requests) >= 2


async def test_concurrency_cap_comes_from_settings(settings):
    """FACTCHECK_MAX_CONCURRENT checks at once; one more is told "busy" without running."""
    said: list[str] = []

    async def fail(text: str) -> None:
        said.append(text)

    async def no_destination(name: str):
        raise AssertionError("a refused or failed check opens no thread")

    request = Request(target="too short", url=None, scope=None, user_id=1)
    for cap, expected in ((1, Outcome.BUSY), (2, Outcome.NO_ARTICLE_TEXT)):
        said.clear()
        services = Services(settings=settings.replace(max_concurrent=cap), cache=None, cooldown=Cooldown(seconds=0))
        async with services.slots:  # one check already running
            outcome = await run_check(request, services=services, open_destination=no_destination, fail=fail)
        assert outcome is expected
        assert (said == [USER_MESSAGES[Outcome.BUSY]]) is (expected is Outcome.BUSY)
