"""Which URLs and addresses the fetcher may touch: parse once, resolve once, pin.

The article URL is hostile input. Before any TCP connect we:

1. parse it once with ``httpx.URL`` (http/https only, no userinfo, an allowed
   port, a host that is a well-formed name or IP literal, numeric shorthands
   such as ``2130706433`` or ``0x7f.1`` turned into the IPv4 they mean);
2. refuse internal names (``localhost``, ``*.internal``, single labels);
3. resolve the name ONCE and vet every answer against explicit deny lists,
   unwrapping IPv4-mapped and NAT64 addresses (``ipaddress`` predicates alone
   let ``100.64.0.1`` or ``64:ff9b::7f00:1`` through);
4. connect only to the vetted addresses (:class:`PinnedBackend`), so a second
   DNS answer (rebinding) is never used, while Host, SNI and certificate checks
   keep the original name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpcore
import httpx

from bot.config import Settings
from bot.outcome import CheckError, Outcome

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

Resolver = Callable[[str, int], Awaitable[list[str]]]
"""``await resolver(hostname, port)`` -> IP address strings, in preference order."""

DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_URL_LENGTH = 4096

# IANA special-purpose registries, listed explicitly because ``is_global`` and
# friends differ between Python versions and miss CGNAT and the embeddings.
_DENIED_V4 = tuple(
    ipaddress.IPv4Network(net)
    for net in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",
        "100.64.0.0/10",  # CGNAT; Alibaba metadata 100.100.100.200
        "127.0.0.0/8",
        "169.254.0.0/16",  # link local; cloud metadata 169.254.169.254
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # TEST-NET-1
        "192.31.196.0/24",  # AS112
        "192.52.193.0/24",  # AMT
        "192.88.99.0/24",  # deprecated 6to4 relay anycast (RFC 7526): relays to anything
        "192.168.0.0/16",
        "192.175.48.0/24",  # AS112 direct delegation
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # TEST-NET-2
        "203.0.113.0/24",  # TEST-NET-3
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, includes 255.255.255.255
    )
)
_GLOBAL_UNICAST_V6 = ipaddress.IPv6Network("2000::/3")
_DENIED_V6 = tuple(
    ipaddress.IPv6Network(net)
    for net in (
        "2001::/23",  # IETF protocol assignments, includes Teredo 2001::/32
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4: tunnels to an embedded IPv4 through any relay
        "3fff::/20",  # documentation (RFC 9637)
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215): site-internal translation
    )
)
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")

# Cloud metadata and platform services: refused in every mode, FACTCHECK_ALLOW_PRIVATE_URLS
# included, since no article is ever there. Most sit in ranges denied above anyway; Azure's
# WireServer does not (168.63.129.16 is a public address, reachable from every Azure VM).
PLATFORM_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "168.63.129.16/32",  # Azure WireServer: platform DNS, DHCP, health probes, VM agent
        "169.254.169.254/32",  # instance metadata: AWS, GCP, Azure, DigitalOcean, OpenStack, Oracle, Hetzner...
        "169.254.169.253/32",  # AWS VPC DNS resolver
        "169.254.169.123/32",  # AWS time sync
        "169.254.170.2/32",  # AWS ECS task metadata and credentials
        "169.254.170.23/32",  # AWS EKS pod identity agent
        "169.254.0.23/32",  # Tencent Cloud metadata
        "100.100.100.200/32",  # Alibaba Cloud metadata
        "192.0.0.192/32",  # Oracle Cloud metadata (legacy)
        "fd00:ec2::254/128",  # AWS instance metadata over IPv6
        "fd00:ec2::23/128",  # AWS EKS pod identity agent over IPv6
    )
)
PLATFORM_HOSTS = (
    "metadata.google.internal",
    "metadata.goog",  # GCP
    "metadata.tencentyun.com",  # Tencent Cloud
    "metadata.packet.net",
    "metadata.platformequinix.com",  # Equinix Metal
    "instance-data",  # AWS (instance-data.ec2.internal also ends in .internal)
)

# Names that point inside the network whatever DNS says.
_INTERNAL_NAMES = (
    "localhost",
    "localdomain",
    "local",
    "internal",
    "intranet",
    "lan",
    "home.arpa",
    "ip6-localhost",
    "ip6-loopback",
)
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*"
    r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$"
)
_ENDS_IN_NUMBER = re.compile(r"(^|\.)(0x[0-9a-f]*|[0-9]+)$")
_UNSAFE_CHARS = re.compile(r"[\x00-\x20\x7f\\]")


def is_public_address(ip: IPAddress) -> bool:
    """True when ``ip`` is globally routable unicast and not in any deny list."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public_address(ip.ipv4_mapped)
        if ip in _NAT64_WELL_KNOWN:
            return is_public_address(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.scope_id or ip not in _GLOBAL_UNICAST_V6:
            return False
        return ip.is_global and not any(ip in net for net in _DENIED_V6)
    return ip.is_global and not any(ip in net for net in _DENIED_V4)


def _parse_ip(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@dataclass(frozen=True, kw_only=True)
class AddressPolicy:
    """The decision "may we connect to this host / IP:port".

    The default is public addresses on ports 80 and 443 only. ``allow_private``
    (``FACTCHECK_ALLOW_PRIVATE_URLS``) switches the address and port checks off
    for local testing. ``allowed_endpoints`` lets exactly the listed ``(ip, port)``
    pairs through while everything else stays public-only: the clean way to
    point a hardened fetcher at a loopback test server or a local mirror.
    ``denied_networks`` / ``denied_hosts`` are refused in every mode (e.g. the
    bot's own public address, so a link cannot make it call itself).
    """

    allow_private: bool = False
    allowed_ports: frozenset[int] = frozenset({80, 443})
    allowed_endpoints: frozenset[tuple[str, int]] = frozenset()
    denied_networks: tuple[IPNetwork, ...] = ()
    denied_hosts: tuple[str, ...] = ()
    _endpoints: frozenset[tuple[IPAddress, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        endpoints = frozenset((ipaddress.ip_address(ip), int(port)) for ip, port in self.allowed_endpoints)
        object.__setattr__(self, "_endpoints", endpoints)

    @classmethod
    def public(cls) -> AddressPolicy:
        return cls()

    @classmethod
    def allowing(cls, *endpoints: tuple[str, int]) -> AddressPolicy:
        """Public only, plus exactly these ``(ip, port)`` pairs."""
        return cls(allowed_endpoints=frozenset(endpoints))

    @classmethod
    def from_settings(cls, settings: Settings) -> AddressPolicy:
        networks: list[IPNetwork] = []
        hosts: list[str] = []
        for entry in settings.fetch_deny:
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                hosts.append(entry.lower().rstrip("."))
        return cls(
            allow_private=settings.allow_private_urls, denied_networks=tuple(networks), denied_hosts=tuple(hosts)
        )

    def allows_port(self, port: int) -> bool:
        if self.allow_private:
            return 0 < port < 65536
        return port in self.allowed_ports or any(p == port for _, p in self._endpoints)

    def allows_hostname(self, host: str) -> bool:
        """Names refused before any lookup (they mean "inside" whatever DNS answers).

        ``host`` is compared in its ASCII (xn--) form, as is every denied name.
        """
        name = ascii_host(host)
        denied = (*self.denied_hosts, *PLATFORM_HOSTS)
        if any(_matches(name, ascii_host(entry)) for entry in denied):
            return False
        if self.allow_private:
            return True
        if "." not in name:  # a single label is completed by the resolver's search domains
            return False
        return not any(_matches(name, internal) for internal in _INTERNAL_NAMES)

    def allows_address(self, ip: IPAddress | str, port: int) -> bool:
        address = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
        unwrapped = getattr(address, "ipv4_mapped", None) or address
        # ``in`` across IP versions compares raw integers, so match versions first.
        if any(
            candidate in net
            for net in (*self.denied_networks, *PLATFORM_NETWORKS)
            for candidate in {address, unwrapped}
            if candidate.version == net.version
        ):
            return False
        if (address, port) in self._endpoints or (unwrapped, port) in self._endpoints:
            return True
        if self.allow_private:
            return True
        return port in self.allowed_ports and is_public_address(address)


def ascii_host(host: str) -> str:
    """A host name lower-cased, without its final dot, internationalised labels in xn-- form."""
    name = host.strip().lower().rstrip(".")
    if name.isascii():
        return name
    try:
        return httpx.URL(f"http://{name}/").raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError, ValueError):
        return name  # never matches a well-formed name: the caller's other checks refuse it


def _matches(name: str, suffix: str) -> bool:
    """``name`` is ``suffix`` or a subdomain of it (label-wise, so not ``xsuffix``)."""
    return name == suffix or name.endswith("." + suffix)


def _invalid(detail: str) -> CheckError:
    return CheckError(Outcome.INVALID_URL, detail)


def effective_port(url: httpx.URL) -> int:
    return url.port if url.port is not None else DEFAULT_PORTS[url.scheme]


def literal_address(url: httpx.URL) -> IPAddress | None:
    """The IP a URL's host denotes literally, including legacy numeric forms.

    Browsers (WHATWG "ends in a number") and ``getaddrinfo`` both read
    ``2130706433``, ``0x7f.1`` and ``127.1`` as 127.0.0.1, so we do too, rather
    than treat them as names.
    """
    host = url.raw_host.decode("ascii").rstrip(".")
    if ":" in host:
        if "%" in host:
            raise _invalid("IPv6 zone identifiers are not allowed")
        address = _parse_ip(host)
        if address is None:
            raise _invalid("malformed IPv6 address")
        return address
    if _ENDS_IN_NUMBER.search(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            raise _invalid("malformed IPv4 address") from None
    return None


def validate_url(url: str, *, policy: AddressPolicy | None = None) -> httpx.URL:
    """Parse a user-supplied URL once; the returned object is the one to request.

    Raises ``CheckError(INVALID_URL)`` for anything but a plain http(s) URL with
    an allowed port (80/443 under the default policy) and a well-formed host.
    """
    policy = policy or AddressPolicy.public()
    if not isinstance(url, str):
        raise _invalid("not a URL")
    text = url.strip()
    if not text or len(text) > MAX_URL_LENGTH:
        raise _invalid("empty or overlong URL")
    # Backslashes and controls are where parsers disagree (``http://a:80\@b/``).
    if _UNSAFE_CHARS.search(text):
        raise _invalid("URL contains spaces, control characters or backslashes")
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise _invalid("unparseable URL") from exc
    if parsed.scheme not in DEFAULT_PORTS:
        raise _invalid(
            f"scheme {parsed.scheme!r} is not http or https" if parsed.scheme else "not an absolute http(s) URL"
        )
    if parsed.userinfo:
        raise _invalid("URLs with a username or password are not allowed")
    if not parsed.host:
        raise _invalid("URL has no host")
    port = effective_port(parsed)
    if not policy.allows_port(port):
        raise _invalid(f"port {port} is not allowed")
    # The ASCII form: httpx shows a name starting "xn--" decoded (bücher.example), others not.
    if literal_address(parsed) is None and not _HOSTNAME.match(parsed.raw_host.decode("ascii").rstrip(".")):
        raise _invalid("malformed host name")
    return parsed


@dataclass(frozen=True)
class Target:
    """A vetted hop: connect to ``addresses`` (in order) for ``host:port``."""

    url: httpx.URL
    host: str  # as httpcore names the origin, the key the pinned backend looks up
    port: int
    addresses: tuple[str, ...]


async def system_resolver(host: str, port: int) -> list[str]:
    """One ``getaddrinfo`` lookup, TCP, IPv4/IPv6 only, answers in order without repeats."""
    loop = asyncio.get_running_loop()
    # No trailing-dot trick against search domains: glibc then skips /etc/hosts, which
    # local testing needs; every answer is vetted anyway and single labels are refused.
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    answers: list[str] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        if family in (socket.AF_INET, socket.AF_INET6) and sockaddr[0] not in answers:
            answers.append(str(sockaddr[0]))
    return answers


async def vet(url: httpx.URL, *, policy: AddressPolicy, resolver: Resolver) -> Target:
    """Resolve ``url``'s host once and keep only the answers the policy allows.

    Raises BLOCKED_URL when nothing is left (the IPs are not put in the detail:
    users must not learn internal DNS), DNS_FAILED when the lookup fails.
    """
    port = effective_port(url)
    literal = literal_address(url)
    if literal is not None:
        candidates: list[IPAddress] = [literal]
    else:
        name = url.raw_host.decode("ascii").rstrip(".")
        if not policy.allows_hostname(name):
            raise CheckError(Outcome.BLOCKED_URL, "internal host name")
        try:
            answers = await resolver(name, port)
        except CheckError:
            raise
        except (OSError, UnicodeError, ValueError) as exc:
            raise CheckError(Outcome.DNS_FAILED, name) from exc
        if not answers:
            raise CheckError(Outcome.DNS_FAILED, name)
        # An unparseable answer is treated as unsafe, never as "not an IP, so allow".
        candidates = [ip for ip in (_parse_ip(str(a).split("%", 1)[0]) for a in answers) if ip is not None]
    allowed = tuple(str(ip) for ip in candidates if policy.allows_address(ip, port))
    if not allowed:
        raise CheckError(Outcome.BLOCKED_URL, "private or special-purpose address")
    return Target(url=url, host=url.raw_host.decode("ascii"), port=port, addresses=allowed)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore backend that connects only to addresses vetted for a host.

    httpcore asks to connect to the URL's host name; we substitute the pinned
    IPs (first that answers wins) and never resolve anything ourselves. TLS is
    started by httpcore on the returned stream with ``server_hostname`` = the
    original name, so SNI and certificate verification are unchanged.
    """

    def __init__(self, *, policy: AddressPolicy) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._policy = policy
        self._pins: dict[tuple[str, int], tuple[str, ...]] = {}
        self.connections: list[tuple[str, int]] = []  # where we actually connected, in order

    def pin(self, target: Target) -> None:
        self._pins[(target.host, target.port)] = target.addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = self._pins.get((host, port))
        if not addresses:
            raise httpcore.ConnectError(f"refusing to connect to unvetted {host}:{port}")
        failure: Exception | None = None
        for address in addresses:
            if not self._policy.allows_address(address, port):  # belt and braces
                continue
            try:
                stream = await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            self.connections.append((address, port))
            return stream
        raise failure or httpcore.ConnectError(f"no allowed address for {host}:{port}")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are never used for articles")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
