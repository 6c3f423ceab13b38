"""Adding folders (dialog path and drag-and-drop), progress in the status bar, pause and cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from desktop.catalog.store import Store
from tests.test_ui_fixtures import WAIT_MS, catalog_fixture, open_window, read, sample_catalog_fixture  # noqa: F401


def make_library(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"note-{n:04d}.txt").write_text(
            f"Note {n}\n\nA field note about river number {n} and the birds seen there.\n",
            encoding="utf-8")
    return folder


def test_drop_a_folder_indexes_it_with_progress(qtbot, catalog, tmp_path):
    window = open_window(qtbot, catalog, tmp_path)
    folder = make_library(tmp_path / "notes", 12)
    seen = []
    original = window.indexing.update_progress
    window.indexing.update_progress = lambda p: (seen.append((p.stage, p.done, p.total)), original(p))
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(folder))])
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: window.indexing.isVisible(), timeout=WAIT_MS)
    with qtbot.waitSignal(window.indexingFinished, timeout=60000) as finished:
        pass
    report = finished.args[0]
    assert report.new == 12 and not report.cancelled
    assert any(stage == "extracting" and total == 12 for stage, _done, total in seen)
    assert not window.indexing.isVisible()
    qtbot.waitUntil(lambda: window.library.items.count() == 48, timeout=WAIT_MS)
    window.close()


def test_pause_keeps_writes_flowing_and_cancel_stops(qtbot, catalog, tmp_path):
    window = open_window(qtbot, catalog, tmp_path)
    folder = make_library(tmp_path / "many", 300)
    store = Store.open(catalog)
    store.add_root(folder)
    store.close()
    window.start_indexing()
    window.indexing.toggle_pause()  # paused before extraction starts
    assert window.indexing.control.paused
    qtbot.waitUntil(lambda: "Paused" in window.indexing.label.text(), timeout=WAIT_MS)
    # While indexing is paused, feedback still reaches the writer.
    window.library.items.select_first()
    window.like_action.trigger()
    qtbot.waitUntil(lambda: read(catalog, "SELECT count(*) FROM events WHERE kind = 'like'")[0][0] == 1,
                    timeout=WAIT_MS)
    with qtbot.waitSignal(window.indexingFinished, timeout=60000) as finished:
        window.indexing.cancel_button.click()
    assert finished.args[0].cancelled
    pending = read(catalog, "SELECT count(*) FROM items WHERE status = 'pending'")[0][0]
    assert pending > 0  # cancelled before reading them; the next run resumes
    assert "cancelled" in window.statusBar().currentMessage()
    window.close()


def test_first_start_opens_the_sample_library(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path / "fresh.sqlite3", tmp_path, wait_items=False,
                         first_start_sample=True)
    with qtbot.waitSignal(window.indexingFinished, timeout=90000):
        pass
    qtbot.waitUntil(lambda: window.library.items.count() == 36, timeout=WAIT_MS)
    window.close()


def test_detail_pane_shows_what_indexing_made_for_the_shown_item(qtbot, catalog, tmp_path):
    """The item on show gets its summary while indexing runs: the pane shows it when the
    summarising stage ends, without the user selecting the item again."""
    import time

    from desktop import pipeline
    from desktop.catalog.store import save_summaries

    window = open_window(qtbot, catalog, tmp_path)
    window.library.items.select_first()
    item = window.library.items.current_item()
    detail = window.library.detail
    qtbot.waitUntil(lambda: detail.summary.text() == "No summary yet.", timeout=WAIT_MS)
    store = Store.open(catalog)
    text_hash = store.conn.execute("SELECT text_hash FROM items WHERE id = ?", (item["id"],)).fetchone()[0]
    save_summaries(store, "extractive@test", [(item["id"], text_hash, "Made while it was shown.", ["river"])])
    store.close()
    started = time.monotonic()
    window._indexing_progress(pipeline.Progress("summarising", 1, 2, started))
    qtbot.wait(200)
    assert detail.summary.text() == "No summary yet."  # the stage is still running
    window._indexing_progress(pipeline.Progress("clustering", 0, 0, started))
    qtbot.waitUntil(lambda: detail.summary.text() == "Made while it was shown.", timeout=WAIT_MS)
    window.close()
