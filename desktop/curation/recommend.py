""""For you": a hybrid recommender over the user's own feedback, explained item by item.

Signals, each a few numpy operations over the cached vector index:
- content: a ridge-regression preference model on document vectors (likes, ratings, dwell and
  opens as positives; dislikes and hides as negatives; a seeded sample of the library as
  weak "unlabelled" negatives) plus a nearest-liked-item score, which keeps several
  separate interests apart where one averaged profile (Rocchio) would blur them, and a
  nearest-disliked-item penalty;
- tags and kinds the user likes, and the topic clusters the user reads;
- behavioural co-occurrence (recommend_cooc): items opened or liked in the same session as
  the items the user liked, in the sessions of everybody who uses the catalog;
- impressions: an item For you showed (a "shown" event, recorded by the UI for the items it
  displays) that the user neither opened nor judged is a weak dislike in the preference
  model, since people pass over what is not to their taste far more often than what is. It
  is the one behavioural signal a catalog used by one person has, and it keeps ignored
  items from filling the page again. A second preference model learns from the items shown
  alone, taken against passed over (recommend_exposure): the finer taste inside the user's
  topics that the main model, contrasting likes with the whole library, barely sees;
- recency of interest (newer feedback weighs more, so drifting tastes are followed) and of
  the item; novelty (opened, rated, liked, disliked and hidden items left out; a library
  too small to fill the list falls back to opened items, down-weighted).
The top of the list is diversified by MMR against near-repeats only (similarity above the
candidates' typical similarity), so it stays within the user's interests, and copies of a
pick go last; while the profile is thin one slot of the first page explores a topic the
user never touched. Without feedback, a cold start
shows a sample across the clusters. Every result says why, structured (`why`) and in
English (`reason`).

A `Blend` names the signals used; CONTENT_ONLY (the same preference model without
behaviour, diversity or recency) is what benchmarks/quality_bench.py compares against.

Speed at 100k items: the per-item facts, the library sample's share of the ridge model and
the similarity columns of liked/disliked items are cached per store and vector generation,
and the scores per state of the events table; a new like costs one d x d solve and two
passes over the matrix (the refit model and the new item's column), made on a reduced
(PCA) copy of the matrix in large libraries, with the best few thousand candidates then
scored exactly (recommend_coarse); a refresh without new feedback costs none.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from desktop.catalog.store import Store

from . import recommend_coarse as coarse_pass
from . import recommend_explain as explain
from . import recommend_exposure as exposure_model
from .feedback import hidden_ids, person_filter
from .languages import language_neutral
from .recommend_cooc import co_scores, table_for
from .vectorindex import VectorIndex, generation, index_for

SIGNAL = {"like": 1.0, "dislike": -1.0, "hide": -1.0, "open": 0.15, "tag_accept": 0.3}
EXPLICIT = {"like", "dislike", "hide", "rating"}
MAX_POSITIVES, MAX_NEGATIVES = 8, 4  # similarity columns per call (nearest liked/disliked)
MAX_TRAIN = 400  # liked and disliked items each, at most, in the preference model
UNLABELLED = 300  # library sample standing in for "not liked" in the preference model
MMR_LAMBDA = 0.85
EXPLORE_UNTIL = 10  # liked items: below this the profile is thin and one slot explores
EXPLORE_SLOT = 10  # ... the last of the first page: callers that ask for more and show a
# page (the UI asks for twice what it shows) would otherwise never show it
MMR_POOL = 100
DUP_FLOOR, DUP_SHARE = 0.95, 0.9  # near-duplicates, as similar.py defines them
HALF_LIFE = 300  # events: feedback weighs half after this many newer events
# A "shown" event (an impression: For you displayed the item) with no reaction to the item
# is a weak dislike: people pass over what is not to their taste far more often than what is.
SHOWN_SIGNAL, SHOWN_CAP = -0.1, -0.3  # per ignored impression, and at most
MAX_SHOWN = 2000  # the latest impressions only (about 200 pages): bounded cost, and old
# passes fade as tastes drift
# Tuned on simulated users of benchmarks/quality_bench.py with seeds other than the ones it
# reports. Cluster affinity measured a loss there (automatic clusters mix a user's topic
# with its neighbours; the nearest-liked score already carries it): weight 0, not computed.
WEIGHTS = {"model": 1.0, "knn": 1.0, "neg": 0.5, "tag": 0.4, "kind": 0.15, "co": 1.0,
           "cluster": 0.0, "recency": 0.1, "seen": 1.5, "exposure": 1.0}


@dataclass(frozen=True)
class Blend:
    """Which signals rank the list and how: the full hybrid, or a part of it to compare."""

    weights: tuple[tuple[str, float], ...]
    diversify: bool = True  # MMR at the top of the list
    explore: bool = True  # one slot for a topic never touched, while the profile is thin
    half_life: float | None = HALF_LIFE  # None: old and new feedback weigh the same
    impressions: bool = True  # items shown but ignored count as weak dislikes

    def weight(self, name: str) -> float:
        for key, value in self.weights:
            if key == name:
                return value
        return 0.0


HYBRID = Blend(tuple(WEIGHTS.items()))
CONTENT_ONLY = Blend(tuple((k, WEIGHTS[k]) for k in ("model", "knn", "neg", "tag", "kind", "seen")),
                     diversify=False, explore=False, half_life=None, impressions=False)


@dataclass
class Profile:
    signal: dict[int, float] = field(default_factory=dict)  # item -> summed, decayed feedback
    explicit: set[int] = field(default_factory=set)
    seen: set[int] = field(default_factory=set)
    ignored: dict[int, int] = field(default_factory=dict)  # item -> impressions, no reaction

    @property
    def positives(self) -> list[int]:
        return [i for i, s in self.signal.items() if s > 0.05]

    @property
    def negatives(self) -> list[int]:
        return [i for i, s in self.signal.items() if s < -0.05]


def load_profile(store: Store, session: str | None = None, person: str | None = None,
                 half_life: float | None = HALF_LIFE, impressions: bool = False) -> Profile:
    """Fold the user's events into per-item signals; the newest events weigh most.

    `person`: in a catalog several people share, only the events of that person's sessions
    (see feedback.person_filter); None: every event is the user's. `impressions`: items
    shown but never reacted to become weak negatives (otherwise "shown" events count nothing)."""
    where, args = person_filter(person)
    rows = store.conn.execute(
        "SELECT item_id, kind, value, session FROM events WHERE item_id IS NOT NULL "
        f"AND kind NOT IN ('tag_reject', 'shown'){where} ORDER BY id", args).fetchall()
    profile = _fold(rows, session, half_life)
    if impressions:
        _add_ignored(store, profile, where, args)
    return profile


def _add_ignored(store: Store, profile: Profile, where: str, args: list) -> None:
    """Items shown lately (For you records "shown") that the user never opened nor judged."""
    # "+kind": newest first by id, stopping at the limit (the kind index would sort them all).
    shown = store.conn.execute(
        "SELECT item_id, count(*) FROM (SELECT item_id FROM events WHERE +kind = 'shown'"
        f"{where} ORDER BY id DESC LIMIT ?) GROUP BY item_id", [*args, MAX_SHOWN]).fetchall()
    for item_id, n in shown:
        if item_id is not None and item_id not in profile.seen:
            profile.ignored[item_id] = n
            profile.signal[item_id] = max(SHOWN_CAP, SHOWN_SIGNAL * n)


def _fold(rows: list, session: str | None, half_life: float | None) -> Profile:
    profile = Profile()
    unhidden: dict[int, int] = defaultdict(int)  # unhides not yet matched with their hide
    for age, (item_id, kind, value, sess) in enumerate(reversed(rows)):
        # Newest first: an unhide undoes the hide before it (a mistaken hide counts nothing).
        if kind == "unhide":
            unhidden[item_id] += 1
            continue
        if kind == "hide" and unhidden[item_id]:
            unhidden[item_id] -= 1
            continue
        weight = 0.5 ** (age / half_life) if half_life else 1.0  # tastes drift
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
        profile.seen.add(item_id)
    for item_id, s in profile.signal.items():
        profile.signal[item_id] = max(-1.5, min(1.5, s))
    return profile


@dataclass
class _Features:
    """Per-row item facts the scores need, cached until items, tags or clusters change."""

    stamp: tuple
    titles: dict[int, str]  # filled on demand (recommend_explain.title)
    kinds: np.ndarray  # kind code per row (int: fast to compare at 100k rows)
    age_days: np.ndarray
    cluster: np.ndarray  # cluster id per row, -1 for none
    cluster_labels: dict[int, str]
    tag_rows: dict[int, np.ndarray]  # tag id -> rows carrying it (accepted or suggested)
    tag_names: dict[int, str]
    item_tags: dict[int, list[int]]  # item id -> tags
    typical: dict[int, np.ndarray] | None = None  # cluster -> rows, most typical first (lazy)
    recency: np.ndarray | None = None  # exp(-age / 90 days) per row
    cluster_code: np.ndarray | None = None  # dense cluster number per row (0: none)


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
    kinds, ages = np.full(n, -1, dtype=np.int32), np.full(n, 365.0)
    codes: dict[str | None, int] = {}
    # Whole columns at once (a Python loop per item took seconds at 100k): ages in SQL,
    # rows by binary search in the sorted ids. Titles are read only for the reasons shown.
    rows = store.conn.execute(
        "SELECT id, kind, julianday('now') - julianday(coalesce(created, added_at)) FROM items "
        "WHERE status = 'ok'").fetchall()
    if rows:
        item_ids, kind_names, age = zip(*rows, strict=True)
        r = index.rows_of(item_ids)
        have = np.isin(np.asarray(item_ids, dtype=np.int64), index.ids)
        kinds[r] = np.fromiter((codes.setdefault(k, len(codes)) for k in kind_names),
                               dtype=np.int32, count=len(rows))[have]
        age = np.array([365.0 if a is None else max(0.0, a) for a in age])
        ages[r] = age[have]
    cluster = np.full(n, -1, dtype=np.int64)
    pairs = store.conn.execute(
        "SELECT item_id, cluster_id FROM item_clusters WHERE cluster_id IS NOT NULL "
        "ORDER BY item_id").fetchall()
    if pairs:
        members = np.fromiter((v for p in pairs for v in p), dtype=np.int64,
                              count=2 * len(pairs)).reshape(-1, 2)
        have = np.isin(members[:, 0], index.ids)
        cluster[index.rows_of(members[:, 0])] = members[have, 1]
    tag_lists: dict[int, list[int]] = defaultdict(list)
    item_tags: dict[int, list[int]] = defaultdict(list)
    pairs = store.conn.execute(
        "SELECT item_id, tag_id FROM item_tags WHERE state = 'accepted' "
        "OR (state = 'suggested' AND confidence >= 0.5) ORDER BY item_id").fetchall()
    if pairs:
        tagged = np.array(pairs, dtype=np.int64)
        tagged = tagged[np.isin(tagged[:, 0], index.ids)]
        for r, (item_id, tag_id) in zip(index.rows_of(tagged[:, 0]).tolist(), tagged.tolist(),
                                        strict=True):
            tag_lists[tag_id].append(r)
            item_tags[item_id].append(tag_id)
    labels = dict(store.conn.execute("SELECT id, label FROM clusters"))
    names = dict(store.conn.execute("SELECT id, name FROM tags"))
    feats = _Features(stamp, {}, kinds, ages, cluster, labels,
                      {t: np.asarray(r, dtype=np.int64) for t, r in tag_lists.items()}, names,
                      dict(item_tags))
    feats.recency = np.exp(-ages / 90.0).astype(np.float32)
    feats.cluster_code = np.searchsorted(np.unique(np.append(cluster, -1)), cluster)
    with _lock:
        _features[store] = feats
    return feats



def _stats(v: np.ndarray) -> tuple[float, float]:
    sd = float(v.std())
    return float(v.mean()), (sd if sd > 1e-9 else 0.0)


def _z(v: np.ndarray, stats: tuple[float, float] | None = None) -> np.ndarray:
    mean, sd = stats or _stats(v)
    return (v - mean) / sd if sd else np.zeros_like(v)


def recommend(store: Store, limit: int = 20, session: str | None = None,
              explore: bool = True, *, person: str | None = None,
              blend: Blend = HYBRID) -> list[dict]:
    """Items the user may like next: id, path, title, kind, score, reason (English) and
    why ({"kind", "subject", ...}: the same reason, structured)."""
    # Liked items' neighbours by topic, whatever the language (languages.py).
    index = language_neutral(store, index_for(store))
    if not len(index):
        return []
    feats = _load_features(store, index)
    cache = _cache_for(store, index)
    # Everything below depends only on the events (and the cached index and features):
    # a refresh without new feedback reuses the last scores.
    key = (tuple(store.conn.execute("SELECT count(*), max(id) FROM events").fetchone()),
           session, person, blend, feats.stamp)
    hit = cache.fitted.get(key)
    if hit is None:
        profile = load_profile(store, session, person, blend.half_life, blend.impressions)
        hidden = hidden_ids(store)
        pos = [i for i in profile.positives if i not in hidden]
        scored = _scores(store, index, feats, profile, pos, cache, blend) if pos else None
        hit = (profile, hidden, pos, scored)
        cache.fitted = {key: hit}
    profile, hidden, pos, scored = hit
    blocked = index.mask_of(hidden | profile.explicit)
    if scored is None:
        return _cold_start(store, index, feats, profile, blocked, limit)
    parts, detail, total = scored
    # "For you" offers what is new to the user: items already opened stay out too, as long
    # as enough remain (a tiny library falls back to showing them, down-weighted).
    seen = index.mask_of(profile.seen)
    if int((~(blocked | seen)).sum()) >= limit:
        blocked = blocked | seen
    total = np.where(blocked, -np.inf, total)
    pool, _ = index.top(total, max(MMR_POOL, 3 * limit))
    picked = _mmr(index, pool, total[pool], limit) if blend.diversify else pool[:limit].tolist()
    thin = len(pos) < EXPLORE_UNTIL
    novel = (_explore(index, feats, profile, blocked, picked, limit)
             if explore and blend.explore and thin else None)
    if novel is not None:
        picked = [r for r in picked if r != novel][: limit - 1]
        picked.insert(min(limit, EXPLORE_SLOT) - 1, novel)
    return _explain(store, index, feats, parts, detail, picked, total, novel, blend)


def ridge(x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float = 0.1) -> np.ndarray:
    """Weighted ridge regression without intercept, solved in its n x n dual form (n < d)."""
    sw = np.sqrt(weight)[:, None]
    xs = x * sw
    gram = xs @ xs.T + l2 * np.eye(len(x))
    return xs.T @ np.linalg.solve(gram, y * sw[:, 0])


@dataclass
class _Cache:
    """Per store and vector generation: what does not change from one call to the next."""

    key: tuple
    unl: np.ndarray  # rows of the unlabelled sample
    centre: np.ndarray  # its mean vector
    unl_gram: np.ndarray  # d x d: sum of w * (x - centre)(x - centre)^T over the sample
    unl_rhs: np.ndarray  # d: sum of w * y * (x - centre) over the sample
    columns: dict[int, np.ndarray] = field(default_factory=dict)  # row -> cosines to all rows
    fitted: dict = field(default_factory=dict)  # events stamp -> scores
    coarse: coarse_pass.Coarse | None = None  # reduced matrix of a large library


_caches: weakref.WeakKeyDictionary[Store, _Cache] = weakref.WeakKeyDictionary()
MAX_COLUMNS = 64  # cached similarity columns (400 KB each at 100k items)


def _cache_for(store: Store, index: VectorIndex) -> _Cache:
    key = (index.model_id, index.generation, len(index))
    with _lock:
        cache = _caches.get(store)
    if cache is not None and cache.key == key:
        return cache
    rng = np.random.default_rng(len(index))
    unl = np.unique(rng.integers(len(index), size=min(UNLABELLED, len(index))))
    x = index.matrix[unl]
    centre = x.mean(axis=0)
    xc = x - centre
    w = 2.0 / max(len(unl), 1)  # together the sample weighs about as much as two dislikes
    cache = _Cache(key, unl, centre, w * (xc.T @ xc), w * -0.5 * xc.sum(axis=0))
    if len(index) >= coarse_pass.COARSE_FROM:
        cache.coarse = coarse_pass.build(index.matrix)
    with _lock:
        _caches[store] = cache
    return cache


def _fit(x: np.ndarray, cache: _Cache, rows: np.ndarray, y: np.ndarray, weight: np.ndarray,
         l2: float = 0.1) -> np.ndarray:
    """Weighted ridge in its primal (d x d) form: the library sample's share is cached, so
    a refit costs one small product per labelled item and one d x d solve."""
    xc = x[rows] - cache.centre
    keep = ~np.isin(cache.unl, rows)
    gram, rhs = cache.unl_gram, cache.unl_rhs
    if not keep.all():  # a labelled item in the sample counts once, as labelled
        drop = x[cache.unl[~keep]] - cache.centre
        w = 2.0 / max(len(cache.unl), 1)
        gram = gram - w * (drop.T @ drop)
        rhs = rhs - w * -0.5 * drop.sum(axis=0)
    xw = xc * weight[:, None]
    a = gram + xw.T @ xc + l2 * np.eye(x.shape[1], dtype=np.float64)
    return np.linalg.solve(a, rhs + xw.T @ y).astype(np.float32)



def _scan(index: VectorIndex, cache: _Cache, vector: np.ndarray) -> np.ndarray:
    """matrix @ vector: exact, or on the reduced matrix in a large library."""
    if cache.coarse is not None:
        return cache.coarse.scores(vector)
    return index.matrix @ vector


def _columns(index: VectorIndex, cache: _Cache, rows: np.ndarray) -> list[np.ndarray]:
    """The similarity columns of `rows` (cached: a new like adds one pass for its column)."""
    for r in dict.fromkeys(rows.tolist()):
        if r not in cache.columns:
            cache.columns[r] = _scan(index, cache, index.matrix[r])
    wanted = [cache.columns.pop(int(r)) for r in rows]  # re-inserted: least recent first
    for r, col in zip(rows.tolist(), wanted, strict=True):
        cache.columns[int(r)] = col
    while len(cache.columns) > max(MAX_COLUMNS, len(rows)):
        cache.columns.pop(next(iter(cache.columns)))
    return wanted


def _best_of(columns: list[np.ndarray], weights: list[float], n: int) -> np.ndarray:
    """Per row: the highest weighted column value (in place, no n x k temporaries)."""
    best = np.full(n, -np.inf, dtype=np.float32)
    scratch = np.empty(n, dtype=np.float32)
    for col, weight in zip(columns, weights, strict=True):
        np.maximum(best, np.multiply(col, weight, out=scratch), out=best)
    return best


@dataclass
class _Content:
    """The content model of one state of the feedback: enough to score any rows exactly."""

    w: np.ndarray | None  # ridge weights
    pos_rows: np.ndarray  # nearest-liked columns, strongest first
    strength: list[float]
    neg_rows: np.ndarray
    stats: dict[str, tuple[float, float]]  # z-score scale of each part over the library
    exposure: np.ndarray | None = None  # weights of the model over the items shown


def _content(index: VectorIndex, cache: _Cache, profile: Profile, pos: list[int],
             parts: dict[str, np.ndarray], exposure: bool) -> _Content:
    x = index.matrix
    neg = profile.negatives
    by_pos = sorted(pos, key=lambda i: -profile.signal[i])
    by_neg = sorted(neg, key=lambda i: profile.signal[i])
    pos_rows, neg_rows = index.rows_of(by_pos[:MAX_POSITIVES]), index.rows_of(by_neg[:MAX_NEGATIVES])
    all_pos, all_neg = index.rows_of(by_pos[:MAX_TRAIN]), index.rows_of(by_neg[:MAX_TRAIN])
    train = np.concatenate([all_pos, all_neg])
    # Targets +1 liked, -1 disliked; the library sample is -0.5 (weak, cached in _Cache).
    y = np.concatenate([np.ones(len(all_pos)), -np.ones(len(all_neg))])
    sig = np.array([abs(profile.signal[int(index.ids[r])]) for r in train], dtype=np.float64)
    w = _fit(x, cache, train, y, sig) if len(all_pos) else None
    strength = [float(profile.signal[int(index.ids[r])]) for r in pos_rows]
    sims = _columns(index, cache, np.concatenate([pos_rows, neg_rows]))
    stats: dict[str, tuple[float, float]] = {}
    raw = {"knn": _best_of(sims[:len(pos_rows)], strength, len(x))}
    if w is not None:
        raw["model"] = _scan(index, cache, w)
    shown_w = _exposure(index, profile) if exposure and profile.ignored else None
    if shown_w is not None:
        raw["exposure"] = _scan(index, cache, shown_w)
    if len(neg_rows):
        raw["neg"] = _best_of(sims[len(pos_rows):], [1.0] * len(neg_rows), len(x))
    for name, values in raw.items():
        stats[name] = _stats(values)
        parts[name] = _z(values, stats[name]) * (-1.0 if name == "neg" else 1.0)
    return _Content(w, pos_rows, strength, neg_rows, stats, shown_w)


def _exposure(index: VectorIndex, profile: Profile) -> np.ndarray | None:
    """The model over the items shown (recommend_exposure), from the profile's signals."""
    ids = np.fromiter(profile.signal, dtype=np.int64, count=len(profile.signal))
    ids = ids[np.isin(ids, index.ids)]  # items without a vector (gone, not embedded) drop out
    signal = np.array([profile.signal[int(i)] for i in ids])
    passes = np.array([profile.ignored.get(int(i), 0) for i in ids], dtype=np.float64)
    return exposure_model.fit(index.matrix, index.rows_of(ids), signal, passes)


