"""Spherical k-means (k-means++ seeding, fixed seed), silhouette and the choice of k.

Vectors are unit length, so cosine similarity is the measure throughout: a point joins the
centroid it is most similar to, a centroid is the normalised sum of its members.
"""

from __future__ import annotations

import numpy as np

SAMPLE = 1500  # points used to choose k: the silhouette is quadratic in this
K_MAX = 30


def _normalise(m: np.ndarray) -> np.ndarray:
    return m / np.maximum(np.linalg.norm(m, axis=-1, keepdims=True), 1e-12)


def kmeans_pp(x: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding on cosine distance."""
    centres = [int(rng.integers(len(x)))]
    dist = np.maximum(1.0 - x @ x[centres[0]], 0.0)
    for _ in range(1, k):
        total = dist.sum()
        nxt = int(rng.choice(len(x), p=dist / total)) if total > 0 else int(rng.integers(len(x)))
        centres.append(nxt)
        dist = np.minimum(dist, np.maximum(1.0 - x @ x[nxt], 0.0))
    return x[centres].copy()


def spherical_kmeans(x: np.ndarray, k: int, seed: int = 0, init: np.ndarray | None = None,
                     iterations: int = 40, n_init: int = 1) -> tuple[np.ndarray, np.ndarray, float]:
    """(labels, unit centroids, mean cosine to own centroid) of the best of `n_init` runs."""
    k = max(1, min(k, len(x)))
    best = None
    for run in range(1 if init is not None else n_init):
        rng = np.random.default_rng([seed, run])
        centres = _normalise(np.asarray(init, dtype=np.float32)) if init is not None \
            else kmeans_pp(x, k, rng)
        labels = np.full(len(x), -1)
        for _ in range(iterations):
            sims = x @ centres.T
            new = sims.argmax(axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            sums = np.zeros_like(centres)
            np.add.at(sums, labels, x)
            empty = ~sums.any(axis=1)
            if empty.any():  # reseed an empty cluster on the worst-served point
                worst = np.argsort(sims[np.arange(len(x)), labels])[: int(empty.sum())]
                sums[empty] = x[worst]
            centres = _normalise(sums)
        cohesion = float((x * centres[labels]).sum(axis=1).mean())
        if best is None or cohesion > best[2]:
            best = (labels, centres, cohesion)
    return best


def silhouette(x: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette on cosine distance (0 when there is a single cluster)."""
    ks = np.unique(labels)
    if len(ks) < 2:
        return 0.0
    dist = 1.0 - x @ x.T
    onehot = (labels[:, None] == ks[None, :]).astype(np.float32)
    sizes = onehot.sum(axis=0)
    mean_to = dist @ onehot  # [n, k] summed distance to each cluster
    own = np.searchsorted(ks, labels)
    own_size = sizes[own]
    a = mean_to[np.arange(len(x)), own] / np.maximum(own_size - 1, 1)
    others = mean_to / sizes
    others[np.arange(len(x)), own] = np.inf
    b = others.min(axis=1)
    s = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


def sample_rows(n: int, size: int = SAMPLE, seed: int = 0) -> np.ndarray:
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size, replace=False))


def choose_k(x: np.ndarray, seed: int = 0, k_min: int = 2, k_max: int | None = None) -> int:
    """The k in [k_min, k_max] with the best silhouette on a sample (k_max ~ sqrt(n))."""
    n = len(x)
    if n < 4:
        return 1
    k_max = k_max or int(min(K_MAX, max(k_min, round(np.sqrt(n)), min(n // 3, 6))))
    xs = x[sample_rows(n, seed=seed)]
    best_k, best_s = k_min, -2.0
    # Few points leave k-means++ many poor local optima, and a poor run at the right k loses
    # to k=2; restarts are cheap there. Large samples settle with two.
    n_init = int(np.clip(3000 // len(xs), 2, 10))
    for k in range(k_min, min(k_max, len(xs) - 1) + 1):
        labels, _, _ = spherical_kmeans(xs, k, seed=seed, n_init=n_init, iterations=25)
        s = silhouette(xs, labels)
        if s > best_s + 1e-6:
            best_k, best_s = k, s
    return best_k
