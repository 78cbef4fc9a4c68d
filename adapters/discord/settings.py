"""What the Discord adapter reads from the environment (the core's settings know nothing of Discord)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from adapters.settings import AdapterSettings

DISCORD_API_URL = "https://discord.com/api/v10"


class DiscordSettings(AdapterSettings):
    token: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("DISCORD_TOKEN", "DISCORD_BOT_TOKEN"),
        description="the bot token (DISCORD_BOT_TOKEN is read too)",
    )
    api_url: str | None = Field(
        None, alias="FACTCHECK_DISCORD_API_URL", description="REST base, gateway from its /gateway/bot (tests, proxy)"
    )
    guild: int | None = Field(
        None, alias="FACTCHECK_DISCORD_GUILD", description="sync commands to this server only (instant, for testing)"
    )
    auto: bool = Field(
        False,
        alias="FACTCHECK_DISCORD_AUTO",
        description="check links in every message (needs the Message Content intent)",
    )
    channels: Annotated[tuple[str, ...], NoDecode] = Field(
        (), alias="FACTCHECK_DISCORD_CHANNELS", description="auto mode: channel IDs or names (comma separated)"
    )

    @field_validator("channels", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.replace(";", ",").split(",") if part.strip())
        return value
