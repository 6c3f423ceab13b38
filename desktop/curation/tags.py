"""The user's tags: a hierarchy of names, accepted and rejected per item.

A tag on an item is in one of three states: accepted or rejected (the user decided) or
suggested (a rule or a model proposed it). Suggestions never overwrite a decision, so a
rejected tag stays rejected whatever retraining happens (see suggest.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop.catalog.store import Store, now_iso

from . import feedback


class TagError(ValueError):
    """A tag operation that cannot be done; the message says why."""


def _clean(name: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise TagError("A tag needs a name.")
    return name


def _require(store: Store, tag_id: int) -> dict:
    row = store.conn.execute("SELECT * FROM tags WHERE id = ?", (tag_id,)).fetchone()
    if row is None:
        raise TagError(f"There is no tag {tag_id}.")
    return dict(row)


def _sibling(store: Store, name: str, parent_id: int | None, not_id: int | None = None):
    # UNIQUE(name, parent_id) does not catch two top-level tags: NULLs differ in SQL.
    return store.conn.execute(
        "SELECT id FROM tags WHERE name = ? AND parent_id IS ? AND id IS NOT ?",
        (name, parent_id, not_id)).fetchone()


def create_tag(store: Store, name: str, parent_id: int | None = None,
               taxonomy_id: str | None = None, learnable: bool = True) -> int:
    """A new tag (or the existing one of that name under that parent); returns its id."""
    name = _clean(name)
    if parent_id is not None:
        _require(store, parent_id)
    found = _sibling(store, name, parent_id)
    if found:
        return int(found[0])
    with store.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO tags (name, parent_id, taxonomy_id, learnable, created_at) "
            "VALUES (?, ?, ?, ?, ?)", (name, parent_id, taxonomy_id, int(learnable), now_iso()))
    return int(cur.lastrowid)


def rename_tag(store: Store, tag_id: int, name: str) -> None:
    name = _clean(name)
    tag = _require(store, tag_id)
    if _sibling(store, name, tag["parent_id"], tag_id):
        raise TagError(f"A tag named {name!r} already exists there: merge them instead.")
    with store.transaction() as conn:
        conn.execute("UPDATE tags SET name = ? WHERE id = ?", (name, tag_id))


def move_tag(store: Store, tag_id: int, parent_id: int | None) -> None:
    """Put a tag under another (None: top level); a tag cannot go under its own subtree."""
    tag = _require(store, tag_id)
    ancestor = parent_id
    while ancestor is not None:
        if ancestor == tag_id:
            raise TagError("A tag cannot be placed under itself or one of its children.")
        ancestor = _require(store, ancestor)["parent_id"]
    if _sibling(store, tag["name"], parent_id, tag_id):
        raise TagError(f"A tag named {tag['name']!r} already exists there: merge them instead.")
    with store.transaction() as conn:
        conn.execute("UPDATE tags SET parent_id = ? WHERE id = ?", (parent_id, tag_id))


# Which state wins when two rows for one item meet in a merge: a user's decision beats a
# suggestion, and a rejection of the target is never undone.
_RANK = {"suggested": 0, "accepted": 1, "rejected": 2}


def merge_tags(store: Store, source_id: int, target_id: int) -> None:
    """Move everything of `source` to `target` (item tags, rules, children), delete `source`."""
    if source_id == target_id:
        raise TagError("A tag cannot be merged into itself.")
    _require(store, source_id)
    target = _require(store, target_id)
    ancestor = target["parent_id"]
    while ancestor is not None:
        if ancestor == source_id:
            raise TagError("A tag cannot be merged into one of its own children.")
        ancestor = _require(store, ancestor)["parent_id"]
    with store.transaction() as conn:
        _merge_into(conn, source_id, target_id)


def _merge_into(conn, source_id: int, target_id: int) -> None:
    rows = conn.execute("SELECT * FROM item_tags WHERE tag_id = ?", (source_id,)).fetchall()
    for row in rows:
        mine = conn.execute("SELECT state FROM item_tags WHERE item_id = ? AND tag_id = ?",
                            (row["item_id"], target_id)).fetchone()
        if mine is None or (_RANK[row["state"]] > _RANK[mine[0]] and mine[0] != "rejected"):
            conn.execute(
                "INSERT OR REPLACE INTO item_tags (item_id, tag_id, state, confidence, source, "
                "model_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (row["item_id"], target_id, row["state"], row["confidence"], row["source"],
                 row["model_id"], now_iso()))
    conn.execute("DELETE FROM item_tags WHERE tag_id = ?", (source_id,))
    conn.execute("UPDATE tag_rules SET tag_id = ? WHERE tag_id = ?", (target_id, source_id))
    for child in conn.execute("SELECT id, name FROM tags WHERE parent_id = ?",
                              (source_id,)).fetchall():
        twin = conn.execute("SELECT id FROM tags WHERE parent_id = ? AND name = ?",
                            (target_id, child["name"])).fetchone()
        if twin:  # same-named children merge too, or UNIQUE(name, parent_id) would refuse
            _merge_into(conn, child["id"], twin[0])
        else:
            conn.execute("UPDATE tags SET parent_id = ? WHERE id = ?", (target_id, child["id"]))
    conn.execute("DELETE FROM tags WHERE id = ?", (source_id,))


def delete_tag(store: Store, tag_id: int) -> None:
    """Delete a tag, its item tags and rules; its children move up to its parent."""
    tag = _require(store, tag_id)
    with store.transaction() as conn:
        for child in conn.execute("SELECT id, name FROM tags WHERE parent_id = ?",
                                  (tag_id,)).fetchall():
            twin = conn.execute("SELECT id FROM tags WHERE parent_id IS ? AND name = ?",
                                (tag["parent_id"], child["name"])).fetchone()
            if twin:
                _merge_into(conn, child["id"], twin[0])
            else:
                conn.execute("UPDATE tags SET parent_id = ? WHERE id = ?",
                             (tag["parent_id"], child["id"]))
        conn.execute("DELETE FROM item_tags WHERE tag_id = ?", (tag_id,))
        conn.execute("DELETE FROM tag_rules WHERE tag_id = ?", (tag_id,))
        conn.execute("DELETE FROM tags WHERE id = ?", (tag_id,))


def list_tags(store: Store) -> list[dict]:
    """Every tag with its counts; parents before children, then by name."""
    rows = store.conn.execute(
        "SELECT t.id, t.name, t.parent_id, t.taxonomy_id, t.learnable, "
        "coalesce(sum(it.state = 'accepted'), 0) AS accepted, "
        "coalesce(sum(it.state = 'suggested'), 0) AS suggested, "
        "coalesce(sum(it.state = 'rejected'), 0) AS rejected "
        "FROM tags t LEFT JOIN item_tags it ON it.tag_id = t.id "
        "GROUP BY t.id ORDER BY t.name COLLATE NOCASE").fetchall()
    tags = [dict(r) | {"learnable": bool(r["learnable"])} for r in rows]
    by_parent: dict[int | None, list[dict]] = {}
    for tag in tags:
        by_parent.setdefault(tag["parent_id"], []).append(tag)
    known = {t["id"] for t in tags}
    out: list[dict] = []

    def walk(parent: int | None, depth: int) -> None:
        for tag in by_parent.get(parent, []):
            out.append(tag | {"depth": depth})
            walk(tag["id"], depth + 1)

    walk(None, 0)
    for tag in tags:  # defensive: a parent that vanished leaves its child at the top
        if tag["parent_id"] is not None and tag["parent_id"] not in known:
            out.append(tag | {"depth": 0})
    return out


def find_tag(store: Store, ref: int | str) -> int:
    """A tag id from an id or a (case-insensitive) name; raises TagError when unknown."""
    if isinstance(ref, int) or str(ref).isdigit():
        return int(_require(store, int(ref))["id"])
    rows = store.conn.execute("SELECT id FROM tags WHERE name = ?", (_clean(ref),)).fetchall()
    if not rows:
        raise TagError(f"There is no tag named {ref!r}.")
    if len(rows) > 1:
        raise TagError(f"Several tags are named {ref!r}: use the tag's id.")
    return int(rows[0][0])


def set_learnable(store: Store, tag_id: int, learnable: bool) -> None:
    """May the models learn and suggest this tag? Off also withdraws its model suggestions."""
    _require(store, tag_id)
    with store.transaction() as conn:
        conn.execute("UPDATE tags SET learnable = ? WHERE id = ?", (int(learnable), tag_id))
        if not learnable:
            conn.execute("DELETE FROM item_tags WHERE tag_id = ? AND state = 'suggested' "
                         "AND source != 'rule'", (tag_id,))


def _decide(store: Store, item_ids: Iterable[int], tag_id: int, state: str) -> int:
    _require(store, tag_id)
    ids = list(dict.fromkeys(int(i) for i in item_ids))
    stamp = now_iso()
    with store.transaction() as conn:
        for item_id in ids:
            if conn.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone() is None:
                raise TagError(f"There is no item {item_id}.")
            conn.execute(
                "INSERT INTO item_tags (item_id, tag_id, state, confidence, source, updated_at) "
                "VALUES (?, ?, ?, 1.0, 'user', ?) ON CONFLICT(item_id, tag_id) DO UPDATE SET "
                "state = excluded.state, confidence = 1.0, source = 'user', model_id = NULL, "
                "updated_at = excluded.updated_at", (item_id, tag_id, state, stamp))
    kind = "tag_accept" if state == "accepted" else "tag_reject"
    if ids:
        feedback.record_many(store, ids, kind, value=tag_id)
    return len(ids)


def accept(store: Store, item_ids: Iterable[int], tag_id: int) -> int:
    """Tag every item of a selection (also turns suggestions into decisions)."""
    return _decide(store, item_ids, tag_id, "accepted")


def reject(store: Store, item_ids: Iterable[int], tag_id: int) -> int:
    """Say "not this tag" for a selection: no rule or model will suggest it there again."""
    return _decide(store, item_ids, tag_id, "rejected")


def clear(store: Store, item_ids: Iterable[int], tag_id: int) -> None:
    """Forget the user's decision (the tag may then be suggested again)."""
    with store.transaction() as conn:
        conn.executemany("DELETE FROM item_tags WHERE item_id = ? AND tag_id = ?",
                         [(int(i), tag_id) for i in item_ids])


