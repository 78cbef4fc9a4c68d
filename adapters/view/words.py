"""Every sentence and label a reader sees in a report, a progress line or the page, in one place.

Plain strings only: renderers add their own markup and escaping around them. Functions here only
fill numbers and names into fixed sentences; they never decide what is shown (``report`` does).
Add new sentences in the block they belong to (or a new block with a comment header).
"""

from __future__ import annotations

from bot.models import SourcingStatus

# ---------------------------------------------------------------- sourcing

SOURCING_LABELS: dict[SourcingStatus, str] = {
    SourcingStatus.NAMED_LINKED: "Named source, linked",
    SourcingStatus.NAMED_UNLINKED: "Named source, no link",
    SourcingStatus.ANONYMOUS: "Anonymous source",
    SourcingStatus.SECONDHAND: "Secondhand (a chain of tellers)",
    SourcingStatus.UNATTRIBUTED: "Unattributed: the writer asserts it",
    SourcingStatus.NOT_ASSESSED: "Sourcing not assessed: the audit does not read this language",
}
# One or two words, for the compact claim line, the triage and the page's colour key.
SOURCING_SHORT: dict[SourcingStatus, str] = {
    SourcingStatus.NAMED_LINKED: "named, linked",
    SourcingStatus.NAMED_UNLINKED: "named, no link",
    SourcingStatus.ANONYMOUS: "anonymous",
    SourcingStatus.SECONDHAND: "secondhand",
    SourcingStatus.UNATTRIBUTED: "no source",
    SourcingStatus.NOT_ASSESSED: "not assessed",
}

# ---------------------------------------------------------------- report sections

REPORT_TITLE = "Fact-check: {title}"
UNTITLED = "untitled article"
PASTED_TEXT = "the pasted text"
BYLINE_AUTHOR = "by {author}"
WORD_COUNT = "{count:,} words"
IN_SHORT = "In short"
VERDICT = "Sourcing overall"
TRIAGE = "Check first"
CLAIMS_ONE = "1 key claim"
CLAIMS_MANY = "{count} key claims"
NO_CLAIMS = "No check-worthy claims found in this article."
NOTHING_TO_ASSESS = "no key claims to assess."  # the sourcing verdict of a report without claims
# Instead of NO_CLAIMS when the offline analysis did not read the page's language (a warning says so).
NO_CLAIMS_LANGUAGE = "Claims not listed: the offline analysis does not read {language}."
NOTICE = "Note"
WARNING = "Warning"
CLAIM = "Claim {number}"
CONTINUED = "{title} (continued)"
PART_OF = "Part {number} of {total}"
PART_CONTINUES = "continued in the next reply"

# ---------------------------------------------------------------- claim rows (label: value)

CLAIMED_BY = "Claimed by"
SOURCE = "Source"
CHAIN = "Chain"
LINK = "Link"
GAP = "Gap"
WHY_IT_MATTERS = "Why it matters"
CONTEXT = "Context"
COUNTER_EVIDENCE = "Counter-evidence"
QUESTIONS = "Questions for the reporter"
CONFIDENCE = "Confidence"
CONFIDENCE_VALUE = "confidence {level}"
CHECKWORTHINESS = "check-worthiness {score:.2f}"
ANALYSIS_FAILED = "The language model's analysis of this claim failed; its sourcing is the offline audit's."

IN_THE_ARTICLE = "In the article"
OFFLINE_AUDIT = "Offline audit read"
AUDIT_SOURCE = "source {source}"
AUDIT_LINK = "link {link}"
AUDIT_CHAIN = "chain {chain}"
AUDIT_NONE = "none"
PICKED_OFFLINE = "picked by the offline analysis"
CHECK_WITH = "check: {what}"
CITES = "[{ids}]"

# ---------------------------------------------------------------- evidence (retrieved sources, the article's links)

ALREADY_FACT_CHECKED = "Already fact-checked"
PRIOR_FACT_CHECK = "{who}: “{rating}”"
PRIOR_FACT_CHECK_UNRATED = "{who}"
LINK_CHECK = "Linked page"
LINK_VERDICTS: dict[str, str] = {
    "supports": "holds the claim's figures and names",
    "not_found": "does not mention {missing}",
    "contradicts": "contradicts the claim",
    "dead": "could not be opened",
    "unreadable": "could not be read",
}
SOURCES = "Sources"
SOURCES_MORE = "{count} more in the full report"
STANCES: dict[str, str] = {"supports": "supports", "contradicts": "contradicts", "context": "context"}
TIMINGS: dict[str, str] = {"before": "before the article", "same_day": "the same day", "after": "after the article"}
NO_STANCE = "related passages, no stance judged"
COUNTER_POINTS_CITED = "{cited} of {total} counter-points cited"
PAGES_READ = "{count} pages read"
PROVIDERS_FAILED = "not answered: {names}"

# ---------------------------------------------------------------- the article as a whole

FLAGS = "Flags"
FLAG_KINDS: dict[str, str] = {"opinion_as_fact": "Opinion stated as fact", "inconsistency": "Inconsistency"}

# Model knowledge is said once: a mark after the label (or after an item, in a mixed list) and one legend line.
MODEL_KNOWLEDGE_MARK = "†"
MODEL_KNOWLEDGE_LEGEND = "† model knowledge, unverified: no source was retrieved for it. Verify before use."
MODEL_CUTOFF = "The model's knowledge ends around {cutoff}."
ENGINE_CUTOFF = "knowledge to {cutoff}"

