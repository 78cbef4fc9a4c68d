"""What each evidence provider answers, as its documentation shows it: pure functions of a request.

Used by :mod:`tests.servers.search_apis`. Every answer carries extra keys a client must ignore.
Search is by words: a document matches when it holds every query word of three letters or more
(MediaWiki's search ANDs its terms) or at least two of them (the other providers).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

_WORD = re.compile(r"\w{3,}", re.UNICODE)


@dataclass(frozen=True)
class Doc:
    """A page a search finds (its ``url`` usually points at a loopback article server)."""

    url: str
    title: str
    text: str  # what the search matches against (snippets are cut from it)
    published: str | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class Review:
    """An earlier fact-check, as Fact Check Tools lists it."""

    claim: str
    url: str
    rating: str
    publisher: str = "Example Check"
    site: str = "examplecheck.org"
    title: str = "A fact-check"
    review_date: str = "2026-02-13T08:30:00Z"
    claimant: str | None = "Viral social media post"


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any  # JSON-encoded unless bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _score(query: str, doc_text: str, *, every: bool) -> int:
    wanted, have = _words(query), _words(doc_text)
    shared = len(wanted & have)
    if every:
        return shared if wanted and wanted <= have else 0
    return shared if shared >= min(2, len(wanted)) else 0


def _found(docs: list[Doc], query: str, *, every: bool) -> list[Doc]:
    scored = [(_score(query, f"{doc.title} {doc.text}", every=every), doc) for doc in docs]
    return [doc for score, doc in sorted(scored, key=lambda item: -item[0]) if score]


def _mediawiki_error(code: str, info: str) -> Answer:
    return Answer(
        200,
        {"error": {"code": code, "info": info, "*": "See https://en.wikipedia.org/w/api.php"}},
        headers={"MediaWiki-API-Error": code},
    )


def wikipedia(docs: list[Doc], params: dict[str, str], headers: dict[str, str]) -> Answer:
    agent = headers.get("User-Agent", "")
    if not agent or agent.startswith(("python-httpx", "python-requests", "curl")) or "(" not in agent:
        return Answer(403, b"Please set a user-agent and respect our robot policy", content_type="text/plain")
    if params.get("action") != "query" or params.get("format") != "json":
        return _mediawiki_error("badvalue", 'Unrecognized value for parameter "action".')
    query = params.get("gsrsearch", "")
    if not query.strip():
        return _mediawiki_error("missingparam", 'The "gsrsearch" parameter must be set.')
    limit = int(params.get("gsrlimit") or 10)
    found = _found(docs, query, every=True)
    pages = [
        {
            "pageid": 48000 + index,
            "ns": 0,
            "title": doc.title,
            "index": index,
            "contentmodel": "wikitext",
            "pagelanguage": "en",
            "touched": "2026-05-01T00:00:00Z",
            "lastrevid": 1229000000 + index,
            "length": len(doc.text),
            "fullurl": doc.url,
            "editurl": f"{doc.url}?action=edit",
            "canonicalurl": doc.url,
            "extract": doc.text[:400],
        }
        for index, doc in enumerate(found[:limit], start=1)
    ]
    pages.reverse()  # generated pages are not in rank order: clients sort on `index`
    body: dict[str, Any] = {"batchcomplete": True, "query": {"pages": pages}}
    if len(found) > limit:
        body["continue"] = {"gsroffset": limit, "continue": "gsroffset||"}
    return Answer(200, body)


def _google_error(status: int, message: str, code: str) -> Answer:
    return Answer(status, {"error": {"code": status, "message": message, "status": code}})


def fact_check_tools(reviews: list[Review], key: str, params: dict[str, str], headers: dict[str, str]) -> Answer:
    if (headers.get("X-Goog-Api-Key") or params.get("key")) != key:
        return _google_error(400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT")
    query = params.get("query", "")
    if not query:
        return _google_error(400, "Request contains an invalid argument.", "INVALID_ARGUMENT")
    claims = []
    for review in reviews:
        if not _score(query, review.claim, every=False):
            continue
        item: dict[str, Any] = {
            "text": review.claim,
            "claimDate": "2026-02-11T00:00:00Z",
            "claimReview": [
                {
                    "publisher": {"name": review.publisher, "site": review.site},
                    "url": review.url,
                    "title": review.title,
                    "reviewDate": review.review_date,
                    "textualRating": review.rating,
                    "languageCode": "en",
                }
            ],
        }
        if review.claimant:
            item["claimant"] = review.claimant
        claims.append(item)
    size = int(params.get("pageSize") or 10)
    return Answer(200, {"claims": claims[:size], "nextPageToken": "CAo"} if claims else {})  # no match: no key


def searxng(docs: list[Doc], params: dict[str, str]) -> Answer:
    if params.get("format") != "json":  # a stock instance lists only "html" in search.formats
        return Answer(403, b"<html><body><h1>403 Forbidden</h1></body></html>", content_type="text/html")
    query = params.get("q", "")
    if not query.strip():
        return Answer(400, {"error": "No query"})
    results = [
        {
            "url": doc.url,
            "title": doc.title,
            "content": doc.text[:200],
            "engine": "duckduckgo",
            "engines": ["duckduckgo", "brave"],
            "positions": [rank],
            "score": 1.0 / rank,
            "category": "general",
            "publishedDate": doc.published,
            "thumbnail": None,
            "template": "default.html",
        }
        for rank, doc in enumerate(_found(docs, query, every=False), start=1)
    ]
    return Answer(
        200,
        {
            "query": query,
            "number_of_results": 0,
            "results": results,
            "answers": [],
            "corrections": [],
            "infoboxes": [],
            "suggestions": [],
            "unresponsive_engines": [["wikidata", "timeout"]],
        },
    )


def brave(docs: list[Doc], key: str, host: str, params: dict[str, str], headers: dict[str, str]) -> Answer:
    if headers.get("X-Subscription-Token") != key:  # a bad token is 422, not 401
        return Answer(
            422,
            {
                "type": "ErrorResponse",
                "error": {
                    "id": "c1b2",
                    "status": 422,
                    "code": "SUBSCRIPTION_TOKEN_INVALID",
                    "detail": "The provided subscription token is invalid.",
                    "meta": {},
                },
                "time": int(time.time()),
            },
        )
    query = params.get("q", "")
    count = int(params.get("count") or 20)
    results = [
        {
            "type": "search_result",
            "subtype": "generic",
            "title": doc.title,
            "url": doc.url,
            "is_source_local": False,
            "description": doc.text[:200],
            "page_age": doc.published,
            "age": "March 3, 2026",
            "language": "en",
            "profile": {
                "name": doc.publisher or "Example",
                "url": doc.url,
                "long_name": doc.publisher or "",
                "img": "",
            },
            "meta_url": {"scheme": "http", "netloc": host, "hostname": host, "path": "/"},
            "extra_snippets": [doc.text[200:300]],
        }
        for doc in _found(docs, query, every=False)
    ][:count]
    body = {
        "type": "search",
        "query": {"original": query, "more_results_available": False},
        "mixed": {"type": "mixed", "main": []},
        "web": {"type": "search", "results": results, "family_friendly": True},
    }
    limits = {
        "X-RateLimit-Limit": "1, 15000",
        "X-RateLimit-Policy": "1;w=1, 15000;w=2592000",
        "X-RateLimit-Remaining": "0, 14999",
        "X-RateLimit-Reset": "1, 2419200",
    }
    return Answer(200, body, headers=limits)