def _exact(index: VectorIndex, content: _Content, x: np.ndarray) -> dict[str, np.ndarray]:
    """The raw content parts of the vectors x, computed in full (one product for all)."""
    k, m = len(content.pos_rows), len(content.neg_rows)
    sims = x @ index.matrix[np.concatenate([content.pos_rows, content.neg_rows])].T
    out = {"knn": (sims[:, :k] * np.asarray(content.strength, dtype=np.float32)).max(axis=1)}
    if m:
        out["neg"] = sims[:, k:].max(axis=1)
    if content.w is not None:
        out["model"] = x @ content.w
    if content.exposure is not None:
        out["exposure"] = x @ content.exposure
    return out


def _scores(store: Store, index: VectorIndex, feats: _Features, profile: Profile,
            pos: list[int], cache: _Cache, blend: Blend):
    parts: dict[str, np.ndarray] = {}
    content = _content(index, cache, profile, pos, parts, blend.weight("exposure") > 0)
    detail: dict = {"content": content}
    if blend.weight("tag"):
        parts["tag"], detail["best_tag"] = _tag_scores(index, feats, profile)
    if blend.weight("kind"):
        parts["kind"] = _kind_scores(index, feats, profile)
    if blend.weight("co"):
        co, detail["co_from"] = co_scores(table_for(store), profile.signal, index)
        sd = float(co.std())
        parts["co"] = co / sd if sd > 0 else co  # on the scale of the z-scored parts
    if blend.weight("cluster"):
        parts["cluster"] = _cluster_scores(index, feats, profile)
    if blend.weight("recency"):
        parts["recency"] = feats.recency
    parts["seen"] = -index.mask_of(profile.seen).astype(np.float32)
    total = sum(blend.weight(name) * value for name, value in parts.items())
    if cache.coarse is not None:
        # Only the best candidates of the reduced pass go on, scored on the full vectors.
        # Their scale is taken from exact values on a fixed sample of the library (the
        # reduced values spread less), so the parts keep their balance.
        pool, _ = index.top(total, coarse_pass.POOL)
        sample = _exact(index, content, cache.coarse.sample_vectors)
        for name, raw in _exact(index, content, index.matrix[pool]).items():
            values = _z(raw, _stats(sample[name])) * (-1.0 if name == "neg" else 1.0)
            total[pool] += blend.weight(name) * (values - parts[name][pool])
            parts[name][pool] = values
        cut = np.full(len(total), -np.inf, dtype=total.dtype)
        cut[pool] = total[pool]
        total = cut
    return parts, detail, total


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


