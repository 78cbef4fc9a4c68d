"""Hostile fetch cases of issue 12: unusable redirects, platform addresses, internationalised hosts.

Over real HTTP on loopback, like tests/bot/test_fetch.py: the test server stands in for a public
site through an explicit allowlist policy, and a scripted resolver names it.
"""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.fetch import fetch_page
from bot.netguard import PLATFORM_HOSTS, PLATFORM_NETWORKS, AddressPolicy, validate_url
from bot.outcome import Outcome
from tests.servers.article_server import ArticleServer
from tests.support.fetch_harness import ARTICLE, FakeResolver, allow, refused

# --- a redirect to something that is not an http(s) link ------------------------------


@pytest.mark.parametrize(
    "location",
    [
        "data:text/html,<script>alert(1)</script>",
        "javascript:alert(document.cookie)",
        "mailto:editor@paper.example",
        "http:host",
        "http:/x",
        "https:",
        "http://",
        "http://[::1",
        "file:///etc/passwd",
    ],
)
async def test_unusable_redirect_is_invalid_url(location: str, server: ArticleServer, strict: Settings) -> None:
    server.add("/go", status=302, headers={"Location": location})
    error = await refused(server.url("/go"), settings=strict, policy=allow(server))
    assert error.outcome is Outcome.INVALID_URL, (location, error)
    assert error.outcome.is_target_problem  # the command line exits 3
    assert server.hits("/go") == 1 and server.hits() == 1  # nothing requested after it


# --- cloud metadata and platform addresses --------------------------------------------


@pytest.mark.parametrize("address", ["168.63.129.16", "169.254.169.254", "100.100.100.200", "192.0.0.192"])
async def test_platform_addresses_refused_without_connect(address: str, strict: Settings, connects: list) -> None:
    error = await refused(f"http://{address}/machine?comp=goalstate", settings=strict, resolver=FakeResolver({}))
    assert error.outcome is Outcome.BLOCKED_URL and connects == []
    resolver = FakeResolver({"wire.example": [[address]]})
    error = await refused("http://wire.example/", settings=strict, resolver=resolver)
    assert error.outcome is Outcome.BLOCKED_URL and connects == []


async def test_platform_addresses_refused_even_with_private_urls_allowed(settings: Settings, connects: list) -> None:
    assert settings.allow_private_urls
    for url in ("http://168.63.129.16/", "http://[fd00:ec2::254]/latest/meta-data/", "http://metadata.goog/"):
        error = await refused(url, settings=settings, resolver=FakeResolver({}))
        assert error.outcome is Outcome.BLOCKED_URL, url
    assert connects == []


def test_the_platform_list_is_what_the_readme_documents() -> None:
    policy = AddressPolicy.public()
    assert all(not policy.allows_address(net.network_address, 80) for net in PLATFORM_NETWORKS)
    assert all(not policy.allows_hostname(name) for name in PLATFORM_HOSTS)
    assert policy.allows_address("168.63.129.17", 80)  # the neighbour is an ordinary public address


# --- internationalised host names -------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "ascii_host"),
    [
        ("bücher.example", "xn--bcher-kva.example"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("例え.jp", "xn--r8jz45g.jp"),
    ],
)
async def test_internationalised_hosts_are_fetched(
    host: str, ascii_host: str, server: ArticleServer, strict: Settings
) -> None:
    assert validate_url(f"http://{host}/a").raw_host == ascii_host.encode()
    resolver = FakeResolver({ascii_host: [["127.0.0.1"]]})
    page = await fetch_page(
        f"http://{host}:{server.port}/article", settings=strict, policy=allow(server), resolver=resolver
    )
    assert page.body == ARTICLE
    assert resolver.calls == [ascii_host]
    assert server.requests[0].headers["Host"] == f"{ascii_host}:{server.port}"


async def test_redirect_to_an_internationalised_host_is_followed(server: ArticleServer, strict: Settings) -> None:
    server.add("/go", status=301, headers={"Location": f"http://bücher.example:{server.port}/article"})
    resolver = FakeResolver({"shop.example": [["127.0.0.1"]], "xn--bcher-kva.example": [["127.0.0.1"]]})
    page = await fetch_page(
        f"http://shop.example:{server.port}/go", settings=strict, policy=allow(server), resolver=resolver
    )
    assert page.body == ARTICLE and page.final_url == f"http://xn--bcher-kva.example:{server.port}/article"


def test_denied_names_match_in_either_form() -> None:
    policy = AddressPolicy.from_settings(Settings.from_env({"FACTCHECK_FETCH_DENY": "bücher.example"}))
    assert not policy.allows_hostname("xn--bcher-kva.example") and not policy.allows_hostname("www.bücher.example")
