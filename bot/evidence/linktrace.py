"""Source tracing: the article's own links beside a claim, fetched and read against the claim.

A verdict per link: ``supports`` (the page holds the claim's figures and names; the passage is
given), ``not_found`` (it does not: which ones are missing), ``dead`` (error, timeout, refused),
``unreadable`` (paywall, PDF, not an article). ``contradicts`` needs a reader: only the language
model gives it (``bot.evidence.citations``).
"""

from __future__ import annotations

from bot.evidence.fragments import fragment_url
from bot.evidence.mentions import mentions, normalize_numbers
from bot.evidence.pages import PageText
from bot.evidence.passages import rank, split_passages
from bot.evidence.terms import ClaimTerms
from bot.models import Article, Claim, LinkCheck, OutboundLink
from bot.outcome import Outcome
from bot.sentences import sentence_spans
from bot.sourcing.linking import navigation_link, who_page

MAX_LINKS_PER_CLAIM = 2
MAX_MISSING = 3
_UNREADABLE = frozenset({Outcome.PAYWALL, Outcome.NOT_ARTICLE, Outcome.TOO_LARGE, Outcome.NO_ARTICLE_TEXT})
# Why a link is dead or unreadable, in a few words (the outcome's own detail is added when it is ours).
FAILURE_DETAILS: dict[Outcome, str] = {
    Outcome.BLOCKED_URL: "refused: a private or internal address",
    Outcome.INVALID_URL: "refused: not a public web link",
    Outcome.DNS_FAILED: "the site's name does not resolve",
    Outcome.FETCH_FAILED: "could not connect",
    Outcome.HTTP_ERROR: "the site answered with an error",
    Outcome.TOO_SLOW: "no answer in time",
    Outcome.TOO_MANY_REDIRECTS: "too many redirects",
    Outcome.PAYWALL: "behind a paywall or login",
    Outcome.NOT_ARTICLE: "not a web page (a PDF, an image or a file)",
    Outcome.TOO_LARGE: "too large to read",
    Outcome.NO_ARTICLE_TEXT: "no article text on the page",
}
_OWN_DETAIL = frozenset({Outcome.HTTP_ERROR, Outcome.NOT_ARTICLE})  # "HTTP 404", "application/pdf"
NOT_BACK_IN_TIME = "not back within the evidence deadline"


def links_for_claim(article: Article, claim: Claim) -> list[OutboundLink]:
    """Links inside the claim's sentence first, then in the sentence just before or after it (same paragraph)."""
    sentences = [s for s in sentence_spans(article.text)]
    here = next((i for i, s in enumerate(sentences) if s.start <= claim.start < s.end), None)
    inside = [link for link in article.links if link.start < claim.end and link.end > claim.start]
    beside: list[OutboundLink] = []
    if here is not None:
        paragraph = next((p for p in article.paragraphs if p.start <= claim.start < p.end), None)
        for near in (here - 1, here + 1):
            if 0 <= near < len(sentences):
                span = sentences[near]
                if paragraph is None or paragraph.start <= span.start < paragraph.end:
                    beside += [link for link in article.links if span.start <= link.start < span.end]
    chosen: list[OutboundLink] = []
    for link in [*inside, *beside]:
        if navigation_link(link) or who_page(link):
            continue  # a site's tag page on "Fortnite", a front or about page: who or what, not a source to read
        if link.url not in {c.url for c in chosen} and link.url.lower().startswith(("http://", "https://")):
            chosen.append(link)
    return chosen[:MAX_LINKS_PER_CLAIM]


def failed_check(url: str, outcome: Outcome, detail: str | None) -> LinkCheck:
    words = FAILURE_DETAILS.get(outcome, "could not be read")
    if outcome in _OWN_DETAIL and detail:
        words = f"{words} ({detail})"
    verdict = "unreadable" if outcome in _UNREADABLE else "dead"
    return LinkCheck(url=url, verdict=verdict, detail=words)


def read_check(url: str, page: PageText, terms: ClaimTerms, *, language: str | None) -> LinkCheck:
    """``supports`` or ``not_found`` for a page that was read.

    A source must hold every figure of the claim and most of the names it is about (a claim's incidental
    names, "Uncle Sam", need not be on it); with neither, its first key terms. ``missing`` names the
    figures when one is missing, since that is what an editor checks first, else the names."""
    text = normalize_numbers(page.text)
    figures = [figure for figure in terms.figures if not mentions(text, figure, is_figure=True)]
    names = [name for name in terms.required if name not in terms.figures]
    absent = [name for name in names if not mentions(text, name, is_figure=False)]
    if terms.figures or names:
        holds = not figures and len(absent) <= len(names) // 2
    else:  # nothing to anchor on but words: the first key terms must all be there
        absent = [word for word in terms.keywords[:3] if not mentions(text, word, is_figure=False)]
        holds = not absent
    best = rank(split_passages(page.text), " ".join((*terms.names, *terms.figures, *terms.keywords)), language=language)
    if not holds:
        return LinkCheck(url=url, verdict="not_found", missing=(figures or absent)[:MAX_MISSING])
    if not best:
        return LinkCheck(url=url, verdict="supports")
    passage = best[0].passage
    return LinkCheck(
        url=url,
        verdict="supports",
        quote=passage.text,
        fragment_url=fragment_url(page.final_url, text=page.text, start=passage.start, end=passage.end),
    )
