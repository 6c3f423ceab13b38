"""For you reacting to feedback, and the Clusters page: open a cluster, select on the map, tag."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QInputDialog

from desktop.catalog.store import Store
from desktop.ui.main_window import CLUSTERS, FOR_YOU
from tests.test_ui_fixtures import (  # noqa: F401
    WAIT_MS,
    catalog_fixture,
    catalog_with_vectors_fixture,
    open_window,
    read,
    sample_catalog_fixture,
)

pytest.importorskip("desktop.curation.recommend")
clusters = pytest.importorskip("desktop.curation.clusters")


def shown(page) -> list[tuple[int, str]]:
    return [(page.list.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)["id"],
             page.list.topLevelItem(i).text(1)) for i in range(page.list.topLevelItemCount())]


def test_for_you_changes_after_a_like(qtbot, catalog_with_vectors, tmp_path):
    window = open_window(qtbot, catalog_with_vectors, tmp_path)
    window.sidebar.setCurrentRow(FOR_YOU)
    page = window.for_you
    qtbot.waitUntil(lambda: page.list.topLevelItemCount() > 0, timeout=WAIT_MS)
    before = shown(page)
    page.list.topLevelItem(0).setSelected(True)
    liked = before[0][0]
    window.like_action.trigger()
    qtbot.waitUntil(lambda: shown(page) and shown(page) != before, timeout=WAIT_MS)
    after = shown(page)
    assert liked not in [i for i, _ in after]  # what was just judged is not offered again
    assert any("liked" in reason for _, reason in after)
    assert read(catalog_with_vectors, "SELECT count(*) FROM events WHERE kind = 'like'")[0][0] == 1
    window.close()


def test_for_you_records_what_it_showed_once_per_visit(qtbot, catalog_with_vectors, tmp_path,
                                                      monkeypatch):
    from desktop.ui import foryou_view

    monkeypatch.setattr(foryou_view, "SHOWN_AFTER_MS", 50)
    window = open_window(qtbot, catalog_with_vectors, tmp_path)
    window.resize(900, 500)  # a list longer than the window: some rows are never on screen
    window.sidebar.setCurrentRow(FOR_YOU)
    page = window.for_you
    qtbot.waitUntil(lambda: page.list.topLevelItemCount() > 0, timeout=WAIT_MS)

    def impressions() -> list[int]:
        return [i for (i,) in read(catalog_with_vectors,
                                   "SELECT item_id FROM events WHERE kind = 'shown' ORDER BY id")]

    qtbot.waitUntil(lambda: len(impressions()) > 0, timeout=WAIT_MS)
    first = impressions()
    on_screen = [i for i, _ in shown(page)][:len(first)]
    assert sorted(first) == sorted(on_screen) and len(first) < page.list.topLevelItemCount()
    reloads = []
    monkeypatch.setattr(page, "reload", lambda: reloads.append(1))
    page._note_shown()
    qtbot.wait(200)
    assert impressions() == first and not reloads  # once per visit; no refresh of its own
    page.list.scrollToBottom()  # more rows come on screen
    qtbot.waitUntil(lambda: len(impressions()) > len(first), timeout=WAIT_MS)
    assert len(set(impressions())) == len(impressions())
    window.sidebar.setCurrentRow(0)
    window.sidebar.setCurrentRow(FOR_YOU)  # a new visit: what is on screen counts again
    page._note_shown()
    qtbot.waitUntil(lambda: len(impressions()) > len(set(impressions())), timeout=WAIT_MS)
    window.close()


@pytest.fixture
def clustered(catalog_with_vectors):
    store = Store.open(catalog_with_vectors)
    found = clusters.build_clusters(store, k=3)
    store.close()
    return catalog_with_vectors, found


def test_open_cluster_and_tag_a_map_selection(qtbot, clustered, tmp_path, monkeypatch):
    db, found = clustered
    window = open_window(qtbot, db, tmp_path)
    window.sidebar.setCurrentRow(CLUSTERS)
    page = window.clusters
    qtbot.waitUntil(lambda: page.list.topLevelItemCount() == len(found) + 1, timeout=WAIT_MS)
    page.list.setCurrentItem(page.list.topLevelItem(1))  # the largest cluster
    qtbot.waitUntil(lambda: page.members.count() == found[0]["size"], timeout=WAIT_MS)
    assert page.map.highlight_cluster == found[0]["id"]

    # Drag a rubber band over the whole map: every dot is selected.
    page.map.resize(400, 300)
    page.map._layout()
    qtbot.mousePress(page.map, Qt.MouseButton.LeftButton, pos=QPoint(1, 1))
    qtbot.mouseMove(page.map, QPoint(399, 299))
    qtbot.mouseRelease(page.map, Qt.MouseButton.LeftButton, pos=QPoint(399, 299))
    assert len(page.map.selected) == len(page.map.points) == 36
    assert page.tag_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Reviewed", True))
    page.tag_button.click()
    qtbot.waitUntil(lambda: read(db, "SELECT count(*) FROM item_tags it JOIN tags t ON t.id = it.tag_id "
                                     "WHERE t.name = 'Reviewed' AND it.state = 'accepted'")[0][0] == 36,
                    timeout=WAIT_MS)
    window.close()


def test_map_click_selects_one(qtbot, clustered, tmp_path):
    db, _found = clustered
    window = open_window(qtbot, db, tmp_path)
    window.sidebar.setCurrentRow(CLUSTERS)
    page = window.clusters
    qtbot.waitUntil(lambda: len(page.map.points) == 36, timeout=WAIT_MS)
    page.map.resize(400, 300)
    page.map._layout()
    spot = page.map._screen[0].toPoint()
    qtbot.mouseClick(page.map, Qt.MouseButton.LeftButton, pos=spot)
    assert page.map.points[page.map.point_at(page.map._screen[0])]["id"] in page.map.selected
    assert len(page.map.selected) >= 1
    window.close()
