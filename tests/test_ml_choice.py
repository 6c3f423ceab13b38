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
