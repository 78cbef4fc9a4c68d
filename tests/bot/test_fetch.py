"""The guarded fetcher end to end, over real HTTP on loopback: SSRF, redirects, retries.

SSRF cases (security-and-reliability.md §1.4 A-J) assert that nothing was
requested and no TCP connect was even attempted. The test server stands in
for a public site through an explicit allowlist policy (its exact ip:port),
never by weakening the default policy. Size, time, type and charset limits
(§2) are in test_fetch_limits.py.
"""

from __future__ import annotations

import dataclasses
import socket
import time

import httpx
import pytest

from bot.config import Settings
from bot.fetch import FetchedPage, fetch_page
from bot.netguard import AddressPolicy
from bot.outcome import Outcome
from tests.servers.article_server import ArticleServer, black_hole, respond, sequence
from tests.support.fetch_harness import ARTICLE, FakeResolver, allow, refused

# --- the happy path ---------------------------------------------------------------


async def test_fetches_article_bytes_with_headers(server: ArticleServer, strict: Settings) -> None:
    page = await fetch_page(server.url("/article"), settings=strict, policy=allow(server))
    assert page == FetchedPage(
        url=server.url("/article"),
        final_url=server.url("/article"),
        status=200,
        content_type="text/html",
        charset="utf-8",
        body=ARTICLE,
        redirects=(),
    )
    sent = server.requests[0].headers
    assert sent["User-Agent"] == strict.user_agent
    assert "text/html" in sent["Accept"]
    assert sent["Accept-Encoding"] == "gzip, deflate"


async def test_allow_private_setting_reaches_loopback(server: ArticleServer, settings: Settings) -> None:
    page = await fetch_page(server.url("/article"), settings=settings)
    assert page.body == ARTICLE


# --- §1.4 A-C: literal addresses, refused before any connect ------------------------

BLOCKED_LITERALS = [
    # A. IPv4 encodings
    "127.0.0.1",
    "127.1",
    "127.0.1",
    "127.127.127.127",
    "2130706433",
    "3232235777",
    "017700000001",
    "0x7f000001",
    "0x7f.1",
    "0x7f.0.0.1",
    "0xc0a80014",
    "0x0000007f.0x00000000.0x00000000.0x00000001",
    "0177.0x0.0x0.0x1",
    "0",
    "1",
    "0.0.0.0",
    # B. IPv4 ranges
    "10.0.0.1",
    *[f"172.{n}.0.1" for n in range(16, 32)],
    "192.168.0.1",
    "169.254.169.254",
    "169.254.1.1",
    "100.64.0.1",
    "100.100.100.200",
    "192.0.0.1",
    "192.0.2.1",
    "198.18.0.1",
    "198.51.100.1",
    "203.0.113.1",
    "224.0.0.1",
    "227.1.1.1",
    "240.0.0.1",
    "255.255.255.255",
    "192.88.99.1",
    # C. IPv6, mapped, NAT64, 6to4, Teredo
    "[::1]",
    "[::]",
    "[0000::1]",
    "[fe80::1]",
    "[fec0::1]",
    "[fc00::1]",
    "[fdd7:b450:d4d1:6b44::1]",
    "[2001:db8::1]",
    "[fd00:ec2::254]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[::ffff:a00:1]",
    "[::ffff:c0a8:1]",
    "[::ffff:ac10:1]",
    "[::ffff:169.254.169.254]",
    "[::ffff:0.0.0.0]",
    "[0:0:0:0:0:ffff:7f00:1]",
    "[64:ff9b::7f00:1]",
    "[64:ff9b::a00:1]",
    "[64:ff9b::192.168.2.1]",
    "[2002:c0a8:ffff::]",
    "[2002:a9fe:a9fe::]",
    "[2001:0:4136:e378:8000:63bf:3f57:fdf2]",
]


@pytest.mark.parametrize(
    "url",
    [f"http://{host}/latest/meta-data/" for host in BLOCKED_LITERALS]
    + [f"https://{host}/" for host in ("127.1", "[::1]", "169.254.169.254", "0x7f.1")],
)
async def test_private_literal_blocked_without_connect(url: str, strict: Settings, connects: list) -> None:
    resolver = FakeResolver({})
    error = await refused(url, settings=strict, resolver=resolver)
    assert error.outcome is Outcome.BLOCKED_URL
    assert resolver.calls == [] and connects == []


