"""A local article server on loopback for tests: real HTTP, scripted routes.

    with ArticleServer() as server:
        server.add("/a", body=b"<html>...", content_type="text/html; charset=utf-8")
        url = server.url("/a")
        ...
        assert server.hits("/a") == 1

A route can also be a callable ``handler(request) -> None`` that writes the
response itself (for slow drips, bombs, broken framing).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]


class ArticleServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self._routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (stdlib name)
                path = self.path.split("?", 1)[0]
                with server._lock:
                    server.requests.append(SeenRequest("GET", self.path, dict(self.headers.items())))
                    route = server._routes.get(path) or server._routes.get(self.path)
                if route is None:
                    route = Route(status=404, body=b"<html><body>Not found</body></html>")
                if route.handler is not None:
                    route.handler(self)
                    return
                self.send_response(route.status)
                if route.content_type is not None:
                    self.send_header("Content-Type", route.content_type)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in route.headers:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._httpd = ThreadingHTTPServer((host, 0), Handler)
        self._httpd.daemon_threads = True
        self.host = host
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def add(self, path: str, body: bytes | str = b"", *, status: int = 200,
            content_type: str | None = "text/html; charset=utf-8",
            headers: dict[str, str] | None = None,
            handler: Callable[[BaseHTTPRequestHandler], None] | None = None) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        with self._lock:
            self._routes[path] = Route(status, body, content_type, dict(headers or {}), handler)
        return self.url(path)

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def hits(self, path: str | None = None) -> int:
        with self._lock:
            if path is None:
                return len(self.requests)
            return sum(1 for r in self.requests if r.path.split("?", 1)[0] == path)

    def start(self) -> "ArticleServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "ArticleServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
