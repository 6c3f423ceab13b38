"""Hybrid search: full-text BM25 ranks and vector similarity, fused by reciprocal rank.

RRF (score = sum of 1 / (K + rank) over both lists) needs no score calibration between
BM25 and cosines. The vector side only contributes items that stand out from the query's
similarity distribution over the library, so a query always gets meaning matches that mean
something rather than the whole library in some order. Without the embedding model the
search is full-text only; a query the full-text parser cannot read raises QueryError.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from desktop.catalog.store import Store
from desktop.catalog.textsearch import QueryError, has_cjk, to_fts_query, unsegment

from .similar import relative_scores
from .vectorindex import index_for

log = logging.getLogger(__name__)

RRF_K = 60
POOL = 200  # candidates taken from each side before fusion
MEANING_MIN_Z = 3.0  # a meaning match must stand out this far from the query's typical cosine
MEANING_FLOOR = 0.15
SNIPPET_CHARS = 160
_SPACES = re.compile(" +")


@dataclass
class SearchFilters:
    tags: Sequence[int | str] = ()  # accepted tags (ids or names); all must be present
    kinds: Sequence[str] = ()  # any of these kinds
    date_from: str | None = None  # ISO dates, compared with created, else modified, else added
    date_to: str | None = None
    cluster_id: int | None = None
    folder: str | None = None  # path prefix


def filter_sql(filters: SearchFilters | None) -> tuple[str, list]:
    """An SQL condition over items aliased `i`, and its arguments."""
    if filters is None:
        return "1", []
    parts, args = [], []
    for tag in filters.tags:
        if isinstance(tag, int) or str(tag).isdigit():
            parts.append("EXISTS (SELECT 1 FROM item_tags it WHERE it.item_id = i.id "
                         "AND it.tag_id = ? AND it.state = 'accepted')")
            args.append(int(tag))
        else:
            parts.append("EXISTS (SELECT 1 FROM item_tags it JOIN tags t ON t.id = it.tag_id "
                         "WHERE it.item_id = i.id AND t.name = ? AND it.state = 'accepted')")
            args.append(str(tag))
    if filters.kinds:
        parts.append(f"i.kind IN ({','.join('?' * len(filters.kinds))})")
        args += list(filters.kinds)
    date = "coalesce(i.created, i.modified, i.added_at)"
    if filters.date_from:
        parts.append(f"{date} >= ?")
        args.append(filters.date_from)
    if filters.date_to:
        # A bare date includes that whole day.
        parts.append(f"{date} <= ?")
        args.append(filters.date_to + ("T99" if len(filters.date_to) == 10 else ""))
    if filters.cluster_id is not None:
        parts.append("i.id IN (SELECT item_id FROM item_clusters WHERE cluster_id = ?)")
        args.append(filters.cluster_id)
    if filters.folder:
        folder = filters.folder.rstrip("/\\")
        parts.append("(i.path = ? OR substr(i.path, 1, ?) IN (? || '/', ? || '\\'))")
        args += [folder, len(folder) + 1, folder, folder]
    return (" AND ".join(parts) or "1"), args


_COLUMNS = "i.id, i.path, coalesce(i.title, i.name) AS title, i.kind, i.created, i.modified"


def _words(store: Store, expression: str, where: str, args: list) -> list[dict]:
    """The best POOL full-text matches that pass the filters, without snippets (_snippets).

    FTS5 ranks its own matches first (ORDER BY rank LIMIT, no join), and only those few
    rows are looked up in items by primary key and filtered: bm25 over a common word's
    thousands of matches is cheap, a join and a snippet per match is not. When filters (or
    items that are not 'ok') leave fewer than POOL, the candidate limit grows until
    nothing can be lost; the last resort is the plain join over every match.
    """
    limit = POOL * 2 if where == "1" else POOL * 8
    try:
        while limit <= POOL * 64:
            hits = store.conn.execute(
                "SELECT rowid, bm25(items_fts, 10.0, 1.0, 3.0) AS rank FROM items_fts "
                "WHERE items_fts MATCH ? ORDER BY rank LIMIT ?", (expression, limit)).fetchall()
            rank = {r[0]: r[1] for r in hits}
            rows = [dict(r) for r in store.conn.execute(
                f"SELECT {_COLUMNS} FROM items i WHERE i.id IN ({','.join('?' * len(rank))}) "
                f"AND i.status = 'ok' AND {where}", [*rank, *args])] if rank else []
            if len(rows) >= POOL or len(hits) < limit:
                for row in rows:
                    row["rank"] = rank[row["id"]]
                rows.sort(key=lambda r: (r["rank"], r["id"]))
                return rows[:POOL]
            limit *= 8
        rows = store.conn.execute(
            f"SELECT {_COLUMNS}, bm25(items_fts, 10.0, 1.0, 3.0) AS rank "
            "FROM items_fts JOIN items i ON i.id = items_fts.rowid "
            f"WHERE items_fts MATCH ? AND i.status = 'ok' AND {where} ORDER BY rank, i.id LIMIT ?",
            [expression, *args, POOL]).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"Curio could not read this search: {exc}") from exc
    return [dict(r) for r in rows]


def _snippets(store: Store, expression: str, ids: list[int]) -> dict[int, str]:
    """Highlighted snippets of a few word matches (snippet() re-reads each text: only the
    page being shown pays for it). The rowid range lets FTS5 skip most other matches."""
    if not ids:
        return {}
    rows = store.conn.execute(
        "SELECT rowid, snippet(items_fts, 1, '[', ']', ' … ', 12) FROM items_fts "
        f"WHERE items_fts MATCH ? AND rowid >= ? AND rowid <= ? AND rowid IN "
        f"({','.join('?' * len(ids))})", [expression, min(ids), max(ids), *ids])
    # unsegment walks every space with a callback: only CJK text needs it.
    return {r[0]: unsegment(r[1]) if has_cjk(r[1] or "") else _SPACES.sub(" ", r[1] or "").strip()
            for r in rows}


def _meaning(store: Store, query: str, where: str, args: list, filtered: bool) -> list[tuple[int, float]]:
    """(item id, cosine) of items close in meaning to the query, best first."""
    index = index_for(store)
    if not len(index):
        return []
    try:
        from desktop.ml.choice import embedder_for
        from desktop.ml.runtime import ModelError
    except ImportError:
        return []
    try:
        embedder = embedder_for(index.model_id)  # the query must meet the vectors' model
        qvec = np.asarray(embedder.embed([query], kind="query"), dtype=np.float32)[0]
    except ModelError as exc:
        log.info("search by meaning unavailable: %s", exc)
        return []
    sims = index.scores(qvec)
    exclude = None
    if filtered:
        allowed = [r[0] for r in store.conn.execute(
            f"SELECT i.id FROM items i WHERE i.status = 'ok' AND {where}", args)]
        exclude = ~index.mask_of(allowed)
    median, spread = relative_scores(sims)
    rows, top = index.top(sims, POOL, exclude)
    keep = (top >= MEANING_FLOOR) & ((top - median) / spread >= MEANING_MIN_Z)
    return [(int(index.ids[r]), float(s)) for r, s in zip(rows[keep], top[keep], strict=True)]


def hybrid_search(store: Store, query: str, filters: SearchFilters | None = None,
                  limit: int = 50) -> list[dict]:
    """Items matching `query` by words, by meaning or both, best first.

    Each result: id, path, title, kind, score (fused), snippet, matched ("words",
    "meaning" or "both"), and the two ranks behind the score.
    """
    expression = to_fts_query(query)  # raises QueryError with a message for the user
    where, args = filter_sql(filters)
    words = _words(store, expression, where, args)
    meaning = _meaning(store, query, where, args, filtered=where != "1")
    fused: dict[int, dict] = {}
    for rank, row in enumerate(words, 1):
        fused[row["id"]] = {"words_rank": rank, "meaning_rank": None,
                            "score": 1.0 / (RRF_K + rank), "row": row}
    for rank, (item_id, cosine) in enumerate(meaning, 1):
        entry = fused.setdefault(item_id, {"words_rank": None, "score": 0.0, "row": None})
        entry["meaning_rank"] = rank
        entry["cosine"] = cosine
        entry["score"] += 1.0 / (RRF_K + rank)
    best = sorted(fused.items(), key=lambda kv: (-kv[1]["score"], kv[0]))[:limit]
    missing = [i for i, e in best if e["row"] is None]
    extra = _rows_for(store, missing)
    snippets = _snippets(store, expression, [i for i, e in best if e["words_rank"]])
    results = []
    for item_id, entry in best:
        row = entry["row"] or extra.get(item_id)
        if row is None:
            continue
        matched = ("both" if entry["words_rank"] and entry["meaning_rank"]
                   else "words" if entry["words_rank"] else "meaning")
        snippet = snippets.get(item_id, "") if entry["words_rank"] else row["lead"]
        results.append({
            "id": item_id, "path": row["path"], "title": row["title"], "kind": row["kind"],
            "score": round(entry["score"], 6), "snippet": snippet, "matched": matched,
            "words_rank": entry["words_rank"], "meaning_rank": entry["meaning_rank"],
        })
    return results


def _rows_for(store: Store, ids: list[int]) -> dict[int, dict]:
    if not ids:
        return {}
    rows = store.conn.execute(
        f"SELECT {_COLUMNS}, substr(i.body, 1, {SNIPPET_CHARS * 2}) AS lead FROM items i "
        f"WHERE i.id IN ({','.join('?' * len(ids))})", ids)
    out = {}
    for r in rows:
        row = dict(r)
        lead = " ".join((row["lead"] or "").split())
        row["lead"] = lead[:SNIPPET_CHARS] + (" …" if len(lead) > SNIPPET_CHARS else "")
        out[row["id"]] = row
    return out
