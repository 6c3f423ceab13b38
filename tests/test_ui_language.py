"""The UI in the user's language: For you reasons and taxonomy tags in Chinese, no raw scores."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from desktop.catalog.store import Store, now_iso
from desktop.ui import core, i18n
from desktop.ui.main_window import FOR_YOU, TAGS
from desktop.ui.widgets import METER
from tests.test_ui_fixtures import (  # noqa: F401
    WAIT_MS,
    catalog_fixture,
    catalog_with_vectors_fixture,
    open_window,
    read,
    sample_catalog_fixture,
)

tags = pytest.importorskip("desktop.curation.tags")
feedback = pytest.importorskip("desktop.curation.feedback")
pytest.importorskip("desktop.curation.recommend")


@pytest.fixture
def chinese(qapp):
    """The zh_CN translation installed for one test, removed after it."""
    translators = i18n.install_translators(qapp, QLocale("zh_CN"))
    assert translators, "the zh_CN translation did not load"
    yield
    for translator in translators:
        QApplication.removeTranslator(translator)


def test_ui_language_follows_the_installed_translation(qapp):
    assert i18n.ui_language() == "en"
    translators = i18n.install_translators(qapp, QLocale("zh_CN"))
    try:
        assert i18n.ui_language() == "zh"
        tag = {"name": "sport", "taxonomy_id": "medtop:15000000"}
        assert i18n.tag_label(tag) == "体育"
        assert i18n.tag_label({"name": "My sport", "taxonomy_id": "medtop:15000000"}) == "My sport"
        assert i18n.tag_label({"name": "Money", "taxonomy_id": None}) == "Money"
    finally:
        for translator in translators:
            QApplication.removeTranslator(translator)
    assert i18n.tag_label({"name": "体育", "taxonomy_id": "medtop:15000000"}) == "sport"


@pytest.fixture
def taxonomy_suggested(catalog):
    """Taxonomy tags in English, one suggested by the topic model on an item."""
    store = Store.open(catalog)
    by_label = tags.ensure_taxonomy_tags(store, "en")
    item_id = store.conn.execute("SELECT id FROM items WHERE status = 'ok' ORDER BY id").fetchone()[0]
    with store.transaction() as conn:
        conn.execute("INSERT INTO item_tags (item_id, tag_id, state, confidence, source, updated_at) "
                     "VALUES (?, ?, 'suggested', 0.9, 'taxonomy', ?)",
                     (item_id, by_label["medtop:15000000"], now_iso()))
    store.close()
    return catalog, item_id


def test_taxonomy_tags_are_shown_in_chinese(qtbot, taxonomy_suggested, tmp_path, chinese):
    db, item_id = taxonomy_suggested
    window = open_window(qtbot, db, tmp_path)
    window.sidebar.setCurrentRow(TAGS)
    page = window.tags
    qtbot.waitUntil(lambda: page.suggestions.topLevelItemCount() == 1, timeout=WAIT_MS)
    names = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert "体育" in names and "sport" not in names
    assert "艺术、文化、娱乐和媒体" in names
    row = page.suggestions.topLevelItem(0)
    assert (row.text(1), row.text(3)) == ("体育", "主题模型")
    assert page.tree.headerItem().text(3) == "模型建议"
    # The detail pane's chip says it in Chinese too.
    window.sidebar.setCurrentRow(0)
    window.reveal_item(item_id)
    pane = window.library.detail
    qtbot.waitUntil(lambda: pane.tags_box.count() > 0 and pane.item and pane.item["id"] == item_id,
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "体育" in chip_texts(pane), timeout=WAIT_MS)
    window.close()


def chip_texts(pane) -> list[str]:
    from PySide6.QtWidgets import QLabel

    out = []
    for i in range(pane.tags_box.count()):
        widget = pane.tags_box.itemAt(i).widget()
        if widget is not None:
            out += [label.text() for label in widget.findChildren(QLabel)]
    return out


@pytest.fixture
def liked(catalog_with_vectors):
    store = Store.open(catalog_with_vectors)
    first = store.conn.execute("SELECT id FROM items WHERE status = 'ok' ORDER BY id").fetchone()[0]
    feedback.record(store, first, "like")
    store.close()
    return catalog_with_vectors, first


def test_for_you_reasons_are_translated_without_raw_scores(qtbot, liked, tmp_path, chinese):
    db, _ = liked
    window = open_window(qtbot, db, tmp_path)
    window.sidebar.setCurrentRow(FOR_YOU)
    page = window.for_you
    qtbot.waitUntil(lambda: page.list.topLevelItemCount() > 0, timeout=WAIT_MS)
    assert page.list.headerItem().text(2) == "相关度"
    for i in range(page.list.topLevelItemCount()):
        row = page.list.topLevelItem(i)
        assert row.text(2) == ""  # a bar, never a number
        assert isinstance(row.data(2, METER), float) and 0 < row.data(2, METER) <= 1
        reason = row.text(1)
        assert reason and "because" not in reason and "popular in" not in reason
    assert page.list.topLevelItemCount() <= 20
    window.close()


def test_recommendations_leave_out_negative_evidence(catalog_with_vectors):
    store = Store.open(catalog_with_vectors)
    try:
        first = store.conn.execute("SELECT id FROM items WHERE status = 'ok' ORDER BY id").fetchone()[0]
        feedback.record(store, first, "like")
        recs = core.recommendations(store)
        assert recs
        for rec in recs:
            if rec["because"]["kind"] not in ("explore", "start"):
                assert rec["score"] > 0
            assert 0 < rec["relevance"] <= 1
    finally:
        store.close()


def test_reasons_are_read_from_the_english_text():
    assert core.explain({"why": "liked", "reason": "because you liked Cats"}) == \
        {"kind": "liked", "subject": "Cats"}
    assert core.explain({"why": "cold start", "reason": "something different to start with"}) == \
        {"kind": "start", "subject": ""}
    assert core.explain({"why": {"kind": "tag", "subject": "sport"}, "reason": "x"}) == \
        {"kind": "tag", "subject": "sport"}


def test_detail_pane_related_and_duplicates(qtbot, catalog_with_vectors, tmp_path):
    from desktop.ui.detail_pane import closeness, keyphrase_texts

    assert keyphrase_texts(["Small claims", "small  claims", {"text": "court"}, "", "- page"]) == \
        ["Small claims", "court", "page"]
    assert closeness({"z": 12.0}) == 1.0 and closeness({"z": None, "score": 0.38}) == 0.38
    store = Store.open(catalog_with_vectors)
    first, second = [r[0] for r in store.conn.execute(
        "SELECT id FROM items WHERE status = 'ok' ORDER BY id LIMIT 2")]
    with store.transaction() as conn:  # the second item becomes a copy of the first's text
        conn.execute("UPDATE items SET text_hash = (SELECT text_hash FROM items WHERE id = ?) "
                     "WHERE id = ?", (first, second))
    store.close()
    window = open_window(qtbot, catalog_with_vectors, tmp_path)
    pane = window.library.detail
    target = first
    window.reveal_item(target)
    qtbot.waitUntil(lambda: bool(pane.duplicate_titles()), timeout=WAIT_MS)
    assert pane.duplicates_title.isVisibleTo(pane)
    assert all(t not in pane.related_titles() for t in pane.duplicate_titles())
    assert pane.duplicate_titles() == [read(catalog_with_vectors, "SELECT coalesce(title, name) FROM items "
                                            "WHERE id = ?", (second,))[0][0]]
    window.close()
