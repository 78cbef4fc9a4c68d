"""The typed data that flows through the pipeline and out to every adapter.

``Report`` is a public contract (``schema_version`` 1): newsroom tools parse its
JSON, so field names only ever get added, never renamed or removed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal[1] = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- article


class OutboundLink(_Model):
    """A link inside the article body: where it points and what it sits in."""

    url: str
    anchor: str  # the link text as shown to the reader
    start: int  # offsets of the anchor text in Article.text
    end: int
    sentence: str = ""  # the sentence the link sits in


class Paragraph(_Model):
    start: int  # offsets in Article.text
    end: int


class Article(_Model):
    """An extracted article. ``text`` is the reference for every offset."""

    url: str | None = None  # what the user gave (normalized); None for pasted text
    final_url: str | None = None  # after redirects
    title: str | None = None
    site_name: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date as found on the page
    language: str | None = None
    text: str
    paragraphs: list[Paragraph] = Field(default_factory=list)
    links: list[OutboundLink] = Field(default_factory=list)
    content_hash: str = ""  # sha256 of text: part of the cache key
    cut_from_chars: int | None = None  # the text was cut to the analysis bound from about this many characters

    @property
    def word_count(self) -> int:
        return len(self.text.split())


# ---------------------------------------------------------------- claims


class Candidate(_Model):
    """A sentence scored by the offline check-worthiness model."""

    start: int  # offsets in Article.text
    end: int
    text: str
    score: float  # 0..1, probability that the sentence is check-worthy


class SourcingStatus(str, Enum):
    NAMED_LINKED = "named_linked"  # a named person/body/document, with a link in the article
    NAMED_UNLINKED = "named_unlinked"
    ANONYMOUS = "anonymous"  # "officials said", "sources say", an unnamed report
    SECONDHAND = "secondhand"  # a chain: X told Y of a report by Z
    UNATTRIBUTED = "unattributed"  # the writer asserts it
    NOT_ASSESSED = "not_assessed"  # the audit does not read the page's language: no label rather than a guess


class Sourcing(_Model):
    status: SourcingStatus
    source: str | None = None  # who stands behind the claim, as written
    cue: str | None = None  # "told", "according to", "said"
    link: str | None = None  # the article's link to the source, if any
    gap: str | None = None  # one line: what the reader cannot check
    chain: list[str] = Field(default_factory=list)  # secondhand: outermost teller first


Basis = Literal["model_knowledge", "article", "retrieval"]


class CounterEvidence(_Model):
    text: str
    basis: Basis = "model_knowledge"
    to_verify: bool = True  # true until retrieval backs it
    verify_with: str | None = None  # the document, agency or dataset an editor can check it against (LLM)
    evidence_ids: list[str] = Field(default_factory=list)  # Claim.evidence ids it cites, each quote checked


class SourcingDisagreement(_Model):
    """The model read a claim's sourcing differently from the offline audit; the model's reading won."""

    fields: list[Literal["status", "source", "link", "chain"]]  # what differed
    audit: Sourcing  # the offline audit's reading, as it was before the model replaced it


# ---------------------------------------------------------------- evidence

EvidenceProvider = Literal["links", "wikipedia", "fact_check_tools", "searxng", "brave"]
LinkVerdict = Literal["supports", "not_found", "contradicts", "dead", "unreadable"]


class EvidenceItem(_Model):
    """A passage of a retrieved page that bears on a claim (bot.evidence).

    ``quote`` is the page's own text, ``page_text[start:end]`` of the page as extracted: never model text.
    """

    id: str  # "e1", "e2", ... unique in the report; the model cites passages by it
    url: str  # the page, as fetched (after redirects)
    title: str | None = None
    publisher: str | None = None  # site or organisation
    published: str | None = None  # ISO date, from the page or the provider
    timing: Literal["before", "same_day", "after"] | None = None  # vs the article's date; None when one is unknown
    quote: str
    start: int  # offsets of the quote in the page's extracted text
    end: int
    provider: EvidenceProvider
    stance: Literal["supports", "contradicts", "context"] | None = None  # None: not judged (no language model)
    independent: bool = True  # False for the article's own site
    fragment_url: str  # url#:~:text=... that scrolls a browser to the quote


class LinkCheck(_Model):
    """The article's own link beside a claim, fetched and read against the claim."""

    url: str  # the link as the article gives it
    verdict: LinkVerdict
    missing: list[str] = Field(default_factory=list)  # not_found: the claim's figures and names absent from the page
    quote: str | None = None  # supports / contradicts: the page's passage
    fragment_url: str | None = None
    detail: str | None = None  # dead / unreadable: why, in a few words ("HTTP 404", "a PDF")


class PriorFactCheck(_Model):
    """An earlier fact-check of the same claim (Google Fact Check Tools)."""

    url: str
    publisher: str | None = None
    site: str | None = None
    title: str | None = None
    rating: str | None = None  # the publisher's own words ("Mostly false"); never mapped to a verdict
    review_date: str | None = None
    claim: str | None = None  # the claim as the fact-checker worded it
    claimant: str | None = None
    language: str | None = None


