"""What the pipeline needs from an analysis engine (the LLM engine, or any other), as Protocols.

``bot.pipeline`` and the adapters hold an engine by this type only, so a new engine (another
provider, a scripted one) fits without touching them, and mypy checks that it fits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from bot.events import ClaimAnalysed, ClaimsFound
from bot.evidence.stage import EvidencePack
from bot.evidence.step import EvidenceLookup
from bot.models import Article, ArticleFlag, Candidate, Claim, Usage


class EngineResult(Protocol):
    """The engine's last event: the analysed claims and what goes into the report beside them."""

    @property
    def claims(self) -> Sequence[Claim]: ...
    @property
    def summary(self) -> Sequence[str]: ...
    @property
    def sourcing_verdict(self) -> str | None: ...
    @property
    def usage(self) -> Usage: ...
    @property
    def warnings(self) -> Sequence[str]: ...
    @property
    def failed(self) -> bool: ...  # the analysis failed: the claims are the offline ones
    @property
    def flags(self) -> Sequence[ArticleFlag]: ...
    @property
    def unmatched_quotes(self) -> Sequence[str]: ...
    @property
    def evidence(self) -> EvidencePack | None: ...  # what the analysis read (None: no lookup, or it failed first)


class AnalysisEngine(Protocol):
    @property
    def model(self) -> str: ...
    @property
    def prompt_version(self) -> str: ...
    @property
    def model_cutoff(self) -> str | None: ...

    def run(
        self,
        *,
        article: Article,
        candidates: Sequence[Candidate],
        offline_claims: Sequence[Claim],
        max_claims: int,
        evidence: EvidenceLookup | None = None,
    ) -> AsyncIterator[ClaimsFound | ClaimAnalysed | EngineResult]:
        """Progress events, then one result, always last."""
        ...

    async def aclose(self) -> None: ...