# ---------------------------------------------------------------- verdict without a model


def offline_verdict(*, total: int, unattributed: int, anonymous: int, secondhand: int, linked: int) -> str:
    """One line on the sourcing of the key claims, from the audit's counts (no model wrote a verdict)."""
    if total == 0:
        return NO_CLAIMS
    parts: list[str] = []
    if unattributed:
        parts.append(f"{unattributed} of {total} key claims {'names' if unattributed == 1 else 'name'} no source")
    if anonymous:
        parts.append(f"{anonymous} {'rests on an anonymous source' if anonymous == 1 else 'rest on anonymous sources'}")
    if secondhand:
        parts.append(f"{secondhand} {'comes' if secondhand == 1 else 'come'} secondhand")
    if linked:
        parts.append(f"{linked} {'is' if linked == 1 else 'are'} named and linked")
    if not parts:
        return f"All {total} key claims are named but not linked."
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


# ---------------------------------------------------------------- triage lines

TRIAGE_NOTHING = "Every key claim is named and linked, and no counter-evidence came up."

# ---------------------------------------------------------------- footer


def footer_parts(
    *,
    model: str | None,
    cached: bool,
    total_ms: float,
    llm_calls: int,
    total_tokens: int,
    cost_usd: float | None,
    created_at: str | None = None,
    cutoff: str | None = None,
) -> list[str]:
    """Engine, time, tokens and cost: what a reader needs to judge the report."""
    parts = [f"Engine: {model}" if model else "Engine: offline analysis"]
    if model and cutoff:
        parts[0] += f" ({ENGINE_CUTOFF.format(cutoff=cutoff)})"
    if cached:
        parts.append("from the cache")
    elif total_ms:
        seconds = total_ms / 1000
        parts.append(f"{seconds:.2f} s" if seconds < 1 else f"{seconds:.1f} s")
    if llm_calls:
        parts.append(f"{llm_calls} LLM calls")
    if total_tokens:
        parts.append(f"{total_tokens:,} tokens")
    if cost_usd is not None:
        parts.append(f"${cost_usd:.4f}")
    if created_at:
        parts.append(f"checked {created_at}")
    return parts


# ---------------------------------------------------------------- progress and replies

PROGRESS_CHECKING = "Checking: {subject}…"
PROGRESS_READING = "Reading the article…"
PROGRESS_PICKING = "Picking the key claims…"
PROGRESS_NO_CLAIMS = "No check-worthy claims found; writing the report…"
PROGRESS_FOUND = "Found {claims}; analysing their sourcing…"
PROGRESS_ANALYSED = "Found {claims}; analysed {done} of {total}…"
PROGRESS_DONE = "Checked {claims}. Report below."
ERROR_LINK = "Link: {label}"
POINTER = "This article was checked here recently: {link}."
POINTER_LINK = "see the earlier thread"
POINTER_FIRST = "{claims}, the first ones:"
# The command line's progress, one line each on standard error.
TERMINAL_ARTICLE = "article: {title} ({words} words)"
TERMINAL_UNTITLED = "(untitled)"
TERMINAL_CLAIMS = "claims: {claims} found"
TERMINAL_ANALYSED = "analysed claim {done}/{total}"

# ---------------------------------------------------------------- the page (HTML)

HTML_ATTACHMENT_NOTE = (
    "The full report, with the article and every claim highlighted: open the attached page in a browser."
)
HTML_ARTICLE = "The article, claims highlighted by sourcing"
HTML_CLAIMS = "Every key claim"
HTML_KEY = "Colour key"
HTML_BACK = "back to the text"
HTML_IN_TEXT = "in the text"
HTML_NOT_IN_TEXT = "This claim overlaps another one, so it is not highlighted in the text."
HTML_ENGINE = "How this report was made"


def claims_count(count: int) -> str:
    return CLAIMS_ONE if count == 1 else CLAIMS_MANY.format(count=count)


# ---------------------------------------------------------------- session replies (the session helper's block)
# The refusals that are outcomes (busy, cooldown, daily budget reached, the catch-all) keep their
# sentences in bot.outcome with every other outcome; these are the session's other replies.

NOT_ENABLED = "Fact-checks are not enabled in this channel."
COMMAND_USAGE = "Usage: `/factcheck <article link>` or `/factcheck <pasted article text>`."
COMMAND_ACK = "On it: the fact-check will appear in a thread in this channel."
PRIVATE_ANSWER = "I'm not in this conversation, so only you can see this report. Invite me to share it here."
USE_THE_MENU = (
    "I can't read the message you replied to. Open its menu (right-click or long-press) "
    "and choose Apps → Fact-check instead."
)
# The scale-out mode's one reply of its own: the detail of the catch-all when a check cannot be queued.
QUEUE_UNREACHABLE = "the check could not be queued; try again in a few minutes"


def command_root(who: str, what: str) -> str:
    """The first message of a /factcheck thread; ``who`` and ``what`` come marked up by the renderer."""
    return f"{who} asked for a fact-check of {what}. The report is in this thread."


def pasted_text(words: int) -> str:
    return f"pasted text ({words} words)"


def already_checked(pointer: str) -> str:
    return f"This link was already checked here: {pointer}"
