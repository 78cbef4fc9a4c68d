"""The worst pages within the fetch caps, as a hostile site serves them (issue 12).

Each builder returns the exact bytes and Content-Type the loopback article server sends.
The tests and ``make bench`` use the same payloads, so the figures in the benchmark are for
the pages the tests prove are bounded. Sizes stay just under the default 5 MiB body cap.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

BODY_BYTES = 5_000_000  # just under FACTCHECK_MAX_BYTES (5 MiB): the largest page a site can make us read

_SENTENCES = (
    "The council approved a budget of {n} million dollars for the harbor on Tuesday after a long debate.",
    "According to the city auditor, spending on roads rose by {n} percent in the last fiscal year.",
    "Officials familiar with the project said the contractor had been paid for {n} unfinished sections.",
    "Residents told the Ledger that rents in the district have doubled since {n}.",
    "The mayor's office said in a statement that {n} new jobs would be created by the end of the decade.",
)


@dataclass(frozen=True, slots=True)
class HostilePage:
    name: str
    body: bytes
    content_type: str
    what: str  # one line for the benchmark table


def sentence(index: int) -> str:
    return _SENTENCES[index % len(_SENTENCES)].format(n=index % 997 + 3)


def _article(paragraphs: list[str], *, head: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head>{head}<title>Harbor budget approved</title></head>"
        f"<body><article><h1>Harbor budget approved</h1>\n{body}</article></body></html>"
    ).encode()


def _paragraphs_up_to(size: int, *, per_paragraph: int = 4) -> list[str]:
    paragraphs: list[str] = []
    total, index = 0, 0
    while total < size:
        text = " ".join(sentence(index + k) for k in range(per_paragraph))
        index += per_paragraph
        paragraphs.append(text)
        total += len(text) + 8
    return paragraphs


def normal_article() -> HostilePage:
    """An ordinary news page (about 2 KB of text): what must not wait behind a hostile one."""
    return HostilePage(
        "normal", _article(_paragraphs_up_to(2_000)), "text/html; charset=utf-8", "an ordinary 2 KB article"
    )


def punycode_charset(*, where: str = "header", size: int = BODY_BYTES) -> HostilePage:
    """An article declaring ``charset=punycode`` whose bytes end in "-" and a long run of letters.

    Python's punycode codec treats everything after the last "-" as code points to insert, one
    string copy per letter: quadratic (80k letters take 1.8 s; these 4 MB would take hours).
    """
    head = '<meta charset="punycode">' if where == "meta" else ""
    article = _article(_paragraphs_up_to(size // 5), head=head)
    body = article + b"-" + b"a" * (size - len(article) - 1)
    content_type = "text/html" if where == "meta" else "text/html; charset=punycode"
    return HostilePage(
        f"punycode-{where}", body, content_type, f"{len(body) / 1e6:.1f} MB declaring punycode ({where})"
    )


def huge_text(*, size: int = BODY_BYTES) -> HostilePage:
    """Nearly 5 MB of article text in paragraphs: memory grew 1.2 KB a word, 1.05 GB in all."""
    body = _article(_paragraphs_up_to(size - 400))
    return HostilePage("huge-text", body, "text/html; charset=utf-8", f"{len(body) / 1e6:.1f} MB of article text")


def many_words_plain(*, words: int = 400_000) -> HostilePage:
    """400k words of plain text (``text/plain``), the form pasted text and .txt files take."""
    rng = random.Random(12)
    vocabulary = [w.strip(".,") for s in _SENTENCES for w in s.format(n=7).split()]
    lines, line = [], []
    for index in range(words):
        line.append(rng.choice(vocabulary))
        if index % 18 == 17:
            lines.append(" ".join(line).capitalize() + ".")
            line = []
    text = "\n".join(" ".join(lines[i : i + 5]) for i in range(0, len(lines), 5))
    body = text.encode()
    return HostilePage("400k-words", body, "text/plain; charset=utf-8", f"{words // 1000}k words of plain text")


def many_links(*, links: int = 150_000) -> HostilePage:
    """150k links in the article body: 33 s of extraction and 830 MB before the cap on links."""
    parts = []
    for index in range(links):
        parts.append(f"<a href=http://e.io/{index:x}>a</a>")
        if index % 100 == 99:
            parts.append(f"</p><p>{sentence(index)}")
    body = _article(["See " + " ".join(parts)])
    return HostilePage("150k-links", body, "text/html; charset=utf-8", f"{links // 1000}k links in the body")


def worst_pages() -> list[HostilePage]:
    """The pages the benchmark measures, worst first."""
    return [punycode_charset(), huge_text(), many_words_plain(), many_links()]
