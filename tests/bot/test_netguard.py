"""URL validation, the address policy, the one lookup and the pinned connection.

End-to-end refusals (nothing requested, nothing connected) are in test_fetch.py;
these tests pin down each decision on its own, plus TLS through the pinned
backend (SNI and certificate checked against the name, not the IP).
"""

from __future__ import annotations

import ipaddress
import shutil
import ssl
import subprocess
from pathlib import Path

import httpcore
import httpx
import pytest

from bot.config import Settings
from bot.fetch import fetch_page, guarded_transport
from bot.netguard import (
    AddressPolicy,
    PinnedBackend,
    Target,
    is_public_address,
    literal_address,
    system_resolver,
    validate_url,
    vet,
)
from bot.outcome import CheckError, Outcome
from tests.servers.article_server import ArticleServer

PUBLIC = AddressPolicy.public()


def ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    return ipaddress.ip_address(text)


# --- is_public_address: §1.4 B and C, and the §1.3 predicate pitfalls ---------------


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.0.1",
        "127.0.0.1",
        "127.255.255.254",
        "0.0.0.0",
        "0.1.2.3",
        "169.254.169.254",
        "100.64.0.1",
        "100.100.100.200",
        "100.127.255.255",
        "192.0.0.1",
        "192.0.2.1",
        "198.18.0.1",
        "198.19.255.255",
        "198.51.100.1",
        "203.0.113.1",
        "224.0.0.1",
        "227.1.1.1",
        "240.0.0.1",
        "255.255.255.255",
        "192.88.99.1",
        "192.31.196.1",
        "192.52.193.1",
        "192.175.48.1",
        "::1",
        "::",
        "fe80::1",
        "fec0::1",
        "fc00::1",
        "fdd7:b450:d4d1:6b44::1",
        "2001:db8::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "::ffff:a00:1",
        "::ffff:c0a8:1",
        "::ffff:ac10:1",
        "::ffff:169.254.169.254",
        "::ffff:0.0.0.0",
        "::ffff:100.64.0.1",
        "64:ff9b::7f00:1",
        "64:ff9b::a00:1",
        "64:ff9b::192.168.2.1",
        "64:ff9b::169.254.169.254",
        "64:ff9b:1::8.8.8.8",
        "2002:c0a8:ffff::",
        "2002:a9fe:a9fe::",
        "2002:808:808::1",  # 6to4 of a public IPv4: still refused (deprecated, relayed anywhere)
        "2001:0:4136:e378:8000:63bf:3f57:fdf2",
        "2001::1",
        "::127.0.0.1",
        "ff02::1",
        "100::1",
        "3fff::1",
        "fe80::1%eth0",
    ],
)
def test_non_public_addresses(address: str) -> None:
    assert not is_public_address(ip(address))


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "93.184.216.34",
        "52.52.167.244",
        "::ffff:52.52.167.244",
        "2001:470:1:3a8::251",
        "2607:f8b0:400a:807::200e",
        "64:ff9b::8.8.8.8",
        "1.1.1.1",
        "100.63.255.255",
        "100.128.0.1",
        "172.32.0.1",
        "198.20.0.1",
    ],
)
def test_public_addresses(address: str) -> None:
    assert is_public_address(ip(address))


def test_predicates_alone_would_let_these_through() -> None:
    # Why the explicit lists exist (security-and-reliability.md §1.3).
    assert not ip("100.64.0.1").is_private and not is_public_address(ip("100.64.0.1"))
    assert ip("64:ff9b::7f00:1").is_global and not is_public_address(ip("64:ff9b::7f00:1"))
    assert ip("2002:a9fe:a9fe::").is_global and not is_public_address(ip("2002:a9fe:a9fe::"))
    assert ip("192.88.99.1").is_global and not is_public_address(ip("192.88.99.1"))


# --- validate_url: §1.4 A, G, H, I -------------------------------------------------


def test_validate_returns_the_url_to_request() -> None:
    url = validate_url("  HTTPS://News.Example.com/a/b?c=1#frag  ")
    assert isinstance(url, httpx.URL)
    assert (url.scheme, url.host, url.path, url.query) == ("https", "news.example.com", "/a/b", b"c=1")


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com:80/",
        "https://example.com:443/",
        "http://example.com./",
        "https://sub_domain.example.com/",
        "http://93.184.216.34/",
        "http://[2607:f8b0:400a:807::200e]/",
    ],
)
def test_validate_accepts(url: str) -> None:
    assert validate_url(url).host


