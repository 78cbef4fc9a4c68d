"""A real Redis for tests: Debian's redis-server on a free loopback port, started and stopped here.

No persistence (``--save ""``, ``--appendonly no``), so nothing is written outside the temporary
directory. A developer machine without redis-server skips these tests and says how to get it
(``make redis``); on CI (``CI`` set, as ``.ci/run`` does) a missing server fails them instead, so
the Redis tests can never go quietly green by not running.

    def test_x(redis_url): ...            # a shared server, emptied before the test
    def test_y(own_redis): own_redis.stop(); ...; own_redis.start()   # a server the test may kill
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

START_TIMEOUT_S = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_server_binary() -> str:
    """The redis-server path, or skip (a developer machine) / fail (CI) saying how to install it."""
    found = shutil.which("redis-server")
    if found:
        return found
    reason = (
        "redis-server is not installed: run `make redis` (Debian/Ubuntu package redis-server) to run the Redis tests"
    )
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must install it (.ci/run runs `make redis`)")
    pytest.skip(reason)


class RedisServer:
    """One redis-server process on 127.0.0.1:``port``; ``stop`` and ``start`` keep the port."""

    def __init__(self, *, binary: str, port: int | None = None) -> None:
        self.binary = binary
        self.port = port or free_port()
        self._dir = tempfile.TemporaryDirectory(prefix="factcheck-redis-")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        log = Path(self._dir.name) / "redis.log"
        self.process = subprocess.Popen(
            [
                self.binary,
                "--bind", "127.0.0.1",
                "--port", str(self.port),
                "--save", "",
                "--appendonly", "no",
                "--dir", self._dir.name,
                "--logfile", str(log),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + START_TIMEOUT_S
        try:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"redis-server exited: {log.read_text(errors='replace')[-500:]}")
                try:
                    if client.ping():
                        return self
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                time.sleep(0.02)
        finally:
            client.close()

    def stop(self) -> None:
        """Kill the server (as a crash would: no shutdown save, clients see the connection drop)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def flush(self) -> None:
        client = redis.Redis(host="127.0.0.1", port=self.port)
        try:
            client.flushall()
        finally:
            client.close()

    def close(self) -> None:
        self.stop()
        self._dir.cleanup()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer(binary=redis_server_binary()).start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The shared server's URL, emptied for this test."""
    redis_server.flush()
    return redis_server.url


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A server of this test's own, which it may stop and start again (Redis lost mid-run)."""
    server = RedisServer(binary=redis_server_binary()).start()
    try:
        yield server
    finally:
        server.close()
