"""Sentence embeddings from all-MiniLM-L6-v2, run with onnxruntime and the tokenizers library.

The model files are built on each machine by ``scripts/build_encoder.py`` (``make install`` runs it) into
``bot/data/encoder/``; they are not in git. Loading checks them against the hashes in that folder's
``MANIFEST.json``. When they are absent the bot still runs: ``default_encoder()`` returns None and the
check-worthiness model falls back to its n-gram part alone (see ``bot.checkworthiness``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

ENCODER_DIR = Path(__file__).resolve().parent / "data" / "encoder"
# The check-worthiness head trained on these embeddings (bot.checkworthiness_encoder), in bot/data/: named here,
# where no numpy is imported, so a process can key its cache on it without loading numpy.
HEAD_FILENAME = "checkworthiness_head.npz"
MAX_TOKENS = 128  # news sentences are shorter; the rare longer one is judged on its first 128 word pieces
# One sentence per run: int8 kernels quantise per run, so a sentence padded beside others scored differently
# (33 of 199 pages changed claims); no padding either, and no F1 lost (held-out debates 0.676, 4 a run 0.675).
BATCH = 1


@dataclass(frozen=True, slots=True)
class SentenceEncoder:
    session: object  # onnxruntime.InferenceSession
    tokenizer: object  # tokenizers.Tokenizer

    @classmethod
    def load(cls, folder: Path = ENCODER_DIR, *, verify: bool = False) -> SentenceEncoder:
        import onnxruntime
        from tokenizers import Tokenizer

        model, vocabulary = folder / "model.onnx", folder / "tokenizer.json"
        if verify:
            expected = json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))["files"]
            for path in (model, vocabulary):
                if hashlib.sha256(path.read_bytes()).hexdigest() != expected[path.name]:
                    raise ValueError(f"{path} does not match its MANIFEST.json hash; rebuild it (make encoder)")
        options = onnxruntime.SessionOptions()
        # One thread: checks run side by side, each on one core, and the GIL is released while it runs.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(vocabulary))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a vocabulary token, not a secret
        return cls(session, tokenizer)

    def embed(self, sentences: Sequence[str]) -> np.ndarray:
        """Unit-length 384-dimensional embeddings, one row per sentence."""
        import numpy as np  # here: the module is imported for ENCODER_DIR by processes that embed nothing

        if not sentences:
            return np.zeros((0, 384), dtype=np.float32)
        # Sorting by length keeps padding (wasted work) small within each batch.
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        out = np.zeros((len(sentences), 384), dtype=np.float32)
        for begin in range(0, len(order), BATCH):
            chunk = order[begin : begin + BATCH]
            encoded = self.tokenizer.encode_batch([sentences[i] for i in chunk])  # type: ignore[attr-defined]
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            (vectors,) = self.session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})  # type: ignore[attr-defined]
            out[chunk] = vectors
        return out


def encoder_available(folder: Path = ENCODER_DIR) -> bool:
    return all((folder / name).is_file() for name in ("model.onnx", "tokenizer.json", "MANIFEST.json"))


@lru_cache(maxsize=1)
def default_encoder() -> SentenceEncoder | None:
    """The encoder built into bot/data/encoder, verified once per process; None (logged) when it is not built."""
    if not encoder_available():
        log.warning("sentence encoder not built (run `make encoder`): check-worthiness uses its n-gram model only")
        return None
    return SentenceEncoder.load(verify=True)