def test_validate_idn_to_punycode() -> None:
    assert validate_url("http://example.中国/").raw_host == b"example.xn--fiqs8s"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_",
        "dict://a.example/",
        "data:text/html,x",
        "javascript:alert(1)",
        "ws://example.com/",
        "wss://example.com/",
        "eviltrout.com",
        "asdf",
        "",
        "   ",
        "/x.jpg",
        "//example.com/x",
        "http://user:pass@example.com/",
        "http://user@example.com/",
        "http://evil.com@127.0.0.1/",
        "http://127.0.0.1:80\\@evil.com/",
        "http://example.com\\@evil.com/",
        "http://foo.example.com\x00.evil/",
        "http://exa mple.com/",
        "http://example.com/\r\nX: y",
        "http:///nohost",
        "http://-bad-.example/",
        "http://example.com:21/",
        "http://example.com:22/",
        "http://example.com:25/",
        "http://example.com:6379/",
        "http://example.com:8000/",
        "https://example.com:8443/",
        "http://example.com:0/",
        "http://0177.0.0.1/",
        "http://1.2.3.4.5/",
        "http://256.1.1.1/",
        "http://0x/",
        "http://[fe80::1%25eth0]/",
        "http://" + "a" * 5000 + ".com/",
        42,
    ],
)
def test_validate_rejects(url: object) -> None:
    with pytest.raises(CheckError) as caught:
        validate_url(url)  # type: ignore[arg-type]
    assert caught.value.outcome is Outcome.INVALID_URL
    assert caught.value.detail


def test_any_port_under_permissive_policy() -> None:
    assert validate_url("http://localhost:8000/", policy=AddressPolicy(allow_private=True)).port == 8000
    assert validate_url("http://127.0.0.1:3000/", policy=AddressPolicy.allowing(("127.0.0.1", 3000))).port == 3000


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0177.0x0.0x0.0x1", "127.0.0.1"),
        ("3232235777", "192.168.1.1"),
        ("0xc0a80014", "192.168.0.20"),
        ("0", "0.0.0.0"),
        ("1", "0.0.0.1"),
        ("0x0000007f.0x00000000.0x00000000.0x00000001", "127.0.0.1"),
        ("[::ffff:7f00:1]", "::ffff:127.0.0.1"),
    ],
)
def test_numeric_shorthands_are_addresses_not_names(host: str, address: str) -> None:
    assert literal_address(validate_url(f"http://{host}/")) == ip(address)


def test_names_are_not_literals() -> None:
    assert literal_address(httpx.URL("http://1e3.example.com/")) is None
    assert literal_address(httpx.URL("http://news.example/")) is None


# --- AddressPolicy ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("localhost", False),
        ("LOCALHOST.", False),
        ("foo.localhost", False),
        ("localdomain", False),
        ("metadata.google.internal", False),
        ("metadata.google.internal.", False),
        ("anything.internal", False),
        ("nas.local", False),
        ("router.home.arpa", False),
        ("intranet", False),
        ("wiki", False),
        ("localhost.example.com", True),
        ("notlocalhost.com", True),
        ("internal.example.org", True),
        ("news.example.com", True),
        ("example.com.evil", True),
    ],
)
def test_host_names(name: str, allowed: bool) -> None:
    assert PUBLIC.allows_hostname(name) is allowed


def test_denied_host_is_label_wise() -> None:
    policy = AddressPolicy(denied_hosts=("example.com",))
    assert not policy.allows_hostname("example.com") and not policy.allows_hostname("www.example.com")
    assert policy.allows_hostname("example.com.evil") and policy.allows_hostname("notexample.com")


def test_ports() -> None:
    assert PUBLIC.allows_port(80) and PUBLIC.allows_port(443)
    assert not any(PUBLIC.allows_port(p) for p in (21, 22, 25, 6379, 8000, 8080, 8443))
    assert AddressPolicy(allow_private=True).allows_port(8000)


def test_allowlist_is_exact() -> None:
    policy = AddressPolicy.allowing(("127.0.0.1", 8123))
    assert policy.allows_address("127.0.0.1", 8123)
    assert policy.allows_address("::ffff:127.0.0.1", 8123)  # same endpoint, mapped form
    assert not policy.allows_address("127.0.0.1", 8124)
    assert not policy.allows_address("127.0.0.2", 8123)
    assert not policy.allows_address("10.0.0.1", 80)
    assert not policy.allows_address("8.8.8.8", 8123)  # the extra port is not opened to the world
    assert policy.allows_address("8.8.8.8", 443)
    assert policy.allows_port(8123) and not policy.allows_port(8124)


