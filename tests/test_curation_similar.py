"""Similar items, duplicates and hybrid search on the shared library."""

from __future__ import annotations

import pytest

from desktop.catalog.textsearch import QueryError
from desktop.curation import feedback, search, tags
from desktop.curation.search import SearchFilters, hybrid_search
from desktop.curation.similar import duplicate_groups, similar_items
from tests.test_curation_library import (
    MEANING_QUERY,
    MEANING_TITLE,
    ids_by_title,
    library_store_fixture,  # noqa: F401
    topic_of,
)


def test_similar_items_are_on_topic_and_never_the_item_itself(store):
    ids, topics = ids_by_title(store), topic_of(store)
    me = ids["Mars rover"]
    result = similar_items(store, me, limit=5)
    found = [r["id"] for r in result["similar"]]
    assert me not in found and found, result
    assert all(topics[i] == "space" for i in found), [(r["title"], r["score"]) for r in result["similar"]]
    assert all({"id", "path", "title", "score", "z"} <= set(r) for r in result["similar"])
    scores = [r["score"] for r in result["similar"]]
    assert scores == sorted(scores, reverse=True)


def test_duplicates_are_reported_apart(store):
    ids = ids_by_title(store)
    result = similar_items(store, ids["Bread"])
    assert [d["id"] for d in result["duplicates"]] == [ids["Bread (copy)"]]
    assert ids["Bread (copy)"] not in [r["id"] for r in result["similar"]]
    groups = duplicate_groups(store)
    assert [sorted(m["id"] for m in g) for g in groups] == [sorted([ids["Bread"], ids["Bread (copy)"]])]


def test_hidden_items_are_left_out(store):
    ids = ids_by_title(store)
    before = [r["id"] for r in similar_items(store, ids["Soup"])["similar"]]
    assert before
    feedback.record(store, before[0], "hide")
    after = [r["id"] for r in similar_items(store, ids["Soup"])["similar"]]
    assert before[0] not in after
    feedback.record(store, before[0], "unhide")
    assert before[0] in [r["id"] for r in similar_items(store, ids["Soup"])["similar"]]


def test_unrelated_items_stay_below_the_relative_threshold(store):
    ids = ids_by_title(store)
    result = similar_items(store, ids[MEANING_TITLE], limit=10)
    # The only text about cars has no real neighbours: nothing forced into the list.
    assert len(result["similar"]) <= 2, result


def test_hybrid_search_finds_by_meaning_without_shared_words(store):
    ids = ids_by_title(store)
    results = hybrid_search(store, MEANING_QUERY)
    assert results and results[0]["id"] == ids[MEANING_TITLE]
    assert results[0]["matched"] == "meaning"
    assert all({"id", "path", "title", "kind", "score", "snippet", "matched"} <= set(r)
               for r in results)


def test_hybrid_search_fuses_words_and_meaning(store):
    ids = ids_by_title(store)
    results = hybrid_search(store, "telescope galaxies")
    assert results[0]["id"] == ids["Telescope"] and results[0]["matched"] == "both"
    assert "[" in results[0]["snippet"]  # highlighted words


def test_hybrid_search_filters(store):
    ids = ids_by_title(store)
    tag = tags.create_tag(store, "Favourites")
    tags.accept(store, [ids["Comet"]], tag)
    results = hybrid_search(store, "planet", SearchFilters(tags=[tag]))
    assert [r["id"] for r in results] == [ids["Comet"]]
    results = hybrid_search(store, "bake", SearchFilters(folder=str(ids_folder(store, "copies"))))
    assert [r["id"] for r in results] == [ids["Bread (copy)"]]
    assert hybrid_search(store, "bake", SearchFilters(kinds=["video"])) == []


def ids_folder(store, name):
    path = store.conn.execute("SELECT path FROM items WHERE path LIKE ?", (f"%/{name}/%",)).fetchone()[0]
    return path.rsplit("/", 1)[0]


def test_malformed_query_is_a_clear_error(store):
    with pytest.raises(QueryError, match="unclosed quote"):
        hybrid_search(store, 'bread "oven')
    with pytest.raises(QueryError):
        hybrid_search(store, "   ")


def test_search_without_the_model_is_full_text_only(store, monkeypatch):
    from desktop.ml import embed, runtime

    def missing(*args, **kwargs):
        raise runtime.ModelMissing("models/minilm-l6-v2-int8.onnx is missing")

    monkeypatch.setattr(embed, "get_embedder", missing)
    search.forget_queries()  # as in a process that never had the model: nothing cached
    ids = ids_by_title(store)
    results = hybrid_search(store, "rocket")
    assert [r["id"] for r in results] == [ids["Rocket launch"]]
    assert results[0]["matched"] == "words"
    assert hybrid_search(store, MEANING_QUERY) == []
