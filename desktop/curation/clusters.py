"""Topic clusters of the library, their labels, and a 2-D map of every item.

- k is chosen by silhouette on a sample (kmeans.choose_k) unless the caller fixes it.
- When the library barely changed since the last run, the previous centroids seed k-means
  and k stays: the same topics come back with the same ids.
- Ids are carried over by member overlap (Jaccard), then by centroid similarity, so a
  cluster a user has learnt to know keeps its id; new clusters get never-used ids.
- Labels: class-based TF-IDF over titles and bodies (English words, Chinese words).
- Map: PCA of the vectors to 2-D, then every item pulled toward its cluster's centre and
  the centres pushed apart, so topics read as islands.
"""

from __future__ import annotations

import json
import math
from collections import Counter

import numpy as np

from desktop.catalog.store import Store, now_iso

from . import terms
from .kmeans import choose_k, sample_rows, spherical_kmeans
from .languages import language_neutral
from .vectorindex import VectorIndex, index_for

SEED = 0
WARM_CHANGE = 0.1  # at most this share of items added/removed: warm start, same k
MATCH_JACCARD = 0.3
MATCH_CENTROID = 0.9
LABEL_ITEMS = 150  # items per cluster read for its label (those nearest its centre)
LABEL_CHARS = 2000
TERMS = 6
SHRINK, SPREAD = 0.45, 1.6  # map: pull items toward their centre, spread the centres


def _previous(store: Store, model_id: str) -> tuple[dict[int, np.ndarray], dict[int, int]]:
    centroids = {}
    for cid, blob, model in store.conn.execute("SELECT id, centroid, model_id FROM clusters"):
        if blob is not None and model == model_id:
            centroids[cid] = np.frombuffer(blob, dtype="<f4").copy()
    members = dict(store.conn.execute(
        "SELECT item_id, cluster_id FROM item_clusters WHERE cluster_id IS NOT NULL"))
    return centroids, members


def _setting(store: Store, key: str) -> str | None:
    row = store.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def build_clusters(store: Store, k: int | None = None, seed: int = SEED) -> list[dict]:
    """Cluster the library, label the clusters, lay out the map; returns `list_clusters`."""
    # Topics, not languages: a multilingual embedder's language direction is taken out.
    index = language_neutral(store, index_for(store))
    n = len(index)
    if n == 0:
        with store.transaction() as conn:
            conn.execute("DELETE FROM item_clusters")
            conn.execute("DELETE FROM clusters")
        return []
    x = index.matrix
    old_centroids, old_members = _previous(store, index.model_id)
    init = None
    if old_centroids and (k is None or k == len(old_centroids)):
        current = set(index.ids.tolist())
        changed = len(current ^ set(old_members)) / max(len(current), 1)
        if changed <= WARM_CHANGE and len(old_centroids) <= n:
            init = np.stack([old_centroids[c] for c in sorted(old_centroids)])
    if init is not None:
        labels, centres, _ = spherical_kmeans(x, len(init), seed=seed, init=init)
    else:
        k = max(1, min(k or choose_k(x, seed=seed), n))
        # Seeds found on a sample, then refined on everything: the same answer, faster.
        rows = sample_rows(n, 5000, seed)
        _, centres, _ = spherical_kmeans(x[rows], k, seed=seed, n_init=3)
        labels, centres, _ = spherical_kmeans(x, k, seed=seed, init=centres)
    used = np.unique(labels)
    centres = centres[used]
    labels = np.searchsorted(used, labels)
    ids = _match_ids(store, index, labels, centres, old_centroids, old_members)
    names = _labels(store, index, labels, centres)
    xy = _layout(x, labels, centres, seed)
    _save(store, index, ids, labels, centres, names, xy)
    return list_clusters(store)


def _match_ids(store: Store, index: VectorIndex, labels: np.ndarray, centres: np.ndarray,
               old_centroids: dict[int, np.ndarray], old_members: dict[int, int]) -> list[int]:
    k = len(centres)
    ids: list[int | None] = [None] * k
    old_sizes = Counter(old_members.values())
    pairs = []
    for j in range(k):
        members = index.ids[labels == j].tolist()
        overlap = Counter(old_members[m] for m in members if m in old_members)
        for old, inter in overlap.items():
            jaccard = inter / (len(members) + old_sizes[old] - inter)
            if jaccard >= MATCH_JACCARD:
                pairs.append((jaccard, j, old))
    for old, vec in old_centroids.items():
        if len(vec) == centres.shape[1]:
            for j in range(k):
                cos = float(centres[j] @ vec)
                if cos >= MATCH_CENTROID:
                    pairs.append((cos - 1.0, j, old))  # ranks after any overlap match
    taken: set[int] = set()
    for _, j, old in sorted(pairs, reverse=True):
        if ids[j] is None and old not in taken:
            ids[j] = old
            taken.add(old)
    known = [int(r[0]) for r in store.conn.execute("SELECT id FROM clusters")]
    nxt = max([int(_setting(store, "clusters.next_id") or 1), *(i + 1 for i in known)])
    for j in range(k):
        if ids[j] is None:
            ids[j] = nxt
            nxt += 1
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('clusters.next_id', ?)",
                     (str(nxt),))
    return [int(i) for i in ids]


