"""The example article's world on loopback: its linked pages, other coverage, wiki pages, a fact-check.

    with serve_world() as world:
        env = world.env()            # FACTCHECK_* variables pointing a bot at every provider here
        url = world.article_url      # the example article, its links rewritten to the local pages

Everything comes from ``examples/evidence`` (fictional pages and ``world.json``), so ``make demo``
and the tests read the same pages. Each site (the article's outlet, the city, a newspaper, an
encyclopedia...) is its own :class:`ArticleServer`, so site-based independence works as on the web;
the provider APIs are one :class:`SearchApis`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from html import unescape
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.servers.article_server import ArticleServer, Handler, respond
from tests.servers.search_answers import Doc, Review
from tests.servers.search_apis import SearchApis

WORLD = Path(__file__).resolve().parents[2] / "examples" / "evidence"
ARTICLE_PATH = "/2026/03/14/harbor-bridge"
_TAG = re.compile(r"<[^>]+>")


def visible_text(html: str) -> str:
    body = html.split("<article>", 1)[-1].split("</article>", 1)[0]
    return " ".join(unescape(_TAG.sub(" ", body)).split())


@dataclass
class World:
    sites: dict[str, ArticleServer]  # one loopback server (port) per site: the article's outlet is one of them
    apis: SearchApis
    article_url: str
    link_urls: dict[str, str]  # the article's original link -> the local page serving it

    def env(self, *, providers: str = "links,wikipedia,fact_check_tools,searxng,brave") -> dict[str, str]:
        return {**self.apis.env(), "FACTCHECK_EVIDENCE": providers}

    def site(self, name: str) -> ArticleServer:
        return self.sites[name]

    def page_hits(self) -> int:
        """Requests every site served, the article's own outlet included."""
        return sum(server.hits() for server in self.sites.values())


def _delayed(html: str, seconds: float) -> Handler:
    body = html.encode("utf-8")

    def handler(request: BaseHTTPRequestHandler) -> None:
        if not request.server.stopping.wait(seconds):  # type: ignore[attr-defined]
            respond(200, body)(request)

    return handler


@contextmanager
def serve_world(folder: Path = WORLD, *, latency_s: float = 0.0) -> Iterator[World]:
    """The world on loopback; ``latency_s`` delays every API answer and every page but the article's own."""
    spec = json.loads((folder / "world.json").read_text(encoding="utf-8"))
    names = {spec["article_site"]} | {e["site"] for group in ("wiki", "web", "reviews") for e in spec[group]}
    names |= {e["site"] for e in spec["article_links"].values()}
    with ExitStack() as stack, SearchApis(latency_s=latency_s) as apis:
        sites = {name: stack.enter_context(ArticleServer()) for name in sorted(names)}

        def serve(entry: dict[str, str]) -> tuple[str, str]:
            html = (folder / entry["page"]).read_text(encoding="utf-8")
            if latency_s:
                return sites[entry["site"]].add(entry["path"], handler=_delayed(html, latency_s)), html
            return sites[entry["site"]].add(entry["path"], html), html

        article = (folder / spec["article"]).read_text(encoding="utf-8")
        link_urls = {}
        for original, entry in spec["article_links"].items():
            link_urls[original], _ = serve(entry)
            article = article.replace(f'href="{original}"', f'href="{link_urls[original]}"')
        article_url = sites[spec["article_site"]].add(ARTICLE_PATH, article)
        for entry in spec["wiki"]:
            url, html = serve(entry)
            apis.add_wiki(Doc(url=url, title=entry["title"], text=visible_text(html)))
        for entry in spec["web"]:
            url, html = serve(entry)
            text = visible_text(html)
            apis.add_web(Doc(url, entry["title"], text, entry.get("published"), entry.get("publisher")))
        for entry in spec["reviews"]:
            fields = {k: v for k, v in entry.items() if k not in {"site", "path"}}
            apis.add_review(Review(url=sites[entry["site"]].url(entry["path"]), **fields))
        yield World(sites=sites, apis=apis, article_url=article_url, link_urls=link_urls)