def test_permissive_policy_and_denials() -> None:
    permissive = AddressPolicy(allow_private=True)
    assert permissive.allows_address("127.0.0.1", 8000) and permissive.allows_hostname("localhost")
    settings = Settings.from_env(
        {"FACTCHECK_ALLOW_PRIVATE_URLS": "1", "FACTCHECK_FETCH_DENY": "203.0.114.7, 2001:db9::/32, bot.example.org."}
    )
    policy = AddressPolicy.from_settings(settings)
    assert policy.allow_private
    assert not policy.allows_address("203.0.114.7", 443)  # denial beats allow_private
    assert not policy.allows_address("::ffff:203.0.114.7", 443)
    assert not policy.allows_address("2001:db9::1", 443)
    assert not policy.allows_hostname("BOT.example.org") and not policy.allows_hostname("x.bot.example.org")
    assert policy.allows_address("203.0.114.8", 443)


def test_default_policy_from_settings_is_public_only() -> None:
    policy = AddressPolicy.from_settings(Settings.from_env({}))
    assert not policy.allow_private and not policy.allows_address("127.0.0.1", 80)


def test_ipv4_denial_does_not_leak_into_ipv6() -> None:
    # ``in`` across versions compares raw integers; a v4 deny-all must not match ::1-style ints.
    policy = AddressPolicy(denied_networks=(ipaddress.ip_network("0.0.0.0/1"),))
    assert policy.allows_address("2607:f8b0:400a:807::200e", 443)
    assert not policy.allows_address("::ffff:8.8.8.8", 443)


# --- vet: resolve once, keep only vetted answers -----------------------------------


class CountingResolver:
    def __init__(self, answers: list[str]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        return self.answers


async def test_vet_keeps_only_allowed_answers_in_order() -> None:
    resolver = CountingResolver(["127.0.0.1", "2.2.2.2", "fe80::1", "1.1.1.1"])
    target = await vet(validate_url("https://news.example/a"), policy=PUBLIC, resolver=resolver)
    assert target.addresses == ("2.2.2.2", "1.1.1.1")
    assert (target.host, target.port) == ("news.example", 443)
    assert resolver.calls == [("news.example", 443)]


async def test_vet_strips_scope_and_ignores_garbage_answers() -> None:
    resolver = CountingResolver(["bogus", "fe80::1%eth0", "2607:f8b0:400a:807::200e"])
    target = await vet(validate_url("http://news.example/"), policy=PUBLIC, resolver=resolver)
    assert target.addresses == ("2607:f8b0:400a:807::200e",)


async def test_vet_literal_skips_resolver() -> None:
    resolver = CountingResolver(["127.0.0.1"])
    target = await vet(validate_url("http://[2607:f8b0:400a:807::200e]/"), policy=PUBLIC, resolver=resolver)
    assert target == Target(
        url=target.url, host="2607:f8b0:400a:807::200e", port=80, addresses=("2607:f8b0:400a:807::200e",)
    )
    assert resolver.calls == []
    with pytest.raises(CheckError) as caught:
        await vet(validate_url("http://2130706433/"), policy=PUBLIC, resolver=resolver)
    assert caught.value.outcome is Outcome.BLOCKED_URL and resolver.calls == []


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [([], Outcome.DNS_FAILED), (["10.0.0.1"], Outcome.BLOCKED_URL), (["0.0.0.0", "::"], Outcome.BLOCKED_URL)],
)
async def test_vet_failures(answers: list[str], outcome: Outcome) -> None:
    with pytest.raises(CheckError) as caught:
        await vet(validate_url("http://news.example/"), policy=PUBLIC, resolver=CountingResolver(answers))
    assert caught.value.outcome is outcome


async def test_vet_resolver_exception_is_dns_failed() -> None:
    async def broken(host: str, port: int) -> list[str]:
        raise OSError("resolver exploded")

    with pytest.raises(CheckError) as caught:
        await vet(validate_url("http://news.example/"), policy=PUBLIC, resolver=broken)
    assert caught.value.outcome is Outcome.DNS_FAILED


async def test_system_resolver_reads_hosts_file_without_network() -> None:
    assert "127.0.0.1" in await system_resolver("localhost", 80) or "::1" in await system_resolver("localhost", 80)
    assert await system_resolver("127.0.0.1", 443) == ["127.0.0.1"]


