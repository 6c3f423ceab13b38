"""The catalog: one SQLite file in WAL mode, written by one writer at a time.

Readers open their own connection (`Store.open(path, readonly=True)`); all writes go
through the methods here so that batches are transactions and the full-text index
always follows the items table.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .extract.base import Extracted
from .migrations import SchemaTooNew, migrate
from .textsearch import QueryError, segment_for_index, to_fts_query, unsegment


class CatalogError(Exception):
    """The catalog file cannot be used; the message says why and what to do."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def display_path(path_bytes: bytes) -> str:
    """A printable path: undecodable bytes in file names become U+FFFD."""
    return path_bytes.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Root:
    id: int
    path_bytes: bytes
    path: str
    include: list[str]
    exclude: list[str]


ITEM_COLUMNS = (
    "id, root_id, path, name, suffix, kind, size, mtime_ns, content_hash, status, error, "
    "title, creator, created, modified, language, pages, duration, width, height, keywords, "
    "extra, thumbnail, added_at, indexed_at, missing_since"
)


def _item_row(row: sqlite3.Row) -> dict[str, Any]:
    item = dict(row)
    for key, empty in (("keywords", []), ("extra", {})):
        if key in item:
            item[key] = json.loads(item[key]) if item[key] else empty
    if "title" in item and not item.get("title"):
        item["title"] = item.get("name")
    return item


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self._lock = threading.RLock()
        self._db = None

    @property
    def db(self):  # -> sqlite_utils.Database
        """sqlite-utils over the same connection, imported on first use to keep start-up fast."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    # -- opening ---------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, readonly: bool = False) -> Store:
        path = Path(path)
        if readonly and not path.exists():
            raise CatalogError(f"No catalog at {path}: index a folder first.")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if readonly:
                conn = sqlite3.connect(
                    f"file:{path}?mode=ro", uri=True, isolation_level=None,
                    check_same_thread=False,
                )
            else:
                conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 10000")
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                # NORMAL in WAL mode loses at most the last transactions on power loss,
                # never consistency; a killed process loses nothing committed.
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
                migrate(conn)
            else:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except SchemaTooNew as exc:
            raise CatalogError(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise CatalogError(
                f"{path} is not a readable Curio catalog ({exc}). Move it aside and index "
                "again, or restore it from a backup."
            ) from exc
        return cls(conn, path)

    @classmethod
    def memory(cls) -> Store:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        migrate(conn)
        return cls(conn, None)

    def close(self) -> None:
        self.conn.close()

    def integrity_check(self) -> str:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    # -- roots -----------------------------------------------------------------------
    def add_root(
        self, path: Path, include: Iterable[str] = (), exclude: Iterable[str] = ()
    ) -> Root:
        path_bytes = os.fsencode(os.path.abspath(path))
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO roots (path_bytes, path, include, exclude, added_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(path_bytes) DO UPDATE SET "
                "include = excluded.include, exclude = excluded.exclude",
                (path_bytes, display_path(path_bytes), json.dumps(list(include)),
                 json.dumps(list(exclude)), now_iso()),
            )
        return self.root_for(path_bytes)

    def root_for(self, path_bytes: bytes) -> Root:
        row = self.conn.execute("SELECT * FROM roots WHERE path_bytes = ?", (path_bytes,)).fetchone()
        if row is None:
            raise KeyError(display_path(path_bytes))
        return self._root(row)

    @staticmethod
    def _root(row: sqlite3.Row) -> Root:
        return Root(row["id"], bytes(row["path_bytes"]), row["path"],
                    json.loads(row["include"]), json.loads(row["exclude"]))

    def roots(self) -> list[Root]:
        return [self._root(r) for r in self.conn.execute("SELECT * FROM roots ORDER BY id")]

    def remove_root(self, root_id: int) -> None:
        """Forget a root: its items become missing (tags and feedback kept until purged)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE items SET status = 'missing', missing_since = coalesce(missing_since, ?), "
                "root_id = NULL WHERE root_id = ?", (now_iso(), root_id))
            conn.execute("DELETE FROM roots WHERE id = ?", (root_id,))

    def mark_scanned(self, root_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE roots SET last_scan_at = ? WHERE id = ?", (now_iso(), root_id))

    # -- items: scanning -------------------------------------------------------------
    def known_files(self, root_id: int) -> dict[bytes, sqlite3.Row]:
        rows = self.conn.execute(
            "SELECT id, path_bytes, size, mtime_ns, content_hash, status FROM items "
            "WHERE root_id = ?", (root_id,))
        return {bytes(r["path_bytes"]): r for r in rows}

    def missing_by_hash(self, content_hash: str) -> sqlite3.Row | None:
        return self.conn.execute(
            "SELECT id, path_bytes, status FROM items WHERE content_hash = ? AND status = 'missing' "
            "ORDER BY missing_since DESC LIMIT 1", (content_hash,)).fetchone()

    def item_id_for_path(self, path_bytes: bytes) -> int | None:
        row = self.conn.execute("SELECT id FROM items WHERE path_bytes = ?", (path_bytes,)).fetchone()
        return row[0] if row else None

    def apply_scan(self, changes: ScanChanges) -> None:
        """Record one scan's findings in a single transaction."""
        stamp = now_iso()
        with self.transaction() as conn:
            for item_id in changes.missing:
                conn.execute(
                    "UPDATE items SET status = 'missing', missing_since = ? WHERE id = ?",
                    (stamp, item_id))
            for item_id, f in changes.moved:
                self._free_path(conn, f.path_bytes, item_id)
                # A moved file keeps its id, so tags and feedback follow it.
                # Extracted text is keyed by content, so a move needs no re-extraction.
                done = conn.execute("SELECT text_hash IS NOT NULL FROM items WHERE id = ?",
                                    (item_id,)).fetchone()[0]
                restored = "ok" if done else "pending"
                conn.execute(
                    "UPDATE items SET path_bytes = ?, path = ?, name = ?, suffix = ?, root_id = ?, "
                    "size = ?, mtime_ns = ?, status = ?, missing_since = NULL WHERE id = ?",
                    (f.path_bytes, display_path(f.path_bytes), f.name, f.suffix, f.root_id,
                     f.size, f.mtime_ns, restored, item_id))
            for item_id, f in changes.touched:
                conn.execute("UPDATE items SET size = ?, mtime_ns = ? WHERE id = ?",
                             (f.size, f.mtime_ns, item_id))
            for item_id, f in changes.changed:
                conn.execute(
                    "UPDATE items SET size = ?, mtime_ns = ?, content_hash = ?, status = 'pending', "
                    "error = NULL, missing_since = NULL, thumbnail = NULL WHERE id = ?",
                    (f.size, f.mtime_ns, f.content_hash, item_id))
            for f in changes.new:
                conn.execute(
                    "INSERT INTO items (root_id, path_bytes, path, name, suffix, kind, size, mtime_ns, "
                    "content_hash, status, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
                    (f.root_id, f.path_bytes, display_path(f.path_bytes), f.name, f.suffix, f.kind,
                     f.size, f.mtime_ns, f.content_hash, stamp))

    @staticmethod
    def _free_path(conn: sqlite3.Connection, path_bytes: bytes, keep_id: int) -> None:
        """A missing item still holding this path gives it up (its tags stay with it)."""
        conn.execute(
            "UPDATE items SET path_bytes = path_bytes || x'00' || CAST(id AS BLOB) "
            "WHERE path_bytes = ? AND id != ? AND status = 'missing'", (path_bytes, keep_id))

    def pending_items(self) -> list[tuple[int, bytes, str | None]]:
        """(id, path, content hash) of every item waiting for extraction."""
        rows = self.conn.execute(
            "SELECT id, path_bytes, content_hash FROM items WHERE status = 'pending' ORDER BY id")
        return [(r[0], bytes(r[1]), r[2]) for r in rows]

    # -- items: extraction results ---------------------------------------------------
    def save_extracted(self, results: Iterable[tuple[int, Extracted, str]]) -> None:
        """Store a batch of (item id, extracted, text hash) in one transaction."""
        stamp = now_iso()
        results = list(results)
        with self.transaction() as conn:
            marks = ",".join("?" * len(results))
            names = dict(conn.execute(f"SELECT id, name FROM items WHERE id IN ({marks})",
                                      [r[0] for r in results])) if results else {}
            for item_id, ex, text_hash in results:
                conn.execute(
                    "UPDATE items SET kind = ?, status = 'ok', error = NULL, title = ?, creator = ?, "
                    "created = ?, modified = ?, language = ?, pages = ?, duration = ?, width = ?, "
                    "height = ?, keywords = ?, extra = ?, body = ?, text_hash = ?, indexed_at = ? "
                    "WHERE id = ?",
                    (ex.kind, ex.title, ex.creator, ex.created, ex.modified, ex.language, ex.pages,
                     ex.duration, ex.width, ex.height, json.dumps(ex.keywords, ensure_ascii=False),
                     json.dumps(ex.extra, ensure_ascii=False, default=str), ex.text, text_hash,
                     stamp, item_id))
                name = names[item_id]
                meta = " ".join(filter(None, [ex.creator, " ".join(ex.keywords), name]))
                conn.execute("DELETE FROM items_fts WHERE rowid = ?", (item_id,))
                conn.execute(
                    "INSERT INTO items_fts (rowid, title, body, meta) VALUES (?, ?, ?, ?)",
                    (item_id, segment_for_index(ex.title or name), segment_for_index(ex.text),
                     segment_for_index(meta)))

    def save_failures(self, failures: Iterable[tuple[int, str]]) -> None:
        stamp = now_iso()
        with self.transaction() as conn:
            for item_id, reason in failures:
                conn.execute(
                    "UPDATE items SET status = 'failed', error = ?, indexed_at = ? WHERE id = ?",
                    (reason, stamp, item_id))
                conn.execute("DELETE FROM items_fts WHERE rowid = ?", (item_id,))

    def items_needing_thumbnails(self) -> list[tuple[int, bytes, str, str]]:
        """(id, path, kind, content hash) of images and PDFs without a thumbnail yet."""
        rows = self.conn.execute(
            "SELECT id, path_bytes, kind, content_hash FROM items WHERE status = 'ok' "
            "AND thumbnail IS NULL AND (kind = 'image' OR suffix = '.pdf') ORDER BY id")
        return [(r[0], bytes(r[1]), r[2], r[3]) for r in rows]

    def save_thumbnails(self, rows: Iterable[tuple[int, str]]) -> None:
        """(item id, thumbnail path or '' when none can be made)."""
        with self.transaction() as conn:
            conn.executemany("UPDATE items SET thumbnail = ? WHERE id = ?",
                             [(path, item_id) for item_id, path in rows])

    def purge_missing(self) -> int:
        with self.transaction() as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM items WHERE status = 'missing'")]
            conn.executemany("DELETE FROM items_fts WHERE rowid = ?", [(i,) for i in ids])
            conn.executemany("DELETE FROM items WHERE id = ?", [(i,) for i in ids])
        return len(ids)

    # -- reading ---------------------------------------------------------------------
    def item(self, item_id: int, with_body: bool = False) -> dict[str, Any] | None:
        cols = ITEM_COLUMNS + (", body" if with_body else "")
        row = self.conn.execute(f"SELECT {cols} FROM items WHERE id = ?", (item_id,)).fetchone()
        return _item_row(row) if row else None

    def items(self, status: str | None = "ok", limit: int = 1000, offset: int = 0) -> list[dict]:
        where, args = ("WHERE status = ?", [status]) if status else ("", [])
        rows = self.conn.execute(
            f"SELECT {ITEM_COLUMNS} FROM items {where} ORDER BY id LIMIT ? OFFSET ?",
            [*args, limit, offset])
        return [_item_row(r) for r in rows]

    def counts(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT status, count(*) FROM items GROUP BY status")
        counts = {"ok": 0, "pending": 0, "failed": 0, "missing": 0}
        counts.update({r[0]: r[1] for r in rows})
        counts["total"] = sum(counts.values())
        return counts

    def kinds(self) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT kind, count(*) FROM items WHERE status = 'ok' GROUP BY kind ORDER BY 2 DESC")
        return {r[0]: r[1] for r in rows}

    def failures(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT id, path, error FROM items WHERE status = 'failed' ORDER BY path")
        return [dict(r) for r in rows]

    def search_text(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """BM25-ranked full-text search; raises QueryError for a query it cannot read."""
        expression = to_fts_query(query)
        try:
            rows = self.conn.execute(
                f"SELECT {', '.join('i.' + c.strip() for c in ITEM_COLUMNS.split(','))}, "
                "bm25(items_fts, 10.0, 1.0, 3.0) AS rank, "
                "snippet(items_fts, 1, '[', ']', ' … ', 12) AS snippet "
                "FROM items_fts JOIN items i ON i.id = items_fts.rowid "
                "WHERE items_fts MATCH ? AND i.status = 'ok' ORDER BY rank LIMIT ?",
                (expression, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            raise QueryError(f"Curio could not read this search: {exc}") from exc
        results = []
        for row in rows:
            item = _item_row(row)
            item["score"] = -item.pop("rank")
            item["snippet"] = unsegment(item["snippet"] or "")
            results.append(item)
        return results


@dataclass
class FoundFile:
    root_id: int
    path_bytes: bytes
    name: str
    suffix: str
    kind: str | None
    size: int
    mtime_ns: int
    content_hash: str | None = None


@dataclass
class ScanChanges:
    new: list[FoundFile]
    changed: list[tuple[int, FoundFile]]
    touched: list[tuple[int, FoundFile]]
    moved: list[tuple[int, FoundFile]]
    missing: list[int]
    unchanged: int = 0


# -- derived values: vectors and summaries ----------------------------------------------
# Kept as functions over a Store so the item/scan half above stays readable.

TITLE_SUFFIX = "#title"


def title_model_id(model_id: str) -> str:
    """Where an embedder's title vectors are stored: a short title meets a short query, in
    another language too, better than the whole document's vector does."""
    return model_id + TITLE_SUFFIX


def items_needing_vectors(store: Store, model_id: str, limit: int | None = None,
                          with_body: bool = True) -> list[dict]:
    """Items whose text has no vector from this model yet, or changed since it was made
    (`with_body=False`: without their text, for title vectors)."""
    body = ", i.body" if with_body else ""
    rows = store.conn.execute(
        f"SELECT i.id, i.title, i.name{body}, i.text_hash FROM items i "
        "LEFT JOIN vectors v ON v.item_id = i.id AND v.model_id = ? "
        "WHERE i.status = 'ok' AND (v.text_hash IS NULL OR v.text_hash != i.text_hash) "
        "ORDER BY i.id" + (f" LIMIT {int(limit)}" if limit else ""), (model_id,))
    return [dict(r) for r in rows]


def save_vectors(store: Store, model_id: str,
                 rows: Iterable[tuple[int, str, Any, int]]) -> None:
    """Store (item id, text hash, float32 vector, chunk count) rows in one transaction."""
    stamp = now_iso()
    with store.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO vectors (item_id, model_id, text_hash, dim, vector, chunks, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(item_id, model_id, text_hash, len(vec), vec.astype("<f4").tobytes(), chunks, stamp)
             for item_id, text_hash, vec, chunks in rows])


def load_vectors(store: Store, model_id: str, status: str = "ok"):  # -> (ids, matrix)
    """All current vectors of one model as (int64 ids, float32 [n, dim] matrix)."""
    import numpy as np

    rows = store.conn.execute(
        "SELECT v.item_id, v.vector, v.dim FROM vectors v JOIN items i ON i.id = v.item_id "
        "WHERE v.model_id = ? AND i.status = ? AND v.text_hash = i.text_hash ORDER BY v.item_id",
        (model_id, status)).fetchall()
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), rows[0][2])
    return ids, matrix.astype(np.float32, copy=True)


def vectors_of(store: Store, model_id: str, ids: Iterable[int]) -> dict[int, Any]:
    """Current vectors (text unchanged since they were made) of these items by one model."""
    import numpy as np

    out = {}
    ids = list(ids)
    for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        part = ids[start:start + 500]
        for item_id, blob in store.conn.execute(
                "SELECT v.item_id, v.vector FROM vectors v JOIN items i ON i.id = v.item_id "
                f"WHERE v.model_id = ? AND v.text_hash = i.text_hash AND v.item_id IN "
                f"({','.join('?' * len(part))})", [model_id, *part]):
            out[item_id] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
    return out


def items_needing_summaries(store: Store, model_id: str) -> list[dict]:
    rows = store.conn.execute(
        "SELECT i.id, i.title, i.body, i.text_hash FROM items i "
        "LEFT JOIN summaries s ON s.item_id = i.id AND s.model_id = ? "
        "WHERE i.status = 'ok' AND (s.text_hash IS NULL OR s.text_hash != i.text_hash) "
        "ORDER BY i.id", (model_id,))
    return [dict(r) for r in rows]


def save_summaries(store: Store, model_id: str,
                   rows: Iterable[tuple[int, str, str, list]]) -> None:
    """Store (item id, text hash, summary, keyphrases) rows in one transaction."""
    stamp = now_iso()
    with store.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO summaries (item_id, model_id, text_hash, summary, keyphrases, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            [(item_id, model_id, text_hash, summary, json.dumps(phrases, ensure_ascii=False), stamp)
             for item_id, text_hash, summary, phrases in rows])


def summary_of(store: Store, item_id: int) -> dict[str, Any] | None:
    row = store.conn.execute(
        "SELECT summary, keyphrases, model_id FROM summaries WHERE item_id = ?", (item_id,)).fetchone()
    if row is None:
        return None
    return {"summary": row[0], "keyphrases": json.loads(row[1]), "model_id": row[2]}