def _by_code(index: VectorIndex, codes: np.ndarray, profile: Profile, prior: float) -> np.ndarray:
    """Per item: the shrunk mean feedback on items sharing its code (kind, cluster)."""
    rows = index.rows_of(profile.signal)
    if not len(rows):
        return np.zeros(len(index), dtype=np.float32)
    values = np.array([profile.signal[int(i)] for i in index.ids[rows]])
    size = int(codes.max()) + 1
    total = np.bincount(codes[rows], weights=values, minlength=size)
    count = np.bincount(codes[rows], minlength=size)
    return (total / (count + prior)).astype(np.float32)[codes]


def _kind_scores(index: VectorIndex, feats: _Features, profile: Profile) -> np.ndarray:
    return _by_code(index, feats.kinds - feats.kinds.min(), profile, 2.0)



def _cluster_scores(index: VectorIndex, feats: _Features, profile: Profile) -> np.ndarray:
    score = _by_code(index, feats.cluster_code, profile, 2.0)
    score[feats.cluster < 0] = 0.0
    return score


def _mmr(index: VectorIndex, pool: np.ndarray, scores: np.ndarray, limit: int) -> list[int]:
    """Rows picked greedily by relevance minus redundancy with what is already picked.

    Redundancy counts only similarity above what is typical inside the pool (its median
    pairwise cosine): items of the same interest are not pushed apart, near-repeats of one
    story are. So the top stays within the user's interests and varied inside them.
    Near-duplicates of a pick come last.
    """
    if not len(pool):
        return []
    lo, hi = float(scores.min()), float(scores.max())
    rel = (scores - lo) / (hi - lo) if hi > lo else np.ones_like(scores)
    vecs = index.matrix[pool]
    raw = vecs @ vecs.T
    typical = float(np.median(raw[np.triu_indices(len(pool), 1)])) if len(pool) > 2 else 0.0
    sim = np.maximum(raw - typical, 0.0) / max(1.0 - typical, 1e-6)
    # A near-duplicate of a pick (a copy of one file, the same text) says nothing new: it
    # goes after everything else, whatever its relevance.
    dup = raw >= max(DUP_FLOOR, typical + DUP_SHARE * (1.0 - typical))
    chosen: list[int] = []
    best_sim = np.zeros(len(pool))
    copy = np.zeros(len(pool), dtype=bool)
    available = np.ones(len(pool), dtype=bool)
    for _ in range(min(limit, len(pool))):
        value = MMR_LAMBDA * rel - (1 - MMR_LAMBDA) * best_sim - 2.0 * copy
        value[~available] = -np.inf
        j = int(np.argmax(value))
        chosen.append(j)
        available[j] = False
        best_sim = np.maximum(best_sim, sim[j])
        copy |= dup[j]
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
             picked: list[int], total: np.ndarray, novel: int | None, blend: Blend) -> list[dict]:
    out = []
    items = explain.items(store, [int(index.ids[r]) for r in picked])
    for r in picked:
        item_id = int(index.ids[r])
        item = items.get(item_id)
        if item is None:
            continue
        if r == novel:
            cid = int(feats.cluster[r])
            why = explain.why("explore", feats.cluster_labels.get(cid, "a new topic"), cluster_id=cid)
        else:
            why = _reason(store, index, feats, parts, detail, r, blend)
        score = float(total[r]) if np.isfinite(total[r]) else 0.0
        out.append(item | {"score": round(score, 4), "reason": explain.sentence(why), "why": why})
    return out


