"""Schema changes, applied in order and recorded in PRAGMA user_version.

Each migration is a list of statements run in one transaction; a database newer than
this code is refused rather than guessed at.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[list[str]] = [
    # 1: roots, items, full-text index
    [
        """CREATE TABLE roots (
            id INTEGER PRIMARY KEY,
            path_bytes BLOB NOT NULL UNIQUE,
            path TEXT NOT NULL,
            include TEXT NOT NULL DEFAULT '[]',
            exclude TEXT NOT NULL DEFAULT '[]',
            added_at TEXT NOT NULL,
            last_scan_at TEXT
        )""",
        """CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            root_id INTEGER REFERENCES roots(id) ON DELETE SET NULL,
            path_bytes BLOB NOT NULL UNIQUE,
            path TEXT NOT NULL,
            name TEXT NOT NULL,
            suffix TEXT NOT NULL,
            kind TEXT,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            content_hash TEXT,
            status TEXT NOT NULL DEFAULT 'pending',
            error TEXT,
            title TEXT,
            creator TEXT,
            created TEXT,
            modified TEXT,
            language TEXT,
            pages INTEGER,
            duration REAL,
            width INTEGER,
            height INTEGER,
            keywords TEXT NOT NULL DEFAULT '[]',
            extra TEXT NOT NULL DEFAULT '{}',
            body TEXT NOT NULL DEFAULT '',
            text_hash TEXT,
            thumbnail TEXT,
            added_at TEXT NOT NULL,
            indexed_at TEXT,
            missing_since TEXT
        )""",
        "CREATE INDEX items_status ON items(status)",
        "CREATE INDEX items_hash ON items(content_hash)",
        "CREATE INDEX items_root ON items(root_id)",
        """CREATE VIRTUAL TABLE items_fts USING fts5(
            title, body, meta, tokenize = 'unicode61 remove_diacritics 2'
        )""",
    ],
    # 2: what the models derive, the user's tags and feedback, clusters
    [
        # One document vector per item and embedder; text_hash says which text it was made from.
        """CREATE TABLE vectors (
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            model_id TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,
            chunks INTEGER NOT NULL DEFAULT 1,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (item_id, model_id)
        )""",
        """CREATE TABLE summaries (
            item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            model_id TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            summary TEXT NOT NULL,
            keyphrases TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE,
            parent_id INTEGER REFERENCES tags(id) ON DELETE SET NULL,
            taxonomy_id TEXT UNIQUE,
            learnable INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            UNIQUE (name, parent_id)
        )""",
        # state: accepted or rejected by the user, or suggested by a model or a rule.
        # A rejected row is never turned back into a suggestion.
        """CREATE TABLE item_tags (
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            state TEXT NOT NULL CHECK (state IN ('accepted', 'rejected', 'suggested')),
            confidence REAL,
            source TEXT NOT NULL,
            model_id TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (item_id, tag_id)
        )""",
        "CREATE INDEX item_tags_tag ON item_tags(tag_id, state)",
        """CREATE TABLE tag_rules (
            id INTEGER PRIMARY KEY,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('keyword', 'regex')),
            pattern TEXT NOT NULL
        )""",
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            item_id INTEGER REFERENCES items(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            value REAL,
            session TEXT,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX events_item ON events(item_id, kind)",
        """CREATE TABLE clusters (
            id INTEGER PRIMARY KEY,
            label TEXT NOT NULL,
            terms TEXT NOT NULL DEFAULT '[]',
            size INTEGER NOT NULL,
            centroid BLOB,
            model_id TEXT,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE item_clusters (
            item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            cluster_id INTEGER REFERENCES clusters(id) ON DELETE SET NULL,
            x REAL,
            y REAL
        )""",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ],
    # 3: change counters, so in-memory views (the vector index) know cheaply when to reload
    [
        "CREATE TABLE generations (name TEXT PRIMARY KEY, value INTEGER NOT NULL DEFAULT 0)",
        "INSERT INTO generations (name, value) VALUES ('vectors', 0), ('tags', 0)",
        # Any change to vectors, or to which items count (status, text), bumps 'vectors'.
        """CREATE TRIGGER vectors_gen_ins AFTER INSERT ON vectors BEGIN
            UPDATE generations SET value = value + 1 WHERE name = 'vectors'; END""",
        """CREATE TRIGGER vectors_gen_upd AFTER UPDATE ON vectors BEGIN
            UPDATE generations SET value = value + 1 WHERE name = 'vectors'; END""",
        """CREATE TRIGGER vectors_gen_del AFTER DELETE ON vectors BEGIN
            UPDATE generations SET value = value + 1 WHERE name = 'vectors'; END""",
        """CREATE TRIGGER items_gen_upd AFTER UPDATE OF status, text_hash ON items BEGIN
            UPDATE generations SET value = value + 1 WHERE name = 'vectors'; END""",
        """CREATE TRIGGER items_gen_del AFTER DELETE ON items BEGIN
            UPDATE generations SET value = value + 1 WHERE name = 'vectors'; END""",
        """CREATE TRIGGER item_tags_gen_ins AFTER INSERT ON item_tags BEGIN
            UPDATE generations SET value = value + 1 WHERE name = 'tags'; END""",
        """CREATE TRIGGER item_tags_gen_upd AFTER UPDATE ON item_tags BEGIN
            UPDATE generations SET value = value + 1 WHERE name = 'tags'; END""",
        """CREATE TRIGGER item_tags_gen_del AFTER DELETE ON item_tags BEGIN
            UPDATE generations SET value = value + 1 WHERE name = 'tags'; END""",
        "CREATE INDEX items_text_hash ON items(text_hash)",
        "CREATE INDEX events_kind ON events(kind, item_id)",
        "CREATE INDEX events_session ON events(session)",
    ],
    # 4: a covering index for the per-item facts the recommender reads for every item (kind,
    # dates), so it reads a few MB of index instead of scanning every body in the table
    [
        "CREATE INDEX items_facts ON items(status, kind, created, added_at)",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(Exception):
    pass


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to SCHEMA_VERSION; returns the version it started at."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"This catalog was written by a newer Curio (schema {current}, this one knows "
            f"{SCHEMA_VERSION}); update Curio to open it."
        )
    for version in range(current, SCHEMA_VERSION):
        # The connection is in autocommit mode: an explicit transaction makes DDL atomic too.
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return current
