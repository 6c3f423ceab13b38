"""Hybrid search's meaning side with the multilingual embedder, and hidden items.

Small catalogs are embedded with the shipped multilingual-e5-small model, whose cosines run
high and compressed (unrelated pairs sit at 0.75-0.85): the meaning side must still find an
English query's Chinese counterpart, which shares no word with it, find the sample
library's articles by a paraphrase of their subject (under the former rule, z >= 3 alone,
it found none of them), and bring nothing for a query about none of the texts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop import paths, pipeline
from desktop.catalog.store import Store, items_needing_vectors, save_vectors
from desktop.curation import feedback
from desktop.curation.search import SearchFilters, hybrid_search
from desktop.ml import choice
from tests.test_curation_library import (  # noqa: F401
    TOPICS,
    fresh_library_fixture,
    ids_by_title,
)
from tests.test_ml_multilingual import CROSS, CROSS_DISTRACTORS

UNRELATED = ["quantum chromodynamics on a lattice", "tax return deadline", "medieval castle architecture"]


def _mixed_catalog(folder: Path) -> Store:
    lib = folder / "lib"
    (lib / "en").mkdir(parents=True)
    (lib / "zh").mkdir()
    for docs in TOPICS.values():
        for title, text in docs[:2]:
            (lib / "en" / f"{title.lower().replace(' ', '-')}.md").write_text(f"# {title}\n\n{text}\n")
    for i, text in enumerate([zh for _, zh in CROSS] + CROSS_DISTRACTORS):
        (lib / "zh" / f"note{i}.txt").write_text(text, encoding="utf-8")
    return _embedded_with_e5(lib, folder / "catalog.sqlite3")


def _sample_articles(folder: Path) -> Store:
    """Copies of the sample library's plain-text articles, English and Chinese."""
    lib = folder / "lib"
    lib.mkdir(parents=True)
    sample = paths.resource_path("sample")
    for path in [*sample.glob("articles/*.md"), *sample.glob("articles/*.txt"), *sample.glob("中文/*.md")]:
        shutil.copy(path, lib / path.name)
    return _embedded_with_e5(lib, folder / "catalog.sqlite3")


def _embedded_with_e5(lib: Path, catalog: Path) -> Store:
    store = Store.open(catalog)
    store.add_root(lib)
    pipeline.run(store, workers=1, with_models=False, thumbnails=False)
    choice.set_choice(store, choice.MULTILINGUAL)
    from desktop.ml.embed import get_embedder

    e5 = get_embedder(choice.MULTILINGUAL)
    rows = items_needing_vectors(store, e5.model_id)
    vectors = e5.embed([f"{r['title'] or r['name']}\n{r['body']}" for r in rows], kind="passage")
    save_vectors(store, e5.model_id, [(r["id"], r["text_hash"], v, 1)
                                      for r, v in zip(rows, vectors, strict=True)])
    return store


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    store = _mixed_catalog(tmp_path_factory.mktemp("e5-search"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    store = _sample_articles(tmp_path_factory.mktemp("e5-sample"))
    yield store
    store.close()


def _id_of_text(store: Store, text: str) -> int:
    return store.conn.execute("SELECT id FROM items WHERE trim(body) = ?", (text,)).fetchone()[0]


# The bread recipe has an English twin in the catalog, which rightly comes first.
@pytest.mark.parametrize("english, chinese", [pair for pair in CROSS if "bread" not in pair[0]])
def test_english_query_finds_its_chinese_counterpart_with_e5(mixed, english, chinese):
    results = hybrid_search(mixed, english)
    by_meaning = [r for r in results if r["meaning_rank"] is not None]
    assert by_meaning, f"no meaning match for {english!r}"
    assert by_meaning[0]["id"] == _id_of_text(mixed, chinese), [r["title"] for r in by_meaning]
    assert by_meaning[0]["matched"] == "meaning"  # not one word in common
    assert len(by_meaning) <= 3, [r["title"] for r in by_meaning]  # not the whole catalog


@pytest.mark.parametrize("query", UNRELATED)
def test_unrelated_query_brings_no_meaning_matches_with_e5(mixed, query):
    assert hybrid_search(mixed, query) == []


@pytest.mark.parametrize("query, name", [
    ("cleaning up the river", "river-cleanup-draft.md"),
    ("how to read a weather forecast", "reading-a-weather-forecast.md"),
    ("sleep and memory", "sleep-and-memory.md"),
])
def test_sample_articles_are_found_by_meaning_with_e5(articles, query, name):
    by_meaning = [r for r in hybrid_search(articles, query) if r["meaning_rank"] is not None]
    assert by_meaning and Path(by_meaning[0]["path"]).name == name, by_meaning


@pytest.mark.parametrize("query", UNRELATED)
def test_unrelated_query_finds_no_sample_article_with_e5(articles, query):
    assert hybrid_search(articles, query) == []


def test_hidden_items_are_left_out_of_search_unless_asked_for(store):
    ids = ids_by_title(store)
    before = hybrid_search(store, "telescope galaxies")
    assert before[0]["id"] == ids["Telescope"]
    feedback.record(store, ids["Telescope"], "hide")
    after = hybrid_search(store, "telescope galaxies")
    assert ids["Telescope"] not in [r["id"] for r in after]
    assert after, "other space items still match by meaning"
    # By words alone too: "rocket" is only in the hidden item's text.
    feedback.record(store, ids["Rocket launch"], "hide")
    assert ids["Rocket launch"] not in [r["id"] for r in hybrid_search(store, "rocket")]
    shown = hybrid_search(store, "rocket", SearchFilters(include_hidden=True))
    assert shown[0]["id"] == ids["Rocket launch"]
    feedback.record(store, ids["Telescope"], "unhide")
    assert hybrid_search(store, "telescope galaxies")[0]["id"] == ids["Telescope"]
