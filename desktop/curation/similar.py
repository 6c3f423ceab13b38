"""Related items and near-duplicates.

Thresholds are relative, because embedders differ in how high their cosines run (MiniLM's
unrelated pairs sit near 0.05, multilingual-e5's near 0.75): a neighbour must stand out
from the item's own similarity distribution over the library (a robust z-score: median
and MAD), and clear a low absolute floor. Near-duplicates (same file content, same text,
or a similarity close to 1 relative to that baseline with a similar text length) are
reported apart, never as "related".
"""

from __future__ import annotations

import numpy as np

from desktop.catalog.store import Store

from .feedback import hidden_ids
from .languages import language_neutral
from .vectorindex import VectorIndex, index_for

MIN_Z = 3.0  # robust z-score a related item must reach
FLOOR = 0.2  # absolute cosine floor, whatever the distribution
DUP_FLOOR = 0.95  # a near-duplicate is at least this similar ...
DUP_SHARE = 0.9  # ... and covers 90% of the way from the typical similarity to 1
DUP_LENGTH_RATIO = 0.8  # and their texts are of similar length
# With the language taken out (languages.py) cosines centre on 0 and spread less: related
# items across languages measured z 2.2-3.2 and cosine 0.17-0.24 on the sample library,
# unrelated ones under z 1.9.
NEUTRAL_MIN_Z, NEUTRAL_FLOOR = 2.0, 0.1
SMALL_LIBRARY = 12  # below this, a distribution says little: the floor alone decides


def _item_info(store: Store, ids) -> dict[int, dict]:
    ids = [int(i) for i in ids]
    out: dict[int, dict] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = store.conn.execute(
            "SELECT id, path, coalesce(title, name) AS title, kind, content_hash, text_hash, "
            f"length(body) AS length FROM items WHERE id IN ({','.join('?' * len(chunk))})",
            chunk)
        out.update({r["id"]: dict(r) for r in rows})
    return out


def dup_threshold(median: float) -> float:
    return max(DUP_FLOOR, median + DUP_SHARE * (1.0 - median))


def _length_close(a: int | None, b: int | None) -> bool:
    a, b = a or 0, b or 0
    return max(a, b) == 0 or min(a, b) / max(a, b) >= DUP_LENGTH_RATIO


def similar_items(store: Store, item_id: int, limit: int = 10,
                  index: VectorIndex | None = None) -> dict[str, list[dict]]:
    """Related items and duplicates of one item, each with id, path, title, kind, score.

    `score` is the cosine; `z` says how far it stands out. Never the item itself, never a
    hidden item; empty lists when the item has no vector yet.
    """
    raw = index or index_for(store)
    # Neighbours by topic, whatever the language (languages.py); copies by the raw vectors,
    # in which a draft and its final text stay nearly identical.
    index = language_neutral(store, raw)
    me = _item_info(store, [item_id]).get(item_id)
    vec = index.vector(item_id) if me else None
    if me is None or vec is None:
        return {"similar": [], "duplicates": []}
    exclude = index.mask_of(hidden_ids(store) | {item_id})
    median, spread = index.typical(vec, exclude)
    rows, top = index.nearest(vec, max(limit * 3, limit + 20), exclude)
    info = _item_info(store, index.ids[rows])
    if index is raw:
        raw_top, raw_median, min_z, floor = top, median, MIN_Z, FLOOR
    else:
        raw_vec = raw.vector(item_id)
        raw_top = raw.matrix[rows] @ raw_vec  # same ids, same rows
        raw_median = raw.typical(raw_vec, exclude)[0]
        min_z, floor = NEUTRAL_MIN_Z, NEUTRAL_FLOOR
    dup_at = dup_threshold(raw_median)
    small = len(index) - int(exclude.sum()) < SMALL_LIBRARY
    similar, duplicates = [], []
    for row, score, raw_score in zip(rows, top, raw_top, strict=True):
        other = info.get(int(index.ids[row]))
        if other is None:
            continue
        z = (float(score) - median) / spread
        entry = {"id": other["id"], "path": other["path"], "title": other["title"],
                 "kind": other["kind"], "score": round(float(score), 4), "z": round(z, 2)}
        same = _same_content(me, other)
        if same or (raw_score >= dup_at and _length_close(me["length"], other["length"])):
            duplicates.append(entry | {"reason": same or "nearly the same text"})
        elif score >= floor and (small or z >= min_z) and len(similar) < limit:
            similar.append(entry)
    # Exact copies can sit anywhere if the embedder truncated differently: look them up.
    known = {d["id"] for d in duplicates} | {item_id}
    for copy in _exact_copies(store, me, known):
        duplicates.append(copy)
    return {"similar": similar, "duplicates": duplicates}


