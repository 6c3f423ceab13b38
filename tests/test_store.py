"""The catalog store: schema, WAL, full-text search in English and Chinese."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.catalog.extract.base import Extracted
from desktop.catalog.migrations import SCHEMA_VERSION
from desktop.catalog.store import CatalogError, FoundFile, ScanChanges, Store
from desktop.catalog.textsearch import QueryError, to_fts_query


def _add(store: Store, root_id: int, name: str, ex: Extracted) -> int:
    path = f"/lib/{name}".encode()
    found = FoundFile(root_id, path, name, "." + name.rsplit(".", 1)[-1], ex.kind, 10, 1, name)
    store.apply_scan(ScanChanges(new=[found], changed=[], touched=[], moved=[], missing=[]))
    item_id = store.item_id_for_path(path)
    store.save_extracted([(item_id, ex, "h-" + name)])
    return item_id


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "catalog.sqlite3")
    yield s
    s.close()


def test_new_catalog_is_wal_and_migrated(store, tmp_path):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.integrity_check() == "ok"


def test_english_and_chinese_full_text(store, tmp_path):
    root = store.add_root(tmp_path)
    river = _add(store, root.id, "river.txt", Extracted(
        "text", "Volunteers pulled tyres and plastic from the river bank.", title="River day"))
    money = _add(store, root.id, "rmb.txt", Extracted(
        "text", "人民币汇率的变化影响出口企业和中小企业的经营成本。", title="汇率观察"))
    ink = _add(store, root.id, "ink.txt", Extracted(
        "text", "书法练习需要耐心，每天写字一小时。", title="书法"))
    assert [r["id"] for r in store.search_text("river")] == [river]
    assert [r["id"] for r in store.search_text("plastic tyres")] == [river]
    # A two-character Chinese word inside a sentence is found, and only where it stands.
    assert [r["id"] for r in store.search_text("汇率")] == [money]
    assert [r["id"] for r in store.search_text("企业")] == [money]
    assert [r["id"] for r in store.search_text("书法")] == [ink]
    assert store.search_text("率汇") == []
    hit = store.search_text("出口")[0]
    assert "[出口]" in hit["snippet"]  # snippets come back without the index's spacing


def test_title_outranks_body(store, tmp_path):
    root = store.add_root(tmp_path)
    body_only = _add(store, root.id, "a.txt", Extracted("text", "notes about jazz and more", "A"))
    titled = _add(store, root.id, "b.txt", Extracted("text", "a long history", title="Jazz"))
    assert [r["id"] for r in store.search_text("jazz")] == [titled, body_only]


def test_query_syntax_is_safe(store, tmp_path):
    root = store.add_root(tmp_path)
    _add(store, root.id, "a.txt", Extracted("text", "river cleanup with volunteers", "River"))
    _add(store, root.id, "b.txt", Extracted("text", "river cleanup draft notes", "Draft"))
    assert len(store.search_text('"river cleanup"')) == 2
    assert [r["title"] for r in store.search_text("river -draft")] == ["River"]
    assert len(store.search_text("volun*")) == 1
    assert len(store.search_text("volunteers OR notes")) == 2
    # FTS5 operators typed by a user are words, never SQL errors.
    for odd in ["AND", "NEAR(", "title:", "a^b", "(((", "*", "'"]:
        try:
            store.search_text(odd)
        except QueryError:
            pass
    for bad in ['"unclosed', "", "   ", "-only"]:
        with pytest.raises(QueryError):
            store.search_text(bad)


def test_to_fts_query_quotes_everything():
    assert to_fts_query("hello world") == '"hello" AND "world"'
    assert to_fts_query("经济增长") == '"经 济 增 长"'


def test_corrupt_catalog_is_reported(tmp_path):
    bad = tmp_path / "catalog.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CatalogError, match="not a readable Curio catalog"):
        Store.open(bad)
    assert bad.read_bytes().startswith(b"this is not")  # nothing overwritten


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "catalog.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(CatalogError, match="newer Curio"):
        Store.open(path)
