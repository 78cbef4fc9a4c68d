"""A local OpenAI-compatible server on loopback for tests and the benchmark.

The real ``openai`` client talks to it over HTTP. Each request gets the next
scripted reply, or, when the script is empty, the answer of a ``responder``
(by default ``FactcheckModel``, a deterministic stand-in that understands the
engine's two requests). Every request is recorded with its body and arrival time.

    with OpenAIServer(latency_s=0.0) as server:
        server.script(rate_limited(retry_after="1"), None, prose("I think..."))
        settings = settings.replace(openai_base_url=server.base_url, openai_api_key="test")
        ...
        assert len(server.requests) == 3
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 200
    content: str | None = None  # the assistant message (status 200)
    body: Any = None  # a raw JSON body instead of a chat completion (errors)
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # sleep before answering (timeouts, slow models)


def answer(value: Any, *, delay_s: float = 0.0) -> Reply:
    """A 200 completion whose message is ``value`` (JSON-encoded unless it is already text)."""
    content = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return Reply(content=content, delay_s=delay_s)


def prose(text: str = "Here is my analysis of the article. The claims look plausible overall.") -> Reply:
    return Reply(content=text)


def error(
    status: int, *, code: str | None = None, message: str = "scripted error", headers: dict[str, str] | None = None
) -> Reply:
    return Reply(
        status=status,
        body={"error": {"message": message, "type": code or "error", "code": code}},
        headers=headers or {},
    )


def rate_limited(*, retry_after: str | None = "1", code: str = "rate_limit_exceeded") -> Reply:
    headers = {"retry-after": retry_after} if retry_after is not None else {}
    return error(429, code=code, message="Rate limit reached", headers=headers)


def hang(seconds: float) -> Reply:
    """Answer only after ``seconds`` (longer than the client's timeout: a timeout)."""
    return Reply(content='{"claims": []}', delay_s=seconds)


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    received_at: float  # time.monotonic()

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages") or [])

    def contents(self, role: str) -> list[str]:
        return [str(m.get("content") or "") for m in self.messages if m.get("role") == role]

    @property
    def system(self) -> str:
        return "\n".join(self.contents("system"))

    @property
    def user(self) -> str:
        return "\n".join(self.contents("user"))

    @property
    def response_format_type(self) -> str | None:
        fmt = self.body.get("response_format")
        return fmt.get("type") if isinstance(fmt, dict) else None

    @property
    def schema_name(self) -> str | None:
        """Which answer the engine asked for: FoundClaims, ClaimAnalyses or ArticleAnalysis."""
        raw = json.dumps(self.body)
        for name in ("ArticleAnalysis", "ClaimAnalyses", "FoundClaims"):
            if f'"{name}"' in raw or f'\\"{name}\\"' in raw:
                return name
        return None


Responder = Callable[[SeenRequest], Reply]


def _tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4))  # a rough tokenizer: deterministic, good enough for totals


class OpenAIServer:
    def __init__(
        self,
        *,
        responder: Responder | None = None,
        latency_s: float = 0.0,
        reject_json_schema: bool = False,
        host: str = "127.0.0.1",
    ) -> None:
        self.responder: Responder = responder or FactcheckModel()
        self.latency_s = latency_s
        self.reject_json_schema = reject_json_schema
        self.requests: list[SeenRequest] = []
        self.usage_sent: list[tuple[int, int]] = []  # (prompt, completion) per 200 answer
        self._script: deque[Reply | Responder | None] = deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (stdlib name)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                seen = SeenRequest("POST", self.path, dict(self.headers.items()), body, time.monotonic())
                with server._lock:
                    server.requests.append(seen)
                    scripted = server._script.popleft() if server._script else None
                reply = server._reply_for(seen, scripted)
                if server._closing.wait(server.latency_s + reply.delay_s):
                    return
                server._send(self, seen, reply)

        self._httpd = ThreadingHTTPServer((host, 0), Handler)
        self._httpd.daemon_threads = True
        self.host = host
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    # ---------------------------------------------------------------- scripting

    def script(self, *replies: Reply | Responder | None) -> None:
        """Queue replies for the next requests, in order; ``None`` means "let the responder answer"."""
        with self._lock:
            self._script.extend(replies)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    @property
    def azure_endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def chat_requests(self) -> list[SeenRequest]:
        return [r for r in self.requests if r.path.split("?", 1)[0].endswith("/chat/completions")]

    def _reply_for(self, seen: SeenRequest, scripted: Reply | Responder | None) -> Reply:
        if not seen.path.split("?", 1)[0].endswith("/chat/completions"):
            return error(404, message=f"no route {seen.path}")
        if self.reject_json_schema and seen.response_format_type == "json_schema":
            return error(400, code="invalid_request_error", message="response_format json_schema is not supported")
        if isinstance(scripted, Reply):
            return scripted
        if scripted is not None:
            return scripted(seen)
        return self.responder(seen)

    def _send(self, handler: BaseHTTPRequestHandler, seen: SeenRequest, reply: Reply) -> None:
        if reply.status == 200 and reply.body is None:
            prompt = _tokens("".join(str(m.get("content") or "") for m in seen.messages))
            completion = _tokens(reply.content or "")
            with self._lock:
                self.usage_sent.append((prompt, completion))
            payload: Any = {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": seen.body.get("model", "test-model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reply.content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt,
                    "completion_tokens": completion,
                    "total_tokens": prompt + completion,
                },
            }
        else:
            payload = reply.body if reply.body is not None else {}
        data = json.dumps(payload).encode()
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): exactly what some tests want

    # ---------------------------------------------------------------- lifecycle

    def __enter__(self) -> OpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()


