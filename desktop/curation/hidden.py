"""Hidden items: list them, hide and unhide, and undo either.

An item is hidden while its latest hide/unhide event is a hide (see feedback.py, which
records the events; nothing here writes anything else). Hiding or unhiding returns a
`Change` naming only the items whose state it really changed, so undoing it restores
exactly the state before: undoing "hide A, B" when B was already hidden unhides A only.
No Qt here; the window keeps an `UndoStack` of the changes the user made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from desktop.catalog.store import ITEM_COLUMNS, Store, _item_row

from . import feedback


@dataclass(frozen=True)
class Change:
    """Items that became hidden (kind "hide") or visible again (kind "unhide")."""

    kind: str
    ids: tuple[int, ...]

    def inverse(self) -> Change:
        return Change("unhide" if self.kind == "hide" else "hide", self.ids)

    def __bool__(self) -> bool:
        return bool(self.ids)


def hidden_items(store: Store) -> list[dict[str, Any]]:
    """The hidden items, most recently hidden first, each with `hidden_at`."""
    hidden = feedback.hidden_since(store)
    if not hidden:
        return []
    marks = ",".join("?" * len(hidden))
    rows = store.conn.execute(f"SELECT {ITEM_COLUMNS} FROM items WHERE id IN ({marks})",
                              list(hidden)).fetchall()
    items = [_item_row(r) | {"hidden_at": hidden[r["id"]]} for r in rows]
    # Stamps have second resolution: the id breaks ties, newer items first as in a list.
    items.sort(key=lambda i: (i["hidden_at"] or "", i["id"]), reverse=True)
    return items


def hidden_count(store: Store) -> int:
    return len(feedback.hidden_ids(store))


def _apply(store: Store, ids: Iterable[int], kind: str) -> Change:
    wanted = list(dict.fromkeys(ids))  # unique, in the given order
    hidden = feedback.hidden_ids(store)
    # Only the items whose state changes get an event: undo must not touch the others.
    changing = [i for i in wanted if (i in hidden) != (kind == "hide")]
    if changing:
        feedback.record_many(store, changing, kind)
    return Change(kind, tuple(changing))


def hide(store: Store, ids: Iterable[int]) -> Change:
    """Hide the items that are not hidden yet; returns what changed."""
    return _apply(store, ids, "hide")


def unhide(store: Store, ids: Iterable[int]) -> Change:
    """Show the hidden ones among these items again; returns what changed."""
    return _apply(store, ids, "unhide")


def apply(store: Store, change: Change) -> Change:
    """Redo a change (or apply its inverse to undo it); returns what really changed."""
    return _apply(store, change.ids, change.kind)


def undo(store: Store, change: Change) -> Change:
    """Put the items of `change` back as they were before it."""
    return apply(store, change.inverse())


class UndoStack:
    """The user's last hide/unhide changes, newest last, bounded."""

    def __init__(self, limit: int = 50) -> None:
        self.limit = limit
        self._changes: list[Change] = []

    def push(self, change: Change) -> None:
        if change:
            self._changes.append(change)
            del self._changes[:-self.limit]

    def pop(self) -> Change | None:
        return self._changes.pop() if self._changes else None

    def peek(self) -> Change | None:
        return self._changes[-1] if self._changes else None

    def __len__(self) -> int:
        return len(self._changes)