@pytest.mark.parametrize(
    "url", ["http://0177.0.0.1/", "http://0.0.0.0:8080/", "http://1.2.3.4.5/", "http://[fe80::1%25eth0]/"]
)
async def test_malformed_or_bad_port_literal_invalid(url: str, strict: Settings, connects: list) -> None:
    error = await refused(url, settings=strict, resolver=FakeResolver({}))
    assert error.outcome is Outcome.INVALID_URL
    assert connects == []


async def test_literal_of_the_test_server_blocked_by_default_policy(
    server: ArticleServer, strict: Settings, connects: list
) -> None:
    # Same URL that succeeds under the allowlist: only the policy differs.
    error = await refused(server.url("/article"), settings=strict)
    assert error.outcome is Outcome.INVALID_URL  # port not 80/443
    assert server.hits() == 0 and connects == []


# --- §1.4 D: host names and DNS answers ---------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "localhost",
        "LOCALHOST.",
        "foo.localhost",
        "localdomain",
        "metadata.google.internal",
        "metadata.google.internal.",
        "intranet",
        "printer.local",
        "router.home.arpa",
    ],
)
async def test_internal_names_refused_before_lookup(
    name: str, server: ArticleServer, strict: Settings, connects: list
) -> None:
    # Even when "DNS" points at the allowlisted server, the name alone is refused.
    resolver = FakeResolver({name.lower().rstrip("."): [["127.0.0.1"]]})
    error = await refused(
        f"http://{name}:{server.port}/article", settings=strict, policy=allow(server), resolver=resolver
    )
    assert error.outcome is Outcome.BLOCKED_URL
    assert resolver.calls == [] and server.hits() == 0 and connects == []


@pytest.mark.parametrize(
    "answers", [["192.168.10.1"], ["10.0.0.1", "169.254.169.254", "::1"], ["::ffff:127.0.0.2"], ["not-an-ip"]]
)
async def test_name_resolving_to_private_blocked(answers: list[str], strict: Settings, connects: list) -> None:
    resolver = FakeResolver({"news.example": [answers]})
    error = await refused("http://news.example/a", settings=strict, resolver=resolver)
    assert error.outcome is Outcome.BLOCKED_URL
    assert "192.168" not in error.user_message and "10.0" not in error.user_message  # no internal DNS leak
    assert resolver.calls == ["news.example"] and connects == []


async def test_mixed_answers_connect_only_to_the_vetted_one(
    server: ArticleServer, strict: Settings, connects: list
) -> None:
    resolver = FakeResolver({"news.example": [["0.0.0.0", "127.0.0.1", "10.1.1.1"]]})
    page = await fetch_page(
        f"http://news.example:{server.port}/article", settings=strict, policy=allow(server), resolver=resolver
    )
    assert page.body == ARTICLE
    assert connects == [("127.0.0.1", server.port)]
    assert server.requests[0].headers["Host"] == f"news.example:{server.port}"


async def test_resolver_error_is_dns_failed_without_fallback(strict: Settings, connects: list) -> None:
    resolver = FakeResolver({"gone.example": socket.gaierror(socket.EAI_NONAME, "unknown")})
    error = await refused("https://gone.example/a", settings=strict, resolver=resolver)
    assert error.outcome is Outcome.DNS_FAILED
    assert resolver.calls == ["gone.example"] and connects == []


async def test_empty_dns_answer_is_dns_failed(strict: Settings) -> None:
    error = await refused("https://empty.example/a", settings=strict, resolver=FakeResolver({"empty.example": [[]]}))
    assert error.outcome is Outcome.DNS_FAILED


async def test_idn_requested_as_punycode(server: ArticleServer, strict: Settings) -> None:
    resolver = FakeResolver({"example.xn--fiqs8s": [["127.0.0.1"]]})
    page = await fetch_page(
        f"http://example.中国:{server.port}/article", settings=strict, policy=allow(server), resolver=resolver
    )
    assert page.body == ARTICLE
    assert resolver.calls == ["example.xn--fiqs8s"]
    assert server.requests[0].headers["Host"] == f"example.xn--fiqs8s:{server.port}"


async def test_embedded_nul_rejected(strict: Settings, connects: list) -> None:
    error = await refused("http://foo.example.com\x00.evil/", settings=strict, resolver=FakeResolver({}))
    assert error.outcome is Outcome.INVALID_URL and connects == []


