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

from tests.servers.openai_requests import (
    REPAIR_OPENING,
    asked_ids,
    audit_fields,
    audit_reading,
    marked_claims,
    marked_sentences,
    ranked_hints,
)


@dataclass(frozen=True)
class Reply:
    status: int = 200
    content: str | None = None  # the assistant message (status 200)
    refusal: str | None = None  # Structured Outputs' refusal, sent with no content
    body: Any = None  # a raw JSON body instead of a chat completion (errors)
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # sleep before answering (timeouts, slow models)


def answer(value: Any, *, delay_s: float = 0.0) -> Reply:
    """A 200 completion whose message is ``value`` (JSON-encoded unless it is already text)."""
    content = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return Reply(content=content, delay_s=delay_s)


def refusal(text: str = "I'm sorry, I can't help with that.") -> Reply:
    return Reply(content=None, refusal=text)


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
    def prompt_text(self) -> str:
        """What a real server bills as the prompt: every message, plus the schema of Structured Outputs."""
        text = "".join(str(m.get("content") or "") for m in self.messages)
        fmt = self.body.get("response_format")
        if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
            text += json.dumps(fmt.get("json_schema"), separators=(",", ":"))
        return text

    @property
    def response_format_type(self) -> str | None:
        fmt = self.body.get("response_format")
        return fmt.get("type") if isinstance(fmt, dict) else None

    @property
    def schema_name(self) -> str | None:
        """Which answer the engine asked for: FoundClaims, ClaimAnalyses or ArticleAnalysis.

        By the response format's name, else (the schema in the prompt) by the schema's top-level fields."""
        fmt = self.body.get("response_format")
        if isinstance(fmt, dict) and isinstance(fmt.get("json_schema"), dict):
            return fmt["json_schema"].get("name")
        schema = self.system.rsplit("## The JSON Schema of your answer", 1)[-1]
        if '"analyses":' not in schema and '"claims":' not in schema:
            return None
        fields = schema[schema.rfind('"properties":{"') :]  # the top-level object comes last
        if '"claims":' in fields:
            return "FoundClaims"
        return "ArticleAnalysis" if '"summary":' in fields else "ClaimAnalyses"


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
        port: int = 0,
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

        self._httpd = ThreadingHTTPServer((host, port), Handler)
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
            prompt = _tokens(seen.prompt_text)
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
                        "message": {"role": "assistant", "content": reply.content, "refusal": reply.refusal},
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
Shape = Callable[[str, dict[str, Any]], str]  # (schema name, answer) -> the answer as the model writes it
Retype = Callable[[int, str], str]  # (rank, sentence) -> the quote as the model types it
Reading = Callable[[str, str, dict[str, Any]], dict[str, Any]]  # (claim id, its words, audit's reading) -> model's


def data_block(request: SeenRequest) -> str:
    """The delimited untrusted block of the request's user message ("" when there is none)."""
    match = _BLOCK.search(request.user)
    return match.group(2) if match else ""


@dataclass
class FactcheckModel:
    """Answers the engine's requests the way a good model would, from the request alone.

    Round 1 quotes the sentences the classifier ranked highest (curly quotes
    straightened, as models do); round 2 analyses every claim it is asked about and
    agrees with the offline audit's sourcing unless ``reading`` says otherwise.
    ``retype`` and ``shape`` make the answers look like a real model's (see
    tests/support/llm_shapes.py).
    """

    claims: int = 4
    fake_quotes: int = 0  # extra claims whose quote is not in the article
    retype: Retype | None = None
    reading: Reading | None = None
    shape: Shape | None = None

    def __post_init__(self) -> None:
        self._last: dict[str, dict[str, Any]] = {}  # per schema: a repair request gets its answer again, whole

    def __call__(self, request: SeenRequest) -> Reply:
        name = request.schema_name
        block = data_block(request)
        if name is None:
            return error(400, message="unknown request")
        if request.user.startswith(REPAIR_OPENING) and name in self._last:
            data = self._last[name]
        elif name == "FoundClaims":
            data = self.find_claims(block)
        else:
            data = self.analyse(block, with_summary=name == "ArticleAnalysis", asked=asked_ids(request.user))
        self._last[name] = data
        return answer(self.shape(name, data) if self.shape else data)

    def find_claims(self, block: str) -> dict[str, Any]:
        sentences = marked_sentences(block)
        ranked = ranked_hints(block)
        claims = []
        for rank, number in enumerate([n for n in ranked if n in sentences][: self.claims]):
            text = sentences[number].replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
            claims.append(
                {
                    "sentence": f"S{number}",
                    "quote": self.retype(rank, text) if self.retype else text,
                    "claimant": "the author",
                    "why_it_matters": "The story's argument rests on it.",
                }
            )
        claims += [
            {
                "sentence": None,
                "quote": f"Invented sentence number {i} that the article never contained.",
                "claimant": None,
                "why_it_matters": "x",
            }
            for i in range(self.fake_quotes)
        ]
        return {"claims": claims}

    def analyse(self, block: str, *, with_summary: bool, asked: list[str]) -> dict[str, Any]:
        """Round 2 for the claim ids in ``asked`` (see ``marked_claims`` and ``audit_fields`` for the block)."""
        audits, quotes = audit_fields(block), marked_claims(block)
        analyses = []
        for claim_id in asked:
            audit = audit_reading(audits.get(claim_id, {}))
            analyses.append(
                {
                    "claim_id": claim_id,
                    "article_support": f"The article offers no document for {claim_id}.",
                    "sourcing": self.reading(claim_id, quotes.get(claim_id, ""), audit) if self.reading else audit,
                    "context": f"Context for {claim_id}: as of January 2023 this was reported but not confirmed.",
                    "counter_evidence": [
                        {"text": f"Official figures for {claim_id} differ.", "verify_with": "the agency's own data"},
                        {"text": "The source is anonymous.", "verify_with": None},
                    ],
                    "questions": [f"Who can confirm {claim_id}?"],
                    "confidence": "medium",
                }
            )
        result: dict[str, Any] = {"analyses": analyses}
        if with_summary:
            result["summary"] = ["What it says.", "What it rests on.", "What to keep in mind."]
            result["sourcing_verdict"] = "Most key claims rest on unnamed or secondhand sources."
            result["flags"] = []
        return result


__all__ = ["FactcheckModel", "OpenAIServer", "Reply", "SeenRequest", "audit_fields", "marked_claims"]


if __name__ == "__main__":  # a manual run: python -m tests.servers.openai_server [PORT] [sample]
    import sys

    if "sample" in sys.argv[2:]:
        from tests.support.llm_sample import SampleModel

        responder: Responder = SampleModel()
    else:
        responder = FactcheckModel(claims=8)
    with OpenAIServer(responder=responder, port=int(sys.argv[1]) if len(sys.argv) > 1 else 8089) as running:
        print(f"scripted model on {running.base_url}", flush=True)
        running._thread.join()
