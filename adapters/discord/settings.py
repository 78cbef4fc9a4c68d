"""What the Discord adapter reads from the environment (the core's settings know nothing of Discord)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
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

    shards: str | None = Field(
        None,
        pattern=r"^(auto|[1-9][0-9]*)$",
        alias="FACTCHECK_DISCORD_SHARDS",
        description="shard the gateway: 'auto' (Discord's count) or a count (large bots, ~1,000+ servers)",
    )
    shard_ids: Annotated[tuple[int, ...], NoDecode] = Field(
        (),
        alias="FACTCHECK_DISCORD_SHARD_IDS",
        description="the shards this process runs, e.g. 0,1 (needs a count in FACTCHECK_DISCORD_SHARDS)",
    )

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @model_validator(mode="after")
    def _shards_fit(self) -> DiscordSettings:
        if self.shard_ids and (self.shards is None or self.shards == "auto"):
            raise ValueError("FACTCHECK_DISCORD_SHARD_IDS needs a shard count in FACTCHECK_DISCORD_SHARDS")
        if self.shards not in (None, "auto") and any(i >= int(self.shards) for i in self.shard_ids):
            raise ValueError(f"FACTCHECK_DISCORD_SHARD_IDS must be below the shard count {self.shards}")
        return self

    @field_validator("channels", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.replace(";", ",").split(",") if part.strip())
        return value
