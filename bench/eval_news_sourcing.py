"""The offline sourcing audit against our own labelled news claims (bench/labels, see GUIDELINE.md there).

``python -m bench.eval_news_sourcing [SHARED_DIR] [--mistakes]`` prints status and source-name accuracy for the
``tune`` pages and for the ``held`` pages (a fifth of the pages, kept aside: reported, never tuned on).
``--mistakes`` lists the tune split's wrong answers; held-aside mistakes are never printed. ``--held-by-batch`` also
prints the held pages of each batch of labels apart (GUIDELINE.md: the second batch is held by the same hash rule).

Each labelled sentence is found in the page's extracted text (``bot.extract.extract_html``, as the bot reads it) and
audited at its offsets with ``bot.sourcing.audit_sourcing``. Status accuracy is over every claim; source accuracy is
over the claims whose gold status names a teller (named_linked, named_unlinked, secondhand), with the matching rule
of the guideline.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.extract import extract_html
from bot.models import Article, Sourcing, SourcingStatus
from bot.sourcing import audit_sourcing

LABELS = Path(__file__).resolve().parent / "labels" / "news_sourcing.jsonl"
PAGES = Path("eval-data") / "trafilatura-eval" / "html"
DEFAULT_SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
NAMED = frozenset({SourcingStatus.NAMED_LINKED, SourcingStatus.NAMED_UNLINKED, SourcingStatus.SECONDHAND})

_TITLES = frozenset("mr mrs ms dr prof rep sen gov gen sir rev".split())
_ORGANISATION_WORDS = frozenset(
    """department police office court group association union agency university administration ministry council
    committee commission service services company corp inc news times post journal review institute foundation
    campaign board authority government house bank center centre organization organisation school schools""".split()
)
_NOT_NAME_CHARACTERS = re.compile(r"[^\w\s\-'.]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Label:
    page: str
    sentence: str
    status: SourcingStatus
    source: str | None
    aliases: tuple[str, ...]
    split: str
    batch: int = 1  # 1: the first 45 pages; 2: pages added later (held aside by the same part of the hash order)


@dataclass(frozen=True, slots=True)
class Judged:
    label: Label
    sourcing: Sourcing | None  # None: the sentence was not found in the extracted page

    @property
    def status_right(self) -> bool:
        return self.sourcing is not None and self.sourcing.status is self.label.status

    @property
    def source_right(self) -> bool:
        return self.sourcing is not None and source_matches(self.sourcing, self.label)


def load_labels(path: Path = LABELS) -> list[Label]:
    labels = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        labels.append(
            Label(
                page=row["page"],
                sentence=row["sentence"],
                status=SourcingStatus(row["status"]),
                source=row.get("source"),
                aliases=tuple(row.get("aliases") or ()),
                split=row["split"],
                batch=int(row.get("batch", 1)),
            )
        )
    return labels


def normalise_name(text: str) -> str:
    """The guideline's normal form of a source name."""
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'").replace("\u2018", "'")
    text = _SPACES.sub(" ", _NOT_NAME_CHARACTERS.sub(" ", text)).strip(" .'-")
    words = text.split()
    while words and (words[0] == "the" or words[0].rstrip(".") in _TITLES):
        words = words[1:]
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    return " ".join(words)


def _is_person(source: str) -> bool:
    words = source.split()
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and not any(normalise_name(w) in _ORGANISATION_WORDS for w in words)
        and not any(ch.isdigit() for ch in source)
    )


def accepted_names(label: Label) -> set[str]:
    if not label.source:
        return set()
    names = {normalise_name(n) for n in (label.source, *label.aliases)}
    if _is_person(label.source):
        names.add(normalise_name(label.source.split()[-1]))
    return names - {""}


_SPOKESPERSON = re.compile(r"^(?:a|an|the)?\s*spokes(?:man|woman|person)\s+(?:for|of|from)\s+")
_CUE_WORDS = frozenset("said says told tells added adds according to wrote writes".split())


