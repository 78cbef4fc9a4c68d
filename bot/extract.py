"""Page bytes, a local file or pasted text -> ``Article`` (trafilatura does the extraction).

We walk trafilatura's XML body ourselves rather than taking its text output, so the
outbound links keep exact offsets in ``Article.text`` (the sourcing audit needs them).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import pycld2
import trafilatura
from lxml import etree
from trafilatura.settings import Document, use_config

from bot.decode import decode_html, decode_text
from bot.models import Article, OutboundLink, Paragraph
from bot.outcome import CheckError, Outcome
from bot.pagekind import not_an_article
from bot.sentences import sentence_spans

__all__ = ["decode_html", "decode_text", "extract_file", "extract_html", "extract_text", "clean_text"]

MIN_PAGE_CHARS = 250  # trafilatura's own minimum for a main text
MIN_PASTED_CHARS = 20
DEFAULT_MAX_CHARS = 100_000  # text analysed (FACTCHECK_MAX_ANALYSED_CHARS); the rest is cut with a note
MAX_LINKS = 500  # outbound links considered: enough for any article, bounded for a page of links (as stages)
# trafilatura's link-density checks grow with the square of a block's links (15k links: 25 s): past
# this many anchors in a page, the rest become plain text before it sees them.
MAX_ANCHORS = 2_000
_ANCHOR_START = re.compile(r"<a\b", re.IGNORECASE)  # not <abbr>, <article>, <aside>...
_ANCHOR_TAG = re.compile(r"</?a\b[^>]*>", re.IGNORECASE)
# htmldate scans the whole page with regexes (12 s of 17 s on a 5 MB page); a page's date, title
# and author sit in its head and first screens, so metadata of a larger document is read from its start.
METADATA_CHARS = 1024 * 1024
# Past this size trafilatura skips its second opinion (readability and jusText on the whole tree,
# a third of its time). No page of the trafilatura evaluation set is this large (the largest is 1.6 MB).
FAST_CHARS = 2 * 1024 * 1024
# The date from the page's markup (meta tags, JSON-LD, <time>, the URL), not htmldate's extensive search:
# that hands undated strings to dateparser, which loads and compiles the patterns of its 205 locales as
# pages need them, 40-100 ms of CPU on a page new to the process (more than the rest of extraction; seconds
# on a process's first pages) and 43 MB per process once all are in. Measured on 199 trafilatura-eval pages:
# 177 of 189 dates unchanged, 11 lost (several a guessed 1 January), 1 changed, none gained. A page
# without a date says "unknown", which claims less than a guess.
_MARKUP_DATES_ONLY = use_config()
_MARKUP_DATES_ONLY.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
_BLOCK_TAGS = {"p", "head", "item", "quote", "row", "code"}
# Zero-width and bidi controls hide text from readers but not from models (prompt smuggling).
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x061C, 0x200E, 0x200F]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
_TAG_CHARS = re.compile("[\U000e0000-\U000e007f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_PAYWALL = re.compile(
    rb'"isAccessibleForFree"\s*:\s*"?false|subscribe to (?:continue|read)|to continue reading|'
    rb"already a subscriber|sign in to (?:continue|read)",
    re.IGNORECASE,
)


def clean_text(text: str) -> str:
    """Strip invisible characters and collapse spaces, keeping line structure."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _TAG_CHARS.sub("", text)
    return _SPACES.sub(" ", text)


