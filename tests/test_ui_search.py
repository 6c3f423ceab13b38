"""Searching from the library page: results, filters, and a bad query shown inline."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.test_ui_fixtures import WAIT_MS, catalog_fixture, open_window, sample_catalog_fixture  # noqa: F401


def titles(window) -> list[str]:
    return [r.get("title") or "" for r in window.library.items.model.rows]


def test_search_finds_and_clears(qtbot, catalog, tmp_path):
    window = open_window(qtbot, catalog, tmp_path)
    window.find_action.trigger()
    box = window.library.search.box
    qtbot.keyClicks(box, "marathon")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: 0 < window.library.items.count() < 36, timeout=WAIT_MS)
    assert any("Marathon" in t for t in titles(window))
    box.clear()
    window.library.reload()
    qtbot.waitUntil(lambda: window.library.items.count() == 36, timeout=WAIT_MS)
    window.close()


def test_chinese_search(qtbot, catalog, tmp_path):
    window = open_window(qtbot, catalog, tmp_path)
    window.library.search.box.setText("书法")
    window.library.reload()
    qtbot.waitUntil(lambda: 0 < window.library.items.count() < 36, timeout=WAIT_MS)
    assert any("书法" in t for t in titles(window))
    window.close()


def test_bad_query_is_shown_not_raised(qtbot, catalog, tmp_path):
    window = open_window(qtbot, catalog, tmp_path)
    window.library.search.box.setText('"unclosed')
    window.library.reload()
    banner = window.library.banner
    qtbot.waitUntil(lambda: banner.isVisible() and banner.objectName() == "errorBanner", timeout=WAIT_MS)
    assert "quote" in banner.text()
    window.close()


def test_kind_filter(qtbot, catalog, tmp_path):
    window = open_window(qtbot, catalog, tmp_path)
    search = window.library.search
    qtbot.waitUntil(lambda: search.kind.count() > 1, timeout=WAIT_MS)
    search.kind.setCurrentIndex(search.kind.findData("email"))
    qtbot.waitUntil(lambda: window.library.items.count() == 3, timeout=WAIT_MS)
    assert {r["kind"] for r in window.library.items.model.rows} == {"email"}
    window.close()
