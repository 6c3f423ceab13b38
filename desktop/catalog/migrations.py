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
