"""Page bytes, a local file or pasted text -> ``Article`` (trafilatura does the extraction).

We walk trafilatura's XML body ourselves rather than taking its text output, so the
outbound links keep exact offsets in ``Article.text`` (the sourcing audit needs them).
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import re
import unicodedata
from pathlib import Path

import pycld2
import trafilatura
from charset_normalizer import from_bytes
from lxml import etree
from trafilatura.settings import Document

from bot.models import Article, OutboundLink, Paragraph
from bot.outcome import CheckError, Outcome
from bot.sentences import sentence_spans

MIN_PAGE_CHARS = 250  # trafilatura's own minimum for a main text
MIN_PASTED_CHARS = 20
_BLOCK_TAGS = {"p", "head", "item", "quote", "row", "code"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
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


def decode_html(body: bytes, charset: str | None = None) -> str:
    """Bytes -> str: declared charset, then the page's meta charset, then detection."""
    declared = [charset] if charset else []
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        declared.append(meta.group(1).decode("ascii", "ignore"))
    for name in declared + ["utf-8"]:
        try:
            codecs.lookup(name)
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    best = from_bytes(body).best()
    if best is not None:
        return str(best)
    return body.decode("utf-8", errors="replace")


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


def _leaf_blocks(body: etree._Element) -> list[etree._Element]:
    blocks = []
    for element in body.iter():
        if element.tag in _BLOCK_TAGS and not any(d.tag in _BLOCK_TAGS for d in element.iterdescendants()):
            blocks.append(element)
    return blocks


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


def _assemble(blocks: list[tuple[str, list[tuple[str, int, int]]]], *, title: str | None):
    """Join blocks into one text, one paragraph per line, with absolute offsets."""
    text_parts: list[str] = []
    paragraphs: list[Paragraph] = []
    raw_links: list[tuple[str, int, int]] = []
    offset = 0
    for index, (block, links) in enumerate(blocks):
        if not block:
            continue
        if index < 3 and title and block.strip().lower() == title.strip().lower():
            continue  # the headline is metadata, not a claim of the body
        if text_parts:
            text_parts.append("\n")
            offset += 1
        paragraphs.append(Paragraph(start=offset, end=offset + len(block)))
        raw_links.extend((url, offset + a, offset + b) for url, a, b in links)
        text_parts.append(block)
        offset += len(block)
    return "".join(text_parts), paragraphs, raw_links


def _outbound_links(text: str, raw_links: list[tuple[str, int, int]], base_url: str | None) -> list[OutboundLink]:
    kept = [link for link in raw_links if link[0].lower().startswith(("http://", "https://"))]
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
    html: bytes | str, *, url: str | None = None, final_url: str | None = None, charset: str | None = None
) -> Article:
    """Extract the main article from a page; raises CheckError when there is none."""
    raw = html if isinstance(html, bytes) else html.encode("utf-8")
    document = decode_html(html, charset) if isinstance(html, bytes) else html
    if not document.strip():
        raise CheckError(Outcome.NO_ARTICLE_TEXT, "the page is empty")
    result = trafilatura.bare_extraction(
        document,
        url=final_url or url,
        with_metadata=True,
        include_links=True,
        include_comments=False,
        include_tables=True,
        include_formatting=False,
    )
    # With as_dict left False trafilatura returns its Document, never the dict form.
    if not isinstance(result, Document) or result.body is None:
        raise _no_text(raw)
    blocks = [_block_text(block) for block in _leaf_blocks(result.body)]
    title = clean_text(result.title).strip() if result.title else None
    text, paragraphs, raw_links = _assemble(blocks, title=title)
    if len(text) < MIN_PAGE_CHARS:
        raise _no_text(raw)
    return _finish(
        Article(
            url=url,
            final_url=final_url or url,
            title=title,
            site_name=result.sitename or result.hostname,
            author=result.author,
            published=result.date,
            # The text says more than a page template's lang attribute, which is often left at "en".
            language=_detect_language(text) or result.language,
            text=text,
            paragraphs=paragraphs,
            links=_outbound_links(text, raw_links, final_url or url),
        )
    )


def _no_text(raw: bytes) -> CheckError:
    if _PAYWALL.search(raw):
        return CheckError(Outcome.PAYWALL)
    return CheckError(Outcome.NO_ARTICLE_TEXT)


def extract_text(text: str, *, title: str | None = None) -> Article:
    """Pasted or plain-file text. A short first line without a full stop is taken as the headline."""
    lines = [clean_text(line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if title is None and len(lines) > 1 and len(lines[0]) <= 160 and not lines[0].endswith((".", "!", "?", "”", '"')):
        title, lines = lines[0], lines[1:]
    body = "\n".join(lines)
    if len(body) < MIN_PASTED_CHARS:
        raise CheckError(Outcome.NO_ARTICLE_TEXT, "the text is too short to check")
    paragraphs, offset = [], 0
    for line in lines:
        paragraphs.append(Paragraph(start=offset, end=offset + len(line)))
        offset += len(line) + 1
    return _finish(Article(title=title, language=_detect_language(body), text=body, paragraphs=paragraphs))


def extract_file(path: Path) -> Article:
    """A local .html/.htm/.txt file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CheckError(Outcome.FILE_NOT_FOUND, str(path)) from exc
    if path.suffix.lower() in {".html", ".htm", ".xhtml"}:
        return extract_html(data, url=None)
    if path.suffix.lower() in {".txt", ".text", ".md", ""}:
        return extract_text(decode_html(data))
    raise CheckError(Outcome.NOT_ARTICLE, f"unsupported file type {path.suffix}")
