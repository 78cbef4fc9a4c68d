"""Real processes for the scale-out tests: ``factcheck slack`` fronts and ``factcheck worker`` processes.

Each runs as deployed (its own interpreter, the CLI entry point, settings from the environment)
against the loopback servers of the test and a real Redis; its log goes to a file the test can read.

    front = FactcheckProcess("slack", env=scale_env(...)); await front.ready_http()
    worker = FactcheckProcess("worker", env=...); await worker.ready_log("worker taking jobs")
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bot.config import Settings
from tests.servers.slack_api_server import SlackApiServer
from tests.support.redis_harness import free_port
from tests.support.slack_harness import slack_env

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60.0


def scale_env(
    settings: Settings, *, api: SlackApiServer, redis_url: str, port: int = 0, **extra: str
) -> dict[str, str]:
    """A front's or worker's environment: the Slack test servers, a real Redis, offline analysis."""
    env = slack_env(settings, api=api, port=port)
    env.update(
        {
            "REDIS_URL": redis_url,
            "FACTCHECK_REDIS_WAIT_S": "5",
            "FACTCHECK_LOG_LEVEL": "INFO",
            "FACTCHECK_JOB_TIMEOUT_S": "20",
        }
    )
    env.update(extra)
    return env


class FactcheckProcess:
    """``factcheck <command>`` in its own process; the log is a file (an unread pipe could block it)."""

    def __init__(self, *args: str, env: dict[str, str], port: int | None = None) -> None:
        self.args = args
        self.port = port
        inherited = {
            k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SLACK_", "FACTCHECK_", "REDIS_"))
        }
        self._log = tempfile.NamedTemporaryFile(prefix=f"factcheck-{args[0]}-", suffix=".log", delete=False)
        self._kept: str | None = None  # the log once the process is closed
        code = f"import sys; from adapters.cli import main; sys.exit(main({list(args)!r}))"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=REPO,
            env={**inherited, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def log(self) -> str:
        if self._kept is not None:
            return self._kept
        return Path(self._log.name).read_text(encoding="utf-8", errors="replace")

    async def ready_http(self) -> None:
        """The front's events endpoint answers /healthz."""
        health = self.url.replace("/slack/events", "/healthz")
        deadline = time.monotonic() + START_TIMEOUT_S
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                self._alive()
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(health, timeout=1)).status_code == 200:
                        return
                await asyncio.sleep(0.1)
        raise TimeoutError(f"front did not start: {self.log()[-1500:]}")

    async def ready_log(self, line: str) -> None:
        await self.wait_log(line, timeout=START_TIMEOUT_S)

    async def wait_log(self, line: str, *, timeout: float, count: int = 1) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log().count(line) >= count:
                return
            self._alive()
            await asyncio.sleep(0.05)
        raise TimeoutError(f"{line!r} not logged {count}x within {timeout} s: {self.log()[-1500:]}")

    def _alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"factcheck {self.args[0]} exited {self.process.returncode}: {self.log()[-1500:]}")

    def kill(self) -> None:
        """SIGKILL: the process dies mid-whatever, as under the OOM killer or a lost machine."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode

    def close(self) -> None:
        self.stop()
        self._kept = self.log()
        self._log.close()
        Path(self._log.name).unlink(missing_ok=True)


def front_process(env: dict[str, str]) -> FactcheckProcess:
    port = free_port()
    return FactcheckProcess("slack", "--mode", "http", env={**env, "PORT": str(port)}, port=port)
