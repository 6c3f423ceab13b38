"""What the UI asks of the core: plain functions of a Store, run inside workers.

No Qt here. The curation modules are being built alongside the UI, so each is imported
on demand and a missing one makes its view say "not available" instead of failing.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from ..catalog.store import ITEM_COLUMNS, Store, _item_row, summary_of
from ..catalog.textsearch import QueryError

FEATURES = ("tags", "similar", "search", "clusters", "feedback", "recommend", "hidden")


class NotAvailable(RuntimeError):
    """A feature whose module is not part of this build (yet)."""


def module(name: str) -> ModuleType | None:
    """desktop.curation.<name>, or None when it is missing or cannot be imported."""
    try:
        return importlib.import_module(f"desktop.curation.{name}")
    except ImportError:
        return None


def need(name: str) -> ModuleType:
    mod = module(name)
    if mod is None:
        raise NotAvailable(name)
    return mod


def preload() -> float:
    """Import numpy and the curation modules now, on the calling (GUI) thread; returns seconds.

    Imported later by a worker, their C extensions' set-up holds the GIL for tens of
    milliseconds at a time, and a GUI thread that needs the same module waits for the
    whole import: the window froze for 100-200 ms while the first results came in.
    Done before the window is shown, it costs launch time instead (about 0.2 s here).
    """
    started = time.perf_counter()
    for name in FEATURES:
        module(name)
    return time.perf_counter() - started


def available() -> dict[str, bool]:
    return {name: module(name) is not None for name in FEATURES}


@dataclass
class Filters:
    """The search box's filters; empty fields do not filter."""

    kinds: list[str] = field(default_factory=list)
    tags: list[int] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    cluster_id: int | None = None
    folder: str | None = None

    def empty(self) -> bool:
        return not (self.kinds or self.tags or self.date_from or self.date_to
                    or self.cluster_id is not None or self.folder)


def hidden_ids(store: Store) -> set[int]:
    feedback = module("feedback")
    if feedback is None:
        return set()
    try:
        return set(feedback.hidden_ids(store))
    except Exception:  # noqa: BLE001 - the feedback tables may not exist in an old catalog
        return set()


