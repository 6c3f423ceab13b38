"""Shared fixtures for the UI tests: an indexed sample catalog, stand-in vectors, a window.

The catalog is built once per session with `pipeline.run(..., with_models=False)` and
copied for every test. Where a view needs vectors (similar, clusters, "For you") the
tests store deterministic word-hash vectors under their own model id, so the curation
code runs for real without the embedding model.

Test modules import the fixtures they use by their *_fixture names (which keeps ruff's
redefinition check quiet); pytest registers them under the short names.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from desktop import pipeline
from desktop.catalog.store import Store, save_vectors
from desktop.paths import resource_path

TEST_MODEL = "test-wordhash-64"
WAIT_MS = 20000


def hash_vector(text: str, dim: int = 64) -> np.ndarray:
    vec = np.zeros(dim, dtype=np.float32)
    for word in re.findall(r"\w+", text.lower()):
        if len(word) > 3:
            vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % dim] += 1.0
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm else vec + 1.0 / np.sqrt(dim)


def add_vectors(store: Store) -> None:
    rows = store.conn.execute("SELECT id, text_hash, title, body FROM items WHERE status = 'ok'")
    save_vectors(store, TEST_MODEL, [
        (r["id"], r["text_hash"], hash_vector(f"{r['title']} {r['body']}"), 1) for r in rows])


@pytest.fixture(scope="session", name="sample_catalog")
def sample_catalog_fixture(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample-catalog")
    db = folder / "catalog.sqlite3"
    store = Store.open(db)
    store.add_root(resource_path("sample"))
    report = pipeline.run(store, with_models=False, workers=2, thumbs_dir=folder / "thumbs")
    assert report.extracted >= 30
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return db


@pytest.fixture(name="catalog")
def catalog_fixture(sample_catalog: Path, tmp_path: Path) -> Path:
    db = tmp_path / "catalog.sqlite3"
    shutil.copy(sample_catalog, db)
    return db


@pytest.fixture(name="catalog_with_vectors")
def catalog_with_vectors_fixture(catalog: Path) -> Path:
    store = Store.open(catalog)
    add_vectors(store)
    store.close()
    return catalog


def open_window(qtbot, db: Path, tmp_path: Path, wait_items: bool = True, **kwargs):
    from desktop.ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    kwargs.setdefault("with_models", False)
    kwargs.setdefault("first_start_sample", False)
    window = MainWindow(db, settings, **kwargs)
    qtbot.addWidget(window)
    window.show()
    if wait_items:
        qtbot.waitUntil(lambda: window.library.items.count() > 0, timeout=WAIT_MS)
        # The start-up rescan (started once the overview is in) finds nothing new; let it
        # finish so tests start quiet.
        qtbot.waitUntil(lambda: bool(window.overview), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not window.indexing.running, timeout=WAIT_MS)
    return window


def close_window(window) -> None:
    window.close()


def read(db: Path, sql: str, args: tuple = ()) -> list:
    store = Store.open(db, readonly=True)
    try:
        return [tuple(r) for r in store.conn.execute(sql, args)]
    finally:
        store.close()
