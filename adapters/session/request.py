"""One check request, as plain data: a front end builds it, a session (in this process or a worker) runs it."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Platform = Literal["slack", "discord", "cli"]
TargetKind = Literal["url", "text", "file"]


class CheckRequest(BaseModel):
    """Everything needed to run a check and answer where it was asked, and nothing live.

    It round-trips through JSON (``model_dump_json`` / ``model_validate_json``), so a front process
    can queue it and a worker can post the answer through the platform's API alone.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: Platform
    target: str  # a normalized URL, pasted text, or (CLI only) a local path
    kind: TargetKind
    source: str  # the message or interaction that asked: one answer per source and target
    event_id: str = ""  # the platform's delivery id (retries carry the same one)
    scope: str = ""  # Slack team or Discord guild: "already checked here" pointers hold within it
    channel: str = ""
    thread: str | None = None  # where the answer goes when the platform names it up front (Slack thread_ts)
    user: str = ""
    # Somebody asked the bot (mention, command, menu, DM). False for links read in passing (Discord auto
    # mode): then refusals and failures before anything was posted stay quiet.
    addressed: bool = True
    # How the platform reaches the asker later: Slack "response_url"; Discord "interaction_token",
    # "application_id", "reply_to" (the message to thread from or reply to), "trigger" (mention/slash/menu/auto).
    reply: dict[str, str] = Field(default_factory=dict)
    # The queue job that runs this request (scale-out mode): a job run again after its worker died
    # holds what its first run claimed (the delivery, the in-flight run) instead of waiting for itself.
    job: str = ""

    @property
    def url(self) -> str | None:
        return self.target if self.kind == "url" else None

    @property
    def target_key(self) -> str:
        """The target as a short key: the URL itself, or a digest of pasted text or a path."""
        if self.kind == "url":
            return self.target
        return f"{self.kind}:" + hashlib.sha256(self.target.encode("utf-8", "surrogatepass")).hexdigest()[:24]
