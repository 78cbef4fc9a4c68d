"""The sample article (../shared/seeds) served as a page with links, and stand-in providers around it.

The seed is plain text; its original page had links. Here "As Newsmax reported" links to a page
that reports the deal, and "around $100 billion" links to an aid page that gives other figures
(so the link does not hold the claim's figure). The provider stand-ins know a few pages on the
same subjects and one earlier fact-check. Every fixture page says it is one: the figures in them
are test data, not facts.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from tests.servers.article_server import ArticleServer
from tests.servers.search_answers import Doc, Review
from tests.servers.search_apis import SearchApis
from tests.support.paths import shared_path

SAMPLE = ("seeds", "000_feee107df6f0017a.txt")
FIXTURE = "Test fixture page for factcheck-bot: its figures are test data, not facts."
REPORTED_DEAL = [
    "Rep. Jim Banks told Newsmax on Wednesday that a Telegram channel, General SVR, says Vladimir Putin is "
    "negotiating with the Taliban over weapons the United States left in Afghanistan.",
    "The channel, which Newsmax did not verify, says the offer includes recognizing the Taliban government.",
    "Neither the Kremlin nor the Taliban commented on the report.",
]
AID_PAGE = [
    "Congress has approved four aid packages for Ukraine since February 2022, totalling about $113 billion in "
    "appropriations, of which about $62 billion is for military and security assistance.",
    "Not all of the appropriated money has been spent; some of it replenishes U.S. stocks.",
    "Inspectors general from three agencies oversee how the aid is used.",
]
EQUIPMENT_PAGE = [
    "A Defense Department report to Congress put the value of U.S.-funded equipment left in Afghanistan after the "
    "2021 withdrawal at about $7.1 billion, much of it aircraft, vehicles and munitions.",
    "The report said much of the equipment left behind had been demilitarized or was no longer usable.",
]
WITHDRAWAL_WIKI = [
    "The withdrawal of United States troops from Afghanistan was completed in August 2021, ending a 20-year war.",
    "The Taliban took control of Kabul on 15 August 2021. Equipment worth billions of dollars was left in Afghanistan.",
]


def page(title: str, site: str, published: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{text}</p>" for text in [FIXTURE, *paragraphs])
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<meta property="og:site_name" content="{site}"><meta property="article:published_time" content="{published}">'
        f"</head><body><main><article><h1>{html.escape(title)}</h1>{body}</article></main></body></html>"
    )


def sample_page(text: str, links: dict[str, str]) -> str:
    """The seed as a news page: its first line the headline, each later line a paragraph, ``links`` anchored."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    paragraphs = []
    for line in lines[1:]:
        escaped = html.escape(line, quote=False)
        for words, url in links.items():
            escaped = escaped.replace(words, f'<a href="{url}">{words}</a>', 1)
        paragraphs.append(f"<p>{escaped}</p>")
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(lines[0])}</title>'
        '<meta property="og:site_name" content="Sample News"><meta property="article:published_time" '
        f'content="2023-01-19"></head><body><main><article><h1>{html.escape(lines[0])}</h1>{"".join(paragraphs)}'
        "</article></main></body></html>"
    )


@dataclass
class SampleWorld:
    article_url: str
    apis: SearchApis
    aid_url: str


@contextmanager
def serve_sample() -> Iterator[SampleWorld]:
    text = shared_path(*SAMPLE).read_text(encoding="utf-8")
    with ExitStack() as stack:
        sites = {
            name: stack.enter_context(ArticleServer()) for name in ("news", "newsmax", "aid", "dod", "wiki", "check")
        }
        apis = stack.enter_context(SearchApis())
        reported = sites["newsmax"].add(
            "/2023/01/putin-taliban",
            page(
                "Putin in talks with Taliban over U.S. arms, Banks says",
                "Newsmax (fixture)",
                "2023-01-18",
                REPORTED_DEAL,
            ),
        )
        aid = sites["aid"].add(
            "/ukraine-aid", page("U.S. aid to Ukraine", "Aid Tracker (fixture)", "2023-01-10", AID_PAGE)
        )
        equipment = sites["dod"].add(
            "/afghanistan-equipment",
            page("Equipment left in Afghanistan", "Defense report (fixture)", "2022-08-20", EQUIPMENT_PAGE),
        )
        wiki = sites["wiki"].add(
            "/wiki/Withdrawal",
            page("Withdrawal of U.S. troops from Afghanistan", "Wikipedia", "2023-01-01", WITHDRAWAL_WIKI),
        )
        url = sites["news"].add(
            "/2023/01/19/putin-taliban-arms",
            sample_page(text, {"As Newsmax reported": reported, "around $100 billion": aid}),
        )
        apis.add_wiki(
            Doc(
                wiki,
                "Withdrawal of U.S. troops from Afghanistan",
                " ".join(WITHDRAWAL_WIKI) + " Biden Afghanistan Taliban withdrawal",
            )
        )
        apis.add_web(
            Doc(
                equipment,
                "Equipment left in Afghanistan",
                " ".join(EQUIPMENT_PAGE) + " Afghanistan withdrawal $7 billion military equipment",
                "2022-08-20",
                "Defense report (fixture)",
            )
        )
        apis.add_web(
            Doc(
                aid,
                "U.S. aid to Ukraine",
                " ".join(AID_PAGE) + " Ukraine $100 billion aid war Russia",
                "2023-01-10",
                "Aid Tracker (fixture)",
            )
        )
        apis.add_review(
            Review(
                claim="Only 30 percent of U.S. aid to Ukraine reaches the front line.",
                url=sites["check"].url("/30-percent"),
                rating="False",
                publisher="Fixture Check",
            )
        )
        yield SampleWorld(article_url=url, apis=apis, aid_url=aid)
