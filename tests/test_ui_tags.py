"""Reviewing tag suggestions: accept and reject in bulk on the Tags page and in the detail pane."""

from __future__ import annotations

import pytest

from desktop.catalog.store import Store, now_iso
from desktop.ui.main_window import TAGS
from tests.test_ui_fixtures import WAIT_MS, catalog_fixture, open_window, read, sample_catalog_fixture  # noqa: F401

tags = pytest.importorskip("desktop.curation.tags")


@pytest.fixture
def suggested(catalog):
    """A tag "Sport" suggested (as a rule would) on three items."""
    store = Store.open(catalog)
    tag_id = tags.create_tag(store, "Sport")
    ids = [r[0] for r in store.conn.execute("SELECT id FROM items WHERE status = 'ok' ORDER BY id LIMIT 3")]
    with store.transaction() as conn:
        for item_id in ids:
            conn.execute("INSERT INTO item_tags (item_id, tag_id, state, confidence, source, updated_at) "
                         "VALUES (?, ?, 'suggested', 0.8, 'rule', ?)", (item_id, tag_id, now_iso()))
    store.close()
    return catalog, tag_id, ids


def states(db, tag_id) -> dict[int, str]:
    return dict(read(db, "SELECT item_id, state FROM item_tags WHERE tag_id = ?", (tag_id,)))


def test_accept_and_reject_on_tags_page(qtbot, suggested, tmp_path):
    db, tag_id, ids = suggested
    window = open_window(qtbot, db, tmp_path)
    window.sidebar.setCurrentRow(TAGS)
    page = window.tags
    qtbot.waitUntil(lambda: page.suggestions.topLevelItemCount() == 3, timeout=WAIT_MS)
    assert page.tree.topLevelItem(0).text(0) == "Sport"
    rows = [page.suggestions.topLevelItem(i) for i in range(3)]
    rows[0].setSelected(True)
    rows[1].setSelected(True)
    page.accept_button.click()
    qtbot.waitUntil(lambda: page.suggestions.topLevelItemCount() == 1, timeout=WAIT_MS)
    page.suggestions.topLevelItem(0).setSelected(True)
    page.reject_button.click()
    qtbot.waitUntil(lambda: page.suggestions.topLevelItemCount() == 0, timeout=WAIT_MS)
    found = states(db, tag_id)
    assert sorted(found.values()) == ["accepted", "accepted", "rejected"]
    qtbot.waitUntil(lambda: page.tree.topLevelItem(0).text(1) == "2", timeout=WAIT_MS)
    window.close()


def test_accept_in_detail_pane(qtbot, suggested, tmp_path):
    db, tag_id, ids = suggested
    window = open_window(qtbot, db, tmp_path)
    window.library.items.select_ids({ids[0]}, ids[0])
    detail = window.library.detail
    from PySide6.QtWidgets import QToolButton

    def accept_button():
        for button in detail.findChildren(QToolButton):
            if button.text() == "✓" and button.isVisible():
                return button
        return None

    qtbot.waitUntil(lambda: accept_button() is not None, timeout=WAIT_MS)
    accept_button().click()
    qtbot.waitUntil(lambda: states(db, tag_id).get(ids[0]) == "accepted", timeout=WAIT_MS)
    window.close()


def test_learnable_checkbox_and_new_tag(qtbot, suggested, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QInputDialog

    db, tag_id, _ids = suggested
    window = open_window(qtbot, db, tmp_path)
    window.sidebar.setCurrentRow(TAGS)
    page = window.tags
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 1, timeout=WAIT_MS)
    page.tree.topLevelItem(0).setCheckState(3, Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: read(db, "SELECT learnable FROM tags WHERE id = ?", (tag_id,))[0][0] == 0,
                    timeout=WAIT_MS)
    page.tree.clearSelection()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Economy", True))
    page.new_tag()
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 2, timeout=WAIT_MS)
    window.close()
