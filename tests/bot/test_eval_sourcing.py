"""The sourcing eval (bench/eval_sourcing.py): its figures on PolNeAR and NewsClaims dev stay above their floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.eval_sourcing import (
    attribution_f1_polnear_dev,
    claims_f1_newsclaims,
    sourcing_acc_newsclaims_dev,
)
from tests.support.paths import shared_path


def test_polnear_dev_attribution_f1() -> None:
    shared = shared_path("eval-data", "polnear", "dev").parents[2]
    result = attribution_f1_polnear_dev(shared)
    assert result["n"] > 3000 and result["articles"] == 84
    # Measured: P 0.956, R 0.680, F1 0.795, source match 0.770 (floors sit a little below).
    assert result["precision"] >= 0.93
    assert result["recall"] >= 0.65
    assert result["f1"] >= 0.77
    assert result["source_match"] >= 0.74


def test_newsclaims_dev_sourcing_accuracy() -> None:
    shared = shared_path("eval-data", "newsclaims", "dev.json").parents[2]
    result = sourcing_acc_newsclaims_dev(shared)
    assert result["n"] == 103
    # Measured: 0.612 overall, 0.946 on the writer's own claims, 0.727 when the claimer is in the sentence.
    assert result["accuracy"] >= 0.57
    assert result["journalist_accuracy"] >= 0.89
    assert result["reported_in_sentence_accuracy"] >= 0.66


def test_claims_f1_skips_without_all_sents_and_scores_with_it(tmp_path: Path) -> None:
    assert claims_f1_newsclaims(tmp_path, lambda texts: [1.0] * len(texts)) == {"skipped": "no all_sents.json"}
    folder = tmp_path / "eval-data" / "newsclaims"
    folder.mkdir(parents=True)
    texts = ["Masks cut spread by 50%.", "It rained.", "Vaccines work."]
    sentences = {"a1": {str(i): {"sentence": text} for i, text in enumerate(texts, 1)}}
    claims = {"a1": {"a1-1": {"sentence": "Masks cut spread by 50%."}, "a1-2": {"sentence": "Vaccines work."}}}
    (folder / "all_sents.json").write_text(json.dumps(sentences))
    (folder / "dev.json").write_text(json.dumps(claims))
    result = claims_f1_newsclaims(tmp_path, lambda texts: [1.0 if "%" in t else 0.0 for t in texts])
    assert result["n"] == 3 and result["positives"] == 2
    assert result["precision"] == 1.0 and result["recall"] == 0.5
    assert result["f1"] == pytest.approx(2 / 3, abs=1e-3)