def _same_content(a: dict, b: dict) -> str | None:
    if a.get("content_hash") and a["content_hash"] == b.get("content_hash"):
        return "the same file content"
    if a.get("text_hash") and a["text_hash"] == b.get("text_hash"):
        return "the same text"
    return None


def _exact_copies(store: Store, me: dict, known: set[int]) -> list[dict]:
    # Two indexed lookups (an OR across two columns would scan the table).
    cols = "SELECT id, path, coalesce(title, name) AS title, kind, content_hash, text_hash FROM items"
    rows = store.conn.execute(
        f"{cols} WHERE content_hash = ? AND status = 'ok' UNION "
        f"{cols} WHERE text_hash = ? AND status = 'ok'",
        (me.get("content_hash"), me.get("text_hash")))
    hidden = None
    out = []
    for r in rows:
        if r["id"] in known:
            continue
        hidden = hidden_ids(store) if hidden is None else hidden
        if r["id"] in hidden:
            continue
        out.append({"id": r["id"], "path": r["path"], "title": r["title"], "kind": r["kind"],
                    "score": 1.0, "z": None, "reason": _same_content(me, dict(r))})
    return out


def duplicate_groups(store: Store, block: int = 512) -> list[list[dict]]:
    """Groups of near-duplicates across the library (exact copies and near-identical text).

    Exact matrix products in blocks; past 20,000 items only pairs in the same cluster are
    compared (clusters are the blocking key), which keeps it to seconds at 100k.
    """
    index = index_for(store)
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for column in ("content_hash", "text_hash"):
        rows = store.conn.execute(
            f"SELECT group_concat(id) FROM items WHERE status = 'ok' AND {column} IS NOT NULL "
            f"GROUP BY {column} HAVING count(*) > 1")
        for (ids,) in rows:
            members = [int(i) for i in ids.split(",")]
            for other in members[1:]:
                union(members[0], other)
    if len(index) > 1:
        lengths = dict(store.conn.execute("SELECT id, length(body) FROM items WHERE status = 'ok'"))
        # The library's median pairwise cosine, estimated on an evenly spread sample.
        pair = index.matrix[:: max(1, len(index) // 500)][:500]
        median = float(np.median((pair @ pair.T)[np.triu_indices(len(pair), 1)])) \
            if len(pair) > 2 else 0.0
        threshold = dup_threshold(median)
        for group in _blocks(store, index):
            mat = index.matrix[group]
            for start in range(0, len(group), block):
                sims = mat[start:start + block] @ mat.T
                a, b = np.nonzero(sims >= threshold)
                for i, j in zip(a + start, b, strict=True):
                    if i < j:
                        x, y = int(index.ids[group[i]]), int(index.ids[group[j]])
                        if _length_close(lengths.get(x), lengths.get(y)):
                            union(x, y)
    groups: dict[int, list[int]] = {}
    for x in set(parent) | set(parent.values()):
        groups.setdefault(find(x), []).append(x)
    hidden = hidden_ids(store)
    out = []
    for members in groups.values():
        members = sorted(m for m in members if m not in hidden)
        if len(members) > 1:
            info = _item_info(store, members)
            out.append([{"id": m, "path": info[m]["path"], "title": info[m]["title"],
                         "kind": info[m]["kind"], "size": info[m]["length"]} for m in members
                        if m in info])
    return sorted(out, key=lambda g: (-len(g), g[0]["id"]))


def _blocks(store: Store, index: VectorIndex) -> list[np.ndarray]:
    if len(index) <= 20000:
        return [np.arange(len(index))]
    rows = store.conn.execute("SELECT item_id, cluster_id FROM item_clusters").fetchall()
    if not rows:
        return [np.arange(len(index))]
    by_cluster: dict[int, list[int]] = {}
    for item_id, cluster_id in rows:
        by_cluster.setdefault(cluster_id, []).append(item_id)
    return [index.rows_of(ids) for ids in by_cluster.values()]
