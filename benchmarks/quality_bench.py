"""Clustering and recommendation quality on Debian's `fortunes` (real text nobody here wrote).

    apt-get install -y fortunes
    .venv/bin/python -m benchmarks.quality_bench [--per-category 300] [--users 12]

Eight fortune categories are the ground truth. The texts are embedded once with the
shipped embedder (vectors cached as .npy in the temp folder, keyed by texts and model) and
written into a temporary catalog.

1. Clusters: NMI of build_clusters (k chosen automatically) against the true categories,
   beside spherical k-means on TF-IDF (numpy) with the same k; both also at the true k.
   Goal: NMI >= TF-IDF + 0.10.
2. Recommendations: simulated users, each with 1-2 hidden preferred categories, react to
   what they are shown (like + open a preferred item; dislike half of the others, ignore the
   rest). precision@10 of the list after 10, 30 and 100 judgements, for recommend() and for
   popularity, random and content-only (Rocchio) rankers driving the same loop.
   Goal: precision@10 after 30 events >= 1.10 x content-only.
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

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # see scale_bench: BLAS threads contend here
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.scale_bench import bulk_catalog  # noqa: E402
from desktop.curation import feedback, terms  # noqa: E402
from desktop.curation.clusters import build_clusters, map_points  # noqa: E402
from desktop.curation.kmeans import spherical_kmeans  # noqa: E402
from desktop.curation.recommend import recommend  # noqa: E402

FORTUNES = Path("/usr/share/games/fortunes")
CATEGORIES = ["computers", "education", "food", "law", "love", "politics", "science", "sports"]
CHECKPOINTS = (10, 30, 100)
CACHE = Path(tempfile.gettempdir()) / "curio-quality-bench"


def load_category(name: str, limit: int) -> list[str]:
    raw = (FORTUNES / name).read_text(encoding="utf-8", errors="replace")
    seen: set[str] = set()
    out = []
    for entry in re.split(r"^%\s*$", raw, flags=re.M):
        text = " ".join(entry.split())
        if 20 <= len(text) <= 1500 and text not in seen:
            seen.add(text)
            out.append(text)
    return out[:limit]


def embed_cached(texts: list[str]) -> tuple[np.ndarray, str]:
    from desktop.ml.embed import get_embedder

    emb = get_embedder()
    key = hashlib.sha256(("\n".join(texts) + emb.model_id).encode()).hexdigest()[:16]
    path = CACHE / f"fortunes-{key}.npy"
    if path.exists():
        return np.load(path), emb.model_id
    started = time.perf_counter()
    vecs = np.asarray(emb.embed(texts, kind="passage"), np.float32)
    print(f"embedded {len(texts)} texts in {time.perf_counter() - started:.1f} s")
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vecs)
    return vecs, emb.model_id


def nmi(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised mutual information (arithmetic mean normalisation, as scikit-learn)."""
    n = len(a)
    ca, cb = Counter(a.tolist()), Counter(b.tolist())
    joint = Counter(zip(a.tolist(), b.tolist(), strict=True))
    mi = sum(c / n * math.log(c * n / (ca[x] * cb[y])) for (x, y), c in joint.items())
    ha = -sum(c / n * math.log(c / n) for c in ca.values())
    hb = -sum(c / n * math.log(c / n) for c in cb.values())
    return mi / ((ha + hb) / 2) if ha + hb > 0 else 1.0


def tfidf(texts: list[str], max_terms: int = 5000) -> np.ndarray:
    docs = [Counter(terms.words(t)) for t in texts]
    df = Counter(w for d in docs for w in d)
    vocab = [w for w, c in df.most_common(max_terms) if c >= 2]
    col = {w: i for i, w in enumerate(vocab)}
    x = np.zeros((len(texts), len(vocab)), dtype=np.float32)
    for r, d in enumerate(docs):
        for w, c in d.items():
            if w in col:
                x[r, col[w]] = (1 + math.log(c)) * math.log(len(texts) / df[w])
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


# ---------------------------------------------------------------- simulated users
#
# A user has 1-2 hidden preferred categories (the ground truth of precision@10) and uses the
# For-you page in sessions: each session shows the top 10 of the ranker, and the user reacts
# to each item the way people do, not like an oracle. An item of a preferred category is
# liked (usually after opening and reading it), or only read (opened, long dwell), or
# skipped; any other item is mostly skipped, sometimes disliked or hidden, sometimes opened
# for a few seconds out of curiosity, and now and then liked anyway. A user's reaction to an
# item is drawn from a generator seeded by (user, item), so every ranker meets the very same
# user. Items shown three times without a reaction are skipped from then on (the harness
# applies this to every ranker alike), and no ranker gets credit for showing again what was
# judged or already opened.
# The baselines get the same events: Rocchio's profile is the mean of liked and long-read
# items minus half the mean of disliked and hidden ones.