# -------------------------------------------------------------------- a scripted model

_BLOCK = re.compile(r"<<<(DATA-[0-9a-f]+)\n(.*)\n\1>>>", re.DOTALL)
_CANDIDATE = re.compile(r"^\[S\d+\] \((?P<score>[0-9.]+), P[^)]*\) (?P<text>.+)$", re.MULTILINE)
_CLAIM = re.compile(r'^\[(?P<id>c\d+)\] \(P[^)]*\) "(?P<quote>.*)"$', re.MULTILINE)


def data_block(request: SeenRequest) -> str:
    """The delimited untrusted block of the request's user message ("" when there is none)."""
    match = _BLOCK.search(request.user)
    return match.group(2) if match else ""


@dataclass
class FactcheckModel:
    """Answers the engine's requests the way a good model would, from the request alone.

    Round 1 quotes the top-scored candidate sentences (with curly quotes
    straightened, as models do); round 2 analyses every claim id it was given.
    """

    claims: int = 4
    fake_quotes: int = 0  # extra claims whose quote is not in the article

    def __call__(self, request: SeenRequest) -> Reply:
        name = request.schema_name
        block = data_block(request)
        if name == "FoundClaims":
            return answer(self.find_claims(block))
        if name in {"ClaimAnalyses", "ArticleAnalysis"}:
            return answer(self.analyse(block, with_summary=name == "ArticleAnalysis"))
        return error(400, message="unknown request")

    def find_claims(self, block: str) -> dict[str, Any]:
        found = [(float(m["score"]), m["text"]) for m in _CANDIDATE.finditer(block)]
        found.sort(key=lambda item: item[0], reverse=True)
        claims = [
            {
                "quote": text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"'),
                "claimant": "the author",
                "why_it_matters": "The story's argument rests on it.",
            }
            for _, text in found[: self.claims]
        ]
        claims += [
            {
                "quote": f"Invented sentence number {i} that the article never contained.",
                "claimant": None,
                "why_it_matters": "x",
            }
            for i in range(self.fake_quotes)
        ]
        return {"claims": claims}

    def analyse(self, block: str, *, with_summary: bool) -> dict[str, Any]:
        analyses = [
            {
                "claim_id": m["id"],
                "context": f"Context for {m['id']}: as of January 2023 this was reported but not confirmed.",
                "sourcing": {
                    "status": "secondhand",
                    "source": "a Telegram account",
                    "gap": "The report is not linked.",
                    "link": None,
                },
                "counter_evidence": [f"Official figures for {m['id']} differ.", "The source is anonymous."],
                "questions": [f"Who can confirm {m['id']}?"],
                "confidence": "medium",
            }
            for m in _CLAIM.finditer(block)
        ]
        result: dict[str, Any] = {"analyses": analyses}
        if with_summary:
            result["summary"] = ["What it says.", "What it rests on.", "What to keep in mind."]
            result["sourcing_verdict"] = "Most key claims rest on unnamed or secondhand sources."
        return result
