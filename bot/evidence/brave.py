"""Web search through the Brave Search API (``BRAVE_API_KEY``).

The key travels in ``X-Subscription-Token``; a bad key answers 422, not 401. ``search_lang`` uses
Brave's own codes. Match highlighting is switched off (``text_decorations=0``). Check that the
plan allows feeding results to a language model before turning it on.
"""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from bot.evidence.api import ApiClient
from bot.evidence.hits import Hit
from bot.evidence.text import host_of, language_code, plain

MAX_COUNT = 20
MAX_QUERY_CHARS = 400
MAX_QUERY_WORDS = 50
_SEARCH_LANG = {"ja": "jp", "zh": "zh-hans", "pt": "pt-br"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Profile(_Model):
    name: str | None = None


class _Result(_Model):
    url: str | None = None
    title: str | None = None
    description: str | None = None
    page_age: str | None = None
    profile: _Profile | None = None


class _Web(_Model):
    results: list[_Result] = Field(default_factory=list)


class _Answer(_Model):
    web: _Web | None = None


class Brave:
    name: Final = "brave"
    label = "Brave Search"

    def __init__(self, *, client: ApiClient, url: str, api_key: str) -> None:
        self._client = client
        self._url = url
        self._api_key = api_key

    async def search(self, query: str, *, language: str | None, limit: int) -> list[Hit]:
        words = query.split()[:MAX_QUERY_WORDS]
        params = {
            "q": " ".join(words)[:MAX_QUERY_CHARS],
            "count": str(max(1, min(limit, MAX_COUNT))),
            "text_decorations": "0",
            "result_filter": "web",
            "safesearch": "moderate",
        }
        code = language_code(language)
        if code:
            params["search_lang"] = _SEARCH_LANG.get(code, code)
        headers = {"X-Subscription-Token": self._api_key}
        answer = await self._client.get_json(self._url, params=params, schema=_Answer, headers=headers)
        hits: list[Hit] = []
        for result in answer.web.results if answer.web else []:
            if not result.url or not result.url.lower().startswith(("https://", "http://")):
                continue
            profile = result.profile.name if result.profile else None
            hits.append(
                Hit(
                    url=result.url,
                    title=plain(result.title, limit=200),
                    publisher=plain(profile, limit=120) or host_of(result.url),
                    published=plain(result.page_age, limit=40),
                    snippet=plain(result.description, limit=500),
                    provider="brave",
                    rank=len(hits) + 1,
                )
            )
        return hits[:limit]
