"""The preference model over the items For you showed: taken against passed over."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from desktop.curation import feedback
from desktop.curation import recommend_exposure as exposure
from desktop.curation.recommend import CONTENT_ONLY, HYBRID, recommend
from desktop.curation.vectorindex import index_for
from tests.test_curation_library import fresh_library_fixture, ids_by_title  # noqa: F401


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_it_learns_the_taste_inside_the_topic_everything_shown_shares():
    rng = np.random.default_rng(0)
    # Axis 0: the user's topic, shared by all the items shown. Axis 1: a taste inside it.
    shown = np.zeros((40, 16))
    shown[:, 0] = 1.0
    shown[:, 1] = np.r_[np.full(10, 0.5), np.full(30, -0.5)]  # 10 taken, 30 passed over
    shown[:, 2:] = rng.normal(scale=0.3, size=(40, 14))
    signal = np.r_[np.full(5, 1.0), np.full(5, 0.4), np.full(30, -0.1)]  # likes, long reads
    passes = np.r_[np.zeros(10), np.full(30, 2.0)]  # passed over twice: labels unbalanced
    w = exposure.fit(unit(shown), np.arange(40), signal, passes)
    assert w is not None and w[1] > 0
    # More passes than takes: without its intercept the model would hold the topic that
    # everything shown shares against the user, pushing their own topic down.
    assert w[0] > -0.05 * w[1]
    fresh = np.zeros((2, 16))
    fresh[:, 0] = 1.0
    fresh[:, 1] = [0.5, -0.5]
    fresh[:, 2:] = rng.normal(scale=0.3, size=(2, 14))
    to_taste, not_to_taste = unit(fresh) @ w
    assert to_taste > not_to_taste


def test_it_needs_items_taken_and_items_passed_over():
    x = unit(np.eye(4) + 0.1)
    rows = np.arange(4)
    assert exposure.fit(x, rows, np.full(4, -0.1), np.ones(4)) is None  # only passed over
    assert exposure.fit(x, rows, np.full(4, 1.0), np.zeros(4)) is None  # only taken
    assert exposure.fit(x, rows, np.array([1.0, -0.1, -0.1, 0.0]),
                        np.array([0, 1, 2, 0])) is not None


def test_on_the_shipped_embeddings_it_ranks_like_what_was_taken(store):
    ids = ids_by_title(store)
    index = index_for(store)
    taken = [ids[t] for t in ("Mars rover", "Rocket launch", "Moon mission")]
    passed = [ids[t] for t in ("Derby", "Transfer", "Cup final")]
    rows = index.rows_of(taken + passed)
    w = exposure.fit(index.matrix, rows, np.r_[np.ones(3), np.full(3, -0.2)],
                     np.r_[np.zeros(3), np.full(3, 2.0)])
    score = dict(zip(index.ids.tolist(), (index.matrix @ w).tolist(), strict=True))
    assert min(score[ids[t]] for t in ("Telescope", "Comet")) > max(
        score[ids[t]] for t in ("Coach", "League"))


def test_the_hybrid_uses_it_and_content_only_does_not(store):
    ids = ids_by_title(store)
    feedback.record(store, ids["Mars rover"], "like", session="me/visit0")
    page = [ids[t] for t in ("Telescope", "Comet", "Bread", "Soup")]
    feedback.record_many(store, page, "shown", session="me/visit1")
    feedback.record(store, ids["Telescope"], "like", session="me/visit1")
    no_exposure = replace(HYBRID, weights=tuple((k, w) for k, w in HYBRID.weights
                                                if k != "exposure"))

    def scores(blend) -> dict[int, float]:
        return {r["id"]: r["score"] for r in recommend(store, limit=20, person="me",
                                                       blend=blend, explore=False)}

    assert scores(HYBRID) != scores(no_exposure)
    content = scores(CONTENT_ONLY)
    feedback.record_many(store, page, "shown", session="me/visit2")  # shown again, passed
    assert scores(CONTENT_ONLY) == content  # impressions are behaviour: not its business
    reasons = {r["why"]["kind"] for r in recommend(store, limit=10, person="me", explore=False)}
    assert reasons <= {"liked", "tag", "co"}