# --- §1.4 E: rebinding, connection reuse, proxies ------------------------------------


async def test_rebinding_uses_the_single_vetted_answer(server: ArticleServer, strict: Settings, connects: list) -> None:
    with ArticleServer("127.0.0.2", port=server.port) as internal:
        internal.add("/article", b"<html>internal admin</html>")
        resolver = FakeResolver({"news.example": [["127.0.0.1"], ["127.0.0.2"]]})
        page = await fetch_page(
            f"http://news.example:{server.port}/article", settings=strict, policy=allow(server), resolver=resolver
        )
        assert page.body == ARTICLE
        assert resolver.calls == ["news.example"]  # one lookup; httpx never resolved the name itself
        assert connects == [("127.0.0.1", server.port)]
        assert internal.hits() == 0


async def test_each_fetch_uses_a_fresh_connection(server: ArticleServer, strict: Settings) -> None:
    async with httpx.AsyncClient() as unguarded:  # leaves a keep-alive connection open
        assert (await unguarded.get(server.url("/article"))).status_code == 200
        await fetch_page(server.url("/article"), settings=strict, policy=allow(server))
        await fetch_page(server.url("/article"), settings=strict, policy=allow(server))
    ports = [r.client_port for r in server.requests]
    assert len(ports) == 3 and len(set(ports)) == 3


