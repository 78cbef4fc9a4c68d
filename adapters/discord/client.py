"""The discord.py client: intents, the command tree, and every handler, registered in one place."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from adapters.discord.cooldown import Cooldown
from adapters.discord.endpoints import apply_gateway
from adapters.discord.flow import Services
from adapters.discord.triggers import (
    handle_context_menu,
    handle_message,
    handle_slash,
    reply_privately_after_defer,
    reply_privately_now,
)
from adapters.session.pointers import ThreadPointers
from bot.cache import ReportCache
from bot.config import Settings
from bot.outcome import Outcome, user_message
from bot.pipeline import build_engine

log = logging.getLogger(__name__)

COMMAND_NAME = "factcheck"
MENU_NAME = "Fact-check"


class FactcheckClient(discord.Client):
    def __init__(self, *, services: Services, guild_ready_timeout: float = 2.0) -> None:
        settings = services.settings
        intents = discord.Intents.default()  # no privileged intent unless auto mode asks for it
        intents.message_content = settings.discord_auto
        super().__init__(
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
        )
        self.services = services
        self.tree = app_commands.CommandTree(self)
        register_handlers(self)

    async def setup_hook(self) -> None:
        await apply_gateway(self, self.services.settings)
        await sync_commands(self)


def register_handlers(client: FactcheckClient) -> None:
    """Mention / auto messages, /factcheck, and the message menu, all on ``client``."""
    services = client.services

    @client.event
    async def on_message(message: discord.Message) -> None:
        if client.user is None:
            return
        await handle_message(message, me=client.user, services=services)

    @client.tree.command(name=COMMAND_NAME, description="Fact-check a news article: its key claims and their sourcing")
    @app_commands.describe(url="Link to the article", text="Or paste the article text")
    async def factcheck(interaction: discord.Interaction, url: str | None = None, text: str | None = None) -> None:
        await handle_slash(interaction, url=url, text=text, services=services)

    @client.tree.context_menu(name=MENU_NAME)
    async def factcheck_message(interaction: discord.Interaction, message: discord.Message) -> None:
        await handle_context_menu(interaction, message, services=services)

    @client.tree.error
    async def on_app_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        log.error("command failed", exc_info=error)
        text = user_message(Outcome.INTERNAL_ERROR)
        try:
            if interaction.response.is_done():
                await reply_privately_after_defer(interaction, text)
            else:
                await reply_privately_now(interaction, text)
        except discord.HTTPException:
            log.warning("could not tell the user about the failure")


async def sync_commands(client: FactcheckClient) -> None:
    """Slash command and menu: to one guild (instant, for testing) or globally (up to an hour)."""
    guild_id = client.services.settings.discord_guild
    if guild_id:
        guild = discord.Object(id=guild_id)
        client.tree.copy_global_to(guild=guild)
        synced = await client.tree.sync(guild=guild)
    else:
        synced = await client.tree.sync()
    log.info("synced %d application commands%s", len(synced), f" to guild {guild_id}" if guild_id else "")


def build_client(
    settings: Settings,
    *,
    cache: ReportCache | None = None,
    pointers: ThreadPointers | None = None,
    guild_ready_timeout: float = 2.0,
) -> FactcheckClient:
    services = Services(
        settings=settings,
        cache=cache,
        pointers=pointers,
        cooldown=Cooldown(seconds=settings.cooldown_s),
        engine=build_engine(settings, offline=False),
    )
    return FactcheckClient(services=services, guild_ready_timeout=guild_ready_timeout)
