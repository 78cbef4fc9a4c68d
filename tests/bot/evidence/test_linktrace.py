"""The article's own links, fetched through the hostile-URL fetcher and read against the claim."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.evidence.assemble import attach_offline
from bot.evidence.linktrace import links_for_claim
from bot.evidence.stage import gather_evidence
from bot.netguard import AddressPolicy
from tests.servers.article_server import ArticleServer, hang
from tests.support.evidence_harness import article_and_claims, sentence_claims
from tests.support.slack_harness import article_html

REPORT = article_html(
    title="Harbor Agency annual report 2025",
    site="Harbor Agency",
    paragraphs=[
        "The Harbor Agency spent $48 million on dredging in 2025, and 30 percent of its grants went unspent, the report says.",
        "Dredging of the eastern channel was completed in October, two months later than planned, because of storms.",
        "The board approved the accounts in March. The full figures, by programme and by quarter, are in the annex.",
    ],
)


def story(links: dict[str, str]) -> str:
    def a(key: str, label: str) -> str:
        return f'<a href="{links[key]}">{label}</a>'

    return article_html(
        title="Port money questions",
        site="The Example Times",
        paragraphs=[
            f"The Harbor Agency left 30 percent of its grants unspent last year, according to {a('supports', 'its annual report')}.",
            f"The agency has received $100 billion from the state since 1990, {a('not_found', 'the same report')} shows.",
            f"Dredging costs rose by 12 percent in 2025, according to {a('dead', 'a state audit')}.",
            f"The port moved 4 million containers in 2025, a {a('paywall', 'trade journal')} reported.",
            f"The agency plans to borrow $2 billion for a new terminal, its {a('pdf', 'bond prospectus')} says.",
            f"Officials said 40 percent of the terminal budget is for cranes, {a('slow', 'a council memo')} shows.",
            f"Residents filed 300 complaints about noise in 2025, according to {a('private', 'an internal log')}.",
            f"Night shifts were cut by half in 2025, {a('loopback', 'a staff rota')} shows.",
            "Critics of the agency say its spending has never been independently audited in full.",
        ],
    )


@pytest.fixture
def linked(settings: Settings):
    with ArticleServer() as site, ArticleServer() as other, ArticleServer() as internal:
        links = {
            "supports": other.add("/report-2025", REPORT),
            "not_found": other.add("/report-2025#totals", REPORT),
            "dead": other.add("/missing-audit", b"gone", status=404),
            "paywall": other.add("/journal", b"<html><body>Subscribe</body></html>", status=402),
            "pdf": other.add("/prospectus.pdf", b"%PDF-1.7", content_type="application/pdf"),
            "slow": other.add("/memo", handler=hang(30)),
            "private": "http://10.0.0.1/log",  # a private address on a standard port
            "loopback": internal.add("/rota", "<html><body><p>Night shifts were cut by half.</p></body></html>"),
        }
        url = site.add("/story", story(links))
        yield site, other, internal, url, links


async def test_each_link_gets_its_verdict(linked, settings: Settings, connects) -> None:
    site, other, internal, url, links = linked
    # Public-only fetching, except the two test sites: the "internal" server stands for a private address.
    policy = AddressPolicy.allowing((site.host, site.port), (other.host, other.port))
    configured = settings.replace(evidence=("links",), evidence_page_timeout_s=1.0, evidence_pages_per_report=16)
    article, _ = await article_and_claims(url, configured)
    claims = sentence_claims(article)
    pack = await gather_evidence(article=article, claims=claims, settings=configured, policy=policy)
    checks = {check.url: check for state in pack.claims.values() for check in state.link_checks.values()}

    supports = checks[links["supports"]]
    assert supports.verdict == "supports" and supports.quote and "30 percent" in supports.quote
    assert supports.fragment_url and supports.fragment_url.startswith(links["supports"] + "#:~:text=")
    not_found = checks[links["not_found"]]
    assert not_found.verdict == "not_found" and not_found.missing[0] == "$100 billion" and not_found.quote is None
    assert checks[links["dead"]].verdict == "dead" and "HTTP 404" in (checks[links["dead"]].detail or "")
    assert checks[links["slow"]].verdict == "dead" and checks[links["slow"]].detail == "no answer in time"
    assert checks[links["paywall"]].verdict == "unreadable" and "paywall" in (checks[links["paywall"]].detail or "")
    assert checks[links["pdf"]].verdict == "unreadable" and "application/pdf" in (checks[links["pdf"]].detail or "")
    refused = checks[links["private"]]
    assert refused.verdict == "dead" and refused.detail == "refused: a private or internal address"
    assert not any(host == "10.0.0.1" for host, _ in connects)  # refused before any connection
    assert checks[links["loopback"]].verdict == "dead" and internal.hits() == 0
    assert set(checks) <= set(links.values())
    # A link we could not read says so on its own line; it does not rewrite the sourcing gap (it may be our network).
    audited = attach_offline(claims, pack, article_published=None)
    dead = next(claim for claim in audited if any(check.url == links["dead"] for check in claim.link_checks))
    assert dead.sourcing.link == links["dead"] and "cannot be read" not in (dead.sourcing.gap or "")


async def test_links_off_means_no_tracing(linked, settings: Settings) -> None:
    site, other, internal, url, links = linked
    configured = settings.replace(evidence=("wikipedia",), wikipedia_api_url="http://127.0.0.1:9/w/api.php")
    article, claims = await article_and_claims(url, configured)
    pack = await gather_evidence(article=article, claims=claims, settings=configured)
    assert all(not state.link_checks for state in pack.claims.values()) and other.hits() == 0


def test_a_link_the_trace_read_and_found_the_claim_in_answers_the_gap_that_asked_to_check_it() -> None:
    from bot.evidence.assemble import _traced_sourcing
    from bot.models import Claim, LinkCheck, Sourcing, SourcingStatus

    link = "https://city.example/budget/2026"
    asked = "Check that the linked document supports the claim."
    claim = Claim(
        id="c1",
        quote="The budget lists the bridge.",
        start=0,
        end=28,
        checkworthiness=0.5,
        sourcing=Sourcing(status=SourcingStatus.NAMED_LINKED, source="2026 budget document", link=link, gap=asked),
    )
    assert _traced_sourcing(claim, [LinkCheck(url=link, verdict="supports", quote="Bridge: $310 million.")]).gap is None
    assert _traced_sourcing(claim, [LinkCheck(url=link, verdict="dead", detail="HTTP 404")]).gap == asked


def test_a_tag_page_or_a_front_page_beside_a_claim_is_not_traced() -> None:
    # knowtechie.com.rally.html: the lede's report showed "Linked page: could not be opened .../tag/fortnite", the
    # site's tag page on a game named in the next sentence.
    import gzip

    from bot.extract import extract_html
    from bot.models import Claim
    from bot.sourcing import audit_sourcing
    from tests.support.paths import shared_path

    page = shared_path("eval-data", "trafilatura-eval", "html", "knowtechie.com.rally.html.gz")
    article = extract_html(gzip.decompress(page.read_bytes()))
    quote = "Rocket League is gearing up for a new season and with that comes a new Rocket Pass."
    start = article.text.index(quote)
    claim = Claim(
        id="c1",
        quote=quote,
        start=start,
        end=start + len(quote),
        checkworthiness=0.9,
        sourcing=audit_sourcing(article, start=start, end=start + len(quote)),
    )
    assert "https://knowtechie.com/tag/fortnite" in [link.url for link in article.links]
    urls = [link.url for link in links_for_claim(article, claim)]
    assert urls == ["https://www.rocketleague.com/news/rocket-pass-4-is-ready-to-rally-on-august-28/"]