async def test_proxy_environment_ignored(
    server: ArticleServer, strict: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ArticleServer() as proxy:
        proxy.add("/article", b"<html>from the proxy</html>")
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
            monkeypatch.setenv(name, proxy.url("/"))
        monkeypatch.setenv("NO_PROXY", "")
        page = await fetch_page(server.url("/article"), settings=strict, policy=allow(server))
        assert page.body == ARTICLE
        assert proxy.hits() == 0 and server.hits() == 1


# --- §1.4 F: redirects -------------------------------------------------------------

REDIRECT_TARGETS = [
    ("http://127.0.0.1/", Outcome.BLOCKED_URL),
    ("http://localhost/", Outcome.BLOCKED_URL),
    ("http://127.0.0.100/", Outcome.BLOCKED_URL),
    ("http://user:pass@127.0.0.100/", Outcome.INVALID_URL),
    ("http://[::1]/", Outcome.BLOCKED_URL),
    ("http://2130706433/", Outcome.BLOCKED_URL),
    ("http://169.254.169.254/latest/meta-data/", Outcome.BLOCKED_URL),
    ("file:///etc/passwd", Outcome.INVALID_URL),
    ("gopher://127.0.0.1:6379/_", Outcome.INVALID_URL),
    ("ftp://example.com/", Outcome.INVALID_URL),
    ("http://127.0.0.1:80\\@evil.com/", Outcome.INVALID_URL),
]


@pytest.mark.parametrize(("target", "outcome"), REDIRECT_TARGETS)
async def test_redirect_to_private_blocked_at_the_hop(
    target: str, outcome: Outcome, server: ArticleServer, strict: Settings, connects: list
) -> None:
    server.add("/go", status=302, headers={"Location": target})
    resolver = FakeResolver({"localhost": [["127.0.0.1"]], "example.com": [["127.0.0.1"]]})
    error = await refused(server.url("/go"), settings=strict, policy=allow(server), resolver=resolver)
    assert error.outcome is outcome
    assert server.hits() == 1 and resolver.calls == []
    assert set(connects) == {("127.0.0.1", server.port)}


async def test_redirect_to_private_server_gets_no_request(
    server: ArticleServer, strict: Settings, connects: list
) -> None:
    with ArticleServer("127.0.0.2", port=server.port) as internal:
        internal.add("/secret", b"<html>secret</html>")
        for path, location in [("/abs", internal.url("/secret")), ("/rel", f"//127.0.0.2:{server.port}/secret")]:
            server.add(path, status=302, headers={"Location": location})
            error = await refused(server.url(path), settings=strict, policy=allow(server))
            assert error.outcome is Outcome.BLOCKED_URL
        assert internal.hits() == 0
        assert ("127.0.0.2", server.port) not in connects


async def test_redirect_hop_resolves_through_dns_again(server: ArticleServer, strict: Settings) -> None:
    server.add("/go", status=302, headers={"Location": f"http://cdn.example:{server.port}/article"})
    resolver = FakeResolver({"news.example": [["127.0.0.1"]], "cdn.example": [["10.0.0.7"]]})
    error = await refused(
        f"http://news.example:{server.port}/go", settings=strict, policy=allow(server), resolver=resolver
    )
    assert error.outcome is Outcome.BLOCKED_URL
    assert resolver.calls == ["news.example", "cdn.example"] and server.hits("/article") == 0


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirects_to_allowed_host_followed(status: int, server: ArticleServer, strict: Settings) -> None:
    server.add("/old", status=status, headers={"Location": f"http://cdn.example:{server.port}/article"})
    resolver = FakeResolver({"news.example": [["127.0.0.1"]], "cdn.example": [["127.0.0.1"]]})
    start = f"http://news.example:{server.port}/old"
    page = await fetch_page(start, settings=strict, policy=allow(server), resolver=resolver)
    assert page.url == start and page.body == ARTICLE
    assert page.final_url == f"http://cdn.example:{server.port}/article"
    assert page.redirects == (page.final_url,)
    assert resolver.calls == ["news.example", "cdn.example"]


async def test_relative_location_resolved_and_followed(server: ArticleServer, strict: Settings) -> None:
    server.add("/a/b", status=302, headers={"Location": "../article"})
    page = await fetch_page(server.url("/a/b"), settings=strict, policy=allow(server))
    assert page.final_url == server.url("/article") and page.body == ARTICLE


async def test_redirect_loop_stops(server: ArticleServer, strict: Settings) -> None:
    server.add("/loop", status=302, headers={"Location": "/loop"})
    error = await refused(server.url("/loop"), settings=strict, policy=allow(server))
    assert error.outcome is Outcome.TOO_MANY_REDIRECTS
    assert server.hits("/loop") == strict.max_redirects + 1


async def test_exactly_max_redirects_allowed(server: ArticleServer, strict: Settings) -> None:
    limit = strict.max_redirects
    for n in range(limit):
        server.add(f"/hop{n}", status=301, headers={"Location": f"/hop{n + 1}" if n + 1 < limit else "/article"})
    page = await fetch_page(server.url("/hop0"), settings=strict, policy=allow(server))
    assert len(page.redirects) == limit and page.body == ARTICLE


async def test_redirect_without_location(server: ArticleServer, strict: Settings) -> None:
    server.add("/nowhere", status=302)
    error = await refused(server.url("/nowhere"), settings=strict, policy=allow(server))
    assert error.outcome is Outcome.HTTP_ERROR and "302" in (error.detail or "")


# --- §1.4 G-J: schemes, userinfo, ports, self ----------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "gopher://example.com/",
        "dict://example.com:11211/",
        "data:text/html,<h1>x</h1>",
        "javascript:alert(1)",
        "ws://example.com/",
        "eviltrout.com",
        "asdf",
        "",
        "/x.jpg",
        "http://user:pass@example.com/",
        "http://evil.com@127.0.0.1/",
        "http://127.0.0.1:80\\@evil.com/",
        "http://example.com:21/",
        "http://example.com:22/",
        "http://example.com:25/",
        "http://example.com:6379/",
        "http://example.com:8000/",
        "https://example.com:8443/",
        "http:///nohost",
        "http://exa mple.com/",
    ],
)
async def test_bad_shapes_invalid_without_lookup(url: str, strict: Settings, connects: list) -> None:
    resolver = FakeResolver({"example.com": [["93.184.216.34"]], "evil.com": [["93.184.216.34"]]})
    error = await refused(url, settings=strict, resolver=resolver)
    assert error.outcome is Outcome.INVALID_URL
    assert resolver.calls == [] and connects == []


async def test_fragment_userinfo_trick_blocked(strict: Settings, connects: list) -> None:
    error = await refused("http://127.0.0.1#@evil.com/", settings=strict, resolver=FakeResolver({}))
    assert error.outcome is Outcome.BLOCKED_URL and connects == []


