"""Clusters: automatic k, labels from distinctive words, stable ids, a map of every item."""

from __future__ import annotations

from collections import Counter

from desktop import pipeline
from desktop.curation.clusters import build_clusters, cluster_members, list_clusters, map_points
from tests.test_curation_library import (
    embed_all,
    library_root,
    library_store_fixture,  # noqa: F401
    topic_of,
)


def test_clusters_follow_topics_and_carry_labels(store):
    clusters = build_clusters(store)
    assert 3 <= len(clusters) <= 6, clusters
    topics = topic_of(store)
    # Clusters are topical: nearly every item shares its cluster's majority topic.
    by_cluster: dict[int, Counter] = {}
    for p in map_points(store):
        by_cluster.setdefault(p["cluster_id"], Counter())[topics[p["id"]]] += 1
    purity = sum(c.most_common(1)[0][1] for c in by_cluster.values()) / 22
    assert purity >= 0.85, by_cluster
    for c in clusters:
        assert c["label"] and c["terms"] and c["size"] > 0
    labels = " ".join(" ".join(c["terms"]) for c in clusters)
    assert any(w in labels for w in ("football", "team", "club")), labels
    assert sum(c["size"] for c in clusters) == 22


def test_map_points_and_members(store):
    points = map_points(store)
    assert len(points) == 22
    assert all(-1.0 <= p["x"] <= 1.0 and -1.0 <= p["y"] <= 1.0 for p in points)
    assert all({"id", "x", "y", "cluster_id", "title"} <= set(p) for p in points)
    first = list_clusters(store)[0]
    members = cluster_members(store, first["id"])
    assert len(members) == first["size"]
    assert [m["score"] for m in members] == sorted((m["score"] for m in members), reverse=True)


def test_cluster_ids_are_stable_when_one_item_is_added(store):
    before = {p["id"]: p["cluster_id"] for p in map_points(store)}
    labels_before = {c["id"]: c["label"] for c in list_clusters(store)}
    new = library_root().parent / "extra"
    new.mkdir(exist_ok=True)
    (new / "nebula.md").write_text("# Nebula\n\nThe telescope photographed a glowing nebula in "
                                   "deep space, far beyond the planets.\n")
    store.add_root(new)
    pipeline.run(store, workers=1, with_models=False)
    assert embed_all(store) == 1
    build_clusters(store)
    after = {p["id"]: p["cluster_id"] for p in map_points(store)}
    assert len(after) == 23
    same = sum(after[i] == c for i, c in before.items())
    assert same == len(before), "every old item keeps its cluster id"
    assert set(labels_before) == {c["id"] for c in list_clusters(store)}


def test_k_is_adjustable_and_ids_survive_going_back(store):
    before = {c["id"] for c in list_clusters(store)}
    two = build_clusters(store, k=2)
    assert len(two) == 2
    back = build_clusters(store, k=len(before))
    assert len(back) == len(before)
