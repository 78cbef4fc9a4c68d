"""A local fake Discord for tests: REST API and gateway websocket on loopback.

The real discord.py client logs in against it (``Route.BASE`` pointed at
``server.api_url``), asks ``GET /gateway/bot`` where the gateway is, connects,
gets HELLO / READY / GUILD_CREATE, and then whatever the test dispatches:

    async with FakeDiscord() as discord:
        ...start the bot with settings.discord_api_url = discord.api_url...
        await discord.wait_identified()
        await discord.dispatch_message("<@BOT> https://...")
        thread = await discord.wait_for(lambda c: c.route == "POST /channels/{id}/messages/{id}/threads")

Every REST call is recorded as a :class:`RestCall` with its JSON body, in order,
so tests can assert what was sent, in which order, and with which flags.

Where it models Discord it is as strict as Discord: without the Message Content intent in the
bot's IDENTIFY, message content (also of a replied-to message, also over REST) arrives blank unless
the message is the bot's own, a DM, mentions the bot or replies to it; a message starts at most one
thread (code 160004); the first follow-up after a deferred response edits that "thinking" message;
files need the Attach Files permission and stay within the upload limit; and a URL in content is
unfurled into a link embed unless the message suppresses embeds.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.servers.discord_calls import CallLog, RestCall
from tests.servers.discord_payloads import EVERYONE_PERMISSIONS, DiscordWorld, now_iso
from tests.servers.discord_rules import EPHEMERAL, LOADING, SUPPRESS_EMBEDS, DiscordRules, unfurl

API_PREFIX = "/api/v10"


@dataclass
class FakeDiscord(CallLog, DiscordRules, DiscordWorld):
    calls: list[RestCall] = field(default_factory=list)
    threads: dict[int, dict[str, Any]] = field(default_factory=dict)
    commands: list[dict[str, Any]] = field(default_factory=list)
    identify: dict[str, Any] | None = None
    token: str = "fake-token"  # the bot token REST calls must carry (webhooks need none)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._seq = itertools.count(1)
        self._gateway_seq = itertools.count(1)
        self._ws: web.WebSocketResponse | None = None
        self._identified = asyncio.Event()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._interaction_tokens: dict[str, dict[str, Any]] = {}
        self._originals: dict[str, int] = {}  # "original:<token>" -> message id
        self._loading: set[str] = set()
        self._nonces: dict[
            str, int
        ] = {}  # enforce_nonce: nonce -> the message it created  # tokens whose original is still the deferred "thinking" message
        self._failures: list[tuple[str, Callable[[RestCall], bool] | None, int, dict[str, Any]]] = []
        self.bot_permissions = EVERYONE_PERMISSIONS
        self.port = 0

    # ------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def snowflake(self) -> int:
        return next(self._ids)

    # ------------------------------------------------------------ gateway

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            payload = json.loads(msg.data)
            op = payload.get("op")
            if op == 1:  # heartbeat
                await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif op == 2:  # identify
                self.identify = payload["d"]
                ready = self._ready()
                if "shard" in payload["d"]:  # Discord's READY names the shard a sharded connection identified as
                    ready["shard"] = payload["d"]["shard"]
                await self._dispatch_raw("READY", ready)
                await self._dispatch_raw("GUILD_CREATE", self.guild())
                self._identified.set()
        return ws

    def _ready(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": self.user(self.bot_id, bot=True),
            "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.bot_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
        }

    async def _dispatch_raw(self, event: str, data: dict[str, Any]) -> None:
        assert self._ws is not None, "no gateway connection yet"
        await self._ws.send_json({"op": 0, "t": event, "s": next(self._gateway_seq), "d": data})

    async def wait_identified(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self._identified.wait(), timeout)

    async def dispatch_message(self, content: str, **kwargs: Any) -> dict[str, Any]:
        """Send MESSAGE_CREATE for a user message (as the bot's intents let it see it); returns the full payload."""
        data = self.message(content=content, **kwargs)
        self.messages[int(data["id"])] = data
        await self._dispatch_raw("MESSAGE_CREATE", self.as_seen(data))
        return data

    def _interaction(self, *, data: dict[str, Any], user_id: int | None, in_guild: bool = True) -> dict[str, Any]:
        token = f"itoken-{self.snowflake()}-{'x' * 24}"
        user_id = self.user_id if user_id is None else user_id
        payload: dict[str, Any] = {
            "id": str(self.snowflake()),
            "application_id": str(self.bot_id),
            "type": 2,
            "data": data,
            "token": token,
            "version": 1,
            "locale": "en-US",
            "app_permissions": str(EVERYONE_PERMISSIONS),
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if in_guild:
            payload["guild_id"] = str(self.guild_id)
            payload["guild_locale"] = "en-US"
            payload["channel_id"] = str(self.channel_id)
            payload["channel"] = self.text_channel()
            payload["member"] = self.member(user_id)
        else:
            payload["channel_id"] = str(self.dm_channel_id)
            payload["channel"] = {"id": str(self.dm_channel_id), "type": 1, "recipients": [self.user(user_id)]}
            payload["user"] = self.user(user_id)
        self._interaction_tokens[token] = payload
        return payload

    def _command_id(self, name: str) -> str:
        for command in self.commands:
            if command["name"] == name:
                return command["id"]
        return str(self.snowflake())

    async def dispatch_slash(self, *, user_id: int | None = None, **options: str) -> dict[str, Any]:
        """INTERACTION_CREATE for ``/factcheck name:value ...``."""
        data = {
            "id": self._command_id("factcheck"),
            "name": "factcheck",
            "type": 1,
            "options": [{"name": name, "type": 3, "value": value} for name, value in options.items()],
            "guild_id": str(self.guild_id),
        }
        payload = self._interaction(data=data, user_id=user_id)
        await self._dispatch_raw("INTERACTION_CREATE", payload)
        return payload

    async def dispatch_context_menu(self, target: dict[str, Any], *, user_id: int | None = None) -> dict[str, Any]:
        """INTERACTION_CREATE for the message context menu "Fact-check" on ``target``."""
        data = {
            "id": self._command_id("Fact-check"),
            "name": "Fact-check",
            "type": 3,
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}},
            "guild_id": str(self.guild_id),
        }
        payload = self._interaction(data=data, user_id=user_id)
        await self._dispatch_raw("INTERACTION_CREATE", payload)
        return payload

    # ------------------------------------------------------------ REST

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        files: list[tuple[str, bytes]] = []
        if request.can_read_body:
            if request.content_type == "multipart/form-data":
                reader = await request.multipart()
                async for part in reader:
                    if part.name == "payload_json":  # type: ignore[union-attr]
                        body = json.loads(await part.text())  # type: ignore[union-attr]
                    elif (part.name or "").startswith("files["):  # type: ignore[union-attr]
                        files.append((part.filename or "", bytes(await part.read())))  # type: ignore[union-attr]
            else:
                raw = await request.read()
                body = json.loads(raw) if raw else None
        call = RestCall(
            next(self._seq),
            request.method,
            path,
            dict(request.query),
            body,
            asyncio.get_running_loop().time(),
            tuple(files),
        )
        self.calls.append(call)
        authorised = request.headers.get("Authorization") == f"Bot {self.token}"
        scripted = self._scripted_failure(call)
        if not authorised and not path.startswith(("/webhooks/", "/interactions/")):
            status, answer = 401, {"message": "401: Unauthorized", "code": 0}
        elif scripted is not None:
            status, answer = scripted
        else:
            status, answer = self._answer(call)
        async with self._changed:
            self._changed.notify_all()
        if status == 204:
            return web.Response(status=204)
        # discord.py only parses JSON when the content type is exactly application/json.
        return web.Response(
            body=json.dumps(answer).encode(), status=status, headers={"Content-Type": "application/json"}
        )

    def _answer(self, call: RestCall) -> tuple[int, Any]:
        m, p, body = call.method, call.path, call.json or {}
        if m == "GET" and p == "/users/@me":
            return 200, self.user(self.bot_id, bot=True)
        if m == "GET" and p == "/oauth2/applications/@me":
            return 200, self.application()
        if m == "GET" and p == "/gateway/bot":
            limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}
        if match := re.fullmatch(r"/applications/\d+(?:/guilds/\d+)?/commands", p):
            if m == "PUT":
                # Discord answers with every field filled in: context menus get an empty description.
                self.commands = [
                    {
                        "description": "",
                        **command,
                        "id": str(self.snowflake()),
                        "application_id": str(self.bot_id),
                        "version": "1",
                    }
                    for command in body
                ]
                return 200, self.commands
            return 200, self.commands
        if match := re.fullmatch(r"/channels/(\d+)", p):
            channel_id = int(match.group(1))
            if m == "GET" and channel_id == self.channel_id:
                return 200, self.text_channel()
            if m == "GET" and channel_id in self.threads:
                return 200, self.threads[channel_id]
            return 404, {"message": "Unknown Channel", "code": 10003}
        if match := re.fullmatch(r"/channels/(\d+)/typing", p):
            return 204, None
        if refused := self._file_refusal(call):
            return refused
        if match := re.fullmatch(r"/channels/(\d+)/messages", p):
            if m == "POST":
                # enforce_nonce: Discord answers a repeated nonce (within minutes) with the first message.
                nonce = str(body.get("nonce") or "")
                if nonce and body.get("enforce_nonce") and nonce in self._nonces:
                    return 200, self.messages[self._nonces[nonce]]
                stored = self._store_bot_message(int(match.group(1)), body, call.files)
                if nonce and body.get("enforce_nonce"):
                    self._nonces[nonce] = int(stored["id"])
                return 200, stored
        if match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", p):
            if m == "GET":
                stored = self.messages.get(int(match.group(2)))
                if stored is None:
                    return 404, {"message": "Unknown Message", "code": 10008}
                return 200, self.as_seen(stored)
            return self._edit_or_delete(int(match.group(2)), m, body)
        if match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", p):
            if int(match.group(2)) in self.threads:
                return 400, {"message": "A thread has already been created for this message", "code": 160004}
            return 200, self._create_thread(int(match.group(1)), int(match.group(2)), body)
        if match := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", p):
            token = match.group(2)
            interaction = self._interaction_tokens.get(token, {})
            channel_id = int(interaction.get("channel_id", self.channel_id))
            if body.get("type") == 4:  # an immediate message becomes the original response
                stored = self._store_bot_message(channel_id, body.get("data") or {})
                self._originals[f"original:{token}"] = int(stored["id"])
            elif body.get("type") == 5:  # deferred: the original is a "thinking" message until answered
                flags = LOADING | (int((body.get("data") or {}).get("flags") or 0) & EPHEMERAL)
                stored = self._store_bot_message(channel_id, {"flags": flags})
                self._originals[f"original:{token}"] = int(stored["id"])
                self._loading.add(token)
            return 200, {"interaction": {"id": match.group(1), "type": 2}}
        if match := re.fullmatch(r"/webhooks/(\d+)/([^/]+)", p):
            token = match.group(2)
            if token in self._loading:
                # The first follow-up after a deferred response edits the "thinking" message instead
                # of creating one; the deferral's ephemeral flag stays whatever the follow-up asks.
                self._loading.discard(token)
                original = self.messages[self._originals[f"original:{token}"]]
                flags = (int(original["flags"]) & EPHEMERAL) | (int(body.get("flags") or 0) & SUPPRESS_EMBEDS)
                return self._edit_or_delete(int(original["id"]), "PATCH", {**body, "flags": flags})
            interaction = self._interaction_tokens.get(token, {})
            return 200, self._store_bot_message(int(interaction.get("channel_id", self.channel_id)), body, call.files)
        if match := re.fullmatch(r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", p):
            token, which = match.group(2), match.group(3)
            key = f"original:{token}" if which == "@original" else which
            interaction = self._interaction_tokens.get(token, {})
            if which == "@original" and key not in self._originals:
                stored = self._store_bot_message(int(interaction.get("channel_id", self.channel_id)), {})
                self._originals[key] = int(stored["id"])
            if which == "@original" and m in {"PATCH", "DELETE"}:
                self._loading.discard(token)
            message_id = self._originals.get(key, int(which) if which.isdigit() else 0)
            return self._edit_or_delete(message_id, m, body)
        return 404, {"message": f"fake discord: no route {m} {p}", "code": 0}

    def _store_bot_message(
        self, channel_id: int, body: dict[str, Any], files: tuple[tuple[str, bytes], ...] = ()
    ) -> dict[str, Any]:
        data = self.message(
            content=body.get("content") or "",
            channel_id=channel_id,
            author_id=self.bot_id,
            embeds=body.get("embeds") or [],
            flags=int(body.get("flags") or 0),
            reference=body.get("message_reference"),
        )
        data["attachments"] = [self._attachment(channel_id, name, content) for name, content in files]
        unfurl(data)
        self.messages[int(data["id"])] = data
        return data

    def _edit_or_delete(self, message_id: int, method: str, body: dict[str, Any]) -> tuple[int, Any]:
        data = self.messages.get(message_id)
        if data is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        if method == "DELETE":
            self.messages.pop(message_id)
            return 204, None
        if method == "PATCH":
            for key in ("content", "embeds"):
                if key in body:
                    data[key] = body[key]
            if "flags" in body:  # only SUPPRESS_EMBEDS can be changed by an edit
                data["flags"] = (int(data["flags"]) & ~SUPPRESS_EMBEDS) | (int(body["flags"]) & SUPPRESS_EMBEDS)
            data["flags"] = int(data["flags"]) & ~LOADING
            data["edited_timestamp"] = now_iso()
            unfurl(data)
        return 200, data

    def _create_thread(self, channel_id: int, message_id: int, body: dict[str, Any]) -> dict[str, Any]:
        thread_id = message_id  # Discord gives a thread started from a message the message's id
        data = {
            "id": str(thread_id),
            "guild_id": str(self.guild_id),
            "parent_id": str(channel_id),
            "owner_id": str(self.bot_id),
            "name": body.get("name", ""),
            "type": 11,
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
            "last_message_id": None,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": body.get("auto_archive_duration", 1440),
                "archive_timestamp": now_iso(),
                "locked": False,
            },
        }
        self.threads[thread_id] = data
        return data
