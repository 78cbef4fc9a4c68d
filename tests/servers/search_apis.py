"""Local stand-ins for the evidence providers' APIs, on loopback, speaking their documented JSON.

One server hosts all four, each on its real path:

- MediaWiki Action API ``GET /w/api.php`` (``generator=search`` + ``prop=info|extracts``,
  ``formatversion=2``): pages carry ``index`` and arrive out of rank order; errors are HTTP 200
  with ``{"error": {...}}`` and a ``MediaWiki-API-Error`` header; a request without a descriptive
  User-Agent is refused like Wikimedia's throttle does (403).
- Google Fact Check Tools ``GET /v1alpha1/claims:search`` (key in ``X-Goog-Api-Key`` or ``key=``;
  a missing ``claims`` when nothing matches; Google's error shape on a bad key).
- SearXNG ``GET /search?format=json`` (403 when ``format=json`` is missing, as a stock instance
  answers; 400 ``{"error": "No query"}`` for an empty ``q``; ``unresponsive_engines`` pairs).
- Brave Search ``GET /res/v1/web/search`` (``X-Subscription-Token``; 422 ``ErrorResponse`` for a
  bad token; rate-limit headers as lists).

The answers themselves are in :mod:`tests.servers.search_answers`. ``fail(provider, Fault(...))`` makes a provider answer 500, garbage, a wrong shape, a rate
limit, or hang.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from tests.servers import search_answers as answers
from tests.servers.article_server import QuietServer
from tests.servers.search_answers import Answer, Doc, Review

Provider = Literal["wikipedia", "fact_check_tools", "searxng", "brave"]
PATHS: dict[str, Provider] = {
    "/w/api.php": "wikipedia",
    "/v1alpha1/claims:search": "fact_check_tools",
    "/search": "searxng",
    "/res/v1/web/search": "brave",
}


@dataclass(frozen=True)
class Fault:
    kind: Literal["status", "garbage", "shape", "rate_limited", "hang"]
    status: int = 500
    seconds: float = 30.0


@dataclass(frozen=True)
class Seen:
    provider: Provider
    params: dict[str, str]
    headers: dict[str, str]
    path: str = ""


@dataclass
class _State:
    wiki: list[Doc] = field(default_factory=list)
    web: list[Doc] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    faults: dict[Provider, Fault] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)


class SearchApis:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        google_key: str = "test-google-key",
        brave_key: str = "test-brave-key",
        latency_s: float = 0.0,  # before every answer: what a real API over the internet takes (the benchmark)
    ):
        self.state = _State()
        self.latency_s = latency_s
        self.google_key = google_key
        self.brave_key = brave_key
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        apis = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (stdlib name)
                parts = urlsplit(self.path)
                # A path may carry a prefix (an edition, a proxy): the API is named by how it ends.
                provider = next(
                    (PATHS[path] for path in sorted(PATHS, key=len, reverse=True) if parts.path.endswith(path)), None
                )
                params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                if provider is None:
                    return apis._send(self, 404, {"error": "not found"})
                with apis._lock:
                    apis.state.requests.append(Seen(provider, params, dict(self.headers.items()), parts.path))
                    fault = apis.state.faults.get(provider)
                if fault is not None:
                    return apis._fault(self, fault)
                if apis.latency_s and apis._stopping.wait(apis.latency_s):
                    return
                answer = apis._answer(provider, params, dict(self.headers.items()))
                apis._send(self, answer.status, answer.body, content_type=answer.content_type, headers=answer.headers)

        self._httpd = QuietServer((host, 0), Handler)
        self._httpd.daemon_threads = True
        self.host = host
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    # ---------------------------------------------------------------- set-up

    def add_wiki(self, doc: Doc) -> None:
        self.state.wiki.append(doc)

    def add_web(self, doc: Doc) -> None:
        self.state.web.append(doc)

    def add_review(self, review: Review) -> None:
        self.state.reviews.append(review)

    def fail(self, provider: Provider, fault: Fault | None) -> None:
        with self._lock:
            if fault is None:
                self.state.faults.pop(provider, None)
            else:
                self.state.faults[provider] = fault

    def requests(self, provider: Provider | None = None) -> list[Seen]:
        with self._lock:
            return [r for r in self.state.requests if provider is None or r.provider == provider]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def env(self) -> dict[str, str]:
        """The variables that point a bot at every provider here."""
        return {
            "FACTCHECK_WIKIPEDIA_API_URL": f"{self.base_url}/w/api.php",
            "FACTCHECK_FACT_CHECK_TOOLS_URL": f"{self.base_url}/v1alpha1/claims:search",
            "GOOGLE_FACT_CHECK_API_KEY": self.google_key,
            "FACTCHECK_SEARXNG_URL": self.base_url,
            "FACTCHECK_BRAVE_SEARCH_URL": f"{self.base_url}/res/v1/web/search",
            "BRAVE_API_KEY": self.brave_key,
        }

    # ---------------------------------------------------------------- providers

    def _answer(self, provider: Provider, params: dict[str, str], headers: dict[str, str]) -> Answer:
        state = self.state
        if provider == "wikipedia":
            return answers.wikipedia(state.wiki, params, headers)
        if provider == "fact_check_tools":
            return answers.fact_check_tools(state.reviews, self.google_key, params, headers)
        if provider == "searxng":
            return answers.searxng(state.web, params)
        return answers.brave(state.web, self.brave_key, self.host, params, headers)

    # ---------------------------------------------------------------- plumbing

    def _fault(self, request: BaseHTTPRequestHandler, fault: Fault) -> None:
        if fault.kind == "hang":
            self._stopping.wait(fault.seconds)
            request.close_connection = True
            return
        if fault.kind == "garbage":
            return self._send(
                request,
                200,
                b"<html><body>Service temporarily unavailable</body></html>",
                content_type="application/json",
            )
        if fault.kind == "shape":
            return self._send(request, 200, {"query": {"pages": "none"}, "results": "none", "claims": 7, "web": []})
        if fault.kind == "rate_limited":
            return self._send(
                request,
                429,
                {"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}},
                headers={"Retry-After": "60"},
            )
        self._send(request, fault.status, {"error": {"code": fault.status, "message": "backend error"}})

    def _send(
        self,
        request: BaseHTTPRequestHandler,
        status: int,
        body: Any,
        *,
        content_type: str = "application/json; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        try:
            request.send_response(status)
            request.send_header("Content-Type", content_type)
            request.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                request.send_header(name, value)
            request.end_headers()
            request.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def __enter__(self) -> SearchApis:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
