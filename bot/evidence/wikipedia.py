"""Wikipedia through the MediaWiki Action API: one call gives the search ranking, page URLs and lead extracts.

``action=query&generator=search&prop=info|extracts`` in the article's language. Generated pages
carry ``index`` (their search rank) and arrive in no particular order. Errors come back as HTTP
200 with an ``error`` object. Wikimedia asks for a descriptive User-Agent with a contact
(``FACTCHECK_CONTACT``), which ``bot.evidence.api`` sends.
"""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from bot.evidence.api import ApiClient
from bot.evidence.hits import Hit, ProviderError
from bot.evidence.text import language_code, plain

MAX_LIMIT = 20  # TextExtracts returns at most 20 extracts per call
# Wikipedia editions whose subdomain is not the language's ISO 639-1 code.
_EDITIONS = {"nb": "no", "he": "he", "iw": "he", "jv": "jv", "zh": "zh"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Page(_Model):
    title: str | None = None
    index: int = 0
    fullurl: str | None = None
    canonicalurl: str | None = None
    extract: str | None = None
    missing: bool = False


class _Query(_Model):
    pages: list[_Page] = Field(default_factory=list)


class _Error(_Model):
    code: str | None = None


class _Answer(_Model):
    query: _Query | None = None
    error: _Error | None = None


def edition(language: str | None) -> str:
    code = language_code(language) or "en"
    return _EDITIONS.get(code, code)


class Wikipedia:
    name: Final = "wikipedia"
    label = "Wikipedia"

    def __init__(self, *, client: ApiClient, api_url: str) -> None:
        self._client = client
        self._api_url = api_url  # may hold "{lang}"

    async def search(self, query: str, *, language: str | None, limit: int) -> list[Hit]:
        lang = edition(language)
        limit = max(1, min(limit, MAX_LIMIT))
        params = {
            "action": "query",
            "format": "json",
            "formatversion": "2",
            "generator": "search",
            "gsrsearch": query,
            "gsrnamespace": "0",
            "gsrlimit": str(limit),
            "prop": "info|extracts",
            "inprop": "url",
            "exintro": "1",
            "explaintext": "1",
            "exlimit": str(limit),
            "redirects": "1",
        }
        answer = await self._client.get_json(self._api_url.replace("{lang}", lang), params=params, schema=_Answer)
        if answer.error is not None:
            raise ProviderError(f"answered with an error ({plain(answer.error.code, limit=40) or 'unknown'})")
        pages = sorted((answer.query.pages if answer.query else []), key=lambda page: page.index)
        hits: list[Hit] = []
        for rank, page in enumerate((p for p in pages if not p.missing and (p.fullurl or p.canonicalurl)), start=1):
            hits.append(
                Hit(
                    url=str(page.fullurl or page.canonicalurl),
                    title=plain(page.title, limit=200),
                    publisher="Wikipedia",
                    published=None,  # an encyclopedia page is revised, not published: it is left undated
                    snippet=plain(page.extract, limit=500),
                    provider="wikipedia",
                    rank=rank,
                )
            )
        return hits[:limit]
