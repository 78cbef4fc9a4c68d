"""The two rounds' messages, with the article kept out of the system role.

Everything that comes from the page (title, text, links, the offline audit's
source names) and every model answer sent back goes into the user message, inside
a block fenced by a random per-request marker that only the system prompt names
(spotlighting, arXiv 2403.14720). The system message is built from our prompt
files, Settings and validated values only. The article goes out once per request
(``bot.llm.view``): candidates and claims are marks in it, not copies of it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.config import Settings
from bot.evidence.citations import Sources
from bot.llm import limits
from bot.llm.prompts import Prompts
from bot.llm.sanitize import safe_language
from bot.llm.view import ArticleView, one_line
from bot.models import Article, Candidate, Claim

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


@dataclass(frozen=True)
class Messages:
    system: str
    user: str
    marker: str  # the data block's marker, named in ``system``


def find_claims_messages(
    *, prompts: Prompts, view: ArticleView, candidates: Sequence[Candidate], max_claims: int, language: str
) -> Messages:
    """Round 1: the article with sentence ids, and the classifier's best sentences named by id."""
    marker = new_marker()
    system = prompts.render(
        "find_claims.system.md",
        untrusted_rules=prompts.fragment("untrusted_data.md", marker=marker),
        max_claims=max_claims,
        language=language,
        today=date.today().isoformat(),
    )
    best: dict[int, float] = {}
    for candidate in candidates:
        number = view.sentence_number(candidate.start, candidate.end)
        if number is not None:
            best[number] = max(best.get(number, 0.0), candidate.score)
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[: limits.CHECKWORTHY_HINTS]
    hints = ", ".join(f"S{number} {score:.2f}" for number, score in ranked) or "none"
    user = prompts.render(
        "find_claims.user.md",
        max_claims=max_claims,
        marker=marker,
        article=view.render(sentence_ids=True),
        hints=hints,
    )
    return Messages(system, user, marker)


def _claim_line(claim: Claim, view: ArticleView) -> str:
    sourcing = claim.sourcing
    audit = [f"status={sourcing.status.value}"]
    if sourcing.source:
        audit.append(f"source={one_line(sourcing.source, 200)}")
    if sourcing.cue:
        audit.append(f"cue={one_line(sourcing.cue, 60)}")
    link_number = view.link_number(sourcing.link)
    if link_number:
        audit.append(f"link=L{link_number}")
    if sourcing.chain:
        audit.append("chain=" + " > ".join(one_line(part, 100) for part in sourcing.chain))
    parts = [claim.id]
    if claim.claimant:
        parts.append(f"claimant: {one_line(claim.claimant, 200)}")
    parts.append(f"offline audit: {'; '.join(audit)}")
    return " | ".join(parts)


def analyse_messages(
    *,
    prompts: Prompts,
    view: ArticleView,
    claims: Sequence[Claim],
    analyse: Sequence[Claim],
    with_summary: bool,
    language: str,
    cutoff: str | None,
    sources: Sources | None = None,
) -> Messages:
    """Round 2: the article with every claim marked in place; ``analyse`` are the ones this request answers for.

    With ``sources``, the passages retrieved for ``analyse`` follow the claims, inside the same data block."""
    marker = new_marker()
    summary_rules = (
        prompts.render("analyse_claims.summary.md", summary_lines=limits.SUMMARY_LINES, max_flags=limits.FLAGS).rstrip()
        if with_summary
        else ""
    )
    cutoff_note = (
        prompts.fragment("cutoff.known.md", cutoff=cutoff) if cutoff else prompts.fragment("cutoff.unknown.md")
    )
    passages = sources.prompt_block(analyse, link_number=view.link_number) if sources is not None else ""
    evidence_rules = prompts.fragment("evidence.rules.md" if passages else "evidence.none.md")
    system = prompts.render(
        "analyse_claims.system.md",
        untrusted_rules=prompts.fragment("untrusted_data.md", marker=marker),
        evidence_rules=evidence_rules,
        summary_rules=summary_rules,
        cutoff_note=cutoff_note,
        max_counter=limits.COUNTER_POINTS,
        max_questions=limits.QUESTIONS,
        language=language,
        today=date.today().isoformat(),
    )
    user = prompts.render(
        "analyse_claims.user.md",
        claim_ids=", ".join(claim.id for claim in analyse),
        marker=marker,
        article=view.render(sentence_ids=False, claims=[(c.id, c.start, c.end) for c in claims]),
        claims="\n".join(_claim_line(claim, view) for claim in claims),
        evidence=f"\n## Retrieved passages (other pages; cite them by number)\n{passages}" if passages else "",
    )
    return Messages(system, user, marker)
