"""Fixtures for the evidence tests: the example article's world on loopback, and settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.models import Article, Claim, Timings
from bot.pipeline import load_article, offline_claims
from tests.servers.evidence_world import World, serve_world

ALL_PROVIDERS = ("links", "fact_check_tools", "wikipedia", "searxng", "brave")


@pytest.fixture
def world() -> Iterator[World]:
    with serve_world() as served:
        yield served


def world_settings(world: World, base: Settings, **changes: object) -> Settings:
    """``base`` with every provider on and pointed at ``world`` (loopback only)."""
    pointed = Settings.from_env(world.env())
    fields = (
        "wikipedia_api_url",
        "fact_check_tools_url",
        "google_fact_check_api_key",
        "searxng_url",
        "brave_search_url",
        "brave_api_key",
    )
    values = {name: getattr(pointed, name) for name in fields}
    return base.replace(evidence=ALL_PROVIDERS, **values, **changes)


@pytest.fixture
def evidence_settings(world: World, settings: Settings) -> Settings:
    return world_settings(world, settings)


async def article_and_claims(url: str, settings: Settings) -> tuple[Article, list[Claim]]:
    """The page at ``url`` and its offline key claims, as the pipeline makes them."""
    article = await load_article(url, settings=settings, timings=Timings())
    _, claims = offline_claims(article, max_claims=settings.max_claims)
    return article, claims


def sentence_claims(article: Article) -> list[Claim]:
    """Every sentence of ``article`` as a claim with its offline sourcing (independent of which ones the
    check-worthiness model would pick), for tests about what happens to a given claim."""
    from bot.sentences import sentence_spans
    from bot.sourcing import audit_sourcing

    return [
        Claim(
            id=f"c{number}",
            quote=span.text,
            start=span.start,
            end=span.end,
            checkworthiness=0.9,
            sourcing=audit_sourcing(article, start=span.start, end=span.end),
        )
        for number, span in enumerate(sentence_spans(article.text), start=1)
    ]


def claim_with(claims: list[Claim], words: str) -> Claim:
    return next(claim for claim in claims if words in claim.quote)
