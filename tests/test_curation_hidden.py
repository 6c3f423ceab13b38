"""Hiding, showing again and undo: only what really changed is undone."""

from __future__ import annotations

from desktop.curation import feedback, hidden
from desktop.curation.search import hybrid_search
from desktop.curation.similar import similar_items
from tests.test_curation_library import (
    ids_by_title,
    library_store_fixture,  # noqa: F401
)


def test_hide_lists_and_undo_restores_the_state_before(store):
    ids = ids_by_title(store)
    comet, moon = ids["Comet"], ids["Moon mission"]
    hidden.hide(store, [moon])
    change = hidden.hide(store, [comet, moon, comet])  # Moon was hidden already
    assert change == hidden.Change("hide", (comet,))
    listed = hidden.hidden_items(store)
    assert [i["id"] for i in listed] == [comet, moon]  # most recently hidden first
    assert all(i["hidden_at"] for i in listed) and hidden.hidden_count(store) == 2
    # Hidden items are out of search and similar items.
    assert comet not in {r["id"] for r in hybrid_search(store, "comet")}
    assert comet not in {r["id"] for r in similar_items(store, ids["Telescope"])["similar"]}

    undone = hidden.undo(store, change)
    assert undone == hidden.Change("unhide", (comet,))
    assert feedback.hidden_ids(store) == {moon}  # the earlier hide stands
    assert comet in {r["id"] for r in hybrid_search(store, "comet")}

    again = hidden.unhide(store, [moon, comet])
    assert again.ids == (moon,) and not hidden.hidden_items(store)
    events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    assert not hidden.unhide(store, [moon])  # nothing to do: an empty change, no event
    assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == events


def test_undo_stack_is_bounded_and_skips_empty_changes():
    stack = hidden.UndoStack(limit=2)
    stack.push(hidden.Change("hide", ()))
    assert stack.pop() is None
    for n in range(3):
        stack.push(hidden.Change("hide", (n,)))
    assert len(stack) == 2 and stack.peek() == hidden.Change("hide", (2,))
    assert stack.pop().ids == (2,) and stack.pop().ids == (1,) and stack.pop() is None
