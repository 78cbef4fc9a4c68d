"""A local article server on loopback for tests: real HTTP, scripted routes.

    with ArticleServer() as server:
        server.add("/a", body=b"<html>...", content_type="text/html; charset=utf-8")
        url = server.url("/a")
        ...
        assert server.hits("/a") == 1

A route can also be a callable ``handler(request) -> None`` that writes the
response itself (for slow drips, bombs, broken framing); ready-made ones are
at the bottom (``slow_drip``, ``hang``, ``raw_response``, ``chunked``).
Handlers that wait should wait on ``request.server.stopping`` so ``stop()``
never hangs on them.

``ArticleServer(port=...)`` binds a fixed port (e.g. the same port on 127.0.0.2
as another server on 127.0.0.1) and ``ArticleServer(tls=context)`` serves
HTTPS, recording the SNI names clients sent in ``sni_names``.
"""

from __future__ import annotations

import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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
    client_port: int | None = None  # the client's source port: tells connections apart


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # Clients hanging up mid-response is what the hostile-input tests do on purpose.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class ArticleServer:
    def __init__(self, host: str = "127.0.0.1", *, port: int = 0, tls: ssl.SSLContext | None = None) -> None:
        self._routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        self.sni_names: list[str | None] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (stdlib name)
                path = self.path.split("?", 1)[0]
                with server._lock:
                    server.requests.append(
                        SeenRequest("GET", self.path, dict(self.headers.items()), self.client_address[1])
                    )
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

        self._httpd = QuietServer((host, port), Handler, bind_and_activate=False)
        self._httpd.daemon_threads = True
        self._httpd.stopping = self.stopping  # type: ignore[attr-defined]  # for handlers
        if tls is not None:
            tls.sni_callback = self._record_sni
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        try:
            self._httpd.server_bind()
            self._httpd.server_activate()
        except OSError:
            self._httpd.server_close()
            raise
        self.host = host
        self.port = self._httpd.server_address[1]
        self.scheme = "https" if tls is not None else "http"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def add(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        handler: Callable[[BaseHTTPRequestHandler], None] | None = None,
    ) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        with self._lock:
            self._routes[path] = Route(status, body, content_type, dict(headers or {}), handler)
        return self.url(path)

    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://{self.host}:{self.port}{path}"

    def _record_sni(self, sock: ssl.SSLObject, name: str | None, context: ssl.SSLContext) -> None:
        with self._lock:
            self.sni_names.append(name)

    def hits(self, path: str | None = None) -> int:
        with self._lock:
            if path is None:
                return len(self.requests)
            return sum(1 for r in self.requests if r.path.split("?", 1)[0] == path)

    def start(self) -> ArticleServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ArticleServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- ready-made hostile handlers -------------------------------------------------

Handler = Callable[[BaseHTTPRequestHandler], None]


def _stopping(request: BaseHTTPRequestHandler) -> threading.Event:
    return request.server.stopping  # type: ignore[attr-defined]


def raw_response(head: bytes, body: bytes = b"", *, close: bool = True) -> Handler:
    """Write ``head`` (status line + headers + blank line) and ``body`` verbatim.

    For lies the stdlib would not tell: a Content-Length that does not match the
    body, several Content-Type lines, a redirect with no Location.
    """

    def handler(request: BaseHTTPRequestHandler) -> None:
        try:
            request.wfile.write(head + body)
            request.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        request.close_connection = close

    return handler


def chunked(
    chunks: Iterable[bytes], *, content_type: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None
) -> Handler:
    """A 200 with ``Transfer-Encoding: chunked`` (no Content-Length); stops when the client hangs up."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.send_header("Transfer-Encoding", "chunked")
        request.end_headers()
        try:
            for chunk in chunks:
                if _stopping(request).is_set():
                    return
                if chunk:
                    request.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            request.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        request.close_connection = True

    return handler


def slow_drip(*, interval: float = 0.5, total: int = 60, byte: bytes = b"a") -> Handler:
    """Headers at once, then one byte every ``interval`` seconds for ``total`` bytes."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(total))
        request.end_headers()
        try:
            request.wfile.flush()
            for _ in range(total):
                if _stopping(request).wait(interval):
                    return
                request.wfile.write(byte)
                request.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        request.close_connection = True

    return handler


def hang(seconds: float = 60.0) -> Handler:
    """Accept the request and never answer (until the server stops)."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        _stopping(request).wait(seconds)
        request.close_connection = True

    return handler


def sequence(*handlers: Handler) -> Handler:
    """The n-th request gets the n-th handler; the last one repeats (503, 503, 200...)."""
    lock = threading.Lock()
    calls = [0]

    def handler(request: BaseHTTPRequestHandler) -> None:
        with lock:
            index = min(calls[0], len(handlers) - 1)
            calls[0] += 1
        handlers[index](request)

    return handler


def respond(
    status: int,
    body: bytes = b"",
    *,
    content_type: str | None = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> Handler:
    """A plain response as a handler (to combine with :func:`sequence`)."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        if content_type is not None:
            request.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        try:
            request.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    return handler


@contextmanager
def black_hole(host: str, port: int) -> Iterator[None]:
    """While open, ``host:port`` listens with a full accept queue, so new SYNs are dropped.

    Connecting to it times out instead of being refused, like a firewalled address.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    fillers: list[socket.socket] = []
    try:
        listener.bind((host, port))
        listener.listen(0)
        for _ in range(4):  # Linux admits backlog+1 pending connections, then drops SYNs
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            fillers.append(filler)
            try:
                filler.connect((host, port))
            except BlockingIOError:
                pass
        time.sleep(0.05)
        yield
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
