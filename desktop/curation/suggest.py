"""Tag suggestions from rules, the zero-shot taxonomy head and heads learned from the user.

The one invariant users care most about: a suggestion never overwrites a decision. Rows
the user accepted or rejected are skipped by the upsert itself (`WHERE state =
'suggested'`), so a rejected tag never comes back, however often the heads are retrained.
Model sources only suggest tags marked learnable; rules always may (the user wrote them).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from desktop import paths
from desktop.catalog.store import Store, now_iso

from .rules import RULE_CONFIDENCE, match_rules
from .tags import ensure_taxonomy_tags
from .vectorindex import VectorIndex, index_for

log = logging.getLogger(__name__)

MIN_CONFIDENCE = 0.5
TAXONOMY_TOP_K = 3
LEARNED_TOP_K = 5
_FINGERPRINT_KEY = "learned_heads.fingerprint"


def heads_path(store: Store, model_id: str) -> Path:
    """Where the learned heads of this catalog and embedder live: next to the catalog."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_id)
    if store.path is not None:
        folder = store.path.with_name(store.path.stem + "-heads")
    else:
        folder = paths.data_dir() / "heads" / f"memory-{id(store)}"
    return folder / f"learned--{safe}.onnx"


def training_labels(store: Store, index: VectorIndex) -> dict[str, tuple[list[int], list[int]]]:
    """Learnable tag id (as str) -> (positive item ids, negative item ids), items with vectors.

    Positives: items the user accepted the tag on. Negatives: items the user rejected it on,
    plus items accepted for other tags (a user who tags carefully leaves few false gaps).
    """
    have = set(index.ids.tolist())
    rows = store.conn.execute(
        "SELECT it.item_id, it.tag_id, it.state FROM item_tags it JOIN tags t ON t.id = it.tag_id "
        "WHERE it.state IN ('accepted', 'rejected') AND t.learnable = 1").fetchall()
    accepted: dict[int, set[int]] = {}
    rejected: dict[int, set[int]] = {}
    for item_id, tag_id, state in rows:
        if item_id in have:
            (accepted if state == "accepted" else rejected).setdefault(tag_id, set()).add(item_id)
    tagged = set().union(*accepted.values()) if accepted else set()
    return {str(tag): (sorted(pos), sorted((rejected.get(tag, set()) | tagged) - pos))
            for tag, pos in accepted.items()}


def retrain_if_needed(store: Store) -> bool:
    """Retrain the learned heads when the user's decisions changed; True when it trained."""
    from desktop.ml.classify import labels_fingerprint, train_heads

    index = index_for(store)
    if not len(index):
        return False
    labels = training_labels(store, index)
    fingerprint = labels_fingerprint(labels, index.model_id)
    path = heads_path(store, index.model_id)
    previous = store.conn.execute("SELECT value FROM settings WHERE key = ?",
                                  (_FINGERPRINT_KEY,)).fetchone()
    if previous and previous[0] == fingerprint and (path.exists() or not labels):
        return False
    examples = {tag: (index.matrix[index.rows_of(pos)], index.matrix[index.rows_of(neg)])
                for tag, (pos, neg) in labels.items()}
    heads = train_heads(examples, model_id=index.model_id, fingerprint=fingerprint)
    if heads.tags:
        heads.save(path)
    else:
        for stale in (path, path.with_suffix(".json")):
            stale.unlink(missing_ok=True)
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                     (_FINGERPRINT_KEY, fingerprint))
    return True


def _learned(store: Store, index: VectorIndex):
    from desktop.ml.classify import LearnedHeads

    path = heads_path(store, index.model_id)
    if not path.exists():
        return None
    try:
        heads = LearnedHeads.load(path)
    except (OSError, ValueError) as exc:  # damaged or old-format file: retrain next time
        log.warning("learned heads unusable (%s); they will be retrained", exc)
        return None
    return heads if heads.model_id == index.model_id else None


_taxonomy_cache: dict[str, object] = {}


def _taxonomy(index: VectorIndex):
    """The taxonomy classifier for the index's embedder, or None when models are missing."""
    if index.model_id in _taxonomy_cache:
        return _taxonomy_cache[index.model_id]
    from desktop.ml.choice import embedder_for
    from desktop.ml.classify import TaxonomyClassifier
    from desktop.ml.runtime import ModelError

    try:
        embedder = embedder_for(index.model_id)  # the head is built for the vectors' model
        classifier = TaxonomyClassifier.load_or_build(embedder)
    except ModelError as exc:
        log.warning("taxonomy suggestions unavailable: %s", exc)
        return None
    _taxonomy_cache[index.model_id] = classifier
    return classifier