def _reason(store: Store, index: VectorIndex, feats: _Features, parts: dict, detail: dict,
            r: int, blend: Blend) -> dict:
    """The signal that lifted row r most, as a structured reason."""
    def part(name: str, scale: float = 1.0) -> float:
        return blend.weight(name) * float(parts[name][r]) * scale if name in parts else 0.0

    # Tag, co-occurrence and cluster values are small next to z-scores: scaled to compare.
    contrib = {"liked": part("knn") + part("model") + part("exposure"), "tag": part("tag", 3),
               "co": part("co", 3), "cluster": part("cluster", 3)}
    kind = explain.strongest(contrib)
    if kind == "tag" and contrib["tag"] > 0 and detail["best_tag"][r] >= 0:
        tag = int(detail["best_tag"][r])
        return explain.why("tag", feats.tag_names.get(tag, "?"), tag_id=tag)
    if kind == "co" and contrib["co"] > 0 and detail["co_from"][r] >= 0:
        other = int(detail["co_from"][r])
        return explain.why("co", explain.title(store, feats.titles, other), item_id=other)
    if kind == "cluster" and contrib["cluster"] > 0 and feats.cluster[r] >= 0:
        cid = int(feats.cluster[r])
        return explain.why("cluster", feats.cluster_labels.get(cid, "?"), cluster_id=cid)
    content = detail["content"]
    j = explain.nearest_liked(index.matrix, r, content.pos_rows, content.strength)
    liked = int(index.ids[content.pos_rows[j]])
    return explain.why("liked", explain.title(store, feats.titles, liked), item_id=liked)


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
    picked: list[tuple[int, dict]] = []
    if feats.typical is None:
        feats.typical = _typical_rows(index, feats)
    if feats.typical:
        queues = []
        for cid, order in feats.typical.items():  # largest topic first
            order = order[open_rows[order]][:limit]
            if len(order):
                why = explain.why("start", feats.cluster_labels.get(int(cid), "a topic"),
                                  cluster_id=int(cid))
                queues.append((list(order), why))
        while len(picked) < limit and any(q for q, _ in queues):
            for q, why in queues:
                if q and len(picked) < limit:
                    picked.append((int(q.pop(0)), why))
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
            picked = [(int(rows[c]), explain.why("start", "")) for c in chosen]
    items = explain.items(store, [int(index.ids[r]) for r, _ in picked])
    out = []
    for rank, (r, why) in enumerate(picked):
        item = items.get(int(index.ids[r]))
        if item:
            out.append(item | {"score": round(1.0 / (1 + rank), 4),
                               "reason": explain.sentence(why), "why": why})
    return out
