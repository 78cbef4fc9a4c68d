"""The offline check-worthiness model with a sentence encoder: n-gram model + MiniLM head, stacked.

Model card. Two views of a sentence: the n-gram logistic regression of ``bot.checkworthiness`` and a small MLP
(256 ReLU units) on the all-MiniLM-L6-v2 embedding (``bot.encoder``) plus the same cue features. A logistic
regression on their standardised logits gives the probability. Trained by ``scripts/train_encoder_head.py`` on
ClaimBuster crowdsourced.csv (CT24 train) without the held-out fifth of its debates; the stacker and the
decision ``threshold`` (0.66) were fitted on out-of-fold predictions with whole debates held out (F1 0.713
there; the n-gram model alone 0.678). Positive-class F1, ``bench/eval_checkworthiness.py``: held-out debates
0.678 (P 0.721, R 0.639, 3,862 sentences; n-gram model alone 0.660), CT24 dev-test 0.780 (P 0.959, R 0.657;
n-gram alone 0.767), CT24 dev 0.909. Cost: the encoder takes ~5 ms of one core per sentence, so the offline
analysis runs it only on the ~12 sentences that can still become key claims (``bot.claims``), and the LLM path
never runs it. The head file is ~0.4 MB (numpy arrays, no pickle); the encoder is built on each machine
(``make encoder``).
Limits: as the n-gram model's (English, debate-trained), softened by the encoder's general-domain training.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from bot.checkworthiness import CheckworthinessModel, cue_features, default_model
from bot.encoder import HEAD_FILENAME, SentenceEncoder, default_encoder

FORMAT = 1


@dataclass(frozen=True, slots=True)
class BlendedModel:
    version: str
    threshold: float
    n_gram: CheckworthinessModel
    encoder: SentenceEncoder
    hidden_weights: np.ndarray  # (384 + cues, hidden)
    hidden_bias: np.ndarray
    output_weights: np.ndarray  # (hidden,)
    output_bias: float
    logit_means: np.ndarray  # (2,): n-gram, MLP
    logit_scales: np.ndarray
    stacker_weights: np.ndarray
    stacker_bias: float

    @classmethod
    def load(
        cls,
        path: Path | None = None,
        *,
        n_gram: CheckworthinessModel | None = None,
        encoder: SentenceEncoder | None = None,
    ) -> BlendedModel:
        source = (
            path
            if path is not None
            else io.BytesIO(resources.files("bot").joinpath("data", HEAD_FILENAME).read_bytes())
        )
        with np.load(source, allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != FORMAT:
                raise ValueError(f"check-worthiness head format mismatch: {meta.get('format')!r}")
            arrays = {name: data[name].astype(np.float32) for name in data.files if name != "meta"}
        return cls(
            version=str(meta["version"]),
            threshold=float(meta["threshold"]),
            n_gram=n_gram or default_model(),
            encoder=encoder or SentenceEncoder.load(),
            hidden_weights=arrays["hidden_weights"],
            hidden_bias=arrays["hidden_bias"],
            output_weights=arrays["output_weights"],
            output_bias=float(meta["output_bias"]),
            logit_means=arrays["logit_means"],
            logit_scales=arrays["logit_scales"],
            stacker_weights=arrays["stacker_weights"],
            stacker_bias=float(meta["stacker_bias"]),
        )

    def score(self, sentences: Sequence[str], *, n_gram_scores: Sequence[float] | None = None) -> list[float]:
        """Probability (0..1) that each sentence is a check-worthy claim; pass the n-gram scores if already known."""
        if not sentences:
            return []
        cheap = np.asarray(n_gram_scores if n_gram_scores is not None else self.n_gram.score(sentences), np.float64)
        cheap = np.clip(cheap, 1e-7, 1 - 1e-7)
        n_gram_logit = np.log(cheap / (1 - cheap))
        x = np.hstack([self.encoder.embed(sentences), np.array([cue_features(s) for s in sentences], np.float32)])
        hidden = np.maximum(x @ self.hidden_weights + self.hidden_bias, 0.0)
        mlp_logit = hidden @ self.output_weights + self.output_bias
        stacked = (np.column_stack([n_gram_logit, mlp_logit]) - self.logit_means) / self.logit_scales
        z = stacked @ self.stacker_weights + self.stacker_bias
        return [float(p) for p in 1.0 / (1.0 + np.exp(-np.clip(z, -500.0, 500.0)))]

    def is_checkworthy(self, score: float) -> bool:
        return score >= self.threshold


def save_head(
    path: Path,
    *,
    version: str,
    threshold: float,
    hidden_weights: np.ndarray,
    hidden_bias: np.ndarray,
    output_weights: np.ndarray,
    output_bias: float,
    logit_means: np.ndarray,
    logit_scales: np.ndarray,
    stacker_weights: np.ndarray,
    stacker_bias: float,
    metrics: dict[str, object],
) -> None:
    """Write the head as a compressed npz without pickled objects (the training script calls this)."""
    meta = {
        "format": FORMAT,
        "version": version,
        "threshold": threshold,
        "output_bias": output_bias,
        "stacker_bias": stacker_bias,
        "metrics": metrics,
    }
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8),
        hidden_weights=np.asarray(hidden_weights, dtype=np.float32),
        hidden_bias=np.asarray(hidden_bias, dtype=np.float32),
        output_weights=np.asarray(output_weights, dtype=np.float32),
        logit_means=np.asarray(logit_means, dtype=np.float32),
        logit_scales=np.asarray(logit_scales, dtype=np.float32),
        stacker_weights=np.asarray(stacker_weights, dtype=np.float32),
    )
    path.write_bytes(buffer.getvalue())


@lru_cache(maxsize=1)
def default_blended_model() -> BlendedModel | None:
    """The shipped blend, or None when the encoder is not built here (the n-gram model then decides alone)."""
    if not resources.files("bot").joinpath("data", HEAD_FILENAME).is_file():
        return None
    encoder = default_encoder()
    if encoder is None:
        return None
    return BlendedModel.load(encoder=encoder)