def library_items(store: Store, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """One page of the library, without the items the user hid."""
    hidden = hidden_ids(store)
    return [i for i in store.items("ok", limit=limit, offset=offset) if i["id"] not in hidden]


def hidden_items(store: Store) -> list[dict[str, Any]]:
    """The items the user hid, most recently hidden first."""
    return need("hidden").hidden_items(store)


def items_indexed_since(store: Store, since: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Items read at or after the `since` stamp (None: all), and the newest stamp seen.

    While indexing runs the library list asks for this every few seconds, so it must stay
    cheap on a big catalog: only the new rows are turned into dicts.
    """
    hidden = hidden_ids(store)
    where, args = ("AND indexed_at >= ?", [since]) if since else ("", [])
    rows = store.conn.execute(
        f"SELECT {ITEM_COLUMNS} FROM items WHERE status = 'ok' {where} ORDER BY id", args).fetchall()
    items = [_item_row(r) for r in rows if r["id"] not in hidden]
    newest = max((i["indexed_at"] or "" for i in items), default=since) or since
    return items, newest


def overview(store: Store) -> dict[str, Any]:
    """Counts and filter choices for the sidebar and the search filters."""
    data: dict[str, Any] = {"counts": store.counts(), "kinds": store.kinds(),
                            "roots": [(r.id, r.path) for r in store.roots()],
                            "tags": [], "clusters": [], "features": available()}
    tags = module("tags")
    if tags is not None:
        try:
            data["tags"] = tags.list_tags(store)
        except Exception:  # noqa: BLE001
            pass
    clusters = module("clusters")
    if clusters is not None:
        try:
            data["clusters"] = clusters.list_clusters(store)
        except Exception:  # noqa: BLE001
            pass
    hidden = module("hidden")
    if hidden is not None:
        data["hidden"] = hidden.hidden_count(store)
    data["embedder"] = embedder_state(store)
    return data


def embedder_state(store: Store) -> dict[str, Any] | None:
    """The catalog's embedder setting ("auto" or a manifest name); None when the models are
    not part of this build. (Not what "auto" picks now: that samples the library's text,
    too much for every refresh of the overview.)"""
    try:
        from ..ml import choice
    except ImportError:
        return None
    return {"choice": choice.get_choice(store)}


def set_embedder(store: Store, value: str) -> str:
    """Store the user's embedder choice; returns the embedder it picks (vectors of a new
    one are made by the next indexing run, while search keeps using the old ones)."""
    from ..ml import choice

    choice.set_choice(store, value)
    return choice.chosen_embedder(store)


def _date_of(item: dict[str, Any]) -> str:
    return (item.get("created") or item.get("modified") or item.get("added_at") or "")[:10]


def _passes(item: dict[str, Any], f: Filters) -> bool:
    if f.kinds and item.get("kind") not in f.kinds:
        return False
    if f.folder and not str(item.get("path", "")).startswith(f.folder):
        return False
    day = _date_of(item)
    if f.date_from and (not day or day < f.date_from):
        return False
    return not (f.date_to and (not day or day > f.date_to))


def search(store: Store, query: str, filters: Filters, limit: int = 200) -> dict[str, Any]:
    """Hybrid search when the curation module is there, full-text search otherwise.

    Returns {"items": [...], "mode": "hybrid" | "text" | "filter", "note": why hybrid
    search fell back to words only, or ""}. A query the core
    cannot read raises QueryError, whose message is meant for the user.
    """
    hidden = hidden_ids(store)
    hybrid = module("search")
    note = ""
    if hybrid is not None and query.strip():
        sf = hybrid.SearchFilters(
            tags=tuple(filters.tags), kinds=tuple(filters.kinds), date_from=filters.date_from,
            date_to=filters.date_to, cluster_id=filters.cluster_id, folder=filters.folder)
        try:
            found = hybrid.hybrid_search(store, query, filters=sf, limit=limit)
        except QueryError:
            raise
        except Exception as exc:  # noqa: BLE001 - e.g. a missing model: words still work
            note = str(exc)
        else:
            items = []
            for hit in found:
                if hit["id"] in hidden:
                    continue
                item = store.item(hit["id"]) or {}
                item.update({k: v for k, v in hit.items() if v is not None})
                items.append(item)
            return {"items": items, "mode": "hybrid", "note": ""}
    if query.strip():
        found = store.search_text(query, limit=limit * 2)
        mode = "text"
    else:
        found = store.items("ok", limit=100000)
        mode = "filter"
    if filters.tags or filters.cluster_id is not None:
        allowed = _ids_with_tags_or_cluster(store, filters)
        found = [i for i in found if i["id"] in allowed]
    items = [i for i in found if i["id"] not in hidden and _passes(i, filters)][:limit]
    return {"items": items, "mode": mode, "note": note}


def _ids_with_tags_or_cluster(store: Store, f: Filters) -> set[int]:
    ids: set[int] | None = None
    if f.tags:
        marks = ",".join("?" * len(f.tags))
        rows = store.conn.execute(
            f"SELECT item_id FROM item_tags WHERE state = 'accepted' AND tag_id IN ({marks})", f.tags)
        ids = {r[0] for r in rows}
    if f.cluster_id is not None:
        rows = store.conn.execute("SELECT item_id FROM item_clusters WHERE cluster_id = ?",
                                  (f.cluster_id,))
        members = {r[0] for r in rows}
        ids = members if ids is None else ids & members
    return ids or set()


def item_detail(store: Store, item_id: int, similar_limit: int = 8) -> dict[str, Any]:
    """Everything the detail pane shows about one item; missing parts are None."""
    detail: dict[str, Any] = {"item": store.item(item_id), "summary": None, "tags": None,
                              "similar": None, "duplicates": None, "errors": []}
    try:
        detail["summary"] = summary_of(store, item_id)
    except Exception as exc:  # noqa: BLE001
        detail["errors"].append(str(exc))
    tags = module("tags")
    if tags is not None:
        try:
            detail["tags"] = _with_taxonomy(store, tags.item_tags(store, item_id))
        except Exception as exc:  # noqa: BLE001
            detail["errors"].append(str(exc))
    similar = module("similar")
    if similar is not None:
        try:
            found = similar.similar_items(store, item_id, similar_limit)
            detail["similar"] = found.get("similar", [])
            detail["duplicates"] = found.get("duplicates", [])
        except Exception as exc:  # noqa: BLE001 - e.g. no vectors yet: the pane says so
            detail["errors"].append(str(exc))
    return detail


def item_text(store: Store, item_id: int) -> dict[str, Any] | None:
    return store.item(item_id, with_body=True)


_sitting: Any = None  # feedback.Sitting, made on first use (curation modules load lazily)


def sitting_name() -> str:
    """The session name of this sitting: events of one sitting relate their items."""
    global _sitting
    if _sitting is None:
        _sitting = need("feedback").Sitting()
    return _sitting.name()


def record_feedback(store: Store, item_ids: list[int], kind: str, value: float | None = None) -> int:
    """One event per item (one transaction), in this sitting's session. "shown" events
    (impressions: what For you displayed) are recorded the same way."""
    need("feedback").record_many(store, item_ids, kind, value, session=sitting_name())
    return len(item_ids)


# recommend() explains each pick in English ("because you liked <title>") and names the
# kind of reason in `why`; the UI needs the kind and the subject apart to say it in the
# user's language. A `why` given as a dict ({"kind", "subject", ...}) is taken as it is.
_REASON_PREFIXES = {
    "liked": ("because you liked ",),
    "tag": ("tagged ",),
    "co": ("often opened with ",),
    "cluster": ("popular in a topic you read: ",),
    "explore": ("something different: ",),
    "cold start": ("to get you started: ", "something different to start with"),
}
MIN_LIKED_Z = 0.5  # "because you liked X" only when the item is closer to X than most are


def explain(rec: dict[str, Any]) -> dict[str, Any]:
    """{"kind": liked | tag | co | cluster | explore | start | other, "subject": str}."""
    why, reason = rec.get("why"), str(rec.get("reason") or "")
    if isinstance(why, dict):
        return {"kind": str(why.get("kind") or "other"), "subject": str(why.get("subject") or "")}
    for prefix in _REASON_PREFIXES.get(str(why), ()):
        if reason.startswith(prefix):
            kind = "start" if why == "cold start" else str(why)
            return {"kind": kind, "subject": reason[len(prefix):].strip()}
    return {"kind": "other", "subject": reason}


def _tag_taxonomy(store: Store) -> dict[int, str]:
    try:
        return dict(store.conn.execute("SELECT id, taxonomy_id FROM tags WHERE taxonomy_id IS NOT NULL"))
    except Exception:  # noqa: BLE001 - an old catalog without the column
        return {}


def _with_taxonomy(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tag rows (with tag_id) get their taxonomy_id, so the UI can show the label's name."""
    ids = _tag_taxonomy(store)
    return [r | {"taxonomy_id": ids.get(r.get("tag_id"))} for r in rows]


def _liked_sims(store: Store) -> tuple[Any, dict[str, int]]:
    """The vector index, and title -> id of the items the user's feedback counts for."""
    vectorindex = module("vectorindex")
    if vectorindex is None:
        return None, {}
    index = vectorindex.index_for(store)
    if not len(index):
        return None, {}
    rows = store.conn.execute(
        "SELECT DISTINCT e.item_id, coalesce(i.title, i.name) FROM events e JOIN items i "
        "ON i.id = e.item_id WHERE e.kind IN ('like', 'rating', 'tag_accept', 'open', 'dwell')"
    ).fetchall()
    return index, {title: item_id for item_id, title in rows}


def recommendations(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """Up to `limit` good recommendations, each with `because` (kind, subject) and `relevance`.

    Items with negative evidence are left out: a total score at or below zero (the
    library's average), or "because you liked X" where the item is no closer to X than
    most of the library is. `relevance` (0..1) is the score relative to the best shown.
    """
    found = need("recommend").recommend(store, limit * 2)
    hidden = hidden_ids(store)
    taxonomy = {name: tax for name, tax in store.conn.execute(
        "SELECT name, taxonomy_id FROM tags WHERE taxonomy_id IS NOT NULL")} if found else {}
    index, liked = _liked_sims(store) if any(r.get("why") == "liked" for r in found) else (None, {})
    z_cache: dict[int, Any] = {}
    out: list[dict[str, Any]] = []
    for rec in found:
        if rec["id"] in hidden:
            continue
        because = explain(rec)
        score = rec.get("score")
        exploring = because["kind"] in ("explore", "start")
        if not exploring and isinstance(score, (int, float)) and score <= 0:
            continue
        if because["kind"] == "liked" and index is not None:
            z = _closeness(index, liked.get(because["subject"]), rec["id"], z_cache)
            if z is not None and z < MIN_LIKED_Z:
                continue
        if because["kind"] == "tag":
            because["taxonomy_id"] = taxonomy.get(because["subject"])
        out.append(rec | {"because": because})
        if len(out) >= limit:
            break
    scores = [r["score"] for r in out if isinstance(r.get("score"), (int, float)) and r["score"] > 0]
    best = max(scores, default=0.0)
    for rank, rec in enumerate(out):
        score = rec.get("score")
        if best > 0 and isinstance(score, (int, float)) and score > 0:
            rec["relevance"] = max(0.05, min(1.0, score / best))
        else:  # an exploring pick: no claim of relevance beyond its place in the list
            rec["relevance"] = max(0.05, 1.0 - rank / max(len(out), 1))
    return out


def _closeness(index: Any, liked_id: int | None, item_id: int, cache: dict[int, Any]) -> float | None:
    """How far item_id stands out in similarity to liked_id (z-score), or None if unknown."""
    if liked_id is None:
        return None
    if liked_id not in cache:
        vec = index.vector(liked_id)
        if vec is None:
            cache[liked_id] = None
        else:
            sims = index.scores(vec)
            sd = float(sims.std())
            cache[liked_id] = (sims, float(sims.mean()), sd if sd > 1e-9 else 1.0)
    entry = cache[liked_id]
    row = index.row_of(item_id)
    if entry is None or row is None:
        return None
    sims, mean, sd = entry
    return (float(sims[row]) - mean) / sd


def duplicate_groups(store: Store) -> list[list[dict[str, Any]]]:
    groups = need("similar").duplicate_groups(store)
    # Accept groups given as lists of ids or of dicts: show titles either way.
    shown = []
    for group in groups:
        members = group.get("items", group.get("members", [])) if isinstance(group, dict) else group
        rows = []
        for member in members:
            item_id = member if isinstance(member, int) else member.get("id")
            item = store.item(item_id) if item_id is not None else None
            if item:
                rows.append(item)
        if len(rows) > 1:
            shown.append(rows)
    return shown


def tags_overview(store: Store) -> dict[str, Any]:
    tags = need("tags")
    return {"tags": tags.list_tags(store),
            "pending": _with_taxonomy(store, tags.pending_suggestions(store))}


def clusters_overview(store: Store) -> dict[str, Any]:
    clusters = need("clusters")
    return {"clusters": clusters.list_clusters(store), "points": clusters.map_points(store)}


def cluster_members(store: Store, cluster_id: int) -> list[dict[str, Any]]:
    members = need("clusters").cluster_members(store, cluster_id)
    rows = []
    for member in members:
        item_id = member if isinstance(member, int) else member.get("id")
        item = store.item(item_id)
        if item:
            rows.append(item)
    return rows