class _TextBuilder:
    """Accumulates block text while recording where each link's anchor lands."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.links: list[tuple[str, int, int]] = []

    def add(self, piece: str) -> None:
        if piece:
            self.parts.append(piece)
            self.length += len(piece)

    def inline(self, element: etree._Element) -> None:
        if element.tag == "lb":
            self.add(" ")
        elif element.tag == "ref":
            start = self.length
            self.add(clean_text("".join(element.itertext())).replace("\n", " "))
            target = element.get("target")
            if target and self.length > start:
                self.links.append((target, start, self.length))
            self.add(clean_text(element.tail or "").replace("\n", " "))
            return
        else:
            self.add(clean_text(element.text or "").replace("\n", " "))
            for child in element:
                self.inline(child)
        self.add(clean_text(element.tail or "").replace("\n", " "))


def _leaf_blocks(body: etree._Element) -> Iterator[etree._Element]:
    """Innermost blocks in document order, lazily: the text assembly stops at its bound."""
    for element in body.iter():
        if element.tag in _BLOCK_TAGS and not any(d.tag in _BLOCK_TAGS for d in element.iterdescendants()):
            yield element


def _block_text(block: etree._Element) -> tuple[str, list[tuple[str, int, int]]]:
    builder = _TextBuilder()
    builder.add(clean_text(block.text or "").replace("\n", " "))
    for child in block:
        builder.inline(child)
    raw = "".join(builder.parts)
    stripped = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    links = [(url, a - lead, b - lead) for url, a, b in builder.links if a - lead >= 0 and b - lead <= len(stripped)]
    return stripped, links


def _assemble(blocks: Iterable[tuple[str, list[tuple[str, int, int]]]], *, title: str | None, max_chars: int):
    """Join blocks into one text, one paragraph per line, with absolute offsets, up to ``max_chars``.

    Blocks are consumed lazily and the text ends before the paragraph that would pass
    ``max_chars`` (a first paragraph longer than that is cut at a space), so the rest of a huge page
    is never built. Returns the text, its paragraphs, its links and whether anything was left out.
    """
    text_parts: list[str] = []
    paragraphs: list[Paragraph] = []
    raw_links: list[tuple[str, int, int]] = []
    offset = 0
    cut = False
    for index, (block, links) in enumerate(blocks):
        if not block:
            continue
        if index < 3 and title and block.strip().lower() == title.strip().lower():
            continue  # the headline is metadata, not a claim of the body
        separator = 1 if text_parts else 0
        if offset + separator + len(block) > max_chars:
            cut = True
            if text_parts:
                break
            block = _cut_at_space(block, max_chars)
            links = [link for link in links if link[2] <= len(block)]
        if text_parts:
            text_parts.append("\n")
            offset += 1
        paragraphs.append(Paragraph(start=offset, end=offset + len(block)))
        raw_links.extend((url, offset + a, offset + b) for url, a, b in links)
        text_parts.append(block)
        offset += len(block)
        if cut:
            break
    return "".join(text_parts), paragraphs, raw_links, cut


def _cut_at_space(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at the last space when there is one."""
    head = text[:limit]
    space = head.rfind(" ")
    return head[:space].rstrip() if space > limit // 2 else head


def _outbound_links(text: str, raw_links: list[tuple[str, int, int]], *, max_links: int) -> list[OutboundLink]:
    kept = [link for link in raw_links if link[0].lower().startswith(("http://", "https://"))][:max_links]
    if not kept:  # javascript:, mailto:, relative links trafilatura could not resolve, or none at all
        return []
    sentences = sentence_spans(text)
    starts = [s.start for s in sentences]
    links: list[OutboundLink] = []
    for url, start, end in kept:
        # The sentence holding the anchor's first character (bisect: pages can have hundreds of links).
        at = bisect.bisect_right(starts, start) - 1
        sentence = sentences[at].text if at >= 0 and start < sentences[at].end else ""
        links.append(OutboundLink(url=url, anchor=text[start:end], start=start, end=end, sentence=sentence))
    return links


