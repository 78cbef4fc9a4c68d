"""A capable model's answers to the engine's two requests on the sample article, written as such a model
writes them.

The answers carry every shape the engine met in real runs: reasoning before the
JSON, prose after it (holding ``}``), a code fence, ids written ``C1`` or ``3``,
an id it was not asked about, quotes retyped (``...`` for the article's ``…``,
shortened with `` ... ``, lightly paraphrased) or invented, a counter-point that
labels itself "(to verify)", four summary lines where three were asked, and a
sourcing reading that differs from the offline audit where the audit is wrong.
The content is what such a model knows as of early 2023; it is test data, not a
fact-check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tests.servers.openai_server import Reply, SeenRequest, answer, error

INVENTED_QUOTE = "Russia has already taken delivery of the first American weapons from the Taliban"

ROUND1_CLAIMS: list[dict[str, Any]] = [
    {
        "sentence": "S2",
        "quote": "Rep. Jim Banks of Indiana told Newsmax of a report that indicates Russian President Vladimir "
        "Putin is in negotiations with the Taliban to purchase the weapons the U.S. left behind",
        "claimant": "Rep. Jim Banks, citing a report",
        "why_it_matters": "It is the news the headline announces; everything else in the piece hangs on it.",
    },
    {
        "sentence": "S6",
        "quote": "The Telegram account of General SVR, widely reported to be run by a former Russian intelligence "
        "officer, said Tuesday that Putin is negotiating with the Taliban ... by offering to recognize the "
        "government in exchange for weapons",
        "claimant": "the General SVR Telegram channel",
        "why_it_matters": "It is the only original source of the report, and it is an anonymous channel.",
    },
    {
        "sentence": "S3",
        "quote": "The sudden withdrawal from Afghanistan in 2021 not only left behind over $7 billion in military "
        "equipment and weapons",
        "claimant": "the author",
        "why_it_matters": "The size of the arsenal at stake is what makes the reported deal matter.",
    },
    {
        "sentence": "S13",
        "quote": "We've given Ukraine around $100 billion to fund the war against Russia",
        "claimant": "the author",
        "why_it_matters": "The article's case that aid is wasted starts from this total.",
    },
    {
        "sentence": "S14",
        "quote": "Since only 30 percent of that money we sent them makes it to the front line",
        "claimant": "the author",
        "why_it_matters": "A claim that most aid goes missing would be major news if true.",
    },
    {
        "sentence": None,
        "quote": INVENTED_QUOTE,
        "claimant": "the author",
        "why_it_matters": "It would show the deal already happened.",
    },
    {
        "sentence": "S11",
        "quote": "To find out all of those weapons ... are going to end up in the hands of one of our biggest enemies",
        "claimant": "Rep. Jim Banks",
        "why_it_matters": "It states as certain what the report only says is being negotiated.",
    },
    {
        "sentence": "S4",
        "quote": "Russia needs this equipment for its army as it continues to wage war with Ukraine",
        "claimant": "the author",
        "why_it_matters": "It is the motive the article gives for the deal.",
    },
]

ROUND1 = (
    "<think>\nThe piece is a partisan write-up of a report relayed by Rep. Banks on Newsmax. The central claim is "
    "the negotiation itself {Banks -> Newsmax -> General SVR}; then the figures ($7 billion, $100 billion, 30 "
    'percent). I will answer with {"claims": [...]} and keep opinion out.\n</think>\n'
    + json.dumps({"claims": ROUND1_CLAIMS}, ensure_ascii=False, indent=2)
    + "\n\nI left out the opinion lines (e.g. that the administration's end {can't come soon enough}); "
    "the order is by importance. }"
)


def _analysis(claim_id: str, sourcing: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"claim_id": claim_id, "sourcing": sourcing, **fields}


ROUND2_DATA: dict[str, Any] = {
    "analyses": [
        _analysis(
            "C1",
            {
                "status": "secondhand",
                "source": "Rep. Jim Banks",
                "chain": ["Rep. Jim Banks", "Newsmax", "General SVR Telegram account"],
                "link": None,
                "gap": "Neither the Newsmax segment nor the Telegram post is linked.",
            },
            article_support="Only Rep. Banks's word on Newsmax, relaying the Telegram post; no document.",
            context="In January 2023 several right-leaning outlets relayed a claim by the General SVR Telegram "
            "channel that Russia was negotiating with the Taliban for US-made weapons. As of January 2023 no US, "
            "Russian or Taliban official had confirmed such talks.",
            counter_evidence=[
                {
                    "text": "No government confirmed the negotiations as of January 2023.",
                    "verify_with": "State Department and Pentagon press briefings, January 2023",
                },
                {
                    "text": "General SVR is anonymous and has published claims later shown to be false, such as "
                    "repeated reports that Putin was gravely ill. (to verify)",
                    "verify_with": "BBC Monitoring and other fact-checks of General SVR claims",
                },
            ],
            questions=[
                "Ask Rep. Banks's office which report he meant and whether he saw anything beyond the Telegram post.",
                "Ask the Pentagon whether US equipment left in Afghanistan has been moved to Russia.",
            ],
            confidence="medium",
        ),
        _analysis(
            "C2",
            {
                "status": "secondhand",
                "source": "Newsmax",
                "chain": ["Newsmax", "The Telegram account of General SVR"],
                "link": None,
                "gap": "The Telegram post is neither linked nor quoted in full.",
            },
            article_support="One sentence quoted from the post, as relayed by Newsmax.",
            context="General SVR is an anonymous Telegram channel that claims ties to Russian intelligence; its "
            "claims have rarely been confirmed.",
            counter_evidence=[
                {
                    "text": "The channel's authorship is unverified; \u201cwidely reported\u201d rests on its own claims.",
                    "verify_with": "media profiles of the General SVR channel",
                }
            ],
            questions=["Ask Newsmax whether it contacted anyone beyond the Telegram post."],
            confidence="medium",
        ),
        _analysis(
            "3",
            {"status": "unattributed", "source": None, "chain": [], "link": None, "gap": "No source for $7 billion."},
            article_support=None,
            context="The Defense Department told Congress in 2022 that about $7.12 billion of equipment provided to "
            "Afghan forces since 2005 remained in Afghanistan when the US left in August 2021; much of it was not "
            "operational.",
            counter_evidence=[
                {
                    "text": "The $7.12 billion covers equipment given to Afghan forces over 16 years, not gear US "
                    "forces left behind in the 2021 withdrawal.",
                    "verify_with": "DoD report to Congress on equipment left in Afghanistan (2022)",
                },
                {
                    "text": "Much of that equipment was disabled, unmaintained or unusable.",
                    "verify_with": "SIGAR reports on Afghan security forces equipment (2022)",
                },
            ],
            questions=["Ask the article's author where the figure comes from."],
            confidence="high",
        ),
        _analysis(
            "c4",
            {"status": "unattributed", "source": None, "chain": [], "link": None, "gap": "No source for the total."},
            article_support=None,
            context="Congress approved about $113 billion in Ukraine-related funding in 2022, as of January 2023; "
            "that total includes economic and humanitarian aid and money not yet spent.",
            counter_evidence=[
                {
                    "text": "Approved funding is not aid given: much of it had not been disbursed by January 2023.",
                    "verify_with": "Congressional Research Service reports; Kiel Institute Ukraine Support Tracker",
                }
            ],
            questions=["Ask which aid total the author means, and as of what date."],
            confidence="medium",
        ),
        _analysis(
            "c5",
            {
                "status": "unattributed",
                "source": None,
                "chain": [],
                "link": None,
                "gap": "No source at all for the 30 percent figure.",
            },
            article_support=None,
            context="A 30 percent figure appeared in a CBS News documentary in August 2022; CBS later updated it. "
            "US inspectors general had reported no evidence of large-scale diversion as of early 2023.",
            counter_evidence=[
                {
                    "text": "CBS News updated its documentary that had cited the 30 percent figure.",
                    "verify_with": "CBS News, \u201cArming Ukraine\u201d (August 2022) and its editor's note",
                },
                {
                    "text": "The Pentagon's inspector general found no evidence of significant diversion.",
                    "verify_with": "DoD Inspector General oversight reports on Ukraine aid (2023)",
                },
                {"text": "Most aid is not cash, so \u201cstacks of cash\u201d misdescribes it.", "verify_with": None},
                {"text": "A fourth point the engine must cut.", "verify_with": None},
            ],
            questions=["Ask the author for the source of the 30 percent figure."],
            confidence="medium",
        ),
        _analysis(
            "c6",
            {
                "status": "named_unlinked",
                "source": "Rep. Jim Banks",
                "chain": [],
                "link": None,
                "gap": "The interview is not linked.",
            },
            article_support="Banks's own words on \u201cRob Schmitt Tonight\u201d.",
            context="The Taliban seized much of the Afghan forces' equipment in 2021. As of January 2023 there was "
            "no public evidence of any transfer to Russia.",
            counter_evidence=[
                {
                    "text": "The quote states as certain what the report only says is under negotiation.",
                    "verify_with": "the Newsmax interview transcript",
                }
            ],
            questions=["Ask Rep. Banks what evidence supports \u201cgoing to end up\u201d."],
            confidence="low",
        ),
        _analysis(
            "c7",
            {
                "status": "unattributed",
                "source": None,
                "chain": [],
                "link": None,
                "gap": "The writer asserts Russia's need without a source.",
            },
            article_support=None,
            context="Western officials reported Russian shortages of some munitions and vehicles in late 2022.",
            counter_evidence=[
                {
                    "text": "Most US equipment in Afghanistan (Humvees, small arms) would meet few of Russia's needs.",
                    "verify_with": "defence analysts' assessments, e.g. the International Institute for "
                    "Strategic Studies",
                }
            ],
            questions=["Ask a defence analyst which of the equipment could serve Russia."],
            confidence="low",
        ),
        _analysis(
            "c8",
            {
                "status": "secondhand",
                "source": "Newsmax",
                "chain": ["Newsmax", "The Telegram account of General SVR"],
                "link": None,
                "gap": "Newsmax relays the Telegram channel's claim; neither is linked.",
            },
            article_support="The article credits Newsmax, without a link; the claim is the Telegram channel's.",
            context="Russia had not recognised the Taliban government as of January 2023.",
            counter_evidence=[],
            questions=["Ask Newsmax for the report the sentence refers to."],
            confidence="medium",
        ),
        _analysis(
            "C9",
            {"status": "unattributed", "source": None, "chain": [], "link": None, "gap": None},
            article_support=None,
            context="A claim nobody asked about.",
            counter_evidence=[],
            questions=[],
            confidence="low",
        ),
    ],
    "summary": [
        "A congressman relays a Telegram report that Russia is negotiating with the Taliban for US weapons.",
        "The report rests on one anonymous channel; the figures have no sources.",
        "Nothing had confirmed the talks as of January 2023.",
        "The piece mixes opinion with the news.",
    ],
    "sourcing_verdict": "None of the 8 key claims rests on a named, linked source; the central one is relayed "
    "second-hand from an anonymous Telegram channel.",
    "flags": [
        {
            "kind": "opinion_as_fact",
            "quotes": [
                "This is Biden flushing billions and billions of our taxpayer dollars away with his incompetence"
            ],
            "note": "Opinion stated as fact.",
        },
        {
            "kind": "inconsistency",
            "quotes": [
                "But now our own weapons will be used to fight...our own weapons.",
                "if the reports are true and come to fruition",
            ],
            "note": "The article states the deal as certain, then says it depends on the reports being true.",
        },
        {"kind": "opinion_as_fact", "quotes": ["A sentence that is nowhere in the article."], "note": "Dropped."},
    ],
}

ROUND2 = (
    "<think>\nEight claims. C1 and C2 are the same chain; c8 credits Newsmax, but \u201callegedly\u201d is the "
    "Telegram channel's claim {quoted below it}, relayed.\n</think>\n"
    "Here is the analysis:\n```json\n"
    + json.dumps(ROUND2_DATA, ensure_ascii=False, indent=2)
    + "\n```\nNote: claim C9 {extra} is included for completeness. }"
)


@dataclass
class SampleModel:
    """Answers the engine's two requests on the sample article with the answers above."""

    def __call__(self, request: SeenRequest) -> Reply:
        if request.schema_name == "FoundClaims":
            return answer(ROUND1)
        if request.schema_name == "ArticleAnalysis":
            return answer(ROUND2)
        return error(400, message="the sample model answers two requests only")