class EvidenceSummary(_Model):
    """What the evidence stage did for the whole report."""

    providers: list[str] = Field(default_factory=list)  # asked for this report, in order
    failed_providers: list[str] = Field(default_factory=list)  # failed or too slow (see warnings)
    pages_fetched: int = 0
    passages: int = 0  # evidence items in the report
    independent_sources: int = 0  # distinct independent sites among them
    stance_judged: bool = False  # False: passages are related by shared words only; nobody judged their stance
    counter_points: int = 0
    counter_points_cited: int = 0  # of counter_points, those citing a retrieved passage whose quote was found
    links_checked: int = 0
    prior_fact_checks: int = 0
    elapsed_ms: float = 0.0


class AnalysisStatus(str, Enum):
    NOT_RUN = "not_run"  # offline: no LLM configured or --offline
    OK = "ok"
    FAILED = "failed"  # the LLM step for this claim failed; see report warnings


class Claim(_Model):
    id: str  # "c1", "c2", ... in report order: the model's importance order with an LLM, else article order
    quote: str  # verbatim from Article.text[start:end]
    start: int
    end: int
    checkworthiness: float  # 0..1 from the offline model
    claimant: str | None = None  # who makes the claim (LLM round 1)
    why_it_matters: str | None = None
    sourcing: Sourcing
    # Filled by the LLM engine; empty in an offline report.
    article_order: int | None = None  # 1-based position of the claim among the report's claims in the article
    selected_by: Literal["model", "offline"] | None = None  # LLM report: who picked the claim
    article_support: str | None = None  # what the article itself offers for the claim (from the article only)
    sourcing_disagreement: SourcingDisagreement | None = None  # set when the model corrected the offline audit
    context: str | None = None
    context_basis: Basis | None = None  # where `context` comes from: model knowledge until a source is cited
    counter_evidence: list[CounterEvidence] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    confidence: Literal["low", "medium", "high"] | None = None
    analysis: AnalysisStatus = AnalysisStatus.NOT_RUN
    # Filled by the evidence stage (bot.evidence); empty when it is off.
    evidence: list[EvidenceItem] = Field(default_factory=list)  # cited ones first
    context_evidence_ids: list[str] = Field(default_factory=list)  # evidence ids `context` cites, quotes checked
    link_checks: list[LinkCheck] = Field(default_factory=list)
    prior_fact_checks: list[PriorFactCheck] = Field(default_factory=list)
    independent_sources: int = 0  # distinct independent sites among `evidence`


class Passage(_Model):
    """Words of the article, verbatim: ``text == Article.text[start:end]``."""

    text: str
    start: int
    end: int


class ArticleFlag(_Model):
    """Something in the article as a whole an editor should look at (LLM)."""

    kind: Literal["opinion_as_fact", "inconsistency"]
    note: str  # one sentence from the model: what is wrong
    passages: list[Passage] = Field(default_factory=list)  # the article's own words it points at


# ---------------------------------------------------------------- report


class ArticleInfo(_Model):
    url: str | None
    title: str | None
    site_name: str | None
    author: str | None
    published: str | None
    language: str | None
    text: str
    word_count: int

    @classmethod
    def from_article(cls, article: Article) -> ArticleInfo:
        return cls(
            url=article.final_url or article.url,
            title=article.title,
            site_name=article.site_name,
            author=article.author,
            published=article.published,
            language=article.language,
            text=article.text,
            word_count=article.word_count,
        )


class EngineInfo(_Model):
    mode: Literal["offline", "llm"]
    model: str | None = None
    model_cutoff: str | None = None  # FACTCHECK_MODEL_CUTOFF: the model's knowledge cut-off, e.g. "2024-10"
    prompt_version: str | None = None
    checkworthiness_model: str | None = None  # version of the shipped classifier


class Usage(_Model):
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost_usd: float | None = None  # only when prices are configured
    dropped_quotes: int = 0  # LLM claims whose quote was not in the article


class Timings(_Model):
    fetch_ms: float = 0.0
    extract_ms: float = 0.0
    claims_ms: float = 0.0
    sourcing_ms: float = 0.0
    llm_ms: float = 0.0
    evidence_ms: float = 0.0
    total_ms: float = 0.0


class Report(_Model):
    schema_version: Literal[1] = SCHEMA_VERSION
    article: ArticleInfo
    engine: EngineInfo
    claims: list[Claim] = Field(default_factory=list)
    summary: list[str] = Field(default_factory=list)  # up to three lines (LLM)
    sourcing_verdict: str | None = None  # overall, one line
    flags: list[ArticleFlag] = Field(default_factory=list)  # opinion stated as fact, internal inconsistencies
    unmatched_quotes: list[str] = Field(default_factory=list)  # model quotes not in the article: claims dropped
    notice: str | None = None  # e.g. "context and counter-evidence need an LLM: ..."
    warnings: list[str] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    timings: Timings = Field(default_factory=Timings)
    cached: bool = False
    created_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    evidence_summary: EvidenceSummary | None = None  # None when the evidence stage is off
