"""Rules the user writes per tag: a keyword (or phrase) or a regular expression.

Rules look at an item's title, keywords and text. They are the user's own words, so they
propose their tag whatever the tag's `learnable` setting, with confidence 1.0, as
suggestions: the user still decides, and a rejection still sticks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from desktop.catalog.store import Store

from .tags import TagError, _require

KINDS = ("keyword", "regex")
RULE_CONFIDENCE = 1.0
TEXT_LIMIT = 200_000  # characters of body a rule reads; bounds a pathological regex's work


def compile_rule(kind: str, pattern: str) -> re.Pattern[str]:
    """The compiled form of a rule; raises ValueError with a message a user can act on."""
    if kind not in KINDS:
        raise ValueError(f"A rule is a keyword or a regex, not {kind!r}.")
    pattern = (pattern or "").strip()
    if not pattern:
        raise ValueError("A rule needs a pattern.")
    if kind == "keyword":
        # Whole words, any case; a CJK keyword matches as a substring (no spaces in Chinese).
        words = r"\s+".join(re.escape(w) for w in pattern.split())
        if re.match(r"\w", pattern[0]) and not re.match(r"[\u3400-\u9fff]", pattern[0]):
            words = r"(?<!\w)" + words
        if re.match(r"\w", pattern[-1]) and not re.match(r"[\u3400-\u9fff]", pattern[-1]):
            words += r"(?!\w)"
        return re.compile(words, re.IGNORECASE)
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        where = f" at position {exc.pos}" if exc.pos is not None else ""
        raise ValueError(f"The regular expression {pattern!r} is not valid: {exc.msg}{where}.") from exc


def add_rule(store: Store, tag_id: int, kind: str, pattern: str) -> int:
    """Add a keyword or regex rule to a tag; returns the rule id."""
    _require(store, tag_id)
    compile_rule(kind, pattern)
    with store.transaction() as conn:
        cur = conn.execute("INSERT INTO tag_rules (tag_id, kind, pattern) VALUES (?, ?, ?)",
                           (tag_id, kind, pattern.strip()))
    return int(cur.lastrowid)


def remove_rule(store: Store, rule_id: int) -> None:
    with store.transaction() as conn:
        if conn.execute("DELETE FROM tag_rules WHERE id = ?", (rule_id,)).rowcount == 0:
            raise TagError(f"There is no rule {rule_id}.")


def list_rules(store: Store, tag_id: int | None = None) -> list[dict]:
    where, args = ("WHERE r.tag_id = ?", [tag_id]) if tag_id is not None else ("", [])
    rows = store.conn.execute(
        "SELECT r.id, r.tag_id, t.name, r.kind, r.pattern FROM tag_rules r "
        f"JOIN tags t ON t.id = r.tag_id {where} ORDER BY r.tag_id, r.id", args)
    return [dict(r) for r in rows]


def match_rules(store: Store, item_ids: Iterable[int] | None = None) -> dict[tuple[int, int], str]:
    """(item id, tag id) -> the first rule pattern that matched, over the given items."""
    rules = [(r["tag_id"], r["pattern"], compile_rule(r["kind"], r["pattern"]))
             for r in list_rules(store)]
    if not rules:
        return {}
    sql = "SELECT id, title, name, keywords, body FROM items WHERE status = 'ok'"
    if item_ids is None:
        rows = store.conn.execute(sql)
    else:
        ids = list(item_ids)
        rows = (r for chunk in range(0, len(ids), 500) for r in store.conn.execute(
            f"{sql} AND id IN ({','.join('?' * len(ids[chunk:chunk + 500]))})",
            ids[chunk:chunk + 500]))
    found: dict[tuple[int, int], str] = {}
    for row in rows:
        text = "\n".join(filter(None, [row["title"], row["name"], row["keywords"],
                                       (row["body"] or "")[:TEXT_LIMIT]]))
        for tag_id, pattern, compiled in rules:
            if (row["id"], tag_id) not in found and compiled.search(text):
                found[(row["id"], tag_id)] = pattern
    return found
