"""Feedback and recommendations: cold start diversity, reasons, change after feedback."""

from __future__ import annotations

import time

import pytest

from desktop.curation import feedback
from desktop.curation.clusters import build_clusters, map_points
from desktop.curation.recommend import recommend
from tests.test_curation_library import ids_by_title, open_library, topic_of


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = open_library(tmp_path_factory.mktemp("recommend"))
    build_clusters(s, k=4)
    yield s
    s.close()


def test_feedback_validates_and_hides(store):
    ids = ids_by_title(store)
    with pytest.raises(feedback.FeedbackError, match="Unknown feedback"):
        feedback.record(store, ids["Comet"], "love")
    with pytest.raises(feedback.FeedbackError, match="1 to 5"):
        feedback.record(store, ids["Comet"], "rating", 9)
    with pytest.raises(feedback.FeedbackError, match="no item"):
        feedback.record(store, 99999, "like")
    feedback.record(store, ids["Lawn"], "hide")
    assert ids["Lawn"] in feedback.hidden_ids(store)
    feedback.record(store, ids["Lawn"], "unhide")
    assert ids["Lawn"] not in feedback.hidden_ids(store)


def test_cold_start_is_diverse_and_explained(store):
    recs = recommend(store, limit=8)
    assert len(recs) == 8
    clusters = {p["id"]: p["cluster_id"] for p in map_points(store)}
    assert len({clusters[r["id"]] for r in recs[:4]}) == 4  # one per topic first
    assert all(r["reason"] for r in recs)


def test_likes_and_dislikes_change_the_list(store):
    ids, topics = ids_by_title(store), topic_of(store)
    cold = [r["id"] for r in recommend(store, limit=6)]
    feedback.record(store, ids["Mars rover"], "like", session="s1")
    feedback.record(store, ids["Telescope"], "like", session="s1")
    started = time.perf_counter()
    recs = recommend(store, limit=6)
    assert time.perf_counter() - started < 1.0
    got = [r["id"] for r in recs]
    assert got != cold
    assert ids["Mars rover"] not in got and ids["Telescope"] not in got  # already liked
    assert [topics[i] for i in got[:3]] == ["space"] * 3, [(r["title"], r["reason"]) for r in recs]
    assert all(r["reason"] for r in recs)
    assert any(r["reason"].startswith("because you liked") for r in recs)

    feedback.record(store, got[0], "dislike")
    again = [r["id"] for r in recommend(store, limit=6)]
    assert got[0] not in again and again != got


def test_hidden_and_disliked_never_recommended(store):
    ids = ids_by_title(store)
    feedback.record(store, ids["Comet"], "hide")
    recs = [r["id"] for r in recommend(store, limit=20)]
    assert ids["Comet"] not in recs


def test_something_different_is_offered(store):
    recs = recommend(store, limit=8)
    assert any(r["reason"].startswith("something different") for r in recs), recs
