"""How well the offline sourcing audit finds attributions, measured on PolNeAR dev and NewsClaims dev.

``python -m bench.eval_sourcing [SHARED_DIR]`` prints every figure.

Definitions (the gold sets do not label sentences directly, so these are ours):

* PolNeAR, sentence level. Sentences come from ``bot.sentences.sentence_spans`` on each dev article.
  A sentence is gold-attributed iff at least ``MIN_OVERLAP`` characters of it (or all of it, when it is
  shorter) lie inside a Content span of an attribution event that has a Source (``E`` lines with
  ``Source:``). ``Attribution-no-source`` events (a cue with nobody behind it, e.g. "questions about")
  are not counted as attributed. When an article has several annotators' .ann files, the first by name
  is used so no sentence counts twice. Predicted attributed = any status but ``unattributed``.
  ``any_attribution_f1`` counts those too (our "anonymous" covers them).
  ``source_match`` = share of true positives whose audited source (or a chain member) shares a word
  with a gold Source span covering the sentence.
* NewsClaims dev: no article text is shipped (``all_sents.json`` is kept back), so every gold claim
  sentence is audited as a one-sentence article. ``has_claimer`` False -> correct iff we say
  ``unattributed``; True -> correct iff we say anything else and our source (or a chain member) shares
  a word with the gold claimer (case-insensitive; stop words ignored). Claimers that only appear in
  other sentences cannot be found this way; ``in_sentence`` reports the fair subset.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.models import Article, Sourcing, SourcingStatus
from bot.sentences import sentence_spans
from bot.sourcing import audit_sourcing

POLNEAR_DEV = Path("eval-data") / "polnear" / "dev"
NEWSCLAIMS = Path("eval-data") / "newsclaims"
DEFAULT_SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
MIN_OVERLAP = 10  # characters: absorbs sentence-boundary slop (quote marks, final period)
_STOP = frozenset("the a an of and for to in on at by with from de la".split())
_TOKEN = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True, slots=True)
class GoldAttributions:
    sourced_content: list[tuple[int, int]]  # character ranges of Content with a Source
    any_content: list[tuple[int, int]]  # Content of every event, "Attribution-no-source" included
    sources: list[tuple[list[tuple[int, int]], str]]  # (content ranges, source text) per event


def _ranges(field: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in (piece.split() for piece in field.split(";"))]


def load_polnear_ann(path: Path) -> GoldAttributions:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, ranges = parts[1].partition(" ")
            spans[parts[0]] = (kind, _ranges(ranges), parts[2] if len(parts) > 2 else "")
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg)
            events.append(roles)
    content: list[tuple[int, int]] = []
    any_content: list[tuple[int, int]] = []
    sources: list[tuple[list[tuple[int, int]], str]] = []
    for roles in events:
        if roles.get("Content") in spans:
            any_content.extend(spans[roles["Content"]][1])
        if "Source" not in roles or "Content" not in roles:
            continue
        if roles["Content"] not in spans or roles["Source"] not in spans:
            continue
        ranges = spans[roles["Content"]][1]
        content.extend(ranges)
        sources.append((ranges, spans[roles["Source"]][2]))
    return GoldAttributions(content, any_content, sources)


def _overlap(a: int, b: int, ranges: Sequence[tuple[int, int]]) -> int:
    return sum(max(0, min(b, e) - max(a, s)) for s, e in ranges)


def _tokens(text: str) -> set[str]:
    return {t.lower() for t in _TOKEN.findall(text)} - _STOP


def _tellers(sourcing: Sourcing) -> set[str]:
    names = set(sourcing.chain)
    if sourcing.source:
        names.add(sourcing.source)
    return set().union(*(_tokens(n) for n in names)) if names else set()


def _scores(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def attribution_f1_polnear_dev(shared_dir: Path | str) -> dict:
    """Sentence-level attribution P/R/F1 on PolNeAR dev (definition in the module docstring)."""
    root = Path(shared_dir) / POLNEAR_DEV
    texts = sorted((root / "text").glob("*.txt"))
    if not texts:
        return {"skipped": f"no PolNeAR dev texts under {root}"}
    tp = fp = fn = tn = matched = 0
    any_counts = [0, 0, 0]  # tp, fp, fn against every attribution event, sourced or not
    audited = 0
    elapsed = 0.0
    for text_path in texts:
        anns = sorted((root / "attributions").glob(text_path.stem + "_*.ann"))
        if not anns:
            continue
        gold = load_polnear_ann(anns[0])
        text = text_path.read_text(encoding="utf-8")
        article = Article(text=text)
        for span in sentence_spans(text):
            need = min(MIN_OVERLAP, len(span.text.strip()))
            truth = _overlap(span.start, span.end, gold.sourced_content) >= need
            t0 = time.perf_counter()
            sourcing = audit_sourcing(article, start=span.start, end=span.end)
            elapsed += time.perf_counter() - t0
            audited += 1
            said = sourcing.status is not SourcingStatus.UNATTRIBUTED
            any_truth = _overlap(span.start, span.end, gold.any_content) >= need
            any_counts[0] += any_truth and said
            any_counts[1] += said and not any_truth
            any_counts[2] += any_truth and not said
            if truth and said:
                tp += 1
                gold_names = set().union(
                    *(_tokens(src) for ranges, src in gold.sources if _overlap(span.start, span.end, ranges) >= need)
                )
                matched += bool(gold_names & _tellers(sourcing))
            elif said:
                fp += 1
            elif truth:
                fn += 1
            else:
                tn += 1
    return {
        **_scores(tp, fp, fn),
        "n": tp + fp + fn + tn,
        "positives": tp + fn,
        "source_match": round(matched / tp, 4) if tp else 0.0,
        "any_attribution_f1": _scores(*any_counts)["f1"],
        "articles": len(texts),
        "ms_per_sentence": round(1000 * elapsed / audited, 3) if audited else 0.0,
    }


def load_newsclaims(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        {"article_id": article_id, "claim_id": claim_id, **claim}
        for article_id, claims in data.items()
        for claim_id, claim in claims.items()
    ]


def sourcing_acc_newsclaims_dev(shared_dir: Path | str) -> dict:
    """Claimer accuracy on NewsClaims dev gold claims, each audited as a one-sentence article.

    No article text is available (all_sents.json is kept back), so a claimer named in a neighbouring
    sentence cannot be found: ``reported_in_sentence`` is the subset where the claimer is in the sentence.
    """
    path = Path(shared_dir) / NEWSCLAIMS / "dev.json"
    if not path.exists():
        return {"skipped": f"{path} not present"}
    counts = {"journalist": [0, 0], "reported": [0, 0], "reported_in_sentence": [0, 0]}
    for claim in load_newsclaims(path):
        if claim.get("has_claimer") is None:
            continue
        sentence = claim["sentence"]
        sourcing = audit_sourcing(Article(text=sentence), start=0, end=len(sentence))
        if not claim["has_claimer"]:
            key, ok = "journalist", sourcing.status is SourcingStatus.UNATTRIBUTED
        else:
            key = "reported"
            ok = sourcing.status is not SourcingStatus.UNATTRIBUTED and bool(
                _tokens(claim.get("claimer") or "") & _tellers(sourcing)
            )
            if claim.get("claimer_in_sentence"):
                counts["reported_in_sentence"][0] += ok
                counts["reported_in_sentence"][1] += 1
        counts[key][0] += ok
        counts[key][1] += 1
    correct = counts["journalist"][0] + counts["reported"][0]
    total = counts["journalist"][1] + counts["reported"][1]
    result: dict = {"accuracy": round(correct / total, 4) if total else 0.0, "n": total}
    for key, (ok, n) in counts.items():
        result[f"{key}_accuracy"] = round(ok / n, 4) if n else 0.0
        result[f"{key}_n"] = n
    return result


Scorer = Callable[[Sequence[str]], Sequence[float]]


def claims_f1_newsclaims(shared_dir: Path | str, scorer: Scorer, *, threshold: float = 0.5) -> dict:
    """Claim-sentence P/R/F1 with NewsClaims' definition, over every candidate sentence of the dev articles.

    A sentence is a gold claim iff its text is among the dev claims of its article; candidates are the
    sentences ``all_sents.json`` lists for the dev articles. ``scorer`` maps sentences to 0..1 scores (or
    booleans); a score >= ``threshold`` predicts a claim. Needs all_sents.json (kept back until the final
    evaluation): without it, returns ``{"skipped": ...}``.
    """
    folder = Path(shared_dir) / NEWSCLAIMS
    all_sents = folder / "all_sents.json"
    dev = folder / "dev.json"
    if not all_sents.exists():
        return {"skipped": "no all_sents.json"}
    if not dev.exists():
        return {"skipped": "no dev.json"}
    claims = json.loads(dev.read_text(encoding="utf-8"))
    sentences = json.loads(all_sents.read_text(encoding="utf-8"))
    texts: list[str] = []
    truth: list[bool] = []
    for article_id, article_claims in claims.items():
        gold = {" ".join(c["sentence"].split()) for c in article_claims.values()}
        for record in sentences.get(article_id, {}).values():
            sentence = record["sentence"]
            texts.append(sentence)
            truth.append(" ".join(sentence.split()) in gold)
    if not texts:
        return {"skipped": "dev articles missing from all_sents.json"}
    scores = scorer(texts)
    predicted = [float(s) >= threshold for s in scores]
    tp = sum(t and p for t, p in zip(truth, predicted, strict=False))
    fp = sum(p and not t for t, p in zip(truth, predicted, strict=False))
    fn = sum(t and not p for t, p in zip(truth, predicted, strict=False))
    return {**_scores(tp, fp, fn), "n": len(texts), "positives": sum(truth), "articles": len(claims)}


def audit_speed_ms(shared_dir: Path | str, *, claims: int = 8, repeats: int = 20) -> dict:
    """Milliseconds to audit ``claims`` sentences of the sample article, cold (new text) and warm."""
    seed = Path(shared_dir) / "seeds" / "000_feee107df6f0017a.txt"
    if not seed.exists():
        return {"skipped": f"{seed} not present"}
    base = seed.read_text(encoding="utf-8")
    cold: list[float] = []
    for i in range(repeats):
        article = Article(text=base + f"\n\nRun {i}.")  # a new text defeats the per-article cache
        spans = sentence_spans(article.text)[3 : 3 + claims]
        t0 = time.perf_counter()
        for span in spans:
            audit_sourcing(article, start=span.start, end=span.end)
        cold.append(1000 * (time.perf_counter() - t0))
    cold.sort()
    return {"claims": claims, "median_ms": round(cold[len(cold) // 2], 3), "max_ms": round(cold[-1], 3)}


def main(argv: Sequence[str] = ()) -> None:
    shared = Path(argv[0]) if argv else DEFAULT_SHARED
    print("polnear_dev_attribution", json.dumps(attribution_f1_polnear_dev(shared)))
    print("newsclaims_dev_sourcing", json.dumps(sourcing_acc_newsclaims_dev(shared)))
    print("newsclaims_claims_f1", json.dumps(_claims_f1_with_shipped_model(shared)))
    print("audit_speed", json.dumps(audit_speed_ms(shared)))


def _claims_f1_with_shipped_model(shared: Path) -> dict:
    if not (shared / NEWSCLAIMS / "all_sents.json").exists():
        return claims_f1_newsclaims(shared, lambda texts: [0.0] * len(texts))  # returns "skipped"
    from bot.checkworthiness import default_model  # loaded only when the data is there

    model = default_model()
    return claims_f1_newsclaims(shared, model.score, threshold=model.threshold)


if __name__ == "__main__":
    main(sys.argv[1:])