def _labels(store: Store, index: VectorIndex, labels: np.ndarray,
            centres: np.ndarray) -> list[tuple[str, list[str]]]:
    """(label, terms) per cluster by class-based TF-IDF over the items nearest its centre."""
    counts: list[Counter[str]] = []
    for j in range(len(centres)):
        rows = np.flatnonzero(labels == j)
        nearest = rows[np.argsort(-(index.matrix[rows] @ centres[j]))[:LABEL_ITEMS]]
        ids = index.ids[nearest].tolist()
        docs = Counter()
        tf = Counter()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for title, body in store.conn.execute(
                    f"SELECT coalesce(title, name), substr(body, 1, {LABEL_CHARS}) FROM items "
                    f"WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                words = terms.words(f"{title or ''}\n{title or ''}\n{body or ''}")
                tf.update(words)
                docs.update(set(words))
        min_docs = 2 if len(ids) >= 4 else 1  # a word of one document is not a topic
        counts.append(Counter({w: c for w, c in tf.items() if docs[w] >= min_docs}) or tf)
    total = Counter()
    for c in counts:
        total.update(c)
    avg = sum(total.values()) / max(len(counts), 1)
    out = []
    for c in counts:
        size = sum(c.values()) or 1
        scored = sorted(c, key=lambda w: (-(c[w] / size) * math.log(1 + avg / total[w]), w))
        top = scored[:TERMS]
        out.append((", ".join(top[:3]) or "untitled", top))
    return out


def _layout(x: np.ndarray, labels: np.ndarray, centres: np.ndarray, seed: int) -> np.ndarray:
    """2-D positions in [-1, 1]: PCA, then items drawn toward their cluster's centre."""
    rows = sample_rows(len(x), 5000, seed)
    mean = x[rows].mean(axis=0)
    if len(x) < 3:
        return np.zeros((len(x), 2))
    _, _, vt = np.linalg.svd(x[rows] - mean, full_matrices=False)
    comps = vt[:2]
    comps *= np.sign(comps[np.arange(len(comps)), np.abs(comps).argmax(axis=1)])[:, None]
    pts = (x - mean) @ comps.T
    if pts.shape[1] < 2:
        pts = np.hstack([pts, np.zeros((len(pts), 2 - pts.shape[1]))])
    centre_2d = (centres - mean) @ comps.T
    if centre_2d.shape[1] < 2:
        centre_2d = np.hstack([centre_2d, np.zeros((len(centre_2d), 2 - centre_2d.shape[1]))])
    pts = centre_2d[labels] * SPREAD + (pts - centre_2d[labels]) * SHRINK
    scale = np.abs(pts).max()
    return pts / scale if scale > 0 else pts


def _save(store: Store, index: VectorIndex, ids: list[int], labels: np.ndarray,
          centres: np.ndarray, names: list[tuple[str, list[str]]], xy: np.ndarray) -> None:
    stamp = now_iso()
    sizes = np.bincount(labels, minlength=len(ids))
    with store.transaction() as conn:
        conn.execute("DELETE FROM item_clusters")
        conn.execute(f"DELETE FROM clusters WHERE id NOT IN ({','.join('?' * len(ids))})", ids)
        for j, cid in enumerate(ids):
            label, top = names[j]
            conn.execute(
                "INSERT OR REPLACE INTO clusters (id, label, terms, size, centroid, model_id, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (cid, label, json.dumps(top, ensure_ascii=False), int(sizes[j]),
                 centres[j].astype("<f4").tobytes(), index.model_id, stamp))
        conn.executemany(
            "INSERT INTO item_clusters (item_id, cluster_id, x, y) VALUES (?, ?, ?, ?)",
            zip(index.ids.tolist(), [ids[j] for j in labels.tolist()],
                np.round(xy[:, 0], 5).tolist(), np.round(xy[:, 1], 5).tolist(), strict=True))


def list_clusters(store: Store) -> list[dict]:
    """Clusters, largest first: id, label, terms, size."""
    rows = store.conn.execute("SELECT id, label, terms, size FROM clusters ORDER BY size DESC, id")
    return [dict(r) | {"terms": json.loads(r["terms"])} for r in rows]


def cluster_members(store: Store, cluster_id: int, limit: int | None = None) -> list[dict]:
    """Items of a cluster, the most typical (nearest the centre) first."""
    rows = store.conn.execute(
        "SELECT i.id, i.path, coalesce(i.title, i.name) AS title, i.kind, ic.x, ic.y "
        "FROM item_clusters ic JOIN items i ON i.id = ic.item_id WHERE ic.cluster_id = ?",
        (cluster_id,)).fetchall()
    items = [dict(r) for r in rows]
    blob = store.conn.execute("SELECT centroid FROM clusters WHERE id = ?", (cluster_id,)).fetchone()
    index = language_neutral(store, index_for(store))  # the space the centres live in
    if blob and blob[0] is not None and len(index):
        centre = np.frombuffer(blob[0], dtype="<f4")
        if len(centre) == index.dim:
            rows_ = index.rows_of(i["id"] for i in items)
            sims = dict(zip(index.ids[rows_].tolist(), (index.matrix[rows_] @ centre).tolist(),
                            strict=True))
            for item in items:
                item["score"] = round(sims.get(item["id"], 0.0), 4)
            items.sort(key=lambda i: -i["score"])
    return items[:limit] if limit else items


def map_points(store: Store) -> list[dict]:
    """Every clustered item's map position: id, x, y, cluster_id, title."""
    rows = store.conn.execute(
        "SELECT ic.item_id AS id, ic.x, ic.y, ic.cluster_id, coalesce(i.title, i.name) AS title "
        "FROM item_clusters ic JOIN items i ON i.id = ic.item_id WHERE i.status = 'ok' "
        "ORDER BY ic.item_id")
    return [dict(r) for r in rows]


def cluster_of(store: Store) -> dict[int, int]:
    """item id -> cluster id."""
    return dict(store.conn.execute(
        "SELECT item_id, cluster_id FROM item_clusters WHERE cluster_id IS NOT NULL"))
