"""The two requests' messages, with the article kept out of the system role.

Everything that comes from the page (title, text, links, sentences, quotes, the
offline audit's source names) goes into the user message, inside a block fenced
by a random per-request marker that only the system prompt names (spotlighting,
arXiv 2403.14720). The system message is built from our prompt files, Settings
and validated values only.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from bot.config import Settings
from bot.llm.prompts import Prompts
from bot.llm.sanitize import safe_language
from bot.models import Article, Candidate, Claim, OutboundLink
from bot.sentences import Span, paragraph_spans

MAX_LINKS = 40
MAX_CANDIDATES = 30
ARTICLE_LANGUAGE = "the language of the article"
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def new_marker() -> str:
    """A delimiter the page cannot predict, so it cannot close the data block early."""
    return f"DATA-{secrets.token_hex(8)}"


def reply_language(*, settings: Settings, article: Article) -> str:
    """What the system prompt asks for: FACTCHECK_LANGUAGE, else the article's (validated) language."""
    language = safe_language(settings.language) or safe_language(article.language)
    if language is None:
        return ARTICLE_LANGUAGE
    if _LANGUAGE_CODE.match(language):
        return f'the language with the code "{language}"'
    return language


def _one_line(value: str | None, limit: int = 300) -> str:
    return " ".join((value or "").split())[:limit]


@dataclass(frozen=True)
class ArticleView:
    """The article as the model sees it: numbered paragraphs (cut to the input cap) and numbered links."""

    header: str
    paragraphs: tuple[Span, ...]
    links: tuple[OutboundLink, ...]
    truncated: bool

    @classmethod
    def build(cls, *, article: Article, max_chars: int) -> ArticleView:
        spans = [Span(p.start, p.end, article.text[p.start : p.end]) for p in article.paragraphs]
        if not spans:
            spans = paragraph_spans(article.text)
        kept: list[Span] = []
        used = 0
        truncated = False
        for span in spans:
            if used + len(span.text) > max_chars:
                room = max_chars - used
                if room > 200:
                    kept.append(Span(span.start, span.start + room, span.text[:room]))
                truncated = True
                break
            kept.append(span)
            used += len(span.text)
        limit = kept[-1].end if kept else 0
        links = tuple(link for link in article.links if link.start < limit)[:MAX_LINKS]
        host = urlsplit(article.final_url or article.url or "").hostname
        header_lines = [
            f"Title: {_one_line(article.title) or 'unknown'}",
            f"Outlet: {_one_line(article.site_name) or host or 'unknown'}",
            f"Author: {_one_line(article.author) or 'unknown'}",
            f"Published: {_one_line(article.published, 40) or 'unknown'}",
        ]
        return cls(header="\n".join(header_lines), paragraphs=tuple(kept), links=links, truncated=truncated)

    def paragraph_of(self, offset: int) -> int | None:
        for number, span in enumerate(self.paragraphs, start=1):
            if span.start <= offset < span.end:
                return number
        return None

    def link_number(self, url: str | None) -> int | None:
        for number, link in enumerate(self.links, start=1):
            if url and link.url == url:
                return number
        return None

    def render(self) -> str:
        parts = [self.header, "", "## Article text (paragraphs numbered)"]
        parts += [f"[P{number}] {span.text}" for number, span in enumerate(self.paragraphs, start=1)]
        if self.truncated:
            parts.append("[... the rest of the article was cut for length ...]")
        if self.links:
            parts += ["", "## Links in the article"]
            for number, link in enumerate(self.links, start=1):
                where = self.paragraph_of(link.start)
                place = f" (in P{where})" if where else ""
                parts.append(f'[L{number}] "{_one_line(link.anchor, 120)}" -> {link.url[:300]}{place}')
        return "\n".join(parts)


def find_claims_messages(
    *,
    prompts: Prompts,
    view: ArticleView,
    candidates: Sequence[Candidate],
    max_claims: int,
    language: str,
    marker: str,
) -> tuple[str, str]:
    """(system, user) for round 1."""
    rules = prompts.render("untrusted_data.md", marker=marker)
    system = prompts.render(
        "find_claims.system.md",
        untrusted_rules=rules,
        max_claims=max_claims,
        language=language,
        today=date.today().isoformat(),
    )
    ranked = sorted(candidates, key=lambda c: c.score, reverse=True)[:MAX_CANDIDATES]
    lines = [view.render(), "", "## Candidate sentences (check-worthiness score, paragraph)"]
    for number, candidate in enumerate(sorted(ranked, key=lambda c: c.start), start=1):
        where = view.paragraph_of(candidate.start)
        lines.append(f"[S{number}] ({candidate.score:.2f}, P{where or '?'}) {_one_line(candidate.text, 600)}")
    user = prompts.render("find_claims.user.md", max_claims=max_claims, marker=marker, article="\n".join(lines))
    return system, user


def _claim_block(claim: Claim, view: ArticleView) -> str:
    where = view.paragraph_of(claim.start)
    sourcing = claim.sourcing
    audit = [f"status={sourcing.status.value}"]
    if sourcing.source:
        audit.append(f"source={_one_line(sourcing.source, 200)}")
    if sourcing.cue:
        audit.append(f"cue={_one_line(sourcing.cue, 60)}")
    link_number = view.link_number(sourcing.link)
    if link_number:
        audit.append(f"link=L{link_number}")
    if sourcing.chain:
        audit.append("chain=" + " > ".join(_one_line(part, 100) for part in sourcing.chain))
    lines = [f'[{claim.id}] (P{where or "?"}) "{_one_line(claim.quote, 1200)}"']
    if claim.claimant:
        lines.append(f"  claimant: {_one_line(claim.claimant, 200)}")
    if claim.why_it_matters:
        lines.append(f"  why it matters: {_one_line(claim.why_it_matters, 400)}")
    lines.append(f"  offline sourcing audit: {'; '.join(audit)}")
    return "\n".join(lines)


def analyse_messages(
    *,
    prompts: Prompts,
    view: ArticleView,
    claims: Sequence[Claim],
    with_summary: bool,
    language: str,
    marker: str,
) -> tuple[str, str]:
    """(system, user) for one round-2 request over ``claims``."""
    rules = prompts.render("untrusted_data.md", marker=marker)
    summary_rules = prompts.texts["analyse_claims.summary.md"] if with_summary else ""
    system = prompts.render(
        "analyse_claims.system.md",
        untrusted_rules=rules,
        summary_rules=summary_rules,
        language=language,
        today=date.today().isoformat(),
    )
    user = prompts.render(
        "analyse_claims.user.md",
        claim_ids=", ".join(claim.id for claim in claims),
        marker=marker,
        article=view.render(),
        claims="\n".join(_claim_block(claim, view) for claim in claims),
    )
    return system, user