Candidate = tuple[float, str, str | None]  # confidence, source, model_id


def _model_candidates(store: Store, index: VectorIndex, rows: np.ndarray, taxonomy: bool,
                      min_confidence: float) -> tuple[dict[tuple[int, int], Candidate], set[str]]:
    learnable = {r[0] for r in store.conn.execute("SELECT id FROM tags WHERE learnable = 1")}
    out: dict[tuple[int, int], Candidate] = {}
    ran: set[str] = set()
    if not len(rows):
        return out, ran
    vectors = index.matrix[rows]
    item_ids = index.ids[rows]

    def offer(item_id: int, tag_id: int, conf: float, source: str, model_id: str) -> None:
        if tag_id in learnable and conf >= min_confidence:
            key = (int(item_id), int(tag_id))
            if key not in out or out[key][0] < conf:
                out[key] = (float(conf), source, model_id)

    classifier = _taxonomy(index) if taxonomy else None
    if classifier is not None:
        tag_of = ensure_taxonomy_tags(store)
        learnable |= {r[0] for r in store.conn.execute("SELECT id FROM tags WHERE learnable = 1")}
        label_ids = classifier.taxonomy.ids
        conf = classifier.confidences(vectors)
        ran.add("taxonomy")
        for r, item_id in enumerate(item_ids):
            for j in np.argsort(-conf[r])[:TAXONOMY_TOP_K]:
                if label_ids[j] in tag_of:
                    offer(item_id, tag_of[label_ids[j]], conf[r, j], "taxonomy",
                          classifier.model_id)
    retrain_if_needed(store)
    heads = _learned(store, index)
    if heads is not None:
        ran.add("learned")
        conf = heads.predict(vectors)
        model_id = f"learned:{heads.fingerprint[:12]}+{heads.model_id}"
        for r, item_id in enumerate(item_ids):
            for j in np.argsort(-conf[r])[:LEARNED_TOP_K]:
                offer(item_id, int(heads.tags[j]), conf[r, j], "learned", model_id)
    return out, ran


def suggest_tags(store: Store, item_ids=None, min_confidence: float = MIN_CONFIDENCE,
                 taxonomy: bool = True) -> int:
    """Refresh the suggestions of some items (None: all); returns how many were written.

    Stale suggestions of the sources that ran are withdrawn; decisions are never touched.
    """
    ids = None if item_ids is None else [int(i) for i in item_ids]
    found: dict[tuple[int, int], Candidate] = {
        key: (RULE_CONFIDENCE, "rule", None) for key in match_rules(store, ids)}
    ran = {"rule"}
    index = index_for(store)
    if len(index):
        try:
            rows = np.arange(len(index)) if ids is None else index.rows_of(ids)
            model_found, model_ran = _model_candidates(store, index, rows, taxonomy,
                                                       min_confidence)
        except ImportError as exc:  # the model code itself is not installed
            log.warning("model suggestions unavailable: %s", exc)
            model_found, model_ran = {}, set()
        ran |= model_ran
        for key, cand in model_found.items():
            if key not in found or found[key][0] < cand[0]:
                found[key] = cand
    return _write(store, ids, found, ran)


def _write(store: Store, ids: list[int] | None, found: dict[tuple[int, int], Candidate],
           ran: set[str]) -> int:
    stamp = now_iso()
    written = 0
    marks = ",".join("?" * len(ran))
    with store.transaction() as conn:
        existing = conn.execute(
            f"SELECT item_id, tag_id FROM item_tags WHERE state = 'suggested' AND source IN ({marks})",
            sorted(ran)).fetchall()
        scope = None if ids is None else set(ids)
        stale = [(i, t) for i, t in existing
                 if (i, t) not in found and (scope is None or i in scope)]
        conn.executemany("DELETE FROM item_tags WHERE item_id = ? AND tag_id = ? "
                         "AND state = 'suggested'", stale)
        for (item_id, tag_id), (conf, source, model_id) in found.items():
            cur = conn.execute(
                "INSERT INTO item_tags (item_id, tag_id, state, confidence, source, model_id, "
                "updated_at) VALUES (?, ?, 'suggested', ?, ?, ?, ?) "
                "ON CONFLICT(item_id, tag_id) DO UPDATE SET confidence = excluded.confidence, "
                "source = excluded.source, model_id = excluded.model_id, "
                "updated_at = excluded.updated_at WHERE item_tags.state = 'suggested'",
                (item_id, tag_id, round(conf, 4), source, model_id, stamp))
            written += cur.rowcount
    return written
