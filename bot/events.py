"""Progress events that ``bot.pipeline.check`` yields, in this order:

    ArticleReady -> ClaimsFound -> ClaimAnalysed (once per claim, LLM only) -> Finished

``Finished`` is always the last event, also on failure, so an adapter never goes silent.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import Article, Claim, Report
from bot.outcome import Outcome, user_message


@dataclass(frozen=True, slots=True)
class ArticleReady:
    article: Article


@dataclass(frozen=True, slots=True)
class ClaimsFound:
    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class ClaimAnalysed:
    claim: Claim
    index: int  # progress: how many claims are analysed so far, this one included (1..total, always rising)
    total: int


@dataclass(frozen=True, slots=True)
class Finished:
    outcome: Outcome
    report: Report | None = None  # set when outcome is OK or LLM_FAILED
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.report is not None

    @property
    def message(self) -> str:
        return user_message(self.outcome, self.detail)


Event = ArticleReady | ClaimsFound | ClaimAnalysed | Finished