REACTION = {  # (probability, reaction) for items in / outside a preferred category
    True: [(0.60, "like"), (0.25, "read"), (0.15, "skip")],
    False: [(0.55, "skip"), (0.25, "dislike"), (0.10, "hide"), (0.07, "glance"),
            (0.03, "like")],
}
READ_SECONDS = 30  # dwell that counts as a positive for Rocchio
PAGE = 10


def reaction(user_seed: int, item_id: int, relevant: bool) -> tuple[str, bool, float]:
    """(reaction, opened first, dwell seconds) of one user to one item, always the same."""
    rng = np.random.default_rng([user_seed, item_id])
    probs, kinds = zip(*REACTION[relevant], strict=True)
    what = kinds[min(int(np.searchsorted(np.cumsum(probs), rng.random(), side="right")),
                     len(kinds) - 1)]
    opened = what in ("read", "glance") or (what == "like" and rng.random() < 0.7)
    dwell = (rng.uniform(40, 300) if relevant else rng.uniform(5, 40)) if what != "glance" \
        else rng.uniform(2, 8)
    return what, opened, dwell


class Ranker:
    """A baseline ranker over the same items: order(open rows) -> rows, best first."""

    def __init__(self, name: str, vecs: np.ndarray, popularity: np.ndarray, seed: int) -> None:
        self.name, self.vecs, self.pop = name, vecs, popularity
        self.rng = np.random.default_rng(seed)
        self.pos: list[int] = []
        self.neg: list[int] = []

    def event(self, row: int, kind: str, value: float | None) -> None:
        if kind == "like" or (kind == "dwell" and value is not None and value >= READ_SECONDS):
            self.pos.append(row)
        elif kind in ("dislike", "hide"):
            self.neg.append(row)

    def order(self, open_rows: np.ndarray, k: int) -> list[int]:
        if self.name == "random" or (self.name == "rocchio" and not self.pos):
            return self.rng.permutation(open_rows)[:k].tolist()
        if self.name == "popularity":
            score = self.pop[open_rows]
        else:  # Rocchio
            profile = self.vecs[sorted(set(self.pos))].mean(axis=0)
            if self.neg:
                profile = profile - 0.5 * self.vecs[sorted(set(self.neg))].mean(axis=0)
            score = self.vecs[open_rows] @ profile
        return open_rows[np.argsort(-score, kind="stable")[:k]].tolist()