async def test_default_resolver_used_with_allow_private(settings: Settings) -> None:
    with ArticleServer() as server:
        server.add("/a", b"<html>local</html>")
        page = await fetch_page(f"http://localhost:{server.port}/a", settings=settings)
    assert page.body == b"<html>local</html>"


# --- PinnedBackend ------------------------------------------------------------------


async def test_backend_refuses_unpinned_and_disallowed_destinations() -> None:
    with ArticleServer() as server:
        backend = PinnedBackend(policy=AddressPolicy.allowing((server.host, server.port)))
        with pytest.raises(httpcore.ConnectError, match="unvetted"):
            await backend.connect_tcp("news.example", server.port)
        # A pin the policy does not allow is skipped at connect time too (belt and braces).
        url = httpx.URL(f"http://news.example:{server.port}/")
        backend.pin(Target(url=url, host="news.example", port=server.port, addresses=("127.0.0.2",)))
        with pytest.raises(httpcore.ConnectError):
            await backend.connect_tcp("news.example", server.port)
        with pytest.raises(httpcore.ConnectError):
            await backend.connect_unix_socket("/var/run/docker.sock")
        assert backend.connections == [] and server.hits() == 0


async def test_backend_connects_to_pin_for_the_name() -> None:
    with ArticleServer() as server:
        server.add("/a", b"<html>pinned</html>")
        backend = PinnedBackend(policy=AddressPolicy.allowing((server.host, server.port)))
        backend.pin(
            Target(
                url=httpx.URL(f"http://news.example:{server.port}/a"),
                host="news.example",
                port=server.port,
                addresses=("127.0.0.1",),
            )
        )
        async with httpx.AsyncClient(transport=guarded_transport(backend=backend), trust_env=False) as client:
            response = await client.get(f"http://news.example:{server.port}/a")
            with pytest.raises(httpx.ConnectError):  # another name on the same client: never resolved
                await client.get(f"http://other.example:{server.port}/a")
        assert response.content == b"<html>pinned</html>"
        assert backend.connections == [("127.0.0.1", server.port)]
        assert server.requests[0].headers["Host"] == f"news.example:{server.port}"


# --- TLS through the pin: SNI and certificate use the name -------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=news.example",
            "-addext",
            "subjectAltName=DNS:news.example",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    with ArticleServer(tls=context) as server:
        server.add("/a", b"<html>over tls</html>")
        yield server


def pinned_to(server: ArticleServer, *names: str) -> PinnedBackend:
    backend = PinnedBackend(policy=AddressPolicy.allowing((server.host, server.port)))
    for name in names:
        backend.pin(
            Target(
                url=httpx.URL(f"https://{name}:{server.port}/"), host=name, port=server.port, addresses=(server.host,)
            )
        )
    return backend


async def test_tls_sni_and_certificate_use_the_name(tls_server: ArticleServer, certificate: tuple[Path, Path]) -> None:
    trust = ssl.create_default_context(cafile=str(certificate[0]))
    backend = pinned_to(tls_server, "news.example", "other.example")
    async with httpx.AsyncClient(
        transport=guarded_transport(backend=backend, ssl_context=trust), trust_env=False
    ) as client:
        response = await client.get(f"https://news.example:{tls_server.port}/a")
        assert response.content == b"<html>over tls</html>"
        with pytest.raises(httpx.ConnectError, match="(?i)certificate|hostname"):
            await client.get(f"https://other.example:{tls_server.port}/a")  # same IP, wrong name
    assert tls_server.sni_names[:2] == ["news.example", "other.example"]
    assert backend.connections == [("127.0.0.1", tls_server.port)] * 2


async def test_fetch_verifies_certificates_and_does_not_retry_them(tls_server: ArticleServer) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    settings = Settings.from_env({}).replace(fetch_timeout_s=5.0)
    with pytest.raises(CheckError) as caught:  # self-signed: not in certifi's bundle
        await fetch_page(
            f"https://news.example:{tls_server.port}/a",
            settings=settings,
            policy=AddressPolicy.allowing((tls_server.host, tls_server.port)),
            resolver=resolver,
        )
    assert caught.value.outcome is Outcome.FETCH_FAILED and "certificate" in (caught.value.detail or "")
    assert tls_server.sni_names == ["news.example"] and tls_server.hits() == 0
