"""Large libraries: the reduced first pass of "For you" picks what the exact ranking picks."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from benchmarks.scale_bench import bulk_catalog, generate
from desktop.curation import feedback
from desktop.curation import recommend as rec
from desktop.curation import recommend_coarse as coarse_pass

N = 4000


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    vecs, titles, bodies, _, _ = generate(N, 40, seed=3)
    s = bulk_catalog(tmp_path_factory.mktemp("rec-scale") / "catalog.sqlite3", titles, bodies,
                     vecs, "generated@1")
    rng = np.random.default_rng(5)
    for item_id in rng.choice(np.arange(1, N + 1), 12, replace=False).tolist():
        feedback.record(s, item_id, "like", session="me/1")
    for item_id in rng.choice(np.arange(1, N + 1), 4, replace=False).tolist():
        feedback.record(s, item_id, "dislike", session="me/1")
    yield s
    s.close()


def ranked(store, monkeypatch, coarse_from: int, blend: rec.Blend) -> list[int]:
    monkeypatch.setattr(coarse_pass, "COARSE_FROM", coarse_from)
    monkeypatch.setattr(coarse_pass, "POOL", 400)
    rec._caches.pop(store, None)
    got = [r["id"] for r in rec.recommend(store, limit=20, explore=False, blend=blend)]
    assert (rec._caches[store].coarse is not None) == (coarse_from <= N)
    return got


@pytest.mark.parametrize("diversify", [False, True])
def test_reduced_first_pass_agrees_with_the_exact_ranking(store, monkeypatch, diversify):
    blend = replace(rec.HYBRID, diversify=diversify)
    exact = ranked(store, monkeypatch, N + 1, blend)
    reduced = ranked(store, monkeypatch, 1000, blend)
    assert len(exact) == len(reduced) == 20
    assert len(set(exact[:10]) & set(reduced[:10])) >= 9, (exact, reduced)
    assert len(set(exact) & set(reduced)) >= 18


def test_reduced_scores_approximate_the_exact_products(store):
    from desktop.curation.vectorindex import index_for

    index = index_for(store)
    reduced = coarse_pass.build(index.matrix, dims=96)
    v = index.matrix[7]
    exact, approx = index.matrix @ v, reduced.scores(v)
    assert np.corrcoef(exact, approx)[0, 1] > 0.9
    top = set(np.argsort(-exact)[:20].tolist())
    assert top <= set(np.argsort(-approx)[:400].tolist())  # the exact best survive the cut
