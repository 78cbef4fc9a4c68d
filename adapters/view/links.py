"""The one link policy for every front end.

Only the article and the sources it or the evidence cites are live links, and a live link is
always labelled from its own target: the host in its xn-- form (so a Cyrillic "а" cannot pass for a
Latin one) with the registrable domain kept whole however long the label is (so
``reuters.com.world-europe-….attacker.example`` cannot hide ``attacker.example``). Any other URL
in untrusted text (article, model output, search results) is defanged: readable, never clickable,
never fetched by a link preview. The registrable domain comes from the Public Suffix List bundled
with ``publicsuffixlist`` (offline: nothing is downloaded at run time).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Collection, Iterable
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import idna
from publicsuffixlist import PublicSuffixList

from bot.links import normalize_url
from bot.models import Article, Report

LABEL_CHARS = 60
ELLIPSIS = "…"

# Zero-width and bidi controls can hide or reorder text.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)")
_MD_REFERENCE_DEF = re.compile(r"(?m)^[ \t]{0,3}\[[^\]\n]{1,200}\]:[ \t]*\S+[^\n]*$")
# [label](target "title"), one level of brackets inside the label ("[[the report]](https://...)").
_MD_MASKED_LINK = re.compile(
    r"\[((?:[^\[\]\n]|\[[^\[\]\n]{0,500}\]){0,500})\]\(\s*<?([^)\s<>]{1,2000})>?(?:\s+\"[^\"\n]{0,200}\")?\s*\)"
)
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>|\"'`\[\]]+")
_TRAILING_PUNCT = ".,;:!?)]}'\"»”’*_~"


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list bundled with the package: no network


# ---------------------------------------------------------------- hosts and labels


def ascii_host(host: str) -> str:
    """The host as DNS sees it: lower case, no trailing dot, internationalised labels in xn-- form."""
    host = host.strip().rstrip(".").lower()
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        # Not valid IDNA (mixed scripts idna refuses, symbols): still shown as raw punycode, never as Unicode.
        return ".".join(
            label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii") for label in host.split(".")
        )


def registrable_domain(host: str) -> str:
    """The part of a host its owner registered (``bbc.co.uk`` for ``www.news.bbc.co.uk``)."""
    host = ascii_host(host)
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    return _suffixes().privatesuffix(host) or host


def link_label(url: str, *, max_chars: int = LABEL_CHARS) -> str:
    """What a reader sees for a link: its host (xn-- form, registrable domain whole) and its path, shortened."""
    try:
        parts = urlsplit(url.strip())
        hostname = parts.hostname
    except ValueError:
        hostname = None
    if not hostname:
        shown = INVISIBLE.sub("", url.strip())
        return shown if len(shown) <= max_chars else shown[: max_chars - 1] + ELLIPSIS
    host = ascii_host(hostname).removeprefix("www.")
    domain = registrable_domain(host)
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port not in (80, 443):
        host, domain = f"{host}:{port}", f"{domain}:{port}"
    path = _readable_path(parts.path)
    room_for_host = max_chars - (2 if path else 1)  # an ellipsis, and one for the path if there is one
    if len(host) > room_for_host + 1 and len(host) > len(domain):
        # Drop subdomain characters from the left: the right end is the part that says who owns it.
        keep = max(len(domain), room_for_host)
        host = ELLIPSIS + host[len(host) - keep :]
    shown = host + path
    if len(shown) > max_chars:
        room = max_chars - len(host) - 1
        shown = host + (path[:room] + ELLIPSIS if room > 1 else (ELLIPSIS if path else ""))
    return shown


def _readable_path(path: str) -> str:
    # The query is left out: it says nothing about where a link goes and may carry tracking or data.
    path = path.rstrip("/")
    decoded = unquote(path, errors="replace")
    decoded = INVISIBLE.sub("", decoded)
    return "".join(ch if ch.isprintable() and not ch.isspace() else "_" for ch in decoded)


def defang_url(url: str) -> str:
    """A URL a reader can still read but no client turns into a link (``hxxps://evil[.]test/...``)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    host, slash, path = rest.partition("/")
    host = host.replace(".", "[.]")
    if scheme:
        scheme = re.sub(r"(?i)^http", "hxxp", scheme)
        return f"{scheme}://{host}{slash}{path}"
    return f"{host}{slash}{path}"


# ---------------------------------------------------------------- which links are live


def cited_urls(report: Report) -> Iterable[str]:
    """Every URL the report itself holds as a source: the claims' links and, when present, the evidence."""
    for claim in report.claims:
        if claim.sourcing.link:
            yield claim.sourcing.link
        for name in ("evidence", "link_checks", "prior_fact_checks"):  # added by the evidence work
            for item in getattr(claim, name, None) or ():
                for key in ("url", "fragment_url"):
                    value = getattr(item, key, None)
                    if isinstance(value, str) and value:
                        yield value


def allowed_urls(*, report: Report | None = None, article: Article | None = None) -> frozenset[str]:
    """Normalized URLs that may be live links: the article, the links it cites, the sources the report cites."""
    raw: list[str] = []
    if report is not None:
        if report.article.url:
            raw.append(report.article.url)
        raw.extend(cited_urls(report))
    if article is not None:
        raw += [u for u in (article.url, article.final_url) if u]
        raw += [out.url for out in article.links]
    return frozenset(u for u in (normalize_url(r) for r in raw) if u)


def is_live(url: str | None, allowed: Collection[str]) -> bool:
    """May ``url`` be shown as a clickable link? Only http(s) URLs the policy allows."""
    if not url:
        return False
    normalized = normalize_url(url)
    return normalized is not None and normalized in allowed


# ---------------------------------------------------------------- untrusted prose


def clean_prose(text: str | None, *, allowed: Collection[str] = ()) -> str:
    """Untrusted text with its link tricks undone, before any platform escaping.

    Invisible and bidi controls go; Markdown images and reference definitions (they only exist
    to make a client fetch something) go; a masked link becomes "label (url)"; every URL that
    the policy does not allow is defanged, the allowed ones stay readable as themselves.
    """
    if not text:
        return ""
    text = INVISIBLE.sub("", text)
    text = _MD_IMAGE.sub("", text)
    text = _MD_REFERENCE_DEF.sub("", text)
    for _ in range(3):  # a label may hold another masked link; three rounds undo any realistic nesting
        unmasked = _MD_MASKED_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
        if unmasked == text:
            break
        text = unmasked
    return _URL.sub(lambda m: _keep_or_defang(m.group(0), allowed), text)


def _keep_or_defang(raw: str, allowed: Collection[str]) -> str:
    url = raw.rstrip(_TRAILING_PUNCT)
    tail = raw[len(url) :]
    candidate = url if "://" in url else f"https://{url}"
    if allowed and is_live(candidate, allowed):
        return raw
    return defang_url(url) + tail
