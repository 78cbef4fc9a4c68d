"""What the local Discord refuses or changes exactly as Discord does, as a mixin of FakeDiscord.

Without the Message Content intent in the bot's IDENTIFY, message content (also of a replied-to
message, also over REST) arrives blank unless the message is the bot's own, a DM, mentions the bot or
replies to it; files need the Attach Files permission and stay within the upload limit; a URL in
content is unfurled into a link embed unless the message suppresses embeds. Scripted failures
(``fail_next``) stand in for Discord refusing one particular call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.servers.discord_calls import RestCall

MESSAGE_CONTENT_INTENT = 1 << 15
SUPPRESS_EMBEDS, EPHEMERAL, LOADING = 1 << 2, 1 << 6, 1 << 7
ATTACH_FILES = 1 << 15
UPLOAD_LIMIT = 10 * 1024 * 1024  # bytes per request for a bot in a server without boosts
_URL = re.compile(r"(?<!<)https?://[^\s<>]+")


class DiscordRules:
    """Mixed into FakeDiscord: uses its identify payload, bot id, stored messages and permissions."""

    @property
    def content_intent(self) -> bool:
        return bool(self.identify and int(self.identify.get("intents", 0)) & MESSAGE_CONTENT_INTENT)

    def as_seen(self, data: dict[str, Any]) -> dict[str, Any]:
        """A message as the bot receives it: without the Message Content intent, content, embeds,
        attachments and components are blank unless the message is exempt (Discord's rule)."""
        seen = dict(data)
        if isinstance(seen.get("referenced_message"), dict):
            seen["referenced_message"] = self.as_seen(seen["referenced_message"])
        if self.content_intent or self._exempt(data):
            return seen
        seen.update(content="", embeds=[], attachments=[], components=[])
        return seen

    def _exempt(self, data: dict[str, Any]) -> bool:
        bot = str(self.bot_id)
        if data.get("author", {}).get("id") == bot or "guild_id" not in data:
            return True
        if any(user.get("id") == bot for user in data.get("mentions") or []):
            return True
        referenced = self.messages.get(int((data.get("message_reference") or {}).get("message_id") or 0))
        return referenced is not None and referenced.get("author", {}).get("id") == bot

    def _attachment(self, channel_id: int, filename: str, content: bytes) -> dict[str, Any]:
        attachment_id = self.snowflake()
        url = f"https://cdn.discordapp.com/attachments/{channel_id}/{attachment_id}/{filename}"
        return {"id": str(attachment_id), "filename": filename, "size": len(content), "url": url, "proxy_url": url}

    def _file_refusal(self, call: RestCall) -> tuple[int, Any] | None:
        """Discord's answer to files it will not take: no Attach Files permission, or over the limit."""
        if not call.files:
            return None
        if call.path.startswith("/channels/") and not self.bot_permissions & ATTACH_FILES:
            return 403, {"message": "Missing Permissions", "code": 50013}
        if len(call.files) > 10 or sum(len(content) for _, content in call.files) > UPLOAD_LIMIT:
            return 413, {"message": "Request entity too large", "code": 40005}
        return None

    def fail_next(
        self,
        route: str,
        *,
        when: Callable[[RestCall], bool] | None = None,
        status: int = 400,
        code: int = 50035,
        message: str = "Invalid Form Body",
    ) -> None:
        """The next call of ``route`` (e.g. "POST /channels/{id}/messages") matching ``when`` gets this error."""
        self._failures.append((route, when, status, {"message": message, "code": code}))

    def _scripted_failure(self, call: RestCall) -> tuple[int, dict[str, Any]] | None:
        for index, (route, when, status, answer) in enumerate(self._failures):
            if route == call.route and (when is None or when(call)):
                del self._failures[index]
                return status, answer
        return None


def unfurl(data: dict[str, Any]) -> None:
    """What Discord does to a URL in content (outside <...>) unless the message suppresses embeds."""
    data["embeds"] = [e for e in data.get("embeds") or [] if e.get("type") != "link"]
    if int(data.get("flags") or 0) & SUPPRESS_EMBEDS:
        return
    for url in _URL.findall(data.get("content") or ""):
        data["embeds"].append({"type": "link", "url": url})


def unfurled(data: dict[str, Any]) -> list[str]:
    """The link previews a stored message shows."""
    return [e["url"] for e in data.get("embeds") or [] if e.get("type") == "link"]
