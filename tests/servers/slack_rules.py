"""What the local Slack Web API refuses or requires exactly as Slack does, as a mixin of SlackApiServer.

Scopes come from manifest.yml (an installed app is granted what it asks for, no more); a conversation
the bot is not in is ``channel_not_found``; a response URL takes five posts in 30 minutes; a file is
shared only after ``files.getUploadURLExternal``, an upload of exactly the announced length to the
returned URL, and ``files.completeUploadExternal`` (Slack's method reference for each).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"
RESPONSE_URL_USES = 5
RESPONSE_URL_TTL_S = 30 * 60
# The scope each modelled method needs (Slack's method reference); history depends on the conversation type.
_SCOPES = {
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "chat.postEphemeral": "chat:write",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
}
_HISTORY_SCOPES = {"C": "channels:history", "G": "groups:history", "D": "im:history"}
_IN_A_CONVERSATION = frozenset(
    {"chat.postMessage", "chat.update", "chat.postEphemeral", "chat.getPermalink", "conversations.replies"}
)


def manifest_scopes() -> frozenset[str]:
    """The bot scopes manifest.yml asks for: what an installed app is granted."""
    text = MANIFEST.read_text(encoding="utf-8")
    block = text.split("    bot:", 1)[1].split("\nsettings:", 1)[0]
    return frozenset(re.findall(r"^\s*-\s*([\w:.]+)", block, re.MULTILINE))


@dataclass
class UploadedFile:
    id: str
    filename: str
    length: int
    title: str | None = None
    content: bytes | None = None  # None until uploaded


class SlackRules:
    """Mixed into SlackApiServer: uses its lock, records, stored messages, host and port."""

    def hide_channel(self, channel: str) -> None:
        """A conversation the bot is not a member of: Slack answers ``channel_not_found`` for it."""
        with self._lock:
            self.hidden_channels.add(channel)

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        params = await read_params(request)
        name = request.match_info["name"]
        now = time.monotonic()
        with self._lock:
            uses = self._response_urls.setdefault(name, [])
            expired = bool(uses) and now - uses[0] > RESPONSE_URL_TTL_S
            used_up = len(uses) >= RESPONSE_URL_USES
            if not (expired or used_up):
                uses.append(now)
        if expired or used_up:
            self._record("response_url", params, request, 404)
            return web.Response(status=404, text="expired_url" if expired else "used_url")
        self._record("response_url", params, request, 200)
        return web.Response(text="ok")

    async def _handle_upload(self, request: web.Request) -> web.Response:
        """The upload URL: the raw bytes (or a multipart form with them) of a file announced before."""
        file_id = request.match_info["file_id"]
        body = await request.read()
        with self._lock:
            announced = self.files.get(file_id)
            if announced is not None and announced.content is None:
                announced.content = body
        self._record("upload", {"file_id": file_id, "bytes": len(body)}, request, 200 if announced else 404)
        if announced is None:
            return web.Response(status=404, text="not found")
        return web.Response(text=f"OK - {len(body)}")

    def _refusal(self, method: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """What Slack itself refuses: a scope the app was not granted, a conversation the bot is not in."""
        channel = str(params.get("channel") or params.get("channel_id") or "")
        needed = _SCOPES.get(method)
        if method == "conversations.replies":
            needed = _HISTORY_SCOPES.get(channel[:1], "channels:history")
        if needed and needed not in self.scopes:
            return {"ok": False, "error": "missing_scope", "needed": needed, "provided": ",".join(sorted(self.scopes))}
        in_conversation = method in _IN_A_CONVERSATION or (method == "files.completeUploadExternal" and channel)
        if in_conversation and channel in self.hidden_channels:
            return {"ok": False, "error": "channel_not_found"}
        return None

    def _upload_url(self, params: dict[str, Any]) -> dict[str, Any]:
        filename, length = params.get("filename"), str(params.get("length") or "")
        if not filename or not length.isdigit() or int(length) <= 0:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._file_ids):010d}"
        with self._lock:
            self.files[file_id] = UploadedFile(file_id, str(filename), int(length))
        return {"ok": True, "upload_url": f"http://{self.host}:{self.port}/upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        requested = params.get("files")
        if not isinstance(requested, list) or not requested:
            return {"ok": False, "error": "invalid_arguments"}
        channel = str(params.get("channel_id") or "")
        if params.get("thread_ts") and not channel:
            return {"ok": False, "error": "invalid_arguments"}  # a thread needs its one channel
        shared = []
        with self._lock:
            for item in requested:
                upload = self.files.get(str(item.get("id")))
                if upload is None or upload.content is None or len(upload.content) != upload.length:
                    return {"ok": False, "error": "file_not_found"}
                upload.title = item.get("title")
                shared.append({"id": upload.id, "name": upload.filename, "title": upload.title, "size": upload.length})
        if channel:
            posted = self._post(
                {"channel": channel, "thread_ts": params.get("thread_ts"), "text": params.get("initial_comment") or ""}
            )
            with self._lock:
                self._messages[(channel, posted["ts"])].files = shared
        return {"ok": True, "files": shared}


async def read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    raw = await request.read()
    if raw:
        if request.content_type == "application/json":
            params.update(json.loads(raw))
        else:
            params.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    for key in ("blocks", "attachments", "payload", "files", "metadata"):
        value = params.get(key)
        if isinstance(value, str) and value.startswith(("[", "{")):
            params[key] = json.loads(value)
    return params
