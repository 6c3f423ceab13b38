"""Indexing runs the models after extraction: vectors, tag suggestions, summaries."""

from __future__ import annotations

import json
import shutil

import pytest

from desktop import pipeline
from desktop.catalog.store import Store, load_vectors, summary_of, title_model_id, vectors_of
from desktop.ml import embed, runtime

SPORT = ("The home team won the football match 3-1 after a late goal from their striker. "
         "The coach praised the defence, and the league table now shows them in second place. "
         "Fans filled the stadium for the derby, the biggest game of the season so far.")
ECONOMY = ("Inflation rose to four percent as energy prices climbed, and the central bank is "
           "expected to raise interest rates. Small businesses report higher costs for supplies "
           "and wages. Economists warn that slower growth may follow next year.")


@pytest.fixture
def library(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "match.txt").write_text("Derby day\n\n" + SPORT, encoding="utf-8")
    (lib / "prices.md").write_text("# Prices are rising\n\n" + ECONOMY, encoding="utf-8")
    return lib


def test_index_embeds_tags_and_summarises(tmp_path, library):
    store = Store.open(tmp_path / "c.sqlite3")
    store.add_root(library)
    report = pipeline.run(store, workers=1)
    assert report.model_error is None
    assert report.embedded == 2 and report.summarised == 2
    model_id = embed.get_embedder().model_id
    ids, matrix = load_vectors(store, model_id)
    assert len(ids) == 2 and matrix.shape[1] == 384
    title_ids, _ = load_vectors(store, title_model_id(model_id))  # for search by meaning
    assert sorted(title_ids) == sorted(ids)
    by_name = {r["name"]: r["id"] for r in store.items()}
    summary = summary_of(store, by_name["match.txt"])
    assert summary["summary"] and summary["summary"].split(". ")[0] in SPORT
    assert summary["keyphrases"]
    # Ranked against the stored document vector: on the document's subject.
    phrases = " ".join(summary["keyphrases"]).lower()
    assert any(w in phrases for w in ("football", "match", "striker", "league", "derby",
                                      "stadium", "coach", "defence", "fans")), phrases
    suggested = dict(store.conn.execute(
        "SELECT it.item_id, t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id "
        "WHERE it.state = 'suggested' ORDER BY it.confidence"))
    assert "sport" in suggested.get(by_name["match.txt"], "").lower()
    clustered = store.conn.execute("SELECT count(*) FROM item_clusters").fetchone()[0]
    assert report.clusters >= 1 and clustered == 2
    # Nothing changed: nothing is recomputed.
    again = pipeline.run(store, workers=1)
    assert (again.embedded, again.summarised, again.extracted, again.clusters) == (0, 0, 0, 0)
    # A changed text is embedded and summarised again, alone.
    (library / "prices.md").write_text("# Prices\n\n" + ECONOMY + " Rents rose too.", encoding="utf-8")
    changed = pipeline.run(store, workers=1)
    assert (changed.extracted, changed.embedded, changed.summarised) == (1, 1, 1)
    # Only vectors of the current text count as the document's.
    assert set(vectors_of(store, model_id, by_name.values())) == set(by_name.values())
    store.conn.execute("UPDATE items SET text_hash = 'edited' WHERE id = ?", (by_name["prices.md"],))
    assert set(vectors_of(store, model_id, by_name.values())) == {by_name["match.txt"]}


def test_corrupt_model_keeps_text_search_working(tmp_path, library, monkeypatch):
    models = tmp_path / "models"
    shutil.copytree(runtime.Manifest.load().base_dir, models)
    manifest = json.loads((models / "manifest.json").read_text())
    default = next(m for m in manifest["models"] if m["name"] == manifest["default"])
    onnx_file = models / default["file"]
    data = bytearray(onnx_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    onnx_file.write_bytes(bytes(data))
    monkeypatch.setenv("CURIO_MODELS_DIR", str(models))
    embed.clear_cache()
    runtime.unload_all()
    try:
        store = Store.open(tmp_path / "c.sqlite3")
        store.add_root(library)
        report = pipeline.run(store, workers=1)
    finally:
        monkeypatch.delenv("CURIO_MODELS_DIR")
        embed.clear_cache()
        runtime.unload_all()
    assert report.extracted == 2 and report.embedded == 0
    assert "checksum" in report.model_error and onnx_file.name in report.model_error
    assert store.search_text("inflation")[0]["name"] == "prices.md"
