"""Shared inputs, fixtures and helpers for the LLM engine tests (a real loopback OpenAI-compatible server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.events import ClaimAnalysed, ClaimsFound, Event, Finished
from bot.llm import LLMEngine, LLMResult
from bot.models import Article, Report
from bot.pipeline import check
from tests.servers.openai_server import OpenAIServer
from tests.support.llm_inputs import (
    article_from_text,
    candidates_for,
    offline_claims_for,
)

TEXT = (
    "City Council Approves Budget\n"
    "The city council approved a budget of $4.2 billion on Monday, officials said.\n"
    "Mayor Ana Ruiz told reporters that “crime fell by 12 percent in 2023,” citing police data.\n"
    "According to a report by the state auditor, 30 percent of road repairs were late.\n"
    "Critics say the plan will raise property taxes for 80,000 households next year.\n"
    "The council will vote again on the transit plan in March 2025, the clerk said.\n"
)

# Twelve checkable sentences: more claims than one analysis request holds (bot.llm.analyse.BATCH_MAX).
LONG_TEXT = "Budget Week\n" + "".join(
    f"The {name} department spent ${amount} million in 2023, {amount - 3} percent more than planned, officials said.\n"
    for name, amount in zip(
        (
            "roads",
            "parks",
            "water",
            "police",
            "fire",
            "housing",
            "transit",
            "library",
            "health",
            "schools",
            "ports",
            "energy",
        ),
        range(20, 80, 5),
        strict=True,
    )
)


@pytest.fixture
def llm_server():
    with OpenAIServer() as server:
        yield server


@pytest.fixture
def llm_settings(settings: Settings, llm_server: OpenAIServer) -> Settings:
    return settings.replace(
        openai_base_url=llm_server.base_url,
        openai_api_key="test-key",
        llm_deadline_s=20.0,
        llm_request_timeout_s=5.0,
        llm_retry_after_cap_s=5.0,
    )


def inputs(text: str = TEXT, **article_options):
    article = article_from_text(text, **article_options)
    candidates = candidates_for(article)
    return article, candidates, offline_claims_for(article, candidates)


async def run_engine(settings: Settings, article: Article, candidates, offline, *, max_claims: int = 3):
    # Round 1, then one round-2 request for every claim: most tests see exactly two calls.
    events = []
    async with LLMEngine(settings=settings) as engine:
        async for event in engine.run(
            article=article, candidates=candidates, offline_claims=offline, max_claims=max_claims
        ):
            events.append(event)
    result = events[-1]
    assert isinstance(result, LLMResult)
    assert sum(isinstance(e, LLMResult) for e in events) == 1
    assert sum(isinstance(e, ClaimsFound) for e in events) == 1
    return events, result


def assert_offline_fallback(result: LLMResult, offline, *, reason: str) -> None:
    assert result.failed is True
    assert result.claims == offline
    assert any("offline analysis only" in w and reason in w for w in result.warnings), result.warnings


async def check_report(settings: Settings, target: str | Path, **options) -> tuple[list[Event], Report]:
    """The real pipeline's events and report for ``target`` (text, a local file or a URL), with the LLM."""
    events = [event async for event in check(target, settings=settings, **options)]
    final = events[-1]
    assert isinstance(final, Finished) and final.report is not None, final
    return events, final.report


def progress(events: list[Event]) -> list[tuple[int, int]]:
    """(index, total) of every ClaimAnalysed event, in the order they came."""
    return [(event.index, event.total) for event in events if isinstance(event, ClaimAnalysed)]
