"""Report -> Discord embeds, as pure functions, within every Discord limit.

Nothing is truncated silently: text longer than a slot continues in a
"(cont.)" field, a "(continued)" embed, or the next message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import discord

from adapters.discord.safety import neutralise, safe_url
from adapters.wording import SOURCING_LABELS, footer_parts
from bot.models import Claim, Report, SourcingStatus

# Discord limits (discord/embeds.py, discord/abc.py; platforms.md §6.2).
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000  # summed over all embeds of one message
EMBEDS_PER_MESSAGE = 10
CONTENT_MAX = 2000
THREAD_NAME_MAX = 100

SOURCING_COLOURS: dict[SourcingStatus, int] = {
    SourcingStatus.NAMED_LINKED: 0x2E7D32,
    SourcingStatus.NAMED_UNLINKED: 0x9E9D24,
    SourcingStatus.ANONYMOUS: 0xEF6C00,
    SourcingStatus.SECONDHAND: 0xEF6C00,
    SourcingStatus.UNATTRIBUTED: 0xC62828,
}
OVERVIEW_COLOUR = 0x1565C0


@dataclass(frozen=True)
class Section:
    """One logical block of the report (overview or one claim), already neutralised."""

    title: str
    description: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    url: str | None = None
    footer: str | None = None
    colour: int = OVERVIEW_COLOUR


@dataclass
class _Message:
    embeds: list[discord.Embed] = field(default_factory=list)
    size: int = 0


def chunk_text(text: str, limit: int) -> list[str]:
    """Split text into pieces of at most ``limit`` chars, at a line or word break when possible."""
    text = text.strip()
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit + 1)
        if cut < limit // 2:
            cut = limit
            # Never split the escaping backslash from the character it protects.
            while cut > 1 and text[cut - 1] == "\\":
                cut -= 1
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _clip_label(text: str, limit: int) -> str:
    # Titles and field names are our own labels plus at most a short article title: an
    # ellipsis here hides nothing because the full title is in the description.
    return text if len(text) <= limit else text[: limit - 1].rstrip("\\") + "…"


def _new_embed(section: Section, *, continued: bool) -> discord.Embed:
    title = section.title + (" (continued)" if continued else "")
    return discord.Embed(
        title=_clip_label(title, TITLE_MAX),
        url=None if continued else section.url,
        colour=section.colour,
    )


def section_embeds(section: Section) -> list[discord.Embed]:
    """One section as one or more embeds, each within the per-embed limits."""
    budget = EMBED_TOTAL_MAX
    embeds: list[discord.Embed] = []
    description_parts = chunk_text(section.description, DESCRIPTION_MAX) or [""]
    for index, part in enumerate(description_parts):
        embed = _new_embed(section, continued=index > 0)
        if part:
            embed.description = part
        embeds.append(embed)
    if section.footer:
        embeds[0].set_footer(text=_clip_label(section.footer, FOOTER_MAX))

    current = embeds[-1]
    for name, value in section.fields:
        for index, piece in enumerate(chunk_text(value, FIELD_VALUE_MAX)):
            label = _clip_label(name + (" (cont.)" if index else ""), FIELD_NAME_MAX)
            if len(current.fields) >= FIELDS_MAX or len(current) + len(label) + len(piece) > budget:
                current = _new_embed(section, continued=True)
                embeds.append(current)
            current.add_field(name=label, value=piece, inline=False)
    return embeds


def pack_messages(embeds: list[discord.Embed]) -> list[list[discord.Embed]]:
    """Group embeds into messages of at most 10 embeds and 6,000 characters."""
    messages: list[_Message] = []
    for embed in embeds:
        size = len(embed)
        if not messages or len(messages[-1].embeds) >= EMBEDS_PER_MESSAGE or messages[-1].size + size > EMBED_TOTAL_MAX:
            messages.append(_Message())
        messages[-1].embeds.append(embed)
        messages[-1].size += size
    return [message.embeds for message in messages]


def footer_text(report: Report) -> str:
    """Engine, time and tokens/cost: what a reader needs to judge the report."""
    return " · ".join(footer_parts(report))


def overview_section(report: Report) -> Section:
    article = report.article
    lines: list[str] = []
    for line in report.summary:
        lines.append(f"• {neutralise(line)}")
    if report.sourcing_verdict:
        lines.append(f"**Sourcing:** {neutralise(report.sourcing_verdict)}")
    if report.notice:
        lines.append(f"*{neutralise(report.notice)}*")
    for warning in report.warnings:
        lines.append(f"⚠ {neutralise(warning)}")
    if not report.claims:
        lines.append("No check-worthy claims found.")
    byline = [neutralise(v) for v in (article.site_name, article.author, article.published) if v]
    fields: list[tuple[str, str]] = []
    if byline:
        fields.append(("Article", " · ".join(byline) + f" · {article.word_count:,} words"))
    url = safe_url(article.url)
    title = "Fact-check: " + (neutralise(article.title) or "untitled article")
    if len(title) > TITLE_MAX:  # the embed title gets clipped: keep the whole title readable
        lines.insert(0, f"**{title}**")
    return Section(
        title=title,
        description="\n".join(lines),
        fields=tuple(fields),
        url=url,
        footer=footer_text(report),
    )


def claim_section(claim: Claim, *, number: int) -> Section:
    sourcing = claim.sourcing
    quote = neutralise(claim.quote)
    description = "> " + quote.replace("\n", "\n> ")
    if claim.claimant:
        description += f"\n— {neutralise(claim.claimant)}"
    source_lines = [SOURCING_LABELS.get(sourcing.status, sourcing.status.value)]
    if sourcing.source:
        source_lines.append(f"Source: {neutralise(sourcing.source)}")
    if sourcing.chain:
        source_lines.append("Chain: " + " → ".join(neutralise(link) for link in sourcing.chain))
    if link := safe_url(sourcing.link):
        source_lines.append(f"Link: {link}")
    if sourcing.gap:
        source_lines.append(f"Gap: {neutralise(sourcing.gap)}")
    fields: list[tuple[str, str]] = [("Sourcing", "\n".join(source_lines))]
    if claim.why_it_matters:
        fields.append(("Why it matters", neutralise(claim.why_it_matters)))
    if claim.context:
        fields.append(("Context", neutralise(claim.context)))
    if claim.counter_evidence:
        items = []
        for evidence in claim.counter_evidence:
            mark = " (to verify)" if evidence.to_verify else ""
            items.append(f"• {neutralise(evidence.text)}{mark}")
        fields.append(("Counter-evidence", "\n".join(items)))
    if claim.questions:
        fields.append(("Questions to ask", "\n".join(f"• {neutralise(q)}" for q in claim.questions)))
    if claim.confidence:
        fields.append(("Confidence", claim.confidence))
    return Section(
        title=f"Claim {number} · check-worthiness {claim.checkworthiness:.2f}",
        description=description,
        fields=tuple(fields),
        colour=SOURCING_COLOURS.get(sourcing.status, OVERVIEW_COLOUR),
    )


def render_report(report: Report) -> list[list[discord.Embed]]:
    """The report as messages (each a list of embeds) that Discord accepts as they are."""
    embeds = section_embeds(overview_section(report))
    for number, claim in enumerate(report.claims, start=1):
        embeds.extend(section_embeds(claim_section(claim, number=number)))
    return pack_messages(embeds)


def thread_name(title: str | None, *, fallback: str = "Fact-check") -> str:
    """A thread name from the article title: plain text, one line, 1-100 chars."""
    name = " ".join((title or "").split())
    name = name.replace("@", "@" + "\u200b")
    if not name:
        return fallback
    return name if len(name) <= THREAD_NAME_MAX else name[: THREAD_NAME_MAX - 1] + "…"


def progress_text(*, title: str | None, total: int | None, done: int, finished: bool = False) -> str:
    """The placeholder the bot edits as the check goes on (≤ 2,000 chars)."""
    heading = f"🔎 **{neutralise(title)}**" if title else "🔎 Reading the article…"
    if total is None:
        status = "Picking the key claims…"
    elif total == 0:
        status = "No check-worthy claims found."
    elif finished:
        status = f"Checked {total} claim{'s' if total != 1 else ''}. Report below."
    elif done == 0:
        status = f"Found {total} claim{'s' if total != 1 else ''} to check. Analysing…"
    else:
        status = f"Analysed {done} of {total} claims…"
    text = f"{heading}\n{status}"
    return text if len(text) <= CONTENT_MAX else text[: CONTENT_MAX - 1] + "…"
