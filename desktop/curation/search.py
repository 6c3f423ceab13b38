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
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from desktop.catalog.store import Store, title_model_id
from desktop.catalog.textsearch import QueryError, has_cjk, to_fts_query, unsegment

from .feedback import hidden_ids
from .vectorindex import index_for

log = logging.getLogger(__name__)

RRF_K = 60
POOL = 200  # candidates taken from each side before fusion
# A meaning match stands out from the query's typical cosine over the library: a robust
# z-score of MEANING_MIN_Z, or of MEANING_NEAR_Z while also covering MEANING_MIN_SHARE of the
# way from the typical cosine to a perfect 1. The second test is for embedders whose cosines
# run high and compressed (multilingual-e5: unrelated pairs at 0.75-0.85), where a spread
# inflated by long documents kept clear matches under z = 3; measured on the sample library,
# MiniLM's matches pass either way.
MEANING_MIN_Z = 3.0
MEANING_NEAR_Z = 2.0
MEANING_MIN_SHARE = 0.35
MEANING_FLOOR = 0.15
# Titles are few words: their cosines to a query bunch up (a robust spread of 0.005 was seen
# on 26 titles), so a z-score alone lets chance through ("tax return deadline" reached z 3.8
# on a weather article's title at 8 % of the way to 1). A title match must also cover this
# share; the true matches measured on the sample library covered 30-39 %.
TITLE_MIN_SHARE = 0.25
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
    include_hidden: bool = False  # items the user hid are left out unless asked for


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


def _words(store: Store, expression: str, where: str, args: list,
           hidden: frozenset[int] | set[int] = frozenset()) -> list[dict]:
    """The best POOL full-text matches that pass the filters and are not `hidden`, without
    snippets (_snippets).

    FTS5 ranks its own matches first (ORDER BY rank LIMIT, no join), and only those few
    rows are looked up in items by primary key and filtered: bm25 over a common word's
    thousands of matches is cheap, a join and a snippet per match is not. When filters (or
    items that are not 'ok', or hidden ones) leave fewer than POOL, the candidate limit
    grows until nothing can be lost; the last resort is the plain join over every match.
    """
    limit = POOL * 2 if where == "1" and not hidden else POOL * 8
    try:
        while limit <= POOL * 64:
            hits = store.conn.execute(
                "SELECT rowid, bm25(items_fts, 10.0, 1.0, 3.0) AS rank FROM items_fts "
                "WHERE items_fts MATCH ? ORDER BY rank LIMIT ?", (expression, limit)).fetchall()
            rank = {r[0]: r[1] for r in hits if r[0] not in hidden}
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
            [expression, *args, POOL + len(hidden)]).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"Curio could not read this search: {exc}") from exc
    return [dict(r) for r in rows if r["id"] not in hidden][:POOL]


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


_QUERY_CACHE = 256  # query vectors kept: retyping, paging and refining repeat queries
_queries: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_embedders: dict[str, object] = {}
_queries_lock = threading.Lock()


def query_vector(model_id: str, query: str) -> np.ndarray:
    """The query's vector by the embedder that made the library's vectors (an LRU cache
    by text: embedding is most of a search's time). Raises ModelError without the model."""
    key = (model_id, query)
    with _queries_lock:
        vec = _queries.get(key)
        if vec is not None:
            _queries.move_to_end(key)
            return vec
        embedder = _embedders.get(model_id)
    if embedder is None:  # reading the manifest costs milliseconds: once per model
        from desktop.ml.choice import embedder_for

        embedder = embedder_for(model_id)
    vec = np.asarray(embedder.embed([query], kind="query"), dtype=np.float32)[0]
    with _queries_lock:
        _embedders[model_id] = embedder
        _queries[key] = vec
        while len(_queries) > _QUERY_CACHE:
            _queries.popitem(last=False)
    return vec


def forget_queries() -> None:
    """Drop cached query vectors and embedders (tests; after models change)."""
    with _queries_lock:
        _queries.clear()
        _embedders.clear()


def meaning_keep(top: np.ndarray, median: float, spread: float,
                 min_share: float = 0.0) -> np.ndarray:
    """Which of a query's best cosines (`top`, best first) count as meaning matches; each
    must also cover `min_share` of the way from the typical cosine to 1."""
    z = (top - median) / spread
    share = (top - median) / max(1.0 - median, 1e-6)
    return ((top >= MEANING_FLOOR) & (share >= min_share)
            & ((z >= MEANING_MIN_Z) | ((z >= MEANING_NEAR_Z) & (share >= MEANING_MIN_SHARE))))


def _meaning(store: Store, query: str, where: str, args: list, filtered: bool,
             hidden: frozenset[int] | set[int] = frozenset()) -> list[tuple[int, float]]:
    """(item id, cosine) of items close in meaning to the query, best first."""
    index = index_for(store)
    if not len(index):
        return []
    try:
        from desktop.ml.runtime import ModelError
    except ImportError:
        return []
    try:
        qvec = query_vector(index.model_id, query)  # the query must meet the vectors' model
    except (ModelError, ImportError) as exc:
        log.info("search by meaning unavailable: %s", exc)
        return []
    exclude = index.mask_of(hidden) if hidden else None
    if filtered:
        allowed = [r[0] for r in store.conn.execute(
            f"SELECT i.id FROM items i WHERE i.status = 'ok' AND {where}", args)]
        outside = ~index.mask_of(allowed)
        exclude = outside if exclude is None else exclude | outside
    found = _matches(index, qvec, exclude)
    # Titles too: a short title meets a short query better than a whole document does,
    # across languages most of all ("pocket parks" finds "口袋公园让城市更宜居" by its title).
    titles = index_for(store, title_model_id(index.model_id))
    if len(titles):
        outside = None if exclude is None else ~titles.mask_of(index.ids[~exclude])
        for item_id, (z, cosine) in _matches(titles, qvec, outside, TITLE_MIN_SHARE).items():
            if z > found.get(item_id, (-np.inf, 0.0))[0]:
                found[item_id] = (z, cosine)
    best = sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return [(item_id, cosine) for item_id, (_z, cosine) in best]


def _matches(index, qvec: np.ndarray, exclude: np.ndarray | None,
             min_share: float = 0.0) -> dict[int, tuple[float, float]]:
    """Item id -> (robust z-score, cosine) of the items of `index` that match by meaning."""
    median, spread = index.typical(qvec)  # the library's, not the filter's, typical cosine
    rows, top = index.nearest(qvec, POOL, exclude)
    keep = meaning_keep(top, median, spread, min_share)
    return {int(index.ids[r]): (float((c - median) / spread), float(c))
            for r, c in zip(rows[keep], top[keep], strict=True)}


def hybrid_search(store: Store, query: str, filters: SearchFilters | None = None,
                  limit: int = 50) -> list[dict]:
    """Items matching `query` by words, by meaning or both, best first.

    Each result: id, path, title, kind, score (fused), snippet, matched ("words",
    "meaning" or "both"), and the two ranks behind the score.
    """
    expression = to_fts_query(query)  # raises QueryError with a message for the user
    where, args = filter_sql(filters)
    hidden = frozenset() if filters is not None and filters.include_hidden else hidden_ids(store)
    words = _words(store, expression, where, args, hidden)
    meaning = _meaning(store, query, where, args, filtered=where != "1", hidden=hidden)
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
