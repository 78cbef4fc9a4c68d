"""Earlier fact-checks of a claim: Google Fact Check Tools ``claims:search``.

The key goes in the ``X-Goog-Api-Key`` header so it never sits in a URL. ``textualRating`` is the
publisher's own words ("Mostly false") and is shown as such, never mapped to a verdict. One
result per review URL; a missing ``claims`` means none.
"""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from bot.evidence.api import ApiClient
from bot.evidence.hits import Hit
from bot.evidence.text import host_of, language_code, plain
from bot.models import PriorFactCheck

MAX_PAGE_SIZE = 10


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Publisher(_Model):
    name: str | None = None
    site: str | None = None


class _Review(_Model):
    publisher: _Publisher | None = None
    url: str | None = None
    title: str | None = None
    reviewDate: str | None = None  # noqa: N815 (the API's field name)
    textualRating: str | None = None  # noqa: N815
    languageCode: str | None = None  # noqa: N815


class _Claim(_Model):
    text: str | None = None
    claimant: str | None = None
    claimDate: str | None = None  # noqa: N815
    claimReview: list[_Review] = Field(default_factory=list)  # noqa: N815


class _Answer(_Model):
    claims: list[_Claim] = Field(default_factory=list)


class FactCheckTools:
    name: Final = "fact_check_tools"
    label = "Google Fact Check Tools"

    def __init__(self, *, client: ApiClient, url: str, api_key: str) -> None:
        self._client = client
        self._url = url
        self._api_key = api_key

    async def reviews(self, query: str, *, language: str | None, limit: int) -> list[PriorFactCheck]:
        params = {"query": query, "pageSize": str(max(1, min(limit, MAX_PAGE_SIZE)))}
        code = language_code(language)
        if code:
            params["languageCode"] = code
        answer = await self._client.get_json(
            self._url, params=params, schema=_Answer, headers={"X-Goog-Api-Key": self._api_key}
        )
        found: dict[str, PriorFactCheck] = {}
        for claim in answer.claims:
            for review in claim.claimReview:
                if not review.url or not review.url.lower().startswith(("https://", "http://")):
                    continue
                publisher = review.publisher or _Publisher()
                found.setdefault(
                    review.url,
                    PriorFactCheck(
                        url=review.url,
                        publisher=plain(publisher.name, limit=120),
                        site=plain(publisher.site, limit=120) or host_of(review.url),
                        title=plain(review.title, limit=300),
                        rating=plain(review.textualRating, limit=120),
                        review_date=plain(review.reviewDate, limit=40),
                        claim=plain(claim.text, limit=500),
                        claimant=plain(claim.claimant, limit=200),
                        language=plain(review.languageCode, limit=20),
                    ),
                )
        return list(found.values())[:limit]

    async def search(self, query: str, *, language: str | None, limit: int) -> list[Hit]:
        return [
            Hit(
                url=review.url,
                title=review.title,
                publisher=review.publisher or review.site,
                published=review.review_date,
                snippet=" ".join(part for part in (review.rating, review.claim) if part) or None,
                provider="fact_check_tools",
                rank=rank,
            )
            for rank, review in enumerate(await self.reviews(query, language=language, limit=limit), start=1)
        ]
