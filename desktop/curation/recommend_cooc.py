"""Behavioural co-occurrence: items opened or liked in the same session.

Two items read in one sitting are related in a way their text may not show (one author's
tone, one project, one evening's mood). The sessions of everybody who uses the catalog
count, so when several people share a library, people with similar tastes point each
other to items; with one user it links the user's own past sessions.

The table is folded incrementally: each call reads only the events added since the last
one (a full rebuild only when events were deleted), so a new like costs microseconds here.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from desktop.catalog.store import Store

from .vectorindex import VectorIndex

# What puts an item into a session's set: reading it, or saying it was good. A dislike or
# hide in the same session takes it out again (opened, then found not to the reader's taste).
JOINS = frozenset({"open", "dwell", "like", "tag_accept"})
LEAVES = frozenset({"dislike", "hide"})
SHRINK = 1.0  # added to the normaliser: one shared session between rare items is weak evidence


@dataclass
class CoOccurrence:
    last_id: int = 0
    rows: int = 0
    sessions: dict[str, set[int]] = field(default_factory=dict)
    pairs: dict[int, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    count: Counter[int] = field(default_factory=Counter)  # item -> sessions it is in

    def _join(self, members: set[int], item_id: int) -> None:
        if item_id in members:
            return
        self.count[item_id] += 1
        for other in members:
            self.pairs[item_id][other] += 1
            self.pairs[other][item_id] += 1
        members.add(item_id)

    def _leave(self, members: set[int], item_id: int) -> None:
        if item_id not in members:
            return
        members.discard(item_id)
        self.count[item_id] -= 1
        for other in members:
            for a, b in ((item_id, other), (other, item_id)):
                self.pairs[a][b] -= 1
                if self.pairs[a][b] <= 0:
                    del self.pairs[a][b]

    def fold(self, events: list[tuple[int, int, str, float | None, str]]) -> None:
        """Add events (id, item, kind, value, session), oldest first: each costs the size
        of its session, so long sessions stay cheap."""
        for event_id, item_id, kind, value, sess in events:
            self.last_id = max(self.last_id, event_id)
            self.rows += 1
            if not sess or item_id is None:
                continue
            members = self.sessions.setdefault(sess, set())
            if kind in JOINS or (kind == "rating" and value is not None and value >= 3):
                self._join(members, item_id)
            elif kind in LEAVES or (kind == "rating" and value is not None and value < 3):
                self._leave(members, item_id)

    def related(self, item_id: int) -> dict[int, float]:
        """Other items by how often they share a session with item_id (cosine-normalised)."""
        n = self.count.get(item_id, 0)
        if n <= 0:
            return {}
        return {other: c / (math.sqrt(n * self.count[other]) + SHRINK)
                for other, c in self.pairs.get(item_id, {}).items()}


_tables: weakref.WeakKeyDictionary[Store, CoOccurrence] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def table_for(store: Store) -> CoOccurrence:
    """The catalog's co-occurrence table, brought up to date with the events."""
    count, top = store.conn.execute("SELECT count(*), coalesce(max(id), 0) FROM events").fetchone()
    with _lock:
        table = _tables.get(store)
    if table is None or top < table.last_id or count < table.rows:
        table = CoOccurrence()  # events were deleted: start over
    if top > table.last_id:
        table.fold(store.conn.execute(
            "SELECT id, item_id, kind, value, session FROM events WHERE id > ? ORDER BY id",
            (table.last_id,)).fetchall())
    if table.rows != count:  # rows deleted and others added since the last look
        table = CoOccurrence()
        table.fold(store.conn.execute(
            "SELECT id, item_id, kind, value, session FROM events ORDER BY id").fetchall())
    with _lock:
        _tables[store] = table
    return table


def co_scores(table: CoOccurrence, signal: dict[int, float], index: VectorIndex,
              min_signal: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the signal-weighted co-occurrence with the user's liked items, and the liked
    item that contributes most (-1: none)."""
    total: dict[int, float] = defaultdict(float)
    best: dict[int, tuple[float, int]] = {}
    for item_id, s in signal.items():
        if s < min_signal:
            continue
        for other, sim in table.related(item_id).items():
            gain = s * sim
            total[other] += gain
            if gain > best.get(other, (0.0, -1))[0]:
                best[other] = (gain, item_id)
    score = np.zeros(len(index), dtype=np.float32)
    source = np.full(len(index), -1, dtype=np.int64)
    if total:
        others = np.fromiter(total, dtype=np.int64, count=len(total))
        others = others[np.isin(others, index.ids)]  # items without a vector have no row
        rows = index.rows_of(others)
        score[rows] = [total[int(i)] for i in others]
        source[rows] = [best[int(i)][1] for i in others]
    return score, source
