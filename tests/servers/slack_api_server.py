"""A local Slack Web API (and Socket Mode) server on loopback for tests and benchmarks.

Modelled on slack-bolt's own ``tests/mock_web_api_server``: real HTTP, canned ``auth.test``,
``{"ok": true}`` for writes, and a record of every call with its parsed JSON or form body.
Beyond that it keeps posted messages (so ``chat.getPermalink`` and ``conversations.replies``
answer consistently), answers 429 + ``Retry-After`` or an ``{"ok": false}`` error on demand,
and serves a Socket Mode WebSocket that forwards envelopes. Where it models Slack it is as strict
as Slack: a method needs its scope, granted only when manifest.yml asks for it (``missing_scope``);
a conversation the bot is not in answers ``channel_not_found``; a response URL takes five posts in
30 minutes; a file is shared only after ``files.getUploadURLExternal``, an upload of exactly the
announced length to the returned URL, and ``files.completeUploadExternal``.

    with SlackApiServer() as slack:
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.base_url)
        ...
        posts = await slack.wait_for("chat.postMessage", count=2)

It runs its own event loop in a thread, so the code under test (in the test's loop or in a
subprocess) talks to it over a real socket.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.servers.slack_limits import block_errors
from tests.servers.slack_rules import SlackRules, UploadedFile, manifest_scopes, read_params

BOT_TOKEN = "xoxb-factcheck-test"
APP_TOKEN = "xapp-factcheck-test"


@dataclass(frozen=True)
class ApiCall:
    method: str  # "chat.postMessage", or "response_url" for posts to a response URL
    params: dict[str, Any]
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived
    status: int  # the HTTP status we answered
    peer: tuple | None = None  # the client's (host, port): equal ports = a reused connection


@dataclass
class _Scripted:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    times: int = 1


@dataclass
class StoredMessage:
    channel: str
    ts: str
    text: str
    thread_ts: str | None = None
    user: str | None = None
    bot_id: str | None = None
    blocks: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    metadata: dict | None = None  # message metadata (event_type, event_payload), as chat.postMessage took it


class SlackApiServer(SlackRules):
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        bot_token: str = BOT_TOKEN,
        app_token: str = APP_TOKEN,
        team_id: str = "T0TEST",
        bot_user_id: str = "UFACTBOT",
        bot_id: str = "BFACTBOT",
    ) -> None:
        self.host = host
        self.port = 0
        self.bot_token = bot_token
        self.app_token = app_token
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self._lock = threading.Lock()
        self._calls: list[ApiCall] = []
        self._scripted: dict[str, list[_Scripted]] = {}
        self._messages: dict[tuple[str, str], StoredMessage] = {}
        self._ts = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._sockets: list[web.WebSocketResponse] = []
        self.socket_acks: list[dict] = []  # what the Socket Mode client answered, in order
        self.scopes = manifest_scopes()
        self.hidden_channels: set[str] = set()  # conversations the bot is not in (private, DMs)
        self.files: dict[str, UploadedFile] = {}
        self._response_urls: dict[str, list[float]] = {}  # name -> post times
        self._file_ids = itertools.count(1)

    # ------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        """The Web API base URL (ends with "/", as slack_sdk requires)."""
        return f"http://{self.host}:{self.port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://{self.host}:{self.port}/response/{name}"

    def start(self) -> SlackApiServer:
        self._thread = threading.Thread(target=self._serve, name="slack-api-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("Slack API test server did not start")
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> SlackApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{name}", self._handle_response_url)
        app.router.add_post("/upload/{file_id}", self._handle_upload)
        app.router.add_get("/socket", self._handle_socket)
        self._runner = web.AppRunner(app, access_log=None)
        loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, self.host, 0)
        loop.run_until_complete(site.start())
        self.port = self._runner.addresses[0][1]
        self._ready.set()
        loop.run_forever()
        loop.close()

    async def _shutdown(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ------------------------------------------------------------ scripting

    def rate_limit(self, method: str, *, times: int = 1, retry_after: int = 1) -> None:
        """The next ``times`` calls of ``method`` get HTTP 429 with Retry-After."""
        with self._lock:
            self._scripted.setdefault(method, []).append(_Scripted(429, "ratelimited", retry_after, times))

    def fail(self, method: str, error: str, *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer ``{"ok": false, "error": error}``."""
        with self._lock:
            self._scripted.setdefault(method, []).append(_Scripted(200, error, None, times))

    def add_message(
        self, *, channel: str, ts: str, text: str, thread_ts: str | None = None, user: str = "UREPORTER"
    ) -> None:
        """A message that already exists in the workspace (for conversations.replies)."""
        with self._lock:
            self._messages[(channel, ts)] = StoredMessage(channel, ts, text, thread_ts, user)

    # ------------------------------------------------------------ inspection

    def calls(self, method: str | None = None) -> list[ApiCall]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def ok_calls(self, method: str) -> list[ApiCall]:
        """Calls that succeeded (not the scripted 429s / errors)."""
        return [c for c in self.calls(method) if c.status == 200 and not c.params.get("_scripted_error")]

    def message(self, channel: str, ts: str) -> StoredMessage | None:
        with self._lock:
            return self._messages.get((channel, ts))

    def thread(self, channel: str, thread_ts: str) -> list[StoredMessage]:
        """Messages the bot posted in a thread, oldest first, as they read now (after updates)."""
        with self._lock:
            found = [
                m for m in self._messages.values() if m.channel == channel and m.thread_ts == thread_ts and m.bot_id
            ]
        return sorted(found, key=lambda m: float(m.ts))

    async def wait_for(
        self, method: str, *, count: int = 1, timeout: float = 15.0, where: Callable[[ApiCall], bool] | None = None
    ) -> list[ApiCall]:
        """Poll until ``count`` successful calls of ``method`` (matching ``where``) arrived."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.ok_calls(method) if where is None or where(c)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{method}: {len(found)} of {count} calls after {timeout}s; seen {[c.method for c in self.calls()]}"
                )
            await asyncio.sleep(0.01)

    # ------------------------------------------------------------ Socket Mode

    async def send_envelope(self, envelope: dict, *, timeout: float = 10.0) -> None:
        """Send a Socket Mode envelope to the connected client (call from any event loop)."""
        deadline = time.monotonic() + timeout
        while not self._sockets:
            if time.monotonic() > deadline:
                raise TimeoutError("no Socket Mode client connected")
            await asyncio.sleep(0.02)
        assert self._loop is not None
        ws = self._sockets[-1]
        future = asyncio.run_coroutine_threadsafe(ws.send_str(json.dumps(envelope)), self._loop)
        await asyncio.wrap_future(future)

    async def _handle_socket(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "AFACTCHECK"}})
        )
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    with self._lock:
                        self.socket_acks.append(json.loads(msg.data))
        finally:
            self._sockets.remove(ws)
        return ws

    # ------------------------------------------------------------ Web API

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await read_params(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        expected = self.app_token if method == "apps.connections.open" else self.bot_token
        if token != expected:
            self._record(method, params, request, 200)
            return web.json_response({"ok": False, "error": "invalid_auth"})

        refusal = self._refusal(method, params)
        if refusal is not None:
            self._record(method, {**params, "_scripted_error": refusal["error"]}, request, 200)
            return web.json_response(refusal)

        scripted = self._next_scripted(method)
        if scripted is not None:
            self._record(method, {**params, "_scripted_error": scripted.error}, request, scripted.status)
            headers = {"Retry-After": str(scripted.retry_after)} if scripted.retry_after is not None else {}
            return web.json_response({"ok": False, "error": scripted.error}, status=scripted.status, headers=headers)

        self._record(method, params, request, 200)
        return web.json_response(self._answer(method, params))

    def _next_scripted(self, method: str) -> _Scripted | None:
        with self._lock:
            queue = self._scripted.get(method)
            if not queue:
                return None
            head = queue[0]
            head.times -= 1
            if head.times <= 0:
                queue.pop(0)
            return head

    def _record(self, method: str, params: dict, request: web.Request, status: int) -> None:
        with self._lock:
            peer = request.transport.get_extra_info("peername") if request.transport is not None else None
            self._calls.append(
                ApiCall(method, params, dict(request.headers), time.monotonic(), status, tuple(peer) if peer else None)
            )

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://factcheck-test.slack.com/",
                "team": "Factcheck Test",
                "user": "factbot",
                "team_id": self.team_id,
                "user_id": self.bot_user_id,
                "bot_id": self.bot_id,
                "is_enterprise_install": False,
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://{self.host}:{self.port}/socket"}
        if method in {"chat.postMessage", "chat.update", "chat.postEphemeral"} and block_errors(params.get("blocks")):
            return {"ok": False, "error": "invalid_blocks", "errors": block_errors(params.get("blocks"))}
        if method == "chat.postMessage":
            return self._post(params)
        if method == "chat.update":
            return self._update(params)
        if method == "chat.getPermalink":
            return self._permalink(params)
        if method == "conversations.replies":
            return self._replies(params)
        if method == "files.getUploadURLExternal":
            return self._upload_url(params)
        if method == "files.completeUploadExternal":
            return self._complete_upload(params)
        return {"ok": True}

    def _post(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        ts = f"{1_800_000_000 + next(self._ts)}.000100"
        message = StoredMessage(
            channel,
            ts,
            str(params.get("text", "")),
            params.get("thread_ts"),
            self.bot_user_id,
            self.bot_id,
            list(params.get("blocks") or []),
            metadata=params.get("metadata") if isinstance(params.get("metadata"), dict) else None,
        )
        with self._lock:
            self._messages[(channel, ts)] = message
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "message": {
                "type": "message",
                "text": message.text,
                "ts": ts,
                "bot_id": self.bot_id,
                "thread_ts": message.thread_ts,
            },
        }

    def _update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
        with self._lock:
            message = self._messages.get((channel, ts))
            if message is None:
                return {"ok": False, "error": "message_not_found"}
            message.text = str(params.get("text", ""))
            message.blocks = list(params.get("blocks") or [])
        return {"ok": True, "channel": channel, "ts": ts, "text": message.text}

    def _permalink(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(params.get("channel", "")), str(params.get("message_ts", ""))
        message = self.message(channel, ts)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        link = f"https://factcheck-test.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        if message.thread_ts:
            link += f"?thread_ts={message.thread_ts}&cid={channel}"
        return {"ok": True, "channel": channel, "permalink": link}

    def _replies(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
        with self._lock:
            found = [m for m in self._messages.values() if m.channel == channel and (m.ts == ts or m.thread_ts == ts)]
        found.sort(key=lambda m: float(m.ts))
        limit = int(params.get("limit") or 1000)
        # Slack returns message metadata only when asked for it.
        with_metadata = str(params.get("include_all_metadata")).lower() in {"1", "true"}
        return {
            "ok": True,
            "has_more": len(found) > limit,
            "messages": [
                {
                    "type": "message",
                    "ts": m.ts,
                    "text": m.text,
                    "user": m.user,
                    "thread_ts": m.thread_ts,
                    **({"metadata": m.metadata} if with_metadata and m.metadata else {}),
                }
                for m in found[:limit]
            ],
        }
