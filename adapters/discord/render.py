"""The one report view as Discord embeds, as pure functions, within every Discord limit.

The view (``adapters.view``) decides what is said and which links are live; this module escapes
it for Discord markdown, marks it up and packs it. The first embed is the triage (verdict, the
three most serious problems, the claim count); each claim is one compact embed coloured by its
sourcing. Nothing is truncated silently: text longer than a slot continues in a "(continued)"
embed or the next message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import discord

from adapters.discord.safety import escape, masked_link, neutralise, safe_cut
from adapters.view import words
from adapters.view.report import ClaimView, Line, Link, ReportView, Row, build_view, flag_text
from adapters.view.split import shorten, split_text
from adapters.view.triage import TriageLine
from bot.models import Article, Report, SourcingStatus

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
    SourcingStatus.NOT_ASSESSED: 0x757575,
}
STATUS_EMOJI: dict[SourcingStatus, str] = {
    SourcingStatus.NAMED_LINKED: "🟢",
    SourcingStatus.NAMED_UNLINKED: "🟡",
    SourcingStatus.ANONYMOUS: "🟠",
    SourcingStatus.SECONDHAND: "🟠",
    SourcingStatus.UNATTRIBUTED: "🔴",
    SourcingStatus.NOT_ASSESSED: "⚪",
}
OVERVIEW_COLOUR = 0x1565C0


@dataclass(frozen=True)
class Section:
    """One logical block of the report (overview or one claim), already escaped."""

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
    """Discord markdown in pieces of at most ``limit`` chars (the one splitter, Discord's safe cut)."""
    return split_text(text, limit=limit, safe_cut=safe_cut)


def _clip_label(text: str, limit: int) -> str:
    # Titles and field names are our own labels plus at most a short article title: an
    # ellipsis here hides nothing because the full title is in the description.
    return shorten(text, limit, safe_cut=safe_cut)


def _new_embed(section: Section, *, continued: bool) -> discord.Embed:
    title = words.CONTINUED.format(title=section.title) if continued else section.title
    return discord.Embed(
        title=_clip_label(title, TITLE_MAX), url=None if continued else section.url, colour=section.colour
    )


def section_embeds(section: Section) -> list[discord.Embed]:
    """One section as one or more embeds, each within the per-embed limits."""
    embeds: list[discord.Embed] = []
    for index, part in enumerate(chunk_text(section.description, DESCRIPTION_MAX) or [""]):
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
            if len(current.fields) >= FIELDS_MAX or len(current) + len(label) + len(piece) > EMBED_TOTAL_MAX:
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


# ---------------------------------------------------------------- the report


def claim_section(claim: ClaimView) -> Section:
    quote = "> " + escape(claim.quote).replace("\n", "\n> ")
    lines = [quote]
    if claim.claimant:
        lines.append(f"— {escape(claim.claimant)}")
    lines += [_row(row) for row in claim.rows]
    return Section(
        title=f"{words.CLAIM.format(number=claim.number)} · {claim.facts}",
        description="\n".join(lines),
        colour=SOURCING_COLOURS[claim.status],
    )


@dataclass(frozen=True)
class DiscordMessage:
    """One message: plain content (at most 2,000 characters, links wrapped so they do not unfurl) and embeds."""

    content: str
    embeds: list[discord.Embed]


def render_messages(report: Report, *, article: Article | None = None) -> list[DiscordMessage]:
    """The report as messages Discord accepts as they are, the triage first.

    The first message's content is the overview (title, verdict, summary, the three most serious
    problems): what an editor sees first, outside the 6,000-character embed budget. Each claim is
    one embed coloured by its sourcing; the embeds fill messages of at most 10 embeds and 6,000
    characters.
    """
    view = build_view(report, article=article)
    overview = overview_text(view)
    pieces = chunk_text(overview, CONTENT_MAX)
    embeds: list[discord.Embed] = []
    if len(pieces) > 1:  # a very long summary or many warnings: the rest continues as an embed
        rest = Section(title=escape(view.heading), description="\n".join(pieces[1:]))
        embeds += section_embeds(rest)
    for claim in view.claims:
        embeds.extend(section_embeds(claim_section(claim)))
    packed = _fill_messages(embeds) or [[]]
    messages = [
        DiscordMessage(content=pieces[0] if index == 0 else "", embeds=group) for index, group in enumerate(packed)
    ]
    return messages


MIN_FILL = 600  # an embed that does not fit is split to fill a message only when this much room is left


def _fill_messages(embeds: list[discord.Embed]) -> list[list[discord.Embed]]:
    """Like ``pack_messages``, but an embed that does not fit is cut at a line of its description to fill
    the message, its rest continuing as the next message's first embed: fewer, fuller messages."""
    messages: list[list[discord.Embed]] = []
    size = 0
    queue = list(embeds)
    while queue:
        embed = queue.pop(0)
        if messages and len(messages[-1]) < EMBEDS_PER_MESSAGE and size + len(embed) <= EMBED_TOTAL_MAX:
            messages[-1].append(embed)
            size += len(embed)
            continue
        room = EMBED_TOTAL_MAX - size - len(embed.title or "") - len(" (continued)")
        description = embed.description or ""
        cut = description.rfind("\n", 0, room)
        if messages and len(messages[-1]) < EMBEDS_PER_MESSAGE and room >= MIN_FILL and cut >= MIN_FILL // 2:
            head, rest = embed.copy(), embed.copy()
            head.description = description[:cut].rstrip()
            head.clear_fields()
            if size + len(head) > EMBED_TOTAL_MAX:  # a footer or author we did not count: do not split
                queue.insert(0, embed)
                messages.append([])
                size = 0
                continue
            rest.description = description[cut + 1 :].lstrip()
            rest.title = _clip_label(words.CONTINUED.format(title=embed.title or ""), TITLE_MAX)
            rest.url = None
            messages[-1].append(head)
            queue.insert(0, rest)
        else:
            queue.insert(0, embed)
        messages.append([])
        size = 0
    return [message for message in messages if message]


def overview_text(view: ReportView) -> str:
    """The overview as message content: plain Discord markdown, links that do not unfurl."""
    lines = [f"**{escape(view.heading, previews=False)}**"]
    byline = [escape(m) for m in view.meta]
    if view.article_link:
        byline.append(masked_link(view.article_link.url, view.article_link.label, preview=False))
    if byline:
        lines.append(" · ".join(byline))
    lines += _overview_lines(view, previews=False)
    lines.append(f"-# {escape(' · '.join(view.footer))}")
    return "\n".join(lines)


def _overview_lines(view: ReportView, *, previews: bool = True) -> list[str]:
    def esc(text: str) -> str:
        return escape(text, previews=previews)

    lines = [f"**{words.VERDICT}:** {esc(view.verdict)}"]
    if view.triage:
        lines += [f"**{words.TRIAGE}**", *(_triage_line(item, previews=previews) for item in view.triage)]
    if view.summary:
        lines += [f"**{words.IN_SHORT}**", *(f"• {esc(line)}" for line in view.summary)]
    if view.flags:
        lines += [f"**{words.FLAGS}**", *(f"• {esc(flag_text(flag))}" for flag in view.flags)]
    if view.notice:
        lines.append(f"*{esc(view.notice)}*")
    lines += [f"⚠ {esc(warning)}" for warning in view.warnings]
    if view.claims:
        lines.append(f"**{esc(view.claims_heading)}** " + " ".join(esc(line) for line in view.legend))
    else:
        lines.append(esc(view.no_claims))
    return lines


def _triage_line(item: TriageLine, *, previews: bool = True) -> str:
    head = f"{STATUS_EMOJI[item.status]} **{item.claim}** · *{escape(item.label)}* ·"
    return f"{head} “{escape(item.excerpt, previews=previews)}” {escape(item.problem, previews=previews)}"


def _row(row: Row) -> str:
    label = f"**{escape(row.label)}{words.MODEL_KNOWLEDGE_MARK if row.marked else ''}:**"
    if row.is_list:
        return label + "\n" + "\n".join(f"• {_line(line)}" for line in row.lines)
    return f"{label} {_line(row.lines[0])}"


def _line(line: Line) -> str:
    return "".join(_link(piece) if isinstance(piece, Link) else escape(piece) for piece in line)


def _link(item: Link) -> str:
    return masked_link(item.url, item.label)


# ---------------------------------------------------------------- thread and progress


def thread_name(title: str | None, *, fallback: str = "Fact-check") -> str:
    """A thread name from the article title: plain text, one line, 1-100 chars."""
    name = " ".join((title or "").split())
    name = name.replace("@", "@" + "\u200b")
    if not name:
        return fallback
    return name if len(name) <= THREAD_NAME_MAX else name[: THREAD_NAME_MAX - 1] + "…"


def progress_text(*, title: str | None, total: int | None, done: int, finished: bool = False) -> str:
    """The placeholder the bot edits as the check goes on (≤ 2,000 chars)."""
    heading = f"🔎 **{neutralise(title)}**" if title else "🔎 " + words.PROGRESS_READING
    if total is None:
        status = words.PROGRESS_PICKING
    elif total == 0:
        status = words.PROGRESS_NO_CLAIMS
    elif finished:
        status = words.PROGRESS_DONE.format(claims=words.claims_count(total))
    elif done == 0:
        status = words.PROGRESS_FOUND.format(claims=words.claims_count(total))
    else:
        status = words.PROGRESS_ANALYSED.format(claims=words.claims_count(total), done=done, total=total)
    return shorten(f"{heading}\n{status}", CONTENT_MAX, safe_cut=safe_cut)