def simulate(name: str, store, vecs: np.ndarray, ids: np.ndarray, cats: np.ndarray,
             prefs: set[int], popularity: np.ndarray, seed: int,
             recommend_fn=None) -> dict[int, float]:
    """precision@10 at each checkpoint (explicit judgements so far: likes, dislikes, hides)
    for one user and one ranker."""
    recommend_fn = recommend_fn or recommend
    row_of = {int(i): r for r, i in enumerate(ids)}
    ranker = Ranker(name, vecs, popularity, seed)
    judged: set[int] = set()
    shown: Counter[int] = Counter()
    explicit = 0
    found: dict[int, float] = {}
    store.conn.execute("DELETE FROM events")

    def send(r: int, kind: str, value: float | None, session: str) -> None:
        ranker.event(r, kind, value)
        if name == "curio":
            feedback.record(store, int(ids[r]), kind, value, session=session)

    for visit in range(300):
        excluded = judged | {r for r, c in shown.items() if c >= 3}
        if name == "curio":
            # recommend() knows nothing of the harness's skipped items: ask for enough.
            recs = recommend_fn(store, limit=PAGE + len(excluded))
            rows = [row_of[x["id"]] for x in recs if row_of[x["id"]] not in excluded][:PAGE]
        else:
            open_rows = np.array([r for r in range(len(ids)) if r not in excluded])
            rows = ranker.order(open_rows, PAGE)
        for c in CHECKPOINTS:
            if c not in found and explicit >= c:
                found[c] = sum(cats[r] in prefs for r in rows) / PAGE
        if len(found) == len(CHECKPOINTS) or not rows:
            break
        session = f"visit{visit}"
        for r in rows:
            shown[r] += 1
            what, opened, dwell = reaction(seed, int(ids[r]), bool(cats[r] in prefs))
            if opened:
                send(r, "open", None, session)
                send(r, "dwell", round(dwell, 1), session)
                judged.add(r)  # read: showing it again recommends nothing new
            if what in ("like", "dislike", "hide"):
                send(r, what, None, session)
                judged.add(r)
                explicit += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-category", type=int, default=300)
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7,
                        help="users' seed: 7 for the reported figures; tune on others (1, 2, ...)")
    parser.add_argument("--skip-clusters", action="store_true")
    args = parser.parse_args()
    if not FORTUNES.is_dir():
        sys.exit("install the fortunes package first: apt-get install -y fortunes")

    texts, cats = [], []
    for c, name in enumerate(CATEGORIES):
        entries = load_category(name, args.per_category)
        texts += entries
        cats += [c] * len(entries)
    cats_arr = np.asarray(cats)
    print(f"{len(texts)} fortunes in {len(CATEGORIES)} categories: "
          + ", ".join(f"{n} {int((cats_arr == i).sum())}" for i, n in enumerate(CATEGORIES)))
    vecs, model_id = embed_cached(texts)
    base = Path(tempfile.mkdtemp(prefix="curio-quality-"))
    titles = [" ".join(t.split()[:8]) for t in texts]
    store = bulk_catalog(base / "catalog.sqlite3", titles, texts, vecs, model_id)
    ids = np.arange(1, len(texts) + 1)

    # 1. clusters
    if args.skip_clusters:
        build_clusters(store)  # the recommender reads the clusters
    else:
        started = time.perf_counter()
        clusters = build_clusters(store)
        took = time.perf_counter() - started
        pred = {p["id"]: p["cluster_id"] for p in map_points(store)}
        ours = nmi(cats_arr, np.array([pred[int(i)] for i in ids]))
        k = len(clusters)
        x_tfidf = tfidf(texts)
        tf_labels, _, _ = spherical_kmeans(x_tfidf, k, seed=0, n_init=3)
        base_nmi = nmi(cats_arr, tf_labels)
        print(f"\nclusters: k={k} chosen automatically in {took:.1f} s")
        print(f"  NMI embeddings (build_clusters)  {ours:.3f}")
        print(f"  NMI TF-IDF spherical k-means     {base_nmi:.3f}   (same k)")
        print(f"  difference {ours - base_nmi:+.3f}   goal >= +0.10: "
              f"{'met' if ours - base_nmi >= 0.10 else 'NOT met'}")
        true_k = len(CATEGORIES)
        emb_k, _, _ = spherical_kmeans(vecs, true_k, seed=0, n_init=3)
        tf_k, _, _ = spherical_kmeans(x_tfidf, true_k, seed=0, n_init=3)
        print(f"  at the true k={true_k}: embeddings {nmi(cats_arr, emb_k):.3f}, "
              f"TF-IDF {nmi(cats_arr, tf_k):.3f}")
        print("  labels: " + " | ".join(c["label"] for c in clusters[:10]))

    # 2. recommendations
    rng = np.random.default_rng(args.seed)
    population = [set(rng.choice(len(CATEGORIES), rng.integers(1, 3), replace=False).tolist())
                  for _ in range(200)]
    # Popularity: how many of 200 other people like an item's category, plus item noise.
    cat_pop = np.array([sum(c in p for p in population) for c in range(len(CATEGORIES))])
    popularity = cat_pop[cats_arr] + rng.random(len(texts)) * cat_pop.max() * 0.5
    results: dict[str, list[dict[int, float]]] = {n: [] for n in
                                                  ("curio", "rocchio", "popularity", "random")}
    started = time.perf_counter()
    for u in range(args.users):
        prefs = set(rng.choice(len(CATEGORIES), 1 + u % 2, replace=False).tolist())
        for name in results:
            results[name].append(simulate(name, store, vecs, ids, cats_arr, prefs, popularity,
                                          seed=args.seed * 1000 + u))
    print(f"\nrecommendations: {args.users} simulated users "
          f"({time.perf_counter() - started:.0f} s); precision@10 after n judgements")
    print(f"  {'ranker':<12}" + "".join(f"{c:>8}" for c in CHECKPOINTS))
    means = {}
    for name, runs in results.items():
        means[name] = {c: float(np.mean([r.get(c, np.nan) for r in runs])) for c in CHECKPOINTS}
        print(f"  {name:<12}" + "".join(f"{means[name][c]:>8.3f}" for c in CHECKPOINTS))
    ratio = means["curio"][30] / max(means["rocchio"][30], 1e-9)
    print(f"  curio / content-only at 30 events: {ratio:.2f}   goal >= 1.10: "
          f"{'met' if ratio >= 1.10 else 'NOT met'}")


if __name__ == "__main__":
    main()
