"""Reports made by the real pipeline, for the report-view tests and ``make bench``.

``model_report`` runs ``bot.pipeline.check`` on a page against the local OpenAI-compatible server
answering as ``NewsroomModel`` (a capable model's lengths and habits), so what the renderers get is
what a newsroom gets: 8 claims with context, counter-evidence and questions.
"""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.events import Finished
from bot.models import Report
from bot.pipeline import check
from tests.servers.newsroom_model import NewsroomModel
from tests.servers.openai_server import OpenAIServer
from tests.support.paths import REPO

EXAMPLE_ARTICLE = REPO / "examples" / "harbor-bridge.html"


async def pipeline_report(target: str | Path, *, settings: Settings, offline: bool = False) -> Report:
    final: Finished | None = None
    async for event in check(target, settings=settings, offline=offline, cache=None):
        if isinstance(event, Finished):
            final = event
    assert final is not None and final.report is not None, final
    return final.report


def offline_settings(settings: Settings) -> Settings:
    """``settings`` that reach nothing beyond loopback: evidence retrieval (on the internet by default) off."""
    return settings.replace(evidence=("off",))


async def model_report(target: str | Path = EXAMPLE_ARTICLE, *, settings: Settings, claims: int = 8) -> Report:
    """The report a capable model gives on ``target`` (a page, a file or text), through the real pipeline.

    Evidence retrieval is whatever ``settings`` say: pass ``offline_settings(...)`` or ``world_settings(...)``."""
    with OpenAIServer(responder=NewsroomModel(claims=claims)) as server:
        llm_settings = settings.replace(
            openai_base_url=server.base_url,
            openai_api_key="test-key",
            azure_endpoint=None,
            max_claims=claims,
            llm_deadline_s=60.0,
        )
        return await pipeline_report(target, settings=llm_settings)


async def world_report(*, settings: Settings, claims: int = 8) -> Report:
    """The example article checked in its world on loopback (its links, other coverage, encyclopedia pages,
    an earlier fact-check) with the scripted model: a report with every evidence field filled."""
    from tests.servers.evidence_world import serve_world
    from tests.support.evidence_harness import world_settings

    with serve_world() as world:
        pointed = world_settings(world, settings.replace(allow_private_urls=True))
        return await model_report(world.article_url, settings=pointed, claims=claims)
