"""What the Slack adapter reads from the environment (the core's settings know nothing of Slack)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from adapters.settings import AdapterSettings

SLACK_API_URL = "https://slack.com/api/"


class SlackSettings(AdapterSettings):
    bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN", description="the bot token (xoxb-...)")
    app_token: SecretStr | None = Field(
        None, alias="SLACK_APP_TOKEN", description="the app-level token (xapp-...): Socket Mode"
    )
    signing_secret: SecretStr | None = Field(
        None, alias="SLACK_SIGNING_SECRET", description="verifies HTTP-mode requests"
    )
    api_url: str = Field(SLACK_API_URL, alias="FACTCHECK_SLACK_API_URL", description="the Web API base (tests)")
    mode: Literal["all", "mention"] = Field(
        "all", alias="FACTCHECK_SLACK_MODE", description="all: check links in every message; mention: only when asked"
    )
    channels: Annotated[tuple[str, ...], NoDecode] = Field(
        (), alias="FACTCHECK_SLACK_CHANNELS", description="channel IDs the bot answers in (comma separated; empty: all)"
    )
    port: int = Field(3000, alias="PORT", description="HTTP mode: the port /slack/events listens on")

    @field_validator("channels", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @field_validator("mode", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("api_url", mode="after")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"  # slack_sdk joins method names onto it