def item_tags(store: Store, item_id: int) -> list[dict]:
    rows = store.conn.execute(
        "SELECT it.tag_id, t.name, it.state, it.confidence, it.source, it.model_id "
        "FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE it.item_id = ? "
        "ORDER BY it.state = 'rejected', it.state = 'suggested', it.confidence DESC, t.name",
        (item_id,))
    return [dict(r) for r in rows]


def pending_suggestions(store: Store, tag_id: int | None = None, limit: int = 500) -> list[dict]:
    """Suggestions waiting for the user's decision, most confident first."""
    where, args = ("AND it.tag_id = ?", [tag_id]) if tag_id is not None else ("", [])
    rows = store.conn.execute(
        "SELECT it.item_id, coalesce(i.title, i.name) AS title, i.path, it.tag_id, t.name, "
        "it.confidence, it.source FROM item_tags it JOIN tags t ON t.id = it.tag_id "
        "JOIN items i ON i.id = it.item_id "
        f"WHERE it.state = 'suggested' AND i.status = 'ok' {where} "
        "ORDER BY it.confidence DESC, it.item_id LIMIT ?", [*args, limit])
    return [dict(r) for r in rows]


def ensure_taxonomy_tags(store: Store, lang: str = "en") -> dict[str, int]:
    """One tag per label of the shipped taxonomy (kept if already there); label id -> tag id."""
    from desktop.ml.classify import load_taxonomy

    taxonomy = load_taxonomy()
    existing = {r[0]: r[1] for r in store.conn.execute(
        "SELECT taxonomy_id, id FROM tags WHERE taxonomy_id IS NOT NULL")}
    stamp = now_iso()
    with store.transaction() as conn:
        for label in taxonomy.labels:
            if label.id in existing:
                continue
            name = label.name(lang)
            clash = conn.execute("SELECT id FROM tags WHERE name = ? AND parent_id IS NULL",
                                 (name,)).fetchone()
            if clash:  # the user already made a tag of that name: it becomes the label's tag
                conn.execute("UPDATE tags SET taxonomy_id = ? WHERE id = ?", (label.id, clash[0]))
                existing[label.id] = clash[0]
                continue
            cur = conn.execute(
                "INSERT INTO tags (name, parent_id, taxonomy_id, learnable, created_at) "
                "VALUES (?, NULL, ?, 1, ?)", (name, label.id, stamp))
            existing[label.id] = int(cur.lastrowid)
    return existing
