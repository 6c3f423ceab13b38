""""For you": a hybrid recommender over the user's own feedback, explained item by item.

Signals, each a few numpy operations over the cached vector index:
- content: a ridge-regression preference model on document vectors (likes, ratings, dwell and
  opens as positives; dislikes and hides as negatives; a seeded sample of the library as
  weak "unlabelled" negatives) plus a nearest-liked-item score, which keeps several
  separate interests apart where one averaged profile (Rocchio) would blur them;
- tags and kinds the user likes, and the topic clusters the user reads;
- behavioural co-occurrence: items opened or liked in the same session as liked items;
- recency of the item; novelty (opened items down-weighted; rated, liked, disliked and
  hidden items left out).
The top of the list is diversified by MMR. Without feedback, a cold start shows a sample
across the clusters. Every result carries a human reason.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from desktop.catalog.store import Store

from .feedback import hidden_ids
from .vectorindex import VectorIndex, generation, index_for

SIGNAL = {"like": 1.0, "dislike": -1.0, "hide": -1.0, "open": 0.15, "tag_accept": 0.3}
EXPLICIT = {"like", "dislike", "hide", "rating"}
MAX_POSITIVES, MAX_NEGATIVES = 8, 4  # columns of the one matrix product per call
MAX_TRAIN = 400  # liked and disliked items each, at most, in the preference model
UNLABELLED = 300  # library sample standing in for "not liked" in the preference model
MMR_LAMBDA = 0.85
EXPLORE_UNTIL = 10  # liked items: below this the profile is thin and one slot explores
MMR_POOL = 100
WEIGHTS = {"model": 1.0, "knn": 1.0, "neg": 0.5, "tag": 0.4, "kind": 0.15, "co": 0.5,
           "cluster": 0.3, "recency": 0.1, "seen": 1.5}


@dataclass
class Profile:
    signal: dict[int, float] = field(default_factory=dict)  # item -> summed, decayed feedback
    explicit: set[int] = field(default_factory=set)
    seen: set[int] = field(default_factory=set)
    sessions: dict[str, set[int]] = field(default_factory=dict)

    @property
    def positives(self) -> list[int]:
        return [i for i, s in self.signal.items() if s > 0.05]

    @property
    def negatives(self) -> list[int]:
        return [i for i, s in self.signal.items() if s < -0.05]


def load_profile(store: Store, session: str | None = None) -> Profile:
    """Fold all events into per-item signals; the newest events weigh most."""
    rows = store.conn.execute(
        "SELECT item_id, kind, value, session FROM events WHERE item_id IS NOT NULL "
        "AND kind != 'tag_reject' ORDER BY id").fetchall()
    profile = Profile()
    for age, (item_id, kind, value, sess) in enumerate(reversed(rows)):
        weight = 0.5 ** (age / 300)  # tastes drift: half weight after 300 newer events
        if session is not None and sess == session:
            weight *= 2.0  # what this session is about counts double
        if kind == "rating" and value is not None:
            s = (float(value) - 3.0) / 2.0
        elif kind == "dwell" and value is not None:
            s = 0.5 * min(1.0, math.log1p(float(value)) / math.log1p(300))
        else:
            s = SIGNAL.get(kind, 0.0)
        profile.signal[item_id] = profile.signal.get(item_id, 0.0) + weight * s
        if kind in EXPLICIT:
            profile.explicit.add(item_id)
        if kind != "unhide":
            profile.seen.add(item_id)
        if sess and (s > 0 or kind == "open"):
            profile.sessions.setdefault(sess, set()).add(item_id)
    for item_id, s in profile.signal.items():
        profile.signal[item_id] = max(-1.5, min(1.5, s))
    return profile


@dataclass
class _Features:
    """Per-row item facts the scores need, cached until items, tags or clusters change."""

    stamp: tuple
    titles: dict[int, str]
    kinds: np.ndarray  # kind code per row (int: fast to compare at 100k rows)
    age_days: np.ndarray
    cluster: np.ndarray  # cluster id per row, -1 for none
    cluster_labels: dict[int, str]
    tag_rows: dict[int, np.ndarray]  # tag id -> rows carrying it (accepted or suggested)
    tag_names: dict[int, str]
    item_tags: dict[int, list[int]]  # item id -> tags
    typical: dict[int, np.ndarray] | None = None  # cluster -> rows, most typical first (lazy)


_features: weakref.WeakKeyDictionary[Store, _Features] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _stamp(store: Store, index: VectorIndex) -> tuple:
    clusters = store.conn.execute("SELECT max(updated_at), count(*) FROM clusters").fetchone()
    return (index.model_id, index.generation, generation(store, "tags"), tuple(clusters))


def _load_features(store: Store, index: VectorIndex) -> _Features:
    stamp = _stamp(store, index)
    with _lock:
        cached = _features.get(store)
    if cached is not None and cached.stamp == stamp:
        return cached
    n = len(index)
    titles, kinds, ages = {}, np.full(n, -1, dtype=np.int32), np.full(n, 365.0)
    codes: dict[str | None, int] = {}
    now = datetime.now(UTC)
    row_of = {int(i): r for r, i in enumerate(index.ids.tolist())}
    for item_id, title, kind, when in store.conn.execute(
            "SELECT id, coalesce(title, name), kind, coalesce(created, added_at) FROM items "
            "WHERE status = 'ok'"):
        r = row_of.get(item_id)
        if r is None:
            continue
        titles[item_id] = title
        kinds[r] = codes.setdefault(kind, len(codes))
        ages[r] = _age_days(when, now)
    cluster = np.full(n, -1, dtype=np.int64)
    for item_id, cid in store.conn.execute("SELECT item_id, cluster_id FROM item_clusters"):
        r = row_of.get(item_id)
        if r is not None and cid is not None:
            cluster[r] = cid
    labels = dict(store.conn.execute("SELECT id, label FROM clusters"))
    tag_lists: dict[int, list[int]] = defaultdict(list)
    item_tags: dict[int, list[int]] = defaultdict(list)
    for item_id, tag_id in store.conn.execute(
            "SELECT item_id, tag_id FROM item_tags WHERE state = 'accepted' "
            "OR (state = 'suggested' AND confidence >= 0.5)"):
        r = row_of.get(item_id)
        if r is not None:
            tag_lists[tag_id].append(r)
            item_tags[item_id].append(tag_id)
    names = dict(store.conn.execute("SELECT id, name FROM tags"))
    feats = _Features(stamp, titles, kinds, ages, cluster, labels,
                      {t: np.asarray(r, dtype=np.int64) for t, r in tag_lists.items()}, names,
                      dict(item_tags))
    with _lock:
        _features[store] = feats
    return feats


def _age_days(when: str | None, now: datetime) -> float:
    if not when:
        return 365.0
    try:
        dt = datetime.fromisoformat(when)
    except ValueError:
        return 365.0
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return max(0.0, (now - dt).total_seconds() / 86400)


def _z(v: np.ndarray) -> np.ndarray:
    sd = float(v.std())
    return (v - float(v.mean())) / sd if sd > 1e-9 else np.zeros_like(v)


def recommend(store: Store, limit: int = 20, session: str | None = None,
              explore: bool = True) -> list[dict]:
    """Items the user may like next: id, path, title, kind, score, reason."""
    index = index_for(store)
    if not len(index):
        return []
    feats = _load_features(store, index)
    profile = load_profile(store, session)
    hidden = hidden_ids(store)
    blocked = index.mask_of(hidden | profile.explicit)
    pos = [i for i in profile.positives if i not in hidden]
    if not pos:
        return _cold_start(store, index, feats, profile, blocked, limit)
    parts, detail = _scores(index, feats, profile, pos)
    total = sum(WEIGHTS[name] * value for name, value in parts.items())
    total = np.where(blocked, -np.inf, total)
    pool, _ = index.top(total, MMR_POOL)
    picked = _mmr(index, pool, total[pool], limit)
    thin = len(pos) < EXPLORE_UNTIL
    novel = _explore(index, feats, profile, blocked, picked, limit) if explore and thin else None
    if novel is not None:
        picked = picked[: limit - 1] + [novel]
    return _explain(store, index, feats, parts, detail, picked, total, novel)


def ridge(x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float = 0.1) -> np.ndarray:
    """Weighted ridge regression without intercept, solved in its n x n dual form (n < d)."""
    sw = np.sqrt(weight)[:, None]
    xs = x * sw
    gram = xs @ xs.T + l2 * np.eye(len(x))
    return xs.T @ np.linalg.solve(gram, y * sw[:, 0])


def _scores(index: VectorIndex, feats: _Features, profile: Profile, pos: list[int]):
    x = index.matrix
    neg = profile.negatives
    # The strongest (then newest) positives and negatives become columns of one product.
    pos_top = sorted(pos, key=lambda i: -profile.signal[i])[:MAX_POSITIVES]
    neg_top = sorted(neg, key=lambda i: profile.signal[i])[:MAX_NEGATIVES]
    pos_rows, neg_rows = index.rows_of(pos_top), index.rows_of(neg_top)
    # The ridge model is solved in its dual (n x n): keep n bounded, strongest signals first.
    all_pos = index.rows_of(sorted(pos, key=lambda i: -profile.signal[i])[:MAX_TRAIN])
    all_neg = index.rows_of(sorted(neg, key=lambda i: profile.signal[i])[:MAX_TRAIN])
    rng = np.random.default_rng(len(index))
    unl = np.unique(rng.integers(len(index), size=min(UNLABELLED, len(index))))
    unl = unl[~np.isin(unl, all_pos)]
    train = np.concatenate([all_pos, all_neg, unl])
    # Targets +1 liked, -1 disliked, -0.5 unlabelled (centred on the library's mean).
    y = np.concatenate([np.ones(len(all_pos)), -np.ones(len(all_neg)), np.full(len(unl), -0.5)])
    sig = np.array([abs(profile.signal[int(index.ids[r])]) for r in np.concatenate([all_pos, all_neg])])
    # Unlabelled items are weak negatives: together they weigh about as much as two dislikes.
    weight = np.concatenate([sig, np.full(len(unl), 2.0 / max(len(unl), 1))])
    cols = [x[pos_rows].T, x[neg_rows].T]
    w = None
    if len(all_pos):
        w = ridge(x[train] - x[unl].mean(axis=0), y, weight)
        cols.insert(0, np.asarray(w, dtype=np.float32)[:, None])
    product = x @ np.hstack(cols)
    parts: dict[str, np.ndarray] = {}
    c = 0
    if w is not None:
        parts["model"] = _z(product[:, 0])
        c = 1
    pos_sims = product[:, c:c + len(pos_rows)]
    neg_sims = product[:, c + len(pos_rows):]
    # Nearest liked item (signal-weighted): each interest scores on its own.
    strength = np.array([profile.signal[int(index.ids[r])] for r in pos_rows], dtype=np.float32)
    nearest = (pos_sims * strength).argmax(axis=1)
    parts["knn"] = _z(pos_sims[np.arange(len(x)), nearest])
    parts["neg"] = -_z(neg_sims.max(axis=1)) if neg_sims.shape[1] else np.zeros(len(x))
    parts["tag"], best_tag = _tag_scores(index, feats, profile)
    parts["kind"] = _kind_scores(index, feats, profile)
    parts["co"], co_from = _co_scores(index, profile)
    parts["cluster"] = _cluster_scores(index, feats, profile)
    parts["recency"] = np.exp(-feats.age_days / 90.0)
    parts["seen"] = -index.mask_of(profile.seen).astype(np.float32)
    detail = {"nearest": [int(index.ids[pos_rows[j]]) for j in range(len(pos_rows))],
              "nearest_of": nearest, "best_tag": best_tag, "co_from": co_from}
    return parts, detail


def _tag_scores(index: VectorIndex, feats: _Features, profile: Profile):
    affinity: dict[int, list[float]] = defaultdict(list)
    for item_id, s in profile.signal.items():
        for tag in feats.item_tags.get(item_id, []):
            affinity[tag].append(s)
    score = np.zeros(len(index), dtype=np.float32)
    best = np.full(len(index), -1, dtype=np.int64)
    for tag, values in affinity.items():
        a = sum(values) / (len(values) + 1.0)  # shrunk toward 0: one like is weak evidence
        rows = feats.tag_rows.get(tag)
        if rows is None or not len(rows):
            continue
        better = a > score[rows]
        score[rows[better]] = a
        best[rows[better]] = tag
    return score, best


def _kind_scores(index: VectorIndex, feats: _Features, profile: Profile) -> np.ndarray:
    by_kind: dict[int, list[float]] = defaultdict(list)
    rows = index.rows_of(profile.signal)
    for r in rows:
        by_kind[int(feats.kinds[r])].append(profile.signal[int(index.ids[r])])
    score = np.zeros(len(index), dtype=np.float32)
    for kind, values in by_kind.items():
        score[feats.kinds == kind] = sum(values) / (len(values) + 2.0)
    return score


def _co_scores(index: VectorIndex, profile: Profile):
    score = np.zeros(len(index), dtype=np.float32)
    source = np.full(len(index), -1, dtype=np.int64)
    for items in profile.sessions.values():
        liked = [i for i in items if profile.signal.get(i, 0) > 0.3]
        if not liked or len(items) < 2:
            continue
        for other in items:
            r = index.row_of(other)
            if r is None:
                continue
            for i in liked:
                if i != other:
                    gain = profile.signal[i] / len(items)
                    if gain > score[r]:
                        score[r], source[r] = gain, i
    return score, source


def _cluster_scores(index: VectorIndex, feats: _Features, profile: Profile) -> np.ndarray:
    per: dict[int, list[float]] = defaultdict(list)
    for r in index.rows_of(profile.signal):
        if feats.cluster[r] >= 0:
            per[int(feats.cluster[r])].append(profile.signal[int(index.ids[r])])
    score = np.zeros(len(index), dtype=np.float32)
    for cid, values in per.items():
        score[feats.cluster == cid] = sum(values) / (len(values) + 2.0)
    return score


def _mmr(index: VectorIndex, pool: np.ndarray, scores: np.ndarray, limit: int) -> list[int]:
    """Rows picked greedily by relevance minus similarity to what is already picked."""
    if not len(pool):
        return []
    lo, hi = float(scores.min()), float(scores.max())
    rel = (scores - lo) / (hi - lo) if hi > lo else np.ones_like(scores)
    vecs = index.matrix[pool]
    sim = vecs @ vecs.T
    chosen: list[int] = []
    best_sim = np.full(len(pool), -1.0)
    available = np.ones(len(pool), dtype=bool)
    for _ in range(min(limit, len(pool))):
        value = MMR_LAMBDA * rel - (1 - MMR_LAMBDA) * np.maximum(best_sim, 0)
        value[~available] = -np.inf
        j = int(np.argmax(value))
        chosen.append(j)
        available[j] = False
        best_sim = np.maximum(best_sim, sim[j])
    return [int(pool[j]) for j in chosen]


def _explore(index: VectorIndex, feats: _Features, profile: Profile, blocked: np.ndarray,
             picked: list[int], limit: int) -> int | None:
    """For the last slot: the most typical item of the largest topic the user never touched."""
    touched = {int(feats.cluster[r]) for r in index.rows_of(profile.seen)}
    fresh = [c for c in set(feats.cluster.tolist()) - touched if c >= 0]
    if limit < 5 or not fresh or len(picked) < limit:
        return None
    cid = sorted(fresh, key=lambda c: (-int((feats.cluster == c).sum()), c))[0]
    rows = np.flatnonzero((feats.cluster == cid) & ~blocked)
    if not len(rows):
        return None
    centre = index.matrix[rows].mean(axis=0)
    return int(rows[np.argmax(index.matrix[rows] @ centre)])


def _explain(store: Store, index: VectorIndex, feats: _Features, parts: dict, detail: dict,
             picked: list[int], total: np.ndarray, novel: int | None) -> list[dict]:
    out = []
    items = _items(store, [int(index.ids[r]) for r in picked])
    for r in picked:
        item_id = int(index.ids[r])
        item = items.get(item_id)
        if item is None:
            continue
        if r == novel:
            label = feats.cluster_labels.get(int(feats.cluster[r]), "a new topic")
            reason, why = f"something different: {label}", "explore"
        else:
            reason, why = _reason(index, feats, parts, detail, r)
        score = float(total[r]) if np.isfinite(total[r]) else 0.0
        out.append(item | {"score": round(score, 4), "reason": reason, "why": why})
    return out


def _reason(index: VectorIndex, feats: _Features, parts: dict, detail: dict, r: int):
    contrib = {
        "liked": WEIGHTS["knn"] * parts["knn"][r] + WEIGHTS["model"] * parts.get(
            "model", np.zeros(1))[r if "model" in parts else 0],
        "tag": WEIGHTS["tag"] * parts["tag"][r] * 3,
        "co": WEIGHTS["co"] * parts["co"][r] * 4,
        "cluster": WEIGHTS["cluster"] * parts["cluster"][r] * 3,
    }
    why = max(contrib, key=lambda k: contrib[k])
    if why == "tag" and detail["best_tag"][r] >= 0 and contrib["tag"] > 0:
        return f"tagged {feats.tag_names.get(int(detail['best_tag'][r]), '?')}", "tag"
    if why == "co" and detail["co_from"][r] >= 0 and contrib["co"] > 0:
        return f"often opened with {feats.titles.get(int(detail['co_from'][r]), '?')}", "co"
    if why == "cluster" and feats.cluster[r] >= 0 and contrib["cluster"] > 0:
        label = feats.cluster_labels.get(int(feats.cluster[r]), "?")
        return f"popular in a topic you read: {label}", "cluster"
    liked = detail["nearest"][int(detail["nearest_of"][r])]
    return f"because you liked {feats.titles.get(liked, '?')}", "liked"


def _items(store: Store, ids: list[int]) -> dict[int, dict]:
    if not ids:
        return {}
    rows = store.conn.execute(
        "SELECT id, path, coalesce(title, name) AS title, kind FROM items "
        f"WHERE id IN ({','.join('?' * len(ids))})", ids)
    return {r["id"]: dict(r) for r in rows}


def _typical_rows(index: VectorIndex, feats: _Features) -> dict[int, np.ndarray]:
    """Per cluster (largest first), its rows ordered from most to least typical."""
    order = np.argsort(feats.cluster, kind="stable")
    bounds = np.flatnonzero(np.diff(feats.cluster[order])) + 1
    groups = [g for g in np.split(order, bounds) if len(g) and feats.cluster[g[0]] >= 0]
    out = {}
    for rows in sorted(groups, key=lambda g: (-len(g), int(feats.cluster[g[0]]))):
        centre = index.matrix[rows].mean(axis=0)
        out[int(feats.cluster[rows[0]])] = rows[np.argsort(-(index.matrix[rows] @ centre))]
    return out


def _cold_start(store: Store, index: VectorIndex, feats: _Features, profile: Profile,
                blocked: np.ndarray, limit: int) -> list[dict]:
    """No likes yet: the most typical unseen items of each topic in turn, largest first."""
    open_rows = ~blocked & ~index.mask_of(profile.seen)
    picked: list[tuple[int, str]] = []
    if feats.typical is None:
        feats.typical = _typical_rows(index, feats)
    if feats.typical:
        queues = []
        for cid, order in feats.typical.items():  # largest topic first
            order = order[open_rows[order]][:limit]
            if len(order):
                queues.append((list(order), feats.cluster_labels.get(int(cid), "a topic")))
        while len(picked) < limit and any(q for q, _ in queues):
            for q, label in queues:
                if q and len(picked) < limit:
                    picked.append((int(q.pop(0)), f"to get you started: {label}"))
    else:
        # No clusters yet: farthest-point sampling spreads the picks over the library.
        rows = np.flatnonzero(open_rows)
        if len(rows):
            x = index.matrix[rows]
            first = int(np.argmax(x @ x.mean(axis=0)))
            chosen = [first]
            best = x @ x[first]
            while len(chosen) < min(limit, len(rows)):
                nxt = int(np.argmin(best))
                chosen.append(nxt)
                best = np.maximum(best, x @ x[nxt])
            picked = [(int(rows[c]), "something different to start with") for c in chosen]
    items = _items(store, [int(index.ids[r]) for r, _ in picked])
    out = []
    for rank, (r, reason) in enumerate(picked):
        item = items.get(int(index.ids[r]))
        if item:
            out.append(item | {"score": round(1.0 / (1 + rank), 4), "reason": reason,
                               "why": "cold start"})
    return out
