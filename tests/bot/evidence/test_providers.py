"""Each provider against a loopback server speaking its documented JSON, faults included."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.evidence.api import ApiClient, api_user_agent
from bot.evidence.brave import Brave
from bot.evidence.fact_check_tools import FactCheckTools
from bot.evidence.hits import ProviderError
from bot.evidence.searxng import SearXNG
from bot.evidence.wikipedia import Wikipedia
from tests.servers.search_answers import Doc, Review
from tests.servers.search_apis import Fault, SearchApis

SETTINGS = Settings.from_env({"FACTCHECK_CONTACT": "desk@example.org"})


@pytest.fixture
def apis():
    with SearchApis() as server:
        server.add_wiki(
            Doc(
                "https://en.wikipedia.example/wiki/Harbor_Tunnel",
                "Harbor Tunnel",
                "The Harbor Tunnel opened in 1998 in Exampleton.",
            )
        )
        server.add_wiki(
            Doc(
                "https://en.wikipedia.example/wiki/Exampleton",
                "Exampleton",
                "Exampleton is a city with a harbor tunnel and a bridge.",
            )
        )
        server.add_web(
            Doc(
                "https://news.example/tunnel-28",
                "Harbor Tunnel turns <b>28</b>",
                "The tunnel opened to traffic in June 1998.",
                "2026-06-01T00:00:00",
                "Example News",
            )
        )
        server.add_review(
            Review(
                claim="The city banned bicycles from all downtown streets.",
                url="https://examplecheck.org/2026/02/bicycle-ban/",
                rating="False",
            )
        )
        yield server


async def test_wikipedia_sorts_generated_pages_by_rank_and_names_itself(apis: SearchApis) -> None:
    async with ApiClient(settings=SETTINGS, timeout_s=5) as client:
        hits = await Wikipedia(client=client, api_url=f"{apis.base_url}/w/api.php").search(
            "harbor tunnel", language="en-GB", limit=3
        )
    assert [hit.title for hit in hits] == ["Harbor Tunnel", "Exampleton"]  # served in reverse order, sorted on index
    assert [hit.rank for hit in hits] == [1, 2] and hits[0].publisher == "Wikipedia" and hits[0].published is None
    (seen,) = apis.requests("wikipedia")
    assert (
        seen.params["formatversion"] == "2" and seen.params["generator"] == "search" and seen.params["gsrlimit"] == "3"
    )
    agent = seen.headers["User-Agent"]
    assert agent == api_user_agent(SETTINGS) and "desk@example.org" in agent and agent.startswith("factcheck-bot/")


async def test_wikipedia_language_picks_the_edition(apis: SearchApis) -> None:
    async with ApiClient(settings=SETTINGS, timeout_s=5) as client:
        wiki = Wikipedia(client=client, api_url=f"{apis.base_url}/{{lang}}/w/api.php")
        await wiki.search("harbor", language="fi", limit=1)
        await wiki.search("harbor", language="nb-NO", limit=1)
        await wiki.search("harbor", language=None, limit=1)
    assert [seen.path for seen in apis.requests("wikipedia")] == ["/fi/w/api.php", "/no/w/api.php", "/en/w/api.php"]


async def test_wikipedia_error_object_with_status_200_is_a_provider_error(apis: SearchApis) -> None:
    async with ApiClient(settings=SETTINGS, timeout_s=5) as client:
        with pytest.raises(ProviderError, match="missingparam"):
            await Wikipedia(client=client, api_url=f"{apis.base_url}/w/api.php").search(" ", language=None, limit=3)


async def test_fact_check_tools_key_travels_in_a_header_and_ratings_stay_words(apis: SearchApis) -> None:
    async with ApiClient(settings=SETTINGS, timeout_s=5) as client:
        tools = FactCheckTools(client=client, url=f"{apis.base_url}/v1alpha1/claims:search", api_key=apis.google_key)
        reviews = await tools.reviews("city banned bicycles downtown", language="en", limit=5)
        nothing = await tools.reviews("weather on mars", language="en", limit=5)
    (review,) = reviews
    assert review.rating == "False" and review.publisher == "Example Check" and review.site == "examplecheck.org"
    assert review.claimant == "Viral social media post" and review.review_date == "2026-02-13T08:30:00Z"
    assert nothing == []  # the API leaves `claims` out when nothing matches
    seen = apis.requests("fact_check_tools")[0]
    assert "key" not in seen.params and seen.headers["X-Goog-Api-Key"] == apis.google_key
    assert seen.params["languageCode"] == "en"


async def test_fact_check_tools_bad_key_is_reported_without_the_key(apis: SearchApis) -> None:
    async with ApiClient(settings=SETTINGS, timeout_s=5) as client:
        tools = FactCheckTools(client=client, url=f"{apis.base_url}/v1alpha1/claims:search", api_key="AIza-wrong")
        with pytest.raises(ProviderError) as caught:
            await tools.reviews("city banned bicycles", language=None, limit=5)
    assert "HTTP 400" in caught.value.reason and "AIza" not in caught.value.reason


async def test_searxng_json_results_markup_stripped_and_bangs_neutralised(apis: SearchApis) -> None:
    async with ApiClient(settings=SETTINGS, timeout_s=5) as client:
        hits = await SearXNG(client=client, base_url=apis.base_url + "/").search(
            "!g harbor tunnel opened", language="en", limit=5
        )
    (hit,) = hits
    assert (
        hit.title == "Harbor Tunnel turns 28"
        and hit.publisher == "news.example"
        and hit.published == "2026-06-01T00:00:00"
    )
    seen = apis.requests("searxng")[0]
    assert seen.params["q"] == "g harbor tunnel opened" and seen.params["format"] == "json"
    assert seen.headers.get("Accept-Language")  # SearXNG's limiter turns away requests without one


async def test_searxng_no_results_with_unresponsive_engines_is_a_failure(apis: SearchApis) -> None:
    async with ApiClient(settings=SETTINGS, timeout_s=5) as client:
        with pytest.raises(ProviderError, match="no answer from its search engines") as caught:
            await SearXNG(client=client, base_url=apis.base_url).search("weather on mars", language=None, limit=5)
    assert caught.value.this_query_only  # the instance works; its engines had nothing for this query


async def test_brave_token_header_and_invalid_token(apis: SearchApis) -> None:
    async with ApiClient(settings=SETTINGS, timeout_s=5) as client:
        url = f"{apis.base_url}/res/v1/web/search"
        hits = await Brave(client=client, url=url, api_key=apis.brave_key).search(
            "harbor tunnel opened", language="ja", limit=5
        )
        with pytest.raises(ProviderError, match="refused the key"):
            await Brave(client=client, url=url, api_key="wrong").search("harbor tunnel", language=None, limit=5)
    assert [hit.publisher for hit in hits] == ["Example News"]
    seen = apis.requests("brave")[0]
    assert seen.headers["X-Subscription-Token"] == apis.brave_key and "wrong" not in str(
        apis.requests("brave")[1].params
    )
    assert seen.params["search_lang"] == "jp" and seen.params["text_decorations"] == "0"


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (Fault("status", status=500), "server error (HTTP 500)"),
        (Fault("status", status=503), "server error (HTTP 503)"),
        (Fault("garbage"), "not its JSON"),
        (Fault("shape"), "not its JSON"),
        (Fault("rate_limited"), "rate limit (HTTP 429)"),
    ],
)
async def test_faults_become_one_short_reason(apis: SearchApis, fault: Fault, reason: str) -> None:
    for provider in ("wikipedia", "searxng", "brave"):
        apis.fail(provider, fault)
    async with ApiClient(settings=SETTINGS, timeout_s=5) as client:
        for search in (
            Wikipedia(client=client, api_url=f"{apis.base_url}/w/api.php").search,
            SearXNG(client=client, base_url=apis.base_url).search,
            Brave(client=client, url=f"{apis.base_url}/res/v1/web/search", api_key=apis.brave_key).search,
        ):
            with pytest.raises(ProviderError, match=reason.replace("(", r"\(").replace(")", r"\)")):
                await search("harbor tunnel", language=None, limit=3)
    tries = 2 if fault.kind == "status" else 1  # a 5xx is tried once more, nothing else is
    assert len(apis.requests("wikipedia")) == tries


async def test_a_provider_that_hangs_times_out(apis: SearchApis) -> None:
    apis.fail("wikipedia", Fault("hang", seconds=5))
    async with ApiClient(settings=SETTINGS, timeout_s=0.3) as client:
        with pytest.raises(ProviderError, match="did not answer in time"):
            await Wikipedia(client=client, api_url=f"{apis.base_url}/w/api.php").search(
                "harbor", language=None, limit=3
            )