def source_matches(sourcing: Sourcing, label: Label) -> bool:
    told = sourcing.chain[0] if sourcing.chain else sourcing.source
    if told is None or not label.source:
        return False
    said = normalise_name(told)
    if said in accepted_names(label) or normalise_name(_SPOKESPERSON.sub("", said)) in accepted_names(label):
        return True
    # A person's full name after their title or role ("ISD spokesman Tahir Della") is the same teller.
    full = normalise_name(label.source)
    prefix = said[: -len(full)].split() if said.endswith(" " + full) else None
    return _is_person(label.source) and prefix is not None and not _CUE_WORDS & set(prefix)


def _article(shared: Path, page: str, cache: dict[str, Article]) -> Article:
    if page not in cache:
        html = gzip.decompress((shared / PAGES / f"{page}.gz").read_bytes())
        cache[page] = extract_html(html, url=None)
    return cache[page]


def judge(labels: Iterable[Label], shared: Path) -> list[Judged]:
    articles: dict[str, Article] = {}
    judged = []
    for label in labels:
        article = _article(shared, label.page, articles)
        start = article.text.find(label.sentence)
        if start < 0:
            judged.append(Judged(label, None))
            continue
        judged.append(Judged(label, audit_sourcing(article, start=start, end=start + len(label.sentence))))
    return judged


def summarise(judged: Sequence[Judged]) -> dict[str, float | int]:
    named = [j for j in judged if j.label.status in NAMED]
    return {
        "status_accuracy": round(sum(j.status_right for j in judged) / len(judged), 4) if judged else 0.0,
        "source_accuracy": round(sum(j.source_right for j in named) / len(named), 4) if named else 0.0,
        "claims": len(judged),
        "named_claims": len(named),
        "pages": len({j.label.page for j in judged}),
        "not_found": sum(j.sourcing is None for j in judged),
    }


def news_sourcing(shared_dir: Path | str) -> dict:
    """Accuracy on the tune and held-aside pages, or ``{"skipped": ...}`` without the pages."""
    shared = Path(shared_dir)
    if not (shared / PAGES).is_dir():
        return {"skipped": f"no pages under {shared / PAGES}"}
    judged = judge(load_labels(), shared)
    result = {split: summarise([j for j in judged if j.label.split == split]) for split in ("tune", "held")}
    for batch in (1, 2):
        result[f"held_batch{batch}"] = summarise(
            [j for j in judged if j.label.split == "held" and j.label.batch == batch]
        )
    return result


def confusion(judged: Sequence[Judged]) -> Counter[tuple[str, str]]:
    return Counter((j.label.status.value, j.sourcing.status.value if j.sourcing else "not found") for j in judged)


def main(argv: Sequence[str] = ()) -> None:
    args = [a for a in argv if not a.startswith("--")]
    shared = Path(args[0]) if args else DEFAULT_SHARED
    judged = judge(load_labels(), shared)
    for split in ("tune", "held"):
        part = [j for j in judged if j.label.split == split]
        print(split, json.dumps(summarise(part)))
    if "--held-by-batch" in argv:
        for batch in (1, 2):
            part = [j for j in judged if j.label.split == "held" and j.label.batch == batch]
            print(f"held batch {batch}", json.dumps(summarise(part)))
    tune = [j for j in judged if j.label.split == "tune"]
    for (gold, said), n in sorted(confusion(tune).items()):
        print(f"  tune gold {gold:15} audit {said:15} {n}")
    if "--mistakes" in argv:
        for j in tune:
            if j.status_right and (j.source_right or j.label.status not in NAMED):
                continue
            said = j.sourcing
            print(f"\n[{j.label.page}] {j.label.sentence}")
            print(f"  gold  {j.label.status.value} / {j.label.source}")
            if said is not None:
                print(f"  audit {said.status.value} / {said.source} / cue {said.cue} / chain {said.chain}")
                print(f"  gap   {said.gap}")


if __name__ == "__main__":
    main(sys.argv[1:])
