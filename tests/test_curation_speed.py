"""The caches and shortcuts behind fast search and recommendations give the same answers
as the plain computations they replace."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.curation import feedback, search
from desktop.curation import recommend as rec
from desktop.curation.clusters import build_clusters
from desktop.curation.search import SearchFilters, hybrid_search
from desktop.curation.vectorindex import index_for
from tests.test_curation_library import ids_by_title, open_library


@pytest.fixture()
def store(tmp_path):
    s = open_library(tmp_path / "speed")
    build_clusters(s, k=4)
    yield s
    s.close()


def test_primal_fit_with_cached_sample_equals_the_dual_ridge(store):
    index = index_for(store)
    cache = rec._cache_for(store, index)
    x = index.matrix
    labelled = np.array([0, 3, 7, int(cache.unl[0])])  # one of them also in the sample
    y = np.array([1.0, 1.0, -1.0, 1.0])
    weight = np.array([1.0, 0.5, 1.0, 0.8])
    got = rec._fit(x, cache, labelled, y, weight)
    unl = cache.unl[~np.isin(cache.unl, labelled)]
    train = np.concatenate([labelled, unl])
    targets = np.concatenate([y, np.full(len(unl), -0.5)])
    weights = np.concatenate([weight, np.full(len(unl), 2.0 / len(cache.unl))])
    want = rec.ridge(x[train] - cache.centre, targets, weights)
    assert np.allclose(got, want, atol=1e-4)


def test_refresh_reuses_scores_and_new_feedback_refits(store):
    ids = ids_by_title(store)
    feedback.record(store, ids["Mars rover"], "like")
    first = rec.recommend(store, limit=6)
    assert rec.recommend(store, limit=6) == first  # nothing new: the same list
    feedback.record(store, ids["Bread"], "like")
    cached = rec.recommend(store, limit=6)
    rec._caches.pop(store, None)  # a fresh computation agrees with the incremental one
    rec._features.pop(store, None)
    assert rec.recommend(store, limit=6) == cached
    assert cached != first


def test_opened_items_are_not_offered_again(store):
    ids = ids_by_title(store)
    feedback.record(store, ids["Mars rover"], "like")
    before = [r["id"] for r in rec.recommend(store, limit=5)]
    feedback.record(store, before[0], "open")
    feedback.record(store, before[0], "dwell", 4)
    after = [r["id"] for r in rec.recommend(store, limit=5)]
    assert before[0] not in after


def test_word_candidates_grow_until_filters_are_satisfied(store, monkeypatch):
    """With a tiny candidate pool the filtered search still finds what the plain join finds."""
    ids = ids_by_title(store)
    path = store.conn.execute("SELECT path FROM items WHERE id = ?", (ids["Workshop visit"],)
                              ).fetchone()[0]
    filters = SearchFilters(folder=path.rsplit("/", 1)[0])
    expression = search.to_fts_query("the")
    where, args = search.filter_sql(filters)
    monkeypatch.setattr(search, "POOL", 1)
    got = search._words(store, expression, where, args)
    assert [r["id"] for r in got] == [ids["Workshop visit"]]
    unfiltered = search._words(store, expression, "1", [])
    assert len(unfiltered) == 1


def test_snippets_only_for_word_matches_on_the_page(store):
    results = hybrid_search(store, "bake bread", limit=3)
    assert len(results) <= 3
    for r in results:
        if r["matched"] in ("words", "both"):
            assert "[" in r["snippet"]