def _detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text, or None when CLD2 is not confident.

    CLD2 (compiled, ~6 MB resident) rather than py3langid, whose model costs ~75 MB per process.
    """
    try:
        reliable, _, details = pycld2.detect(text[:4000])
    except (pycld2.error, UnicodeError):  # lone surrogates and the like: language is only a hint
        return None
    code = details[0][1] if details else "un"
    if not reliable or code in {"un", "xxx"}:
        return None
    return code.split("-")[0]


def _finish(article: Article) -> Article:
    digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    return article.model_copy(update={"content_hash": digest})


def extract_html(
    html: bytes | str,
    *,
    url: str | None = None,
    final_url: str | None = None,
    charset: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_links: int = MAX_LINKS,
) -> Article:
    """Extract the main article from a page; raises CheckError when there is none.

    At most ``max_chars`` of its text and ``max_links`` of its outbound links are kept: the work
    and memory after extraction grow with the text, so a 5 MB page costs what its first part does.
    """
    raw = html if isinstance(html, bytes) else html.encode("utf-8")
    document = decode_html(html, charset) if isinstance(html, bytes) else html
    if not document.strip():
        raise CheckError(Outcome.NO_ARTICLE_TEXT, "the page is empty")
    whole = len(document) <= METADATA_CHARS
    document = _cap_anchors(document, keep=MAX_ANCHORS)
    result = trafilatura.bare_extraction(
        document,
        url=final_url or url,
        fast=len(document) > FAST_CHARS,
        with_metadata=whole,
        include_links=True,
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        config=_MARKUP_DATES_ONLY,
    )
    # With as_dict left False trafilatura returns its Document, never the dict form.
    if not isinstance(result, Document) or result.body is None:
        raise _no_text(raw)
    metadata = (
        result if whole else trafilatura.extract_metadata(document[:METADATA_CHARS], final_url or url, extensive=False)
    )
    title = clean_text(metadata.title).strip() if metadata.title else None
    blocks = (_block_text(block) for block in _leaf_blocks(result.body))
    text, paragraphs, raw_links, cut = _assemble(blocks, title=title, max_chars=max_chars)
    if len(text) < MIN_PAGE_CHARS:
        raise _no_text(raw)
    article = _finish(
        Article(
            url=url,
            final_url=final_url or url,
            title=title,
            site_name=metadata.sitename or metadata.hostname,
            author=metadata.author,
            published=metadata.date,
            # The text says more than a page template's lang attribute, which is often left at "en".
            language=_detect_language(text) or metadata.language,
            text=text,
            paragraphs=paragraphs,
            links=_outbound_links(text, raw_links, max_links=max_links),
            cut_from_chars=len(result.text or "") if cut else None,
        )
    )
    refused = not_an_article(article, document)
    if refused is not None:  # an index page, a paywall teaser, a file listing: say so instead of "checking" it
        raise CheckError(refused.outcome, refused.reason)
    return article


def _cap_anchors(document: str, *, keep: int) -> str:
    """``document`` with the tags of every anchor past the first ``keep`` removed, their text kept.

    Done on the text, in one linear pass, before anything parses it: unwrapping in a parsed tree
    left thousands of adjacent text nodes that made trafilatura's XPath queries quadratic, and
    cost a second parse of a 5 MB page.
    """
    starts = _ANCHOR_START.finditer(document)
    cut = next(itertools.islice(starts, keep, None), None)  # the first anchor past ``keep``
    if cut is None:
        return document
    return document[: cut.start()] + _ANCHOR_TAG.sub("", document[cut.start() :])


def _no_text(raw: bytes) -> CheckError:
    if _PAYWALL.search(raw):
        return CheckError(Outcome.PAYWALL)
    return CheckError(Outcome.NO_ARTICLE_TEXT)


def extract_text(text: str, *, title: str | None = None, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """Pasted or plain-file text. A short first line without a full stop is taken as the headline.

    Lines past ``max_chars`` characters are left out (noted in ``cut_from_chars``), so 2 MB pasted
    costs what its first 100,000 characters do.
    """
    lines = [clean_text(line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if title is None and len(lines) > 1 and len(lines[0]) <= 160 and not lines[0].endswith((".", "!", "?", "”", '"')):
        title, lines = lines[0], lines[1:]
    full_chars = sum(len(line) for line in lines) + max(0, len(lines) - 1)
    body, paragraphs, _, cut = _assemble(((line, []) for line in lines), title=None, max_chars=max_chars)
    if len(body) < MIN_PASTED_CHARS:
        raise CheckError(Outcome.NO_ARTICLE_TEXT, "the text is too short to check")
    article = Article(
        title=title,
        language=_detect_language(body),
        text=body,
        paragraphs=paragraphs,
        cut_from_chars=full_chars if cut else None,
    )
    return _finish(article)


def extract_file(
    path: Path, *, max_chars: int = DEFAULT_MAX_CHARS, max_links: int = MAX_LINKS, max_bytes: int = 5 * 1024 * 1024
) -> Article:
    """A local .html/.htm/.txt file; CheckError(NOT_TEXT) when a text file holds binary data."""
    suffix = path.suffix.lower()
    if suffix not in {".html", ".htm", ".xhtml", ".txt", ".text", ".md", ""}:
        raise CheckError(Outcome.NOT_ARTICLE, f"unsupported file type {path.suffix}")
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except OSError as exc:
        raise CheckError(Outcome.FILE_NOT_FOUND, str(path)) from exc
    if len(data) > max_bytes:
        raise CheckError(Outcome.TOO_LARGE, f"over {max_bytes} bytes")
    if suffix in {".html", ".htm", ".xhtml"}:
        return extract_html(data, url=None, max_chars=max_chars, max_links=max_links)
    return extract_text(decode_text(data), max_chars=max_chars)
