"""``factcheck slack`` as deployed (HTTP mode, its own process), for the benchmarks that send it events.

Its memory, with the page workers it forks, is watched from outside as the sum of their proportional set sizes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 60.0
PSS_SAMPLE_S = 0.25


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class BotProcess:
    """``factcheck slack`` in HTTP mode, its peak resident memory watched from outside."""

    def __init__(self, *, port: int, env: dict[str, str]) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{self.port}/slack/events"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SLACK_", "FACTCHECK_"))}
        full_env.update({"FACTCHECK_LOG_LEVEL": "WARNING", **env})
        code = "import sys; from adapters.cli import main; sys.exit(main(['slack']))"
        # Its log goes to a file: an unread pipe would fill up and block the bot mid-burst.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], cwd=REPO, env=full_env, stdout=subprocess.DEVNULL, stderr=self.log
        )
        self._peak = 0
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        # The bot and the worker processes its extraction runs in (bot.isolation), summed as PSS: the workers
        # share most of their pages with their forkserver, and summed RSS counted those pages once per process.
        # Reading smaps costs a few ms a process, so every 0.25 s, not faster: the sampler must not slow the burst.
        while not self._stop.wait(PSS_SAMPLE_S):
            self._peak = max(self._peak, self._pss())

    def _pss(self) -> int:
        total = 0
        with contextlib.suppress(psutil.Error):
            handle = psutil.Process(self.process.pid)
            for process in [handle, *handle.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    info = process.memory_full_info()
                    total += getattr(info, "pss", info.rss)
        return total

    async def ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        health = self.url.replace("/slack/events", "/healthz")
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the bot exited: {self.log_tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(health, timeout=1)).status_code == 200:
                        return
                await asyncio.sleep(0.1)
        raise TimeoutError("the bot did not start listening")

    def log_tail(self, chars: int = 800) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-chars:]

    def rss_mb(self) -> float:
        """The bot's processes together now (PSS: a page shared by several counts once in all)."""
        return self._pss() / 2**20

    def peak_rss_mb(self) -> float:
        """The sampled peak of the bot's processes together (PSS), or the bot's own RSS high-water mark if higher."""
        peak = max(self._peak, self._pss())
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) * 1024)
        return peak / 2**20

    def stop(self) -> None:
        self._stop.set()
        self.process.terminate()
        try:
            self.process.wait(40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.log.close()
