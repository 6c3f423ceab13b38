"""The inverted file behind large libraries' nearest-neighbour queries (desktop/curation/ivf.py):
close enough to the exact scan, never a row it was told to leave out, kept up to date when
vectors change, and out of the way for small libraries."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.scale_bench import bulk_catalog
from desktop.catalog.store import save_vectors
from desktop.curation import feedback, ivf, vectorindex
from desktop.curation.similar import similar_items
from desktop.curation.vectorindex import VectorIndex, index_for

N = ivf.MIN_ITEMS + 4_000


def clustered(n: int, clusters: int = 150, noise: float = 1.3, dim: int = 384,
              seed: int = 0) -> np.ndarray:
    """Unit vectors around `clusters` random centres (same-cluster cosines near 0.35)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim)).astype(np.float32)
    m = centres[rng.integers(clusters, size=n)] + rng.normal(scale=noise, size=(n, dim)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def large() -> VectorIndex:
    return VectorIndex("test@1", np.arange(1, N + 1, dtype=np.int64), clustered(N))


def _exact(index: VectorIndex, query: np.ndarray, k: int, exclude=None) -> np.ndarray:
    return index.top(index.scores(query), k, exclude)[0]


def test_small_library_is_scanned_exactly():
    index = VectorIndex("test@1", np.arange(1, 2001, dtype=np.int64), clustered(2000, 20))
    assert index.inverted_file() is None
    for row in (0, 7, 1999):
        rows, sims = index.nearest(index.matrix[row], 30)
        want, want_sims = index.top(index.scores(index.matrix[row]), 30)
        assert rows.tolist() == want.tolist() and np.array_equal(sims, want_sims)


def test_recall_at_10_against_the_exact_scan(large):
    inverted = large.inverted_file()
    assert inverted is not None and inverted.probes() < inverted.lists
    assert inverted.reads() < 0.6 * len(large)  # a query really reads a part of the library
    rng = np.random.default_rng(1)
    hits = []
    for row in rng.integers(len(large), size=100):
        query = large.matrix[row] + rng.normal(scale=0.02, size=large.dim).astype(np.float32)
        query /= np.linalg.norm(query)  # a query near an item, not the item itself
        found, sims = large.nearest(query, 10)
        assert np.allclose(sims, large.matrix[found] @ query)  # exact cosines, best first
        assert np.all(np.diff(sims) <= 0)
        hits.append(len(set(found.tolist()) & set(_exact(large, query, 10).tolist())) / 10)
    assert np.mean(hits) >= 0.95, np.mean(hits)


def test_excluded_rows_are_never_returned(large):
    rng = np.random.default_rng(2)
    exclude = rng.random(len(large)) < 0.2
    for row in rng.integers(len(large), size=30):
        mask = exclude.copy()
        mask[row] = True  # the item itself, as similar_items asks
        found, _ = large.nearest(large.matrix[row], 40, mask)
        assert len(found) == 40 and not mask[found].any()


def test_a_narrow_filter_is_scored_exactly(large):
    rng = np.random.default_rng(3)
    allowed = np.zeros(len(large), dtype=bool)
    allowed[rng.choice(len(large), 300, replace=False)] = True
    query = large.matrix[5]
    found, _ = large.nearest(query, 20, ~allowed)
    assert found.tolist() == _exact(large, query, 20, ~allowed).tolist()


def test_refresh_keeps_unchanged_rows_and_places_the_rest(large):
    old = large.inverted_file()
    rng = np.random.default_rng(4)
    keep = np.sort(rng.choice(len(large), len(large) - 500, replace=False))  # 500 deleted
    ids = large.ids[keep]
    matrix = large.matrix[keep].copy()
    changed = rng.choice(len(ids), 300, replace=False)
    matrix[changed] = clustered(300, seed=9)
    new_ids = np.arange(N + 1, N + 701, dtype=np.int64)  # 700 added
    ids = np.concatenate([ids, new_ids])
    matrix = np.concatenate([matrix, clustered(700, seed=10)])
    fresh = ivf.refresh(old, large.ids, large.matrix, ids, matrix)

    assert fresh.centroids is old.centroids and fresh.trained_on == old.trained_on  # not retrained
    assert np.array_equal(np.sort(fresh.order), np.arange(len(ids)))  # every row, once
    assert np.array_equal(np.diff(fresh.starts), np.bincount(fresh.labels, minlength=fresh.lists))
    assert np.allclose(fresh.packed, matrix[fresh.order] @ fresh.basis, atol=1e-5)
    unchanged = np.setdiff1d(np.arange(len(keep)), changed)
    assert np.array_equal(fresh.labels[unchanged], old.labels[keep[unchanged]])
    placed = np.concatenate([changed, np.arange(len(keep), len(ids))])
    assert np.array_equal(fresh.labels[placed], (matrix[placed] @ old.centroids.T).argmax(axis=1))

    index = VectorIndex("test@1", ids, matrix)
    index._ivf = fresh
    for row in placed[:20]:  # a changed or new vector is found where it now is
        assert index.nearest(matrix[row], 1)[0][0] == row


def test_a_library_that_doubled_is_trained_afresh(large):
    old = large.inverted_file()
    ids = np.arange(1, 2 * N + 2, dtype=np.int64)
    matrix = np.concatenate([large.matrix, clustered(N + 1, seed=11)])
    fresh = ivf.refresh(old, large.ids, large.matrix, ids, matrix)
    assert fresh.trained_on == len(ids) and fresh.lists == ivf.list_count(len(ids))


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    """A real SQLite catalog past the IVF threshold, with generated vectors."""
    n = ivf.MIN_ITEMS + 1_000
    matrix = clustered(n, clusters=100, noise=1.2, seed=5)
    titles = [f"item {i}" for i in range(n)]
    store = bulk_catalog(tmp_path_factory.mktemp("ivf") / "catalog.sqlite3", titles, titles,
                         matrix, "test@1")
    yield store
    store.close()


def test_similar_items_in_a_large_catalog(catalog, monkeypatch):
    index = index_for(catalog)
    assert index.inverted_file() is not None
    probe = [11, 2222, 15000, 20999]
    feedback.record(catalog, 12, "hide")
    got = {i: similar_items(catalog, i, limit=10) for i in probe}
    for item_id, result in got.items():
        shown = [r["id"] for r in result["similar"] + result["duplicates"]]
        assert result["similar"] and item_id not in shown and 12 not in shown
    hidden_neighbour = got[11]["similar"][0]["id"]  # hide a neighbour the IVF found
    feedback.record(catalog, hidden_neighbour, "hide")
    assert hidden_neighbour not in [r["id"] for r in similar_items(catalog, 11)["similar"]]
    feedback.record(catalog, hidden_neighbour, "unhide")

    monkeypatch.setattr(ivf, "MIN_ITEMS", 10**9)  # the same questions, scanned exactly
    vectorindex.forget(catalog)
    assert index_for(catalog).inverted_file() is None
    for item_id in probe:
        exact = [r["id"] for r in similar_items(catalog, item_id, limit=10)["similar"]]
        approx = [r["id"] for r in got[item_id]["similar"]]
        assert len(set(exact) & set(approx)) >= 0.9 * len(exact), (exact, approx)
    vectorindex.forget(catalog)


def test_changed_vectors_reach_the_index(catalog):
    index = index_for(catalog)
    old = index.inverted_file()
    # Item 100 gets (almost) item 5000's vector: its nearest item, not far from before.
    twin = index.vector(5000) + np.float32(1e-3) * index.vector(100)
    text_hash = catalog.conn.execute("SELECT text_hash FROM items WHERE id = 100").fetchone()[0]
    save_vectors(catalog, "test@1", [(100, text_hash, twin / np.linalg.norm(twin), 1)])
    fresh = index_for(catalog)
    assert fresh is not index and fresh.inverted_file().centroids is old.centroids  # refreshed
    assert index.vector(5000) @ index.vector(100) < 0.9  # they were not alike before
    result = similar_items(catalog, 100)
    nearest = [(r["id"], r["score"]) for r in result["duplicates"] + result["similar"]]
    assert nearest[0] == (5000, 1.0), nearest
