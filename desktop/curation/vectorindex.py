"""Document vectors of one embedder, held in memory for kNN.

Loading 100,000 vectors from SQLite takes about a second; a query against the matrix takes
milliseconds. So the matrix is loaded once per (store, model) and reloaded only when the
`generations` counter (bumped by triggers on vectors and items, migration 3) has moved.
At 100k x 384 float32 the matrix is 150 MB and one exact scan (`matrix @ q`) costs 15-30 ms
on two busy cores, so once a library is large the query paths read less: `nearest` takes
candidates from an inverted file (ivf.py) and re-scores them exactly, `typical` reads a
fixed sample; small libraries are scanned exactly, as before.
Beyond about a million items see benchmarks/scale_bench.py.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from desktop.catalog.store import TITLE_SUFFIX, Store, load_vectors

from . import ivf

STATS_SAMPLE = 4096  # rows behind a large library's typical similarity to a query
# Candidates from the inverted file that are re-scored exactly: with 96 of 384 dimensions,
# 500 kept the recall@10 of real MiniLM vectors at 1.000 (ivf.py).
RERANK_MIN = 500
RERANK_PER_K = 4


@dataclass
class VectorIndex:
    model_id: str
    ids: np.ndarray  # int64, sorted ascending
    matrix: np.ndarray  # float32 [n, dim], rows L2-normalised
    generation: object = None
    _ivf: ivf.InvertedFile | None = field(default=None, repr=False, compare=False)
    _sample: np.ndarray | None = field(default=None, repr=False, compare=False)  # rows
    _sample_matrix: np.ndarray | None = field(default=None, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    # The same vectors with the language taken out (languages.language_neutral), once made.
    neutral: VectorIndex | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1]) if self.matrix.ndim == 2 and len(self.ids) else 0

    def rows_of(self, item_ids: Iterable[int]) -> np.ndarray:
        """Row numbers of the given items; items without a vector are left out."""
        wanted = np.fromiter(item_ids, dtype=np.int64)
        if not len(wanted) or not len(self.ids):
            return np.zeros(0, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.ids, wanted), 0, len(self.ids) - 1)
        return pos[self.ids[pos] == wanted]

    def row_of(self, item_id: int) -> int | None:
        rows = self.rows_of([item_id])
        return int(rows[0]) if len(rows) else None

    def vector(self, item_id: int) -> np.ndarray | None:
        row = self.row_of(item_id)
        return None if row is None else self.matrix[row]

    def mask_of(self, item_ids: Iterable[int]) -> np.ndarray:
        mask = np.zeros(len(self.ids), dtype=bool)
        mask[self.rows_of(item_ids)] = True
        return mask

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Cosine of every item to `query` (a unit vector)."""
        return self.matrix @ np.asarray(query, dtype=np.float32)

    def top(self, sims: np.ndarray, k: int, exclude: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
        """Rows and scores of the k highest `sims`, best first; `exclude` is a boolean mask."""
        if exclude is not None and exclude.any():
            sims = np.where(exclude, -np.inf, sims)
        k = min(k, len(sims))
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        part = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
        order = part[np.argsort(-sims[part], kind="stable")]
        order = order[np.isfinite(sims[order])]
        return order, sims[order]

    def inverted_file(self) -> ivf.InvertedFile | None:
        """The inverted file of a large library (built on first use), else None."""
        if len(self.ids) < ivf.MIN_ITEMS:
            return None
        with self._lock:
            if self._ivf is None:
                self._ivf = ivf.build(self.matrix)
            return self._ivf

    def nearest(self, query: np.ndarray, k: int, exclude: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
        """Rows and cosines of the k items nearest to `query` (a unit vector), best first;
        never a row in `exclude`.

        Exact for small libraries and when `exclude` leaves fewer rows than a query would
        read anyway (a narrow filter: those are scored directly). Otherwise the inverted
        file proposes candidates, which are re-scored exactly; when exclusions leave fewer
        than k of them, an exact scan answers.
        """
        query = np.asarray(query, dtype=np.float32)
        index = self.inverted_file()
        if index is None:
            return self.top(self.scores(query), k, exclude)
        if exclude is not None and exclude.any():
            allowed = np.flatnonzero(~exclude)
            if len(allowed) <= index.reads():
                return self._top_of(allowed, query, k)
        rows = index.candidates(query, max(RERANK_MIN, RERANK_PER_K * k), exclude)
        if len(rows) < k:
            return self.top(self.scores(query), k, exclude)
        rows.sort()  # sequential reads of the full vectors
        return self._top_of(rows, query, k)

    def _top_of(self, rows: np.ndarray, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        sims = self.matrix[rows] @ query
        order, top = self.top(sims, k)
        return rows[order], top

    def typical(self, query: np.ndarray, exclude: np.ndarray | None = None) -> tuple[float, float]:
        """(median, robust spread) of the cosines of the library to `query`; a large
        library answers from a fixed, evenly spread sample of its rows."""
        query = np.asarray(query, dtype=np.float32)
        if len(self.ids) <= 2 * STATS_SAMPLE:
            return spread_of(self.scores(query), exclude)
        with self._lock:
            if self._sample is None:
                self._sample = np.linspace(0, len(self.ids) - 1, STATS_SAMPLE).astype(np.int64)
                self._sample_matrix = np.ascontiguousarray(self.matrix[self._sample])
            rows, matrix = self._sample, self._sample_matrix
        return spread_of(matrix @ query, exclude[rows] if exclude is not None else None)

    def knn(self, query: np.ndarray, k: int, exclude: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
        """Item ids and cosines of the k nearest items to `query`."""
        rows, sims = self.nearest(query, k, exclude)
        return self.ids[rows], sims


def spread_of(sims: np.ndarray, exclude: np.ndarray | None = None) -> tuple[float, float]:
    """(median, robust spread: MAD x 1.4826) of similarities, excluded rows left out."""
    pool = sims[~exclude] if exclude is not None else sims
    if len(pool) > 20000:  # a fixed stride sample is as good as all for two statistics
        pool = pool[:: len(pool) // 10000]
    if not len(pool):
        return 0.0, 1.0
    median = float(np.median(pool))
    mad = float(np.median(np.abs(pool - median))) * 1.4826
    return median, max(mad, 1e-3)


_cache: weakref.WeakKeyDictionary[Store, dict[str, VectorIndex]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def generation(store: Store, name: str = "vectors") -> object:
    """A value that changes whenever the current vectors (or item tags) may have changed."""
    try:
        return store.conn.execute(
            "SELECT value FROM generations WHERE name = ?", (name,)).fetchone()[0]
    except Exception:  # a catalog without migration 3 (read-only, older): a full look
        table = "vectors" if name == "vectors" else "item_tags"
        return tuple(store.conn.execute(f"SELECT count(*), max(updated_at) FROM {table}").fetchone())


def index_for(store: Store, model_id: str | None = None) -> VectorIndex:
    """The (cached) index of `model_id`'s vectors; default: `current_model_id(store)`."""
    gen = generation(store)
    model_id = model_id or current_model_id(store, gen)
    with _lock:
        per_store = _cache.setdefault(store, {})
        cached = per_store.get(model_id)
        if cached is not None and cached.generation == gen:
            return cached
    ids, matrix = load_vectors(store, model_id) if model_id else (
        np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32))
    if len(ids):
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix /= np.maximum(norms, 1e-12)  # cosines, whatever the embedder promised
    index = VectorIndex(model_id or "", ids, matrix, gen)
    if cached is not None and cached._ivf is not None and len(ids) >= ivf.MIN_ITEMS:
        # An index in use is carried over: only new or changed rows need a list.
        index._ivf = ivf.refresh(cached._ivf, cached.ids, cached.matrix, ids, matrix)
    with _lock:
        _cache.setdefault(store, {})[index.model_id] = index
    return index


_model_cache: weakref.WeakKeyDictionary[Store, tuple[object, str | None]] = (
    weakref.WeakKeyDictionary())


def current_model_id(store: Store, gen: object = None) -> str | None:
    """The embedder whose vectors the views use: the catalog's chosen embedder once every
    item has its vector, else the model with the most vectors, so search keeps working
    while a switch of embedder re-embeds the library (None: no vectors)."""
    gen = generation(store) if gen is None else gen
    hit = _model_cache.get(store)
    if hit is not None and hit[0] == gen:
        return hit[1]
    counts = {r[0]: r[1] for r in store.conn.execute(
        "SELECT model_id, count(*) FROM vectors GROUP BY model_id")
        if not r[0].endswith(TITLE_SUFFIX)}  # title vectors go with their embedder's
    chosen = None
    try:
        from desktop.ml.choice import chosen_embedder
        from desktop.ml.runtime import ModelError, load_manifest

        try:
            preferred = load_manifest().get(chosen_embedder(store)).model_id
        except ModelError:
            preferred = None
    except ImportError:
        preferred = None
    items = store.conn.execute("SELECT count(*) FROM items WHERE status = 'ok'").fetchone()[0]
    if preferred and counts.get(preferred, 0) >= items:
        chosen = preferred
    elif counts:
        chosen = max(counts, key=lambda m: counts[m])
    _model_cache[store] = (gen, chosen)
    return chosen


def forget(store: Store) -> None:
    """Drop the cached indexes of a store (tests, closing a catalog)."""
    with _lock:
        _cache.pop(store, None)
        _model_cache.pop(store, None)
