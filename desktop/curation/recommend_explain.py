"""Why each "For you" item is shown: the signal that contributed most, in two forms.

`why` is structured ({"kind": liked | tag | co | cluster | explore | start, "subject": the
title, tag or topic, and the id behind it}) so the UI can say it in the user's language;
`reason` is the same in English, for the terminal and --json.
"""

from __future__ import annotations

import numpy as np

from desktop.catalog.store import Store

PHRASES = {
    "liked": "because you liked {}",
    "tag": "tagged {}",
    "co": "often opened with {}",
    "cluster": "popular in a topic you read: {}",
    "explore": "something different: {}",
    "start": "to get you started: {}",
}


def why(kind: str, subject: str, **ids: int) -> dict:
    return {"kind": kind, "subject": subject, **ids}


def sentence(reason: dict) -> str:
    if reason["kind"] == "start" and not reason["subject"]:
        return "something different to start with"
    return PHRASES[reason["kind"]].format(reason["subject"])


def title(store: Store, titles: dict[int, str], item_id: int) -> str:
    """An item's title, remembered in `titles`."""
    if item_id not in titles:
        row = store.conn.execute(
            "SELECT coalesce(title, name) FROM items WHERE id = ?", (item_id,)).fetchone()
        titles[item_id] = row[0] if row else "?"
    return titles[item_id]


def items(store: Store, ids: list[int]) -> dict[int, dict]:
    """id, path, title and kind of the given items."""
    if not ids:
        return {}
    rows = store.conn.execute(
        "SELECT id, path, coalesce(title, name) AS title, kind FROM items "
        f"WHERE id IN ({','.join('?' * len(ids))})", ids)
    return {r["id"]: dict(r) for r in rows}


def strongest(contrib: dict[str, float]) -> str:
    """The signal that contributed most to one item's score."""
    return max(contrib, key=lambda k: contrib[k])


def nearest_liked(matrix: np.ndarray, row: int, liked_rows: np.ndarray,
                  strength: list[float]) -> int:
    """Index (into liked_rows) of the liked item closest to `row`, by strength-weighted cosine."""
    sims = matrix[liked_rows] @ matrix[row]
    return int(np.argmax(sims * np.asarray(strength, dtype=np.float32)))
