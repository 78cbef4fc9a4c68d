"""A worker's way to the platforms: API clients from the tokens it is given, and a front per job.

A worker answers wherever the request came from, so it holds a client for each platform whose
token it has (the same variables the fronts read). Fronts are built from the request alone:
nothing live crosses the queue. A platform's library is only imported when its token is there
(discord.py is 9 MB of every worker that answers Slack alone).
"""

from __future__ import annotations

import contextlib
import logging
from types import TracebackType
from typing import TYPE_CHECKING

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.discord.settings import DiscordSettings
from adapters.session.front import Front
from adapters.session.journal import PostJournal
from adapters.session.request import CheckRequest
from adapters.slack.app import web_client
from adapters.slack.journaled import JournaledSlackFront
from adapters.slack.settings import SlackSettings

if TYPE_CHECKING:
    import discord

log = logging.getLogger(__name__)


class MissingPlatform(Exception):
    """A job from a platform this worker has no token for."""


class Platforms:
    def __init__(self, *, slack: SlackSettings, discord_settings: DiscordSettings) -> None:
        self.slack_settings = slack
        self.discord_settings = discord_settings
        self._stack = contextlib.AsyncExitStack()
        self._slack: AsyncWebClient | None = None
        self._discord: discord.Client | None = None

    async def __aenter__(self) -> Platforms:
        if self.slack_settings.bot_token:
            http = await self._stack.enter_async_context(aiohttp.ClientSession())
            self._slack = web_client(self.slack_settings, session=http)
        if self.discord_settings.token:
            import discord

            from adapters.discord.endpoints import apply_api_base

            apply_api_base(self.discord_settings)
            # REST only, no gateway: intents matter not (guilds only keeps discord.py from warning).
            client = discord.Client(
                intents=discord.Intents(guilds=True), allowed_mentions=discord.AllowedMentions.none()
            )
            await client.login(self.discord_settings.token.get_secret_value())  # REST only: no gateway
            self._stack.push_async_callback(client.close)
            self._discord = client
        if self._slack is None and self._discord is None:
            raise ValueError("a worker needs SLACK_BOT_TOKEN or DISCORD_TOKEN (the platforms it answers on)")
        platforms = [name for name, client in (("Slack", self._slack), ("Discord", self._discord)) if client]
        log.info("worker answers on %s", " and ".join(platforms))
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._stack.aclose()

    async def front(self, request: CheckRequest, *, journal: PostJournal) -> Front:
        if request.platform == "slack" and self._slack is not None:
            return JournaledSlackFront(client=self._slack, request=request, journal=journal)
        if request.platform == "discord" and self._discord is not None:
            from adapters.discord.journaled import JournaledInteractionFront, JournaledMessageFront

            if request.reply.get("interaction_token"):
                return await JournaledInteractionFront.for_job(self._discord, request, journal)
            return await JournaledMessageFront.for_job(self._discord, request, journal)
        raise MissingPlatform(f"no token for {request.platform} in this worker")
