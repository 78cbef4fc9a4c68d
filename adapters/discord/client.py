"""The discord.py client: intents, the command tree, and every handler, registered in one place."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from adapters.discord.endpoints import apply_gateway
from adapters.discord.front import InteractionFront
from adapters.discord.settings import DiscordSettings
from adapters.discord.triggers import Triggers
from adapters.session.dispatch import Dispatch
from adapters.session.request import CheckRequest
from bot.outcome import Outcome, user_message

log = logging.getLogger(__name__)

COMMAND_NAME = "factcheck"
MENU_NAME = "Fact-check"


class FactcheckClient(discord.Client):
    def __init__(
        self,
        *,
        discord_settings: DiscordSettings,
        session: Dispatch,
        guild_ready_timeout: float = 2.0,
        **client_options: Any,
    ) -> None:
        intents = discord.Intents.default()  # no privileged intent unless auto mode asks for it
        intents.message_content = discord_settings.auto
        super().__init__(
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
            **client_options,  # shard_count, shard_ids (adapters.discord.shards)
        )
        self.discord_settings = discord_settings
        self.session = session
        self.triggers = Triggers(discord_settings=discord_settings, session=session)
        self.tree = app_commands.CommandTree(self)
        register_handlers(self)

    async def setup_hook(self) -> None:
        await apply_gateway(self, self.discord_settings)
        await sync_commands(self)


def register_handlers(client: FactcheckClient) -> None:
    """Mention / auto messages, /factcheck, and the message menu, all on ``client``."""
    triggers = client.triggers

    @client.event
    async def on_message(message: discord.Message) -> None:
        await triggers.on_message(message, client=client)

    @client.tree.command(name=COMMAND_NAME, description="Fact-check a news article: its key claims and their sourcing")
    @app_commands.describe(url="Link to the article", text="Or paste the article text")
    async def factcheck(interaction: discord.Interaction, url: str | None = None, text: str | None = None) -> None:
        await triggers.on_slash(interaction, url=url, text=text)

    @client.tree.context_menu(name=MENU_NAME)
    async def factcheck_message(interaction: discord.Interaction, message: discord.Message) -> None:
        await triggers.on_menu(interaction, message)

    @client.tree.error
    async def on_app_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        log.error("command failed", exc_info=error)
        request = CheckRequest(platform="discord", target="", kind="text", source=str(interaction.id))
        try:
            await InteractionFront(request=request, interaction=interaction).refuse(
                user_message(Outcome.INTERNAL_ERROR)
            )
        except discord.HTTPException:
            log.warning("could not tell the user about the failure")


async def sync_commands(client: FactcheckClient) -> None:
    """Slash command and menu: to one guild (instant, for testing) or globally (up to an hour)."""
    guild_id = client.discord_settings.guild
    if guild_id:
        guild = discord.Object(id=guild_id)
        client.tree.copy_global_to(guild=guild)
        synced = await client.tree.sync(guild=guild)
    else:
        synced = await client.tree.sync()
    log.info("synced %d application commands%s", len(synced), f" to guild {guild_id}" if guild_id else "")
