"""Train the encoder half of the offline check-worthiness model and write ``bot/data/checkworthiness_head.npz``.

    .venv/bin/python scripts/train_encoder_head.py [--shared ../shared]

Run after ``scripts/train_checkworthiness.py`` (the n-gram half) and ``scripts/build_encoder.py`` (the encoder);
``make train`` runs all three. Deterministic for a given encoder build (fixed seeds).

Data: ClaimBuster crowdsourced.csv (= CT24 train) without its held-out fifth of debates
(``bench.eval_checkworthiness.held_out_debates``), which nothing here trains or tunes on.

Model: an MLP (one hidden layer of 256 ReLU units) on the all-MiniLM-L6-v2 sentence embedding plus the n-gram
model's cue features, and a stacker: a logistic regression on the two models' standardised logits (n-gram model,
MLP), fitted on out-of-fold logits from 5-fold cross-validation with whole debates held out, as is the decision
threshold. Tried on the same folds (F1 at each one's best threshold): n-gram model alone 0.682, embedding
logistic regression 0.667, embedding + cues LR 0.685, LR blend with n-grams 0.705, MLP 0.699, MLP blend 0.717.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.neural_network import MLPClassifier

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from train_checkworthiness import GRID, Features, best_threshold, fit, load_claimbuster  # noqa: E402

from bench.eval_checkworthiness import (  # noqa: E402
    CT24,
    DEV,
    DEV_TEST,
    load_ct24,
    load_held_out_debates,
    positive_class_scores,
)
from bot.checkworthiness import cue_features  # noqa: E402
from bot.checkworthiness_encoder import HEAD_FILENAME, BlendedModel, save_head  # noqa: E402
from bot.encoder import SentenceEncoder  # noqa: E402

SEED = 20240501
FOLDS = 5
HIDDEN = 256


def mlp() -> MLPClassifier:
    return MLPClassifier((HIDDEN,), alpha=1e-3, early_stopping=True, random_state=SEED, max_iter=200)


def logit(model: MLPClassifier, x: np.ndarray) -> np.ndarray:
    p = np.clip(model.predict_proba(x)[:, 1], 1e-7, 1 - 1e-7)
    return np.log(p / (1 - p))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=REPO / "bot" / "data" / HEAD_FILENAME)
    args = parser.parse_args()
    np.random.seed(SEED)

    texts, labels, debates = load_claimbuster(args.shared / "eval-data" / "claimbuster" / "crowdsourced.csv")
    print(f"train {len(texts)} sentences from {len(set(debates))} debates ({labels.sum()} positive)")
    encoder = SentenceEncoder.load(verify=True)
    features = np.hstack([encoder.embed(texts), np.array([cue_features(t) for t in texts])])
    no_agreement = np.zeros(len(texts), dtype=bool)

    n_gram_oof, mlp_oof = np.zeros(len(texts)), np.zeros(len(texts))
    for fold, (seen, held) in enumerate(GroupKFold(n_splits=FOLDS).split(texts, labels, debates)):
        vectors = Features.fit([texts[i] for i in seen], config=GRID[0])
        n_gram = fit(vectors.transform([texts[i] for i in seen]), labels[seen], no_agreement[seen], config=GRID[0])
        n_gram_oof[held] = n_gram.decision_function(vectors.transform([texts[i] for i in held]))
        mlp_oof[held] = logit(mlp().fit(features[seen], labels[seen]), features[held])
        print(f"  fold {fold} done")
    means = np.array([n_gram_oof.mean(), mlp_oof.mean()])
    scales = np.array([n_gram_oof.std(), mlp_oof.std()])
    stacked = (np.column_stack([n_gram_oof, mlp_oof]) - means) / scales
    stacker = LogisticRegression(class_weight="balanced", random_state=SEED).fit(stacked, labels)
    threshold, cv_f1 = best_threshold(stacker.predict_proba(stacked)[:, 1], labels)
    print(f"held-out-debate CV F1 {cv_f1:.4f} at threshold {threshold:.2f}")

    head = mlp().fit(features, labels)
    hidden_weights, output_weights = head.coefs_
    hidden_bias, output_bias = head.intercepts_
    digest = hashlib.sha256(np.asarray(hidden_weights, dtype=np.float32).tobytes()).hexdigest()[:8]
    save_head(
        args.out,
        version=f"minilm-mlp-blend-1+{digest}",
        threshold=threshold,
        hidden_weights=hidden_weights,
        hidden_bias=hidden_bias,
        output_weights=output_weights[:, 0],
        output_bias=float(output_bias[0]),
        logit_means=means,
        logit_scales=scales,
        stacker_weights=stacker.coef_[0],
        stacker_bias=float(stacker.intercept_[0]),
        metrics={"held_out_debates_cv_f1": cv_f1},
    )
    model = BlendedModel.load(args.out)
    report = {"version": model.version, "threshold": threshold, "cv_f1": round(cv_f1, 4)}
    for name, rows in (
        ("held_out_debates", load_held_out_debates(args.shared)),
        ("ct24_dev_test", load_ct24(args.shared / CT24 / DEV_TEST)),
        ("ct24_dev", load_ct24(args.shared / CT24 / DEV)),
    ):
        scores = model.score([r.text for r in rows])
        report[name] = positive_class_scores(
            truth=[r.checkworthy for r in rows], predicted=[model.is_checkworthy(s) for s in scores]
        )
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
