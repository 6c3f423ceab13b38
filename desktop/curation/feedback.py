"""The user's feedback on items: opens, dwell, likes, hides, ratings, tag decisions, and
impressions ("shown": For you displayed the item; recommend reads one passed over as a weak
dislike).

Every event is one row in `events`; views derive state from them (an item is hidden
when its latest hide/unhide event is a hide), so nothing is ever lost or overwritten.

Events may carry a session name, so items read in one sitting can be related. In a catalog
several people share, a session name may start with the person's name and a slash
("ann/2026-12-03 evening"): Ann's recommendations then learn from Ann's own events, while
everybody's sessions tell which items are read together. The desktop app names its
sessions by sitting (`Sitting`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from desktop.catalog.store import Store, now_iso

SITTING_GAP = 30 * 60  # seconds without feedback that end a sitting

KINDS = frozenset({"open", "dwell", "like", "dislike", "hide", "unhide", "rating",
                   "tag_accept", "tag_reject", "shown"})


class FeedbackError(ValueError):
    """Feedback that cannot be recorded; the message says why."""


class Sitting:
    """The session name for the events the app records: one per sitting, so items read
    together are related (recommend_cooc). A sitting ends after SITTING_GAP seconds without
    an event; the next event starts a new one, named by its start time."""

    def __init__(self, gap: float = SITTING_GAP, clock: Callable[[], float] = time.time) -> None:
        self.gap, self.clock = gap, clock
        self._name: str | None = None
        self._last = 0.0
        self._lock = threading.Lock()  # workers record feedback on several threads

    def name(self) -> str:
        with self._lock:
            now = self.clock()
            if self._name is None or now - self._last > self.gap:
                started = datetime.fromtimestamp(now, UTC)
                # No "/": that would name a person (person_of)
                self._name = "sitting " + started.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            self._last = now
            return self._name


def record(store: Store, item_id: int, kind: str, value: float | None = None,
           session: str | None = None) -> int:
    """Record one event and return its id."""
    return record_many(store, [item_id], kind, value, session)[0]


def record_many(store: Store, item_ids: Iterable[int], kind: str, value: float | None = None,
                session: str | None = None) -> list[int]:
    """The same event for a whole selection, in one transaction."""
    value = _check(kind, value)
    ids = list(item_ids)
    stamp = now_iso()
    out = []
    with store.transaction() as conn:
        for item_id in ids:
            if conn.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone() is None:
                raise FeedbackError(f"There is no item {item_id}.")
            cur = conn.execute(
                "INSERT INTO events (item_id, kind, value, session, at) VALUES (?, ?, ?, ?, ?)",
                (item_id, kind, value, session, stamp))
            out.append(int(cur.lastrowid))
    return out


def _check(kind: str, value: float | None) -> float | None:
    if kind not in KINDS:
        raise FeedbackError(f"Unknown feedback {kind!r}: use one of {', '.join(sorted(KINDS))}.")
    if kind == "rating":
        if value is None or not 1 <= float(value) <= 5:
            raise FeedbackError("A rating is a number from 1 to 5.")
        return float(value)
    if kind == "dwell":
        if value is None or float(value) < 0:
            raise FeedbackError("Dwell time is a number of seconds, 0 or more.")
        return float(value)
    return None if value is None else float(value)


def person_of(session: str | None) -> str | None:
    """The person a session name names ("ann/evening" -> "ann"), or None."""
    if not session or "/" not in session:
        return None
    return session.split("/", 1)[0] or None


def person_filter(person: str | None) -> tuple[str, list]:
    """An SQL condition (" AND ...", arguments) keeping the events of one person's sessions;
    no condition for None."""
    if person is None:
        return "", []
    if not person or "/" in person:
        raise FeedbackError(f"A person's name cannot be empty or contain '/': {person!r}.")
    prefix = person + "/"
    return " AND substr(session, 1, ?) = ?", [len(prefix), prefix]  # exact, case and all


def hidden_since(store: Store) -> dict[int, str]:
    """Items whose latest hide/unhide event is a hide, with that event's time."""
    latest: dict[int, tuple[str, str]] = {}
    for item_id, kind, at in store.conn.execute(
            "SELECT item_id, kind, at FROM events WHERE kind IN ('hide', 'unhide') ORDER BY id"):
        latest[item_id] = (kind, at)
    return {item_id: at for item_id, (kind, at) in latest.items() if kind == "hide"}


def hidden_ids(store: Store) -> set[int]:
    """Items whose latest hide/unhide event is a hide."""
    return set(hidden_since(store))


def events(store: Store, kinds: Iterable[str] | None = None) -> list[dict]:
    """All events (oldest first), optionally of some kinds only."""
    if kinds is None:
        rows = store.conn.execute("SELECT * FROM events ORDER BY id")
    else:
        kinds = list(kinds)
        marks = ",".join("?" * len(kinds))
        rows = store.conn.execute(f"SELECT * FROM events WHERE kind IN ({marks}) ORDER BY id", kinds)
    return [dict(r) for r in rows]
