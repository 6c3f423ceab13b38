"""Learned tag heads vs a TF-IDF + logistic-regression baseline, on Debian's `fortunes`.

    apt-get install -y fortunes
    .venv/bin/python -m benchmarks.tagging_bench            # or: python benchmarks/tagging_bench.py

Each fortune category is a "user tag". A fixed test split (the same for every run) is held
out per category; for 5, 20 and 100 labelled examples per class, several random draws of the
training examples train (a) Curio's learned heads on the shipped embedder (one-vs-rest
logistic regression, argmax) and (b) TF-IDF + one-vs-rest logistic regression in numpy on the
same examples. Accuracy and macro-F1 are averaged over the draws. The baseline's L2 strength
is picked from a small grid by its best test score (generous to the baseline); the heads use
their default.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop.ml import heads  # noqa: E402
from desktop.ml.classify import train_heads  # noqa: E402

FORTUNES = Path("/usr/share/games/fortunes")
CATEGORIES = ["computers", "education", "food", "law", "love", "politics", "science", "sports"]
SHOTS = (5, 20, 100)
CACHE = ROOT / ".bench"


def load_category(name: str) -> list[str]:
    raw = (FORTUNES / name).read_text(encoding="utf-8", errors="replace")
    seen: set[str] = set()
    out = []
    for entry in re.split(r"^%\s*$", raw, flags=re.M):
        text = " ".join(entry.split())
        if len(text) >= 20 and text not in seen:
            seen.add(text)
            out.append(text)
    return out


def split(
    categories: list[str], test_per_class: int, pool_per_class: int
) -> tuple[list[str], np.ndarray, list[list[int]], list[int]]:
    """All texts, their labels, per-class training pools (indices) and the test indices."""
    texts: list[str] = []
    labels: list[int] = []
    pools: list[list[int]] = []
    test: list[int] = []
    for c, name in enumerate(categories):
        entries = load_category(name)
        order = np.random.default_rng(1000 + c).permutation(len(entries))  # fixed split
        base = len(texts)
        chosen = [entries[i] for i in order[: test_per_class + pool_per_class]]
        texts += chosen
        labels += [c] * len(chosen)
        test += list(range(base, base + test_per_class))
        pools.append(list(range(base + test_per_class, base + len(chosen))))
    return texts, np.asarray(labels), pools, test


def embed_cached(texts: list[str]) -> tuple[np.ndarray, str]:
    from desktop.ml.embed import get_embedder

    emb = get_embedder()
    key = hashlib.sha256(("\n".join(texts) + emb.model_id).encode()).hexdigest()[:16]
    path = CACHE / f"fortunes-{key}.npy"
    if path.exists():
        return np.load(path), emb.model_id
    t0 = time.perf_counter()
    vecs = np.asarray(emb.embed(texts, kind="passage", batch_size=32), np.float32)
    dt = time.perf_counter() - t0
    print(f"embedded {len(texts)} texts in {dt:.1f} s ({len(texts) / dt:.0f}/s)")
    CACHE.mkdir(exist_ok=True)
    np.save(path, vecs)
    return vecs, emb.model_id


# ---------------------------------------------------------------- TF-IDF baseline (numpy)

_WORD = re.compile(r"[a-z0-9']+")


def tfidf_fit_transform(train: list[str], test: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Unigrams + bigrams, sublinear tf, smoothed idf, L2-normalised rows (sklearn's recipe)."""

    def grams(t: str) -> list[str]:
        w = _WORD.findall(t.lower())
        return w + [f"{a} {b}" for a, b in zip(w, w[1:], strict=False)]

    train_counts = [Counter(grams(t)) for t in train]
    df: Counter[str] = Counter()
    for c in train_counts:
        df.update(c.keys())
    vocab = {g: i for i, g in enumerate(sorted(df))}
    n = len(train)
    idf = np.array([math.log((1 + n) / (1 + df[g])) + 1 for g in sorted(df)])

    def matrix(counts: list[Counter[str]]) -> np.ndarray:
        m = np.zeros((len(counts), len(vocab)))
        for r, c in enumerate(counts):
            for g, k in c.items():
                if g in vocab:
                    m[r, vocab[g]] = 1 + math.log(k)
        m *= idf
        return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)

    return matrix(train_counts), matrix([Counter(grams(t)) for t in test])


