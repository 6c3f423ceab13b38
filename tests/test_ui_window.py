"""The main window opens a catalog, shows its items, and its views switch and remember."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from desktop.ui.item_list import ItemList
from desktop.ui.main_window import CLUSTERS, DUPLICATES, FAILED, FOR_YOU, HIDDEN, LIBRARY, TAGS
from tests.test_ui_fixtures import (  # noqa: F401
    WAIT_MS,
    catalog_fixture,
    open_window,
    read,
    sample_catalog_fixture,
)


def test_window_shows_items_and_details(qtbot, catalog, tmp_path):
    window = open_window(qtbot, catalog, tmp_path)
    assert window.library.items.count() == 36
    qtbot.waitUntil(lambda: window.library.detail.item is not None, timeout=WAIT_MS)
    title = window.library.detail.title.text()
    assert title
    qtbot.waitUntil(lambda: window.library.detail.summary.text() not in ("", "Loading…"), timeout=WAIT_MS)
    assert "36" in window.counts_label.text()
    window.set_view_mode(ItemList.GRID)
    assert window.library.items.view() is window.library.items.grid
    window.close()


def test_every_page_loads_without_crashing(qtbot, catalog, tmp_path):
    window = open_window(qtbot, catalog, tmp_path)
    for page in (TAGS, CLUSTERS, FOR_YOU, DUPLICATES, HIDDEN, FAILED, LIBRARY):
        window.sidebar.setCurrentRow(page)
        qtbot.wait(150)
        assert window.stack.currentIndex() == page
    qtbot.waitUntil(lambda: window.tasks.running == 0, timeout=WAIT_MS)
    window.close()


def test_geometry_and_view_mode_are_remembered(qtbot, catalog, tmp_path):
    window = open_window(qtbot, catalog, tmp_path)
    window.resize(760, 540)  # within the offscreen screen, or Qt clamps it
    window.set_view_mode(ItemList.GRID)
    window.sidebar.setCurrentRow(TAGS)
    window.close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert int(settings.value("library/viewMode")) == ItemList.GRID
    again = open_window(qtbot, catalog, tmp_path, wait_items=False)
    assert again.library.items.mode() == ItemList.GRID
    assert again.stack.currentIndex() == TAGS
    assert again.width() == 760
    again.close()


def test_hide_removes_item_from_library(qtbot, catalog, tmp_path):
    window = open_window(qtbot, catalog, tmp_path)
    window.library.items.select_first()
    first = window.library.items.current_item()
    window.activateWindow()
    window.hide_action.trigger()
    assert first["id"] not in window.library.items.model.ids()
    qtbot.waitUntil(lambda: window.tasks.running == 0, timeout=WAIT_MS)
    window.library.reload()
    qtbot.waitUntil(lambda: window.library.items.count() == 35, timeout=WAIT_MS)
    assert first["id"] not in window.library.items.model.ids()
    window.close()


def test_quick_look_shows_text(qtbot, catalog, tmp_path):
    window = open_window(qtbot, catalog, tmp_path)
    items = window.library.items
    for row in range(items.proxy.rowCount()):
        item = items.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole + 1)
        if item["kind"] == "text":
            items.select_ids({item["id"]}, item["id"])
            break
    window.preview_action.trigger()
    qtbot.waitUntil(lambda: len(window._preview.text.toPlainText()) > 20, timeout=WAIT_MS)
    window._preview._opened -= 45  # as if the user had read it for 45 s
    window._preview.close()
    # The time spent reading is a dwell, the recommender's sign of interest
    qtbot.waitUntil(lambda: read(catalog, "SELECT count(*) FROM events WHERE kind = 'dwell'")[0][0] == 1,
                    timeout=WAIT_MS)
    (item_id, seconds), = read(catalog, "SELECT item_id, value FROM events WHERE kind = 'dwell'")
    assert item_id == item["id"] and 45 <= seconds < 60
    window.preview_action.trigger()  # opened and shut at once: no dwell
    window._preview.close()
    qtbot.wait(300)
    assert read(catalog, "SELECT count(*) FROM events WHERE kind = 'dwell'")[0][0] == 1
    window.close()


def test_hide_undo_and_show_again(qtbot, catalog, tmp_path):
    """Delete hides (the Hidden page lists it), Ctrl+Z brings it back, and Show Again on the
    Hidden page returns an item to the library."""
    window = open_window(qtbot, catalog, tmp_path)
    assert not window.undo_action.isEnabled()
    window.library.items.select_first()
    first = window.library.items.current_item()["id"]
    window.hide_action.trigger()
    assert first not in window.library.items.model.ids()
    qtbot.waitUntil(window.undo_action.isEnabled, timeout=WAIT_MS)
    assert window.undo_action.text() == "Undo Hide"
    qtbot.waitUntil(lambda: "(1)" in window.sidebar.item(HIDDEN).text(), timeout=WAIT_MS)
    assert window.counts_label.text() == "35 items"  # the status bar counts what is shown

    window.sidebar.setCurrentRow(HIDDEN)
    qtbot.waitUntil(lambda: window.hidden.items.count() == 1, timeout=WAIT_MS)
    assert window.hidden.items.model.ids() == [first]
    assert not window.hide_action.isEnabled() or not window.hidden.selected_items()

    window.undo_action.trigger()  # back in every view
    qtbot.waitUntil(lambda: window.hidden.items.count() == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: first in window.library.items.model.ids(), timeout=WAIT_MS)
    assert not window.undo_action.isEnabled()

    window.sidebar.setCurrentRow(LIBRARY)
    window.library.items.select_ids({first}, first)
    window.hide_action.trigger()
    window.sidebar.setCurrentRow(HIDDEN)
    qtbot.waitUntil(lambda: window.hidden.items.count() == 1, timeout=WAIT_MS)
    window.hidden.items.select_first()
    assert window.unhide_action.isEnabled() and not window.hide_action.isEnabled()
    window.unhide_action.trigger()
    assert window.hidden.items.count() == 0
    qtbot.waitUntil(lambda: window.tasks.running == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: first in window.library.items.model.ids(), timeout=WAIT_MS)
    assert window.undo_action.text() == "Undo Show Again"
    window.close()


def test_language_model_choice_is_stored_in_the_catalog(qtbot, catalog, tmp_path):
    from desktop.catalog.store import Store
    from desktop.ml import choice

    window = open_window(qtbot, catalog, tmp_path)
    qtbot.waitUntil(lambda: bool(window.overview), timeout=WAIT_MS)
    assert window.embedder_menu.isEnabled()
    assert window.embedder_actions["auto"].isChecked()
    window.embedder_actions[choice.MULTILINGUAL].trigger()
    qtbot.waitUntil(lambda: (window.overview.get("embedder") or {}).get("choice")
                    == choice.MULTILINGUAL, timeout=WAIT_MS)
    assert window.embedder_actions[choice.MULTILINGUAL].isChecked()
    window.close()
    store = Store.open(catalog)
    assert choice.get_choice(store) == choice.MULTILINGUAL
    store.close()
