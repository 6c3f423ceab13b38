"""Which embedder a catalog uses: auto by the library's languages, or the user's choice."""

from __future__ import annotations

import pytest

from desktop import pipeline
from desktop.catalog.store import Store
from desktop.ml import choice
from desktop.ml.runtime import ModelError, load_manifest

ENGLISH = "Volunteers cleaned the river bank and collected plastic bottles on Saturday."
CHINESE = "志愿者们周六清理了河岸，收集了很多塑料瓶和垃圾。"


def _library(tmp_path, chinese: int, english: int) -> Store:
    lib = tmp_path / "lib"
    lib.mkdir(parents=True)
    for i in range(chinese):
        (lib / f"zh{i}.txt").write_text(f"第{i}篇\n\n{CHINESE}", encoding="utf-8")
    for i in range(english):
        (lib / f"en{i}.txt").write_text(f"Note {i}\n\n{ENGLISH}", encoding="utf-8")
    store = Store.open(tmp_path / "c.sqlite3")
    store.add_root(lib)
    pipeline.run(store, workers=1, with_models=False, thumbnails=False)
    return store


def test_auto_follows_the_library(tmp_path):
    english = _library(tmp_path / "a", chinese=1, english=9)
    assert choice.chosen_embedder(english) == load_manifest().default_embedder().name
    mixed = _library(tmp_path / "b", chinese=4, english=6)
    assert choice.cjk_share(mixed) == pytest.approx(0.4)
    assert choice.chosen_embedder(mixed) == load_manifest().default_embedder().name
    chinese = _library(tmp_path / "c", chinese=6, english=4)
    assert choice.chosen_embedder(chinese) == choice.MULTILINGUAL


def test_user_choice_wins_and_is_checked(tmp_path):
    store = _library(tmp_path, chinese=0, english=2)
    choice.set_choice(store, choice.MULTILINGUAL)
    assert choice.chosen_embedder(store) == choice.MULTILINGUAL
    with pytest.raises(ModelError, match="No embedder named"):
        choice.set_choice(store, "nonexistent")
    choice.set_choice(store, choice.AUTO)
    assert choice.chosen_embedder(store) != choice.MULTILINGUAL


def test_embedder_for_model_id():
    for spec in load_manifest().by_task("embedding"):
        assert choice.embedder_for(spec.model_id).model_id == spec.model_id
    with pytest.raises(ModelError, match="does not ship"):
        choice.embedder_for("retired-model@9")


OTHER_TOPICS = [
    "Knead the dough, let it rise, then bake the bread in a hot oven.",
    "The striker scored twice as the home team won the football derby.",
    "Astronomers pointed the new space telescope at distant galaxies.",
    "Fill in the tax return form before the end of January.",
    "Prune the roses in early spring and feed them with compost.",
    "The orchestra rehearsed the symphony before the concert tour.",
]


def test_switching_embedder_re_embeds_while_search_keeps_working(tmp_path):
    """The user picks the multilingual model for an English catalog: until the next run has
    embedded every item, the views keep using the old vectors; the run re-embeds with
    progress; then the new vectors serve, and an English query finds the Chinese note."""
    from desktop.curation.search import hybrid_search
    from desktop.curation.vectorindex import index_for

    lib = tmp_path / "lib"
    lib.mkdir()
    for i, text in enumerate(OTHER_TOPICS):
        (lib / f"en{i}.txt").write_text(text, encoding="utf-8")
    (lib / "zh0.txt").write_text(CHINESE, encoding="utf-8")
    store = Store.open(tmp_path / "c.sqlite3")
    store.add_root(lib)
    pipeline.run(store, workers=1, thumbnails=False)  # the default (English) embedder
    english_model = load_manifest().default_embedder().model_id
    assert index_for(store).model_id == english_model

    choice.set_choice(store, choice.MULTILINGUAL)
    assert index_for(store).model_id == english_model  # nothing re-embedded yet
    assert hybrid_search(store, "telescope"), "search works meanwhile"

    stages: list[tuple[str, int, int]] = []
    pipeline.run(store, workers=1, thumbnails=False,
                 on_progress=lambda p: stages.append((p.stage, p.done, p.total)))
    embedding = [(done, total) for stage, done, total in stages if stage == "embedding"]
    assert embedding and embedding[-1] == (7, 7), stages
    e5 = load_manifest().get(choice.MULTILINGUAL).model_id
    assert index_for(store).model_id == e5
    zh = store.conn.execute("SELECT id FROM items WHERE name = 'zh0.txt'").fetchone()[0]
    found = [r for r in hybrid_search(store, "garbage collected at the riverside")
             if r["meaning_rank"] is not None]
    assert zh in [r["id"] for r in found[:2]], found
    store.close()