def ovr_logistic(xtr: np.ndarray, ytr: np.ndarray, xte: np.ndarray, k: int, l2: float):
    if xtr.shape[0] < xtr.shape[1]:
        # Same solution in the training rows' span, with one SVD for all classes.
        _, sv, vt = np.linalg.svd(xtr, full_matrices=False)
        basis = vt[sv > sv[0] * 1e-10].T
        xtr, xte = xtr @ basis, xte @ basis
    scores = np.zeros((len(xte), k))
    for c in range(k):
        w, b = heads.fit_logistic(xtr, (ytr == c).astype(float), l2=l2)
        scores[:, c] = xte @ w + b
    return scores.argmax(axis=1)


# ---------------------------------------------------------------- metrics and runs


def macro_f1(y: np.ndarray, pred: np.ndarray, k: int) -> float:
    f1 = []
    for c in range(k):
        tp = np.sum((pred == c) & (y == c))
        p = tp / max(np.sum(pred == c), 1)
        r = tp / max(np.sum(y == c), 1)
        f1.append(0.0 if p + r == 0 else 2 * p * r / (p + r))
    return float(np.mean(f1))


def run(args: argparse.Namespace) -> None:
    cats = args.categories
    k = len(cats)
    texts, labels, pools, test = split(cats, args.test_per_class, max(SHOTS))
    vecs, model_id = embed_cached(texts)
    yte = labels[test]
    print(f"embedder {model_id}; {k} classes; {len(test)} test texts; seeds {args.seeds}\n")
    rows = []
    for shots in SHOTS:
        res = {"heads": [], "tfidf": {g: [] for g in args.l2_grid}}
        for seed in range(args.seeds):
            rng = np.random.default_rng(seed)
            tr = [i for pool in pools for i in rng.choice(pool, shots, replace=False)]
            ytr = labels[tr]
            examples = {
                cats[c]: (vecs[tr][ytr == c], vecs[tr][ytr != c]) for c in range(k)
            }
            lh = train_heads(examples, model_id=model_id)
            order = [lh.tags.index(c) for c in cats]
            pred = lh.predict(vecs[test])[:, order].argmax(axis=1)
            res["heads"].append(((pred == yte).mean(), macro_f1(yte, pred, k)))
            xtr, xte = tfidf_fit_transform([texts[i] for i in tr], [texts[i] for i in test])
            for g in args.l2_grid:
                p = ovr_logistic(xtr, ytr, xte, k, g)
                res["tfidf"][g].append(((p == yte).mean(), macro_f1(yte, p, k)))
        h = np.mean(res["heads"], axis=0)
        best_g = max(args.l2_grid, key=lambda g: np.mean(res["tfidf"][g], axis=0)[1])
        t = np.mean(res["tfidf"][best_g], axis=0)
        rows.append((shots, h, t, best_g))
    print(f"{'per class':>9} | {'heads acc':>9} {'heads F1':>8} | {'tfidf acc':>9} {'tfidf F1':>8}"
          f" | {'d acc':>6} {'d F1':>6} | {'F1 ratio':>8}")  # fmt: skip
    for shots, h, t, g in rows:
        print(
            f"{shots:>9} | {100 * h[0]:9.1f} {100 * h[1]:8.1f} | {100 * t[0]:9.1f} "
            f"{100 * t[1]:8.1f} | {100 * (h[0] - t[0]):+6.1f} {100 * (h[1] - t[1]):+6.1f} | "
            f"{h[1] / max(t[1], 1e-9):8.2f}   (tfidf l2={g:g})"
        )
    print(f"\nchance: {100 / k:.1f}%")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--categories", nargs="+", default=CATEGORIES)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--test-per-class", type=int, default=40)
    ap.add_argument("--l2-grid", type=float, nargs="+", default=[1e-4, 1e-3])
    args = ap.parse_args(argv)
    if not FORTUNES.is_dir():
        sys.exit("fortunes not installed: apt-get install -y fortunes")
    run(args)


if __name__ == "__main__":
    main()
