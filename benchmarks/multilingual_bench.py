"""Both embedders side by side on English and Chinese: clusters, few-shot tags, speed.

    apt-get install -y fortunes fortunes-zh
    .venv/bin/python -m benchmarks.multilingual_bench [--per-category 150] [--seeds 10]

Real text nobody here wrote, with categories as ground truth:

- English: Debian's `fortunes`, eight category files (as benchmarks/quality_bench.py).
- Chinese: `fortunes-zh`. Its `chinese` file is one big file, but each entry ends with its
  source ("-- 《论语》"), so the categories are sources: folk proverbs (谚语), the Analects
  (论语), 菜根谭, 增广贤文, 道德经, plus the files `tang300` (Tang poems) and `song100` (Song
  poems). The attribution line, poem titles and author lines and ANSI colour codes are
  removed, so only the text itself can tell the category.

Each text is embedded as a "passage" (as the app embeds library items; ``--kind query``
measures e5's symmetric-task prefix instead). Vectors are cached under the temp folder,
keyed by texts and model id. Metrics, over `--seeds` seeds (the same splits and seeds for
both embedders, so the comparison is paired):

- NMI of spherical k-means (k-means++ seeding, k = number of categories) against the
  categories, on the raw vectors and on mean-centred ones (e5's vectors share a large common
  component: all its cosines are 0.7-0.9).
- few-shot accuracy with 5 and 20 labelled examples per category, tested on all the others:
  nearest centroid (cosine) and multinomial logistic regression (standardised features, L2,
  full-batch gradient descent). Balanced accuracy (mean per-category recall): the Chinese
  categories differ in size.
- speed: the same 256 English and 256 Chinese texts through each embedder, interleaved and
  repeated, best run: texts/s (wall clock, `--threads`) and texts per CPU-second (less
  sensitive to other processes on a shared machine).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # numpy's BLAS would contend with ORT
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop.ml import runtime  # noqa: E402
from desktop.ml.embed import Embedder, get_embedder  # noqa: E402

FORTUNES = Path("/usr/share/games/fortunes")
EN_CATEGORIES = ["computers", "education", "food", "law", "love", "politics", "science", "sports"]
ZH_SOURCES = {"谚语": "proverbs", "论语": "analects", "菜根谭": "caigentan",
              "增广贤文": "zengguang", "道德经": "daodejing"}  # fmt: skip
ZH_FILES = {"tang300": "tang-poems", "song100": "song-poems"}
EMBEDDERS = ["minilm-l6-v2", "multilingual-e5-small"]
CACHE = Path(tempfile.gettempdir()) / "curio-multilingual-bench"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ATTRIBUTION = re.compile(r"^\s*--")
_POEM_HEAD = re.compile(r"^\s*(题目|作者)\s*[:：]|^\s*\S{0,4}《[^》]*》\s*$")


# ------------------------------------------------------------------------------ data


def _entries(path: Path) -> list[str]:
    raw = path.read_text(encoding="utf-8", errors="replace")
    return [_ANSI.sub("", e).strip("\n") for e in re.split(r"^%\s*$", raw, flags=re.M)]


def _balanced(groups: dict[str, list[str]], per: int) -> tuple[list[str], np.ndarray, list[str]]:
    names = sorted(groups)
    texts: list[str] = []
    labels: list[int] = []
    for i, name in enumerate(names):
        picked = groups[name][:per]
        texts += picked
        labels += [i] * len(picked)
    return texts, np.asarray(labels), names


def english(per: int) -> tuple[list[str], np.ndarray, list[str]]:
    groups: dict[str, list[str]] = {}
    seen: set[str] = set()
    for cat in EN_CATEGORIES:
        out = []
        for entry in _entries(FORTUNES / cat):
            text = " ".join(entry.split())
            if 20 <= len(text) <= 1500 and text not in seen:
                seen.add(text)
                out.append(text)
        groups[cat] = out
    return _balanced(groups, per)


def _clean_zh(lines: list[str]) -> str:
    body = [ln.strip() for ln in lines if ln.strip() and not _POEM_HEAD.search(ln)]
    return "\n".join(body)


def chinese(per: int) -> tuple[list[str], np.ndarray, list[str]]:
    groups: dict[str, list[str]] = {v: [] for v in [*ZH_SOURCES.values(), *ZH_FILES.values()]}
    seen: set[str] = set()

    def add(cat: str, text: str) -> None:
        if 8 <= len(text) <= 1500 and text not in seen:
            seen.add(text)
            groups[cat].append(text)

    for entry in _entries(FORTUNES / "chinese.u8"):
        lines = entry.split("\n")
        attribution = [ln for ln in lines if _ATTRIBUTION.match(ln)]
        if not attribution:
            continue
        source = [v for k, v in ZH_SOURCES.items() if k in attribution[-1]]
        if len(source) == 1:
            add(source[0], _clean_zh([ln for ln in lines if not _ATTRIBUTION.match(ln)]))
    for name, cat in ZH_FILES.items():
        for entry in _entries(FORTUNES / f"{name}.u8"):
            add(cat, _clean_zh(entry.split("\n")))
    return _balanced(groups, per)


def embed_cached(emb: Embedder, texts: list[str], kind: str) -> np.ndarray:
    # Keyed by the prefix, not the kind: MiniLM's vectors are the same for both kinds.
    prefix = emb.spec.prefix(kind)
    key = hashlib.sha256(("\n\x00".join(texts) + emb.model_id + prefix).encode()).hexdigest()[:16]
    path = CACHE / f"{emb.name}-{key}.npy"
    if path.exists():
        return np.load(path)
    started = time.perf_counter()
    vecs = np.asarray(emb.embed(texts, kind=kind), np.float32)  # type: ignore[arg-type]
    print(f"  {emb.model_id}: embedded {len(texts)} texts in {time.perf_counter() - started:.0f} s",
          flush=True)  # fmt: skip
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vecs)
    return vecs


# ------------------------------------------------------------------------------ metrics


def nmi(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised mutual information (arithmetic mean normalisation, as scikit-learn)."""
    n = len(a)
    ca, cb = Counter(a.tolist()), Counter(b.tolist())
    joint = Counter(zip(a.tolist(), b.tolist(), strict=True))
    mi = sum(c / n * math.log(c * n / (ca[x] * cb[y])) for (x, y), c in joint.items())
    ha = -sum(c / n * math.log(c / n) for c in ca.values())
    hb = -sum(c / n * math.log(c / n) for c in cb.values())
    return mi / ((ha + hb) / 2) if ha + hb > 0 else 1.0


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def spherical_kmeans(x: np.ndarray, k: int, seed: int, iterations: int = 100) -> np.ndarray:
    """Labels of spherical k-means (cosine), k-means++ seeding; x must be unit length."""
    rng = np.random.default_rng(seed)
    centres = [int(rng.integers(len(x)))]
    dist = np.maximum(1.0 - x @ x[centres[0]], 0.0)
    for _ in range(1, k):
        centres.append(int(rng.choice(len(x), p=dist / dist.sum())))
        dist = np.minimum(dist, np.maximum(1.0 - x @ x[centres[-1]], 0.0))
    c = x[centres].copy()
    labels = np.full(len(x), -1)
    for _ in range(iterations):
        new = np.argmax(x @ c.T, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        for j in range(k):
            members = x[labels == j]
            # An emptied cluster restarts at the point worst served by its centroid.
            c[j] = members.sum(0) if len(members) else x[np.argmin((x * c[labels]).sum(1))]
        c = _unit(c)
    return labels


def balanced_accuracy(pred: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([np.mean(pred[truth == c] == c) for c in np.unique(truth)]))


def nearest_centroid(xtr: np.ndarray, ytr: np.ndarray, xte: np.ndarray, k: int) -> np.ndarray:
    cent = _unit(np.stack([xtr[ytr == c].mean(0) for c in range(k)]))
    return np.argmax(xte @ cent.T, axis=1)


def logistic(xtr: np.ndarray, ytr: np.ndarray, xte: np.ndarray, k: int, l2: float = 1e-2,
             steps: int = 300, lr: float = 0.5) -> np.ndarray:  # fmt: skip
    """Multinomial logistic regression on features standardised with the training stats."""
    mu, sd = xtr.mean(0), xtr.std(0) + 1e-6
    a, b = (xtr - mu) / sd, (xte - mu) / sd
    w = np.zeros((a.shape[1], k))
    bias = np.zeros(k)
    onehot = np.eye(k)[ytr]
    for _ in range(steps):
        z = a @ w + bias
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        g = (p - onehot) / len(a)
        w -= lr * (a.T @ g + l2 * w)
        bias -= lr * g.sum(0)
    return np.argmax(b @ w + bias, axis=1)


def evaluate(x: np.ndarray, y: np.ndarray, seeds: int) -> dict[str, list[float]]:
    k = int(y.max()) + 1
    out: dict[str, list[float]] = {}
    centred = _unit(x - x.mean(0))
    for seed in range(seeds):
        out.setdefault("nmi", []).append(nmi(spherical_kmeans(x, k, seed), y))
        out.setdefault("nmi_c", []).append(nmi(spherical_kmeans(centred, k, seed), y))
        for shots in (5, 20):
            rng = np.random.default_rng([seed, shots])
            train = np.concatenate([rng.choice(np.flatnonzero(y == c), shots, replace=False)
                                    for c in range(k)])  # fmt: skip
            test = np.setdiff1d(np.arange(len(y)), train)
            for name, fn in (("nc", nearest_centroid), ("lr", logistic)):
                pred = fn(x[train], y[train], x[test], k)
                out.setdefault(f"{name}{shots}", []).append(balanced_accuracy(pred, y[test]))
    return out


def speed(embedders: list[Embedder], samples: dict[str, list[str]], kind: str,
          repeats: int) -> dict[tuple[str, str], tuple[float, float, float]]:  # fmt: skip
    """(texts/s wall, texts per CPU-second, mean tokens) per (embedder, language): best run."""
    best: dict[tuple[str, str], tuple[float, float, float]] = {}
    for emb in embedders:
        emb.embed(samples["English"][:32], kind=kind)  # type: ignore[arg-type]  # warm-up
    for _ in range(repeats):
        for emb in embedders:  # interleaved: load from other processes hits both alike
            for lang, texts in samples.items():
                wall, cpu = time.perf_counter(), time.process_time()
                emb.embed(texts, kind=kind)  # type: ignore[arg-type]
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                prefix = emb.spec.prefix(kind)
                tokens = float(np.mean([emb.token_count(prefix + t) for t in texts]))
                old = best.get((emb.name, lang), (0.0, 0.0, tokens))
                best[(emb.name, lang)] = (max(old[0], len(texts) / wall),
                                          max(old[1], len(texts) / cpu), tokens)  # fmt: skip
    return best


# ------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-category", type=int, default=150)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--kind", choices=["passage", "query"], default="passage")
    parser.add_argument("--speed-texts", type=int, default=256)
    parser.add_argument("--speed-repeats", type=int, default=2)
    args = parser.parse_args(argv)
    if not (FORTUNES / "chinese.u8").exists() or not (FORTUNES / "computers").exists():
        sys.exit("needs Debian's fortunes and fortunes-zh: apt-get install -y fortunes fortunes-zh")
    runtime.set_threads(args.threads)
    embedders = [get_embedder(name) for name in EMBEDDERS]

    datasets = {"English": english(args.per_category), "Chinese": chinese(args.per_category)}
    rows = []
    for lang, (texts, labels, names) in datasets.items():
        sizes = ", ".join(f"{n} {int((labels == i).sum())}" for i, n in enumerate(names))
        print(f"{lang}: {len(texts)} texts in {len(names)} categories ({sizes})", flush=True)
        for emb in embedders:
            res = evaluate(embed_cached(emb, texts, args.kind), labels, args.seeds)
            rows.append((lang, emb.model_id, res))

    def cell(values: list[float]) -> str:
        return f"{np.mean(values):.3f}±{np.std(values):.3f}"

    cols = [("nmi", "NMI k-means"), ("nmi_c", "NMI centred"), ("nc5", "NC 5-shot"),
            ("nc20", "NC 20-shot"), ("lr5", "LR 5-shot"), ("lr20", "LR 20-shot")]  # fmt: skip
    print(f"\nQuality ({args.seeds} seeds, mean±std; few-shot = balanced accuracy; "
          f'texts embedded as "{args.kind}")')
    print(f"{'language':<9}{'embedder':<26}" + "".join(f"{h:>14}" for _, h in cols))
    for lang, model_id, res in rows:
        print(f"{lang:<9}{model_id:<26}" + "".join(f"{cell(res[c]):>14}" for c, _ in cols))

    samples = {lang: sorted(texts, key=len)[:: max(1, len(texts) // args.speed_texts)]
               [: args.speed_texts] for lang, (texts, _, _) in datasets.items()}  # fmt: skip
    figures = speed(embedders, samples, args.kind, args.speed_repeats)
    print(f"\nSpeed (batch 32, {args.threads} threads, {args.speed_texts} texts per language "
          f"spread over all lengths, best of {args.speed_repeats})")
    print(f"{'language':<9}{'embedder':<26}{'texts/s':>10}{'texts/CPU-s':>13}{'tokens/text':>13}")
    for (name, lang), (wall, cpu, tokens) in sorted(figures.items(), key=lambda kv: kv[0][::-1]):
        print(f"{lang:<9}{name:<26}{wall:>10.1f}{cpu:>13.1f}{tokens:>13.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
