"""A scripted model that answers the engine as a capable model does on a news article.

``FactcheckModel`` (openai_server.py) answers with one-line stand-ins; the report view needs the
lengths and habits of real answers to be measured honestly: 2-4 sentences of context with dates,
two or three specific counter-points (one with the model's own "(to verify)"), three questions
naming whom to ask, a sourcing reading that mostly agrees with the offline audit. Lengths follow
the reports the issue measured (about 11k characters for 8 claims). Deterministic: the same
request always gets the same answer.

    with OpenAIServer(responder=NewsroomModel()) as server: ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.servers.openai_server import FactcheckModel, audit_fields, marked_claims

_FIGURE = re.compile(r"(?:\$\s?)?\d[\d,.]*(?:\s?(?:billion|million|percent|per cent|%))?", re.IGNORECASE)
_NAME = re.compile(r"\b(?:[A-Z][a-z]+\.? ){1,3}[A-Z][a-z]+\b")
_CONFIDENCE = ("medium", "low", "high", "medium")


_NOT_NAMES = {"On", "As", "The", "In", "A", "An", "Since", "This", "To", "We", "But", "And", "It", "If", "When"}


def _name(quote: str) -> str | None:
    for match in _NAME.finditer(quote):
        words = match.group(0).split()
        while words and words[0].rstrip(".") in _NOT_NAMES:
            words = words[1:]
        if len(words) >= 2:
            return " ".join(words)
    return None


def _subject(quote: str) -> str:
    for figure in _FIGURE.finditer(quote):
        text = figure.group(0).strip()
        if not re.fullmatch(r"(?:19|20)\d\d", text) and re.search(r"\$|billion|million|percent|%", text, re.I):
            return f"the figure {text}"
    return _name(quote) or "this account"


@dataclass
class NewsroomModel(FactcheckModel):
    claims: int = 8

    def find_claims(self, block: str) -> dict[str, Any]:
        found = super().find_claims(block)["claims"]
        for index, claim in enumerate(found):
            subject = _subject(claim["quote"])
            name = _name(claim["quote"])
            claim["claimant"] = name if name and index % 3 == 0 else "the author"
            claim["why_it_matters"] = (
                f"The article's case rests on {subject}; if it is wrong, its central charge loses its support."
            )
        return {"claims": found}

    def analyse(self, block: str, *, with_summary: bool, asked: list[str]) -> dict[str, Any]:
        analyses = []
        quotes, audits = marked_claims(block), audit_fields(block)
        for index, claim_id in enumerate(asked):
            quote = quotes.get(claim_id, "")
            subject = _subject(quote)
            audit = audits.get(claim_id, {})
            status = audit.get("status", "unattributed")
            link = audit.get("link")
            analyses.append(
                {
                    "claim_id": claim_id,
                    "context": (
                        f"As of the article's date, {subject} did not match the official record; the closest public "
                        "estimates came from government audit reports published the year before, and they were "
                        "revised several times since. Check the latest revision before relying on either number."
                    ),
                    "sourcing": {
                        "status": status,
                        "source": audit.get("source"),
                        "gap": (
                            f"The article gives no document, dataset or named official for {subject}, so a reader "
                            "cannot check where it comes from."
                            if status != "named_linked"
                            else None
                        ),
                        "link": int(link[1:]) if link and link[1:].isdigit() else None,
                    },
                    "counter_evidence": [
                        f"Official audit reports give a narrower estimate for {subject}, and count only money "
                        "that was actually spent.",
                        f"Later reporting questioned how {subject} was calculated, mixing several years of "
                        "spending with a single year's budget (to verify)",
                    ]
                    + (
                        ["No independent outlet had confirmed the account when the article ran."]
                        if index % 2 == 0
                        else []
                    ),
                    "questions": [
                        f"Which document or dataset does {subject} come from?",
                        "Has the agency named in the claim confirmed or corrected it since?",
                        "Would an independent budget analyst stand behind it?",
                    ],
                    "confidence": _CONFIDENCE[index % len(_CONFIDENCE)],
                }
            )
        result: dict[str, Any] = {"analyses": analyses}
        if with_summary:
            result["summary"] = [
                "The article makes a serious charge and backs it with large figures and second-hand accounts.",
                "It rests on a chain of tellers ending in an anonymous source, plus figures with no source.",
                "Readers should treat the charge as unconfirmed and check the figures against official audits.",
            ]
            result["sourcing_verdict"] = (
                "Weak: the central claim comes second- or third-hand from an anonymous source, and the load-bearing "
                "figures have no source at all; only two claims are named and linked."
            )
        return result
