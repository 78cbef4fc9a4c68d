"""Web search through a self-hosted SearXNG instance's JSON API (``FACTCHECK_SEARXNG_URL``).

The instance must list ``json`` in ``search.formats`` (a 403 otherwise) and should run with its
limiter off or the bot's address in ``pass_ip``. Engine failures still answer 200: no results with
``unresponsive_engines`` is a failure. There is no count parameter: results are sliced here.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field

from bot.evidence.api import ApiClient
from bot.evidence.hits import Hit, ProviderError
from bot.evidence.text import host_of, language_code, plain


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Result(_Model):
    url: str | None = None
    title: str | None = None
    content: str | None = None
    publishedDate: str | None = None  # noqa: N815 (the API's field name)


class _Answer(_Model):
    results: list[_Result] = Field(default_factory=list)
    unresponsive_engines: list[Any] = Field(default_factory=list)


class SearXNG:
    name: Final = "searxng"
    label = "SearXNG"

    def __init__(self, *, client: ApiClient, base_url: str) -> None:
        self._client = client
        self._url = base_url.rstrip("/") + "/search"

    async def search(self, query: str, *, language: str | None, limit: int) -> list[Hit]:
        # A leading "!" is a bang: SearXNG would redirect to another engine instead of answering.
        params = {"q": query.lstrip("! "), "format": "json", "pageno": "1", "safesearch": "1"}
        code = language_code(language)
        if code:
            params["language"] = code
        headers = {"Accept-Language": code or "en"}  # the limiter turns away requests without one
        answer = await self._client.get_json(self._url, params=params, schema=_Answer, headers=headers)
        if not answer.results and answer.unresponsive_engines:
            raise ProviderError("got no answer from its search engines", this_query_only=True)
        hits: list[Hit] = []
        for result in answer.results:
            if not result.url or not result.url.lower().startswith(("https://", "http://")):
                continue
            hits.append(
                Hit(
                    url=result.url,
                    title=plain(result.title, limit=200),
                    publisher=host_of(result.url),
                    published=plain(result.publishedDate, limit=40),
                    snippet=plain(result.content, limit=500),
                    provider="searxng",
                    rank=len(hits) + 1,
                )
            )
            if len(hits) >= limit:
                break
        return hits