async def test_own_address_and_name_denied(server: ArticleServer, strict: Settings) -> None:
    own = strict.replace(fetch_deny=("127.0.0.1", "bot.example.org"))
    policy = dataclasses.replace(
        AddressPolicy.from_settings(own), allowed_endpoints=frozenset({(server.host, server.port)})
    )
    resolver = FakeResolver({"news.example": [["127.0.0.1"]], "bot.example.org": [["127.0.0.1"]]})
    for url in (
        server.url("/article"),
        f"http://news.example:{server.port}/article",
        f"http://api.bot.example.org:{server.port}/article",
    ):
        error = await refused(url, settings=own, policy=policy, resolver=resolver)
        assert error.outcome is Outcome.BLOCKED_URL
    assert server.hits() == 0


# --- status codes and retries --------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (404, Outcome.HTTP_ERROR),
        (410, Outcome.HTTP_ERROR),
        (400, Outcome.HTTP_ERROR),
        (401, Outcome.PAYWALL),
        (402, Outcome.PAYWALL),
        (403, Outcome.PAYWALL),
        (204, Outcome.HTTP_ERROR),
    ],
)
async def test_error_statuses_not_retried(
    status: int, outcome: Outcome, server: ArticleServer, strict: Settings
) -> None:
    server.add("/x", b"<html>no</html>", status=status)
    error = await refused(server.url("/x"), settings=strict, policy=allow(server))
    assert error.outcome is outcome and error.detail == f"HTTP {status}"
    assert server.hits("/x") == 1


async def test_503_twice_then_success(server: ArticleServer, strict: Settings) -> None:
    server.add("/flaky", handler=sequence(respond(503), respond(503), respond(200, ARTICLE)))
    page = await fetch_page(server.url("/flaky"), settings=strict, policy=allow(server))
    assert page.body == ARTICLE and server.hits("/flaky") == 3


async def test_503_three_times_fails_after_exactly_three(server: ArticleServer, strict: Settings) -> None:
    server.add("/down", status=503)
    error = await refused(server.url("/down"), settings=strict, policy=allow(server))
    assert error.outcome is Outcome.HTTP_ERROR and error.detail == "HTTP 503"
    assert server.hits("/down") == strict.fetch_attempts == 3


async def test_429_retry_after_honoured(server: ArticleServer, strict: Settings) -> None:
    server.add("/busy", handler=sequence(respond(429, headers={"Retry-After": "1"}), respond(200, ARTICLE)))
    started = time.monotonic()
    page = await fetch_page(server.url("/busy"), settings=strict, policy=allow(server))
    assert page.body == ARTICLE and server.hits("/busy") == 2
    assert time.monotonic() - started >= 0.9  # waited as asked, not the short backoff


@pytest.mark.parametrize("retry_after", ["100", "Wed, 21 Oct 2099 07:28:00 GMT"])
async def test_429_retry_after_past_deadline_gives_up_now(
    retry_after: str, server: ArticleServer, strict: Settings
) -> None:
    server.add("/busy", status=429, headers={"Retry-After": retry_after})
    started = time.monotonic()
    error = await refused(server.url("/busy"), settings=strict, policy=allow(server))
    assert error.outcome is Outcome.HTTP_ERROR and error.detail == "HTTP 429"
    assert server.hits("/busy") == 1 and time.monotonic() - started < strict.fetch_timeout_s


async def test_connection_refused_retried_then_fetch_failed(strict: Settings, connects: list) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    resolver = FakeResolver({"down.example": [["127.0.0.1"]]})
    error = await refused(
        f"http://down.example:{port}/",
        settings=strict,
        policy=AddressPolicy.allowing(("127.0.0.1", port)),
        resolver=resolver,
    )
    assert error.outcome is Outcome.FETCH_FAILED
    assert connects.count(("127.0.0.1", port)) == 3 and len(resolver.calls) == 3


async def test_black_holed_first_answer_falls_over_to_second(server: ArticleServer, connects: list) -> None:
    settings = Settings.from_env({}).replace(fetch_timeout_s=3.0)  # connect timeout 1 s
    policy = AddressPolicy.allowing(("127.0.0.2", server.port), ("127.0.0.1", server.port))
    resolver = FakeResolver({"news.example": [["127.0.0.2", "127.0.0.1"]]})
    with black_hole("127.0.0.2", server.port):
        page = await fetch_page(
            f"http://news.example:{server.port}/article", settings=settings, policy=policy, resolver=resolver
        )
    assert page.body == ARTICLE
    assert [c for c in connects if c[1] == server.port][-2:] == [("127.0.0.2", server.port), ("127.0.0.1", server.port)]
