"""``make demo``: the example article checked by the real ``factcheck`` command, its world served on loopback.

The article (examples/harbor-bridge.html), the pages it links to, other coverage, encyclopedia pages
and an earlier fact-check (examples/evidence/) are all fictional and served on 127.0.0.1, with
stand-ins for the Wikipedia, Fact Check Tools, SearXNG and Brave APIs: the demo needs no network
and no keys, and shows what the evidence step adds (traced links, earlier fact-checks, related
passages). With OPENAI_API_KEY or OPENAI_BASE_URL set, the model reads and cites those passages.

    python -m examples.demo [--format markdown|json|html ...]   # from the repository root
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.servers.evidence_world import serve_world


def main(argv: list[str]) -> int:
    with serve_world() as world, tempfile.TemporaryDirectory(prefix="factcheck-demo-") as tmp:
        env = {
            **os.environ,
            **world.env(),
            "FACTCHECK_ALLOW_PRIVATE_URLS": "1",  # everything here is on loopback: never set this in production
            "FACTCHECK_CACHE_PATH": str(Path(tmp) / "cache.sqlite3"),
        }
        print(
            "Demo: the fictional example article, its links and its sources are served on this machine "
            "(no network, no keys).\n",
            file=sys.stderr,
        )
        command = [sys.executable, "-m", "adapters.cli", "check", world.article_url, *argv]
        return subprocess.run(command, env=env, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
