"""The sentence encoder gives a sentence one embedding, whatever else is encoded with it."""

from __future__ import annotations

import numpy as np

from bot.encoder import default_encoder, encoder_available

# Sentences of the sample article (/work/shared/seeds), of different lengths so a batch would pad the short one.
SHORT = "Russia is in need of this equipment for its own army as it continues to wage war with Ukraine."
LONG = (
    "On Wednesday night, Rep. Jim Banks of Indiana told Newsmax of a report that indicates Russian President "
    "Vladimir Putin is in negotiations with the Taliban to purchase the weapons the U.S. left behind when Biden "
    "ordered a sudden withdrawal."
)
MIDDLE = "The sudden withdrawal from Afghanistan in 2021 not only left behind over $7 billion in military equipment."


def test_a_sentence_embeds_the_same_alone_and_among_others() -> None:
    # int8 kernels quantise per run: padded beside a longer sentence, a sentence's vector (and score) moved.
    assert encoder_available(), "make test builds the encoder first (make encoder)"
    encoder = default_encoder()
    assert encoder is not None
    alone = encoder.embed([SHORT])[0]
    together = encoder.embed([LONG, SHORT, MIDDLE, "Banks said."])
    assert np.array_equal(together[1], alone)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-3)
    assert float(together[0] @ together[2]) < 0.99  # different sentences, different vectors
