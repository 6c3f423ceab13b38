"""The model stages of indexing: embed, suggest tags, summarise. Incremental and cancellable.

Each stage works only on what is stale: an item whose text hash or model id differs from
what made its stored value. A missing or damaged model stops the model stages with a
clear problem in the run's report; the text catalog stays fully usable.
"""

from __future__ import annotations

import re
import time

import numpy as np

from desktop.catalog.scan import ScanProblem
from desktop.catalog.store import (
    Store,
    items_needing_summaries,
    items_needing_vectors,
    save_summaries,
    save_vectors,
    title_model_id,
    vectors_of,
)
from desktop.pipeline import Control, Progress, ProgressCallback, RunReport

from .runtime import ModelError

DOCS_PER_BATCH = 16
TITLES_PER_BATCH = 256
SUMMARY_SENTENCES = 3
KEYPHRASES = 8
STORED_FORMAT = 2  # bump when what a summary row holds changes: rows are then recomputed


def item_text(item: dict) -> str:
    """What the models read of an item: its title, then its text."""
    title = item.get("title") or item.get("name") or ""
    body = item.get("body") or ""
    return f"{title}\n\n{body}".strip() if body else title


def _model_problem(report: RunReport, exc: ModelError) -> None:
    report.problems.append(ScanProblem("models", f"{exc}; search and browsing still work"))
    report.model_error = str(exc)


def embed_items(store: Store, control: Control, on_progress: ProgressCallback,
                report: RunReport) -> None:
    from .choice import chosen_embedder
    from .embed import get_embedder

    try:
        embedder = get_embedder(chosen_embedder(store))
        todo = items_needing_vectors(store, embedder.model_id)
        progress = Progress("embedding", 0, len(todo), time.monotonic())
        on_progress(progress)
        for start in range(0, len(todo), DOCS_PER_BATCH):
            if control.checkpoint():
                return
            batch = todo[start:start + DOCS_PER_BATCH]
            # All chunks of a batch of documents go through the model together, sorted by
            # length, so short and long documents share the padding-free batches.
            chunked = [embedder.document_chunks(item_text(item)) for item in batch]
            texts = [c.text for chunks in chunked for c in chunks]
            vectors = embedder.embed(texts, kind="passage") if texts else np.zeros((0, 1))
            rows, at = [], 0
            for item, chunks in zip(batch, chunked, strict=True):
                if chunks:
                    mean = vectors[at:at + len(chunks)].mean(axis=0)
                    at += len(chunks)
                else:  # nothing to read (an untitled, textless file): name only
                    mean = embedder.embed([item["name"]], kind="passage")[0]
                doc = mean / max(float(np.linalg.norm(mean)), 1e-12)
                rows.append((item["id"], item["text_hash"], doc.astype(np.float32), len(chunks)))
            save_vectors(store, embedder.model_id, rows)
            report.embedded += len(rows)
            report.embedded_ids.extend(item["id"] for item in batch)
            progress.done += len(batch)
            on_progress(progress)
        embed_titles(store, embedder, control)
    except ModelError as exc:
        _model_problem(report, exc)


def title_of(item: dict) -> str:
    """An item's title, else its file name without the suffix, words apart."""
    if item.get("title"):
        return item["title"]
    return re.sub(r"[-_.]+", " ", (item.get("name") or "").rsplit(".", 1)[0]).strip()


def embed_titles(store: Store, embedder, control: Control) -> None:
    """Title vectors (search by meaning reads them beside the documents'); short texts, so a
    library's titles cost a small part of its documents' time."""
    model_id = title_model_id(embedder.model_id)
    todo = items_needing_vectors(store, model_id, with_body=False)
    for start in range(0, len(todo), TITLES_PER_BATCH):
        if control.checkpoint():
            return
        batch = todo[start:start + TITLES_PER_BATCH]
        vectors = embedder.embed([title_of(item) or "?" for item in batch], kind="passage")
        save_vectors(store, model_id, [(item["id"], item["text_hash"], vec.astype(np.float32), 1)
                                       for item, vec in zip(batch, vectors, strict=True)])


def suggest_tags(store: Store, control: Control, on_progress: ProgressCallback,
                 report: RunReport) -> None:
    if report.model_error or control.checkpoint():
        return
    from desktop.curation import suggest

    progress = Progress("tagging", 0, 1, time.monotonic())
    on_progress(progress)
    try:
        retrained = suggest.retrain_if_needed(store)
        if retrained:
            report.suggested += suggest.suggest_tags(store)
        elif report.embedded_ids:
            report.suggested += suggest.suggest_tags(store, report.embedded_ids)
    except ModelError as exc:
        _model_problem(report, exc)
    progress.done = 1
    on_progress(progress)


def summarize_items(store: Store, control: Control, on_progress: ProgressCallback,
                    report: RunReport) -> None:
    if report.model_error:
        return
    from .choice import chosen_embedder
    from .embed import get_embedder
    from .keyphrases import extract_keyphrases
    from .summarize import SUMMARIZER_VERSION, summarize

    try:
        embedder = get_embedder(chosen_embedder(store))
        model_id = f"extractive@{SUMMARIZER_VERSION}.{STORED_FORMAT}+{embedder.model_id}"
        todo = items_needing_summaries(store, model_id)
        progress = Progress("summarising", 0, len(todo), time.monotonic())
        on_progress(progress)
        rows = []
        doc_vectors: dict[int, np.ndarray] = {}
        for n, item in enumerate(todo):
            if control.checkpoint():
                break
            if n % DOCS_PER_BATCH == 0:
                # Keyphrases are ranked by closeness to the document: its stored vector
                # (made by embed_items just before) saves embedding the whole text again.
                # Read a batch at a time, as the bodies are.
                doc_vectors = vectors_of(store, embedder.model_id,
                                         [i["id"] for i in todo[n:n + DOCS_PER_BATCH]])
            body = item["body"] or ""
            summary = summarize(body, embedder, max_sentences=SUMMARY_SENTENCES) if body else None
            phrases = extract_keyphrases(item_text(item), embedder, k=KEYPHRASES,
                                         doc_vector=doc_vectors.get(item["id"])) if body else []
            # Sentences keep the document's words; hard line breaks (PDF, e-mail) go.
            text = " ".join(" ".join(s.split()) for s in summary.sentences) if summary else ""
            rows.append((item["id"], item["text_hash"], text, [p.phrase for p in phrases]))
            progress.done += 1
            if len(rows) >= DOCS_PER_BATCH:
                save_summaries(store, model_id, rows)
                rows.clear()
            on_progress(progress)
        save_summaries(store, model_id, rows)
        report.summarised += progress.done
    except ModelError as exc:
        _model_problem(report, exc)


def cluster_items(store: Store, control: Control, on_progress: ProgressCallback,
                  report: RunReport) -> None:
    """Regroup the library into topics when its vectors changed (ids stay stable)."""
    if report.model_error or control.checkpoint():
        return
    has_clusters = store.conn.execute("SELECT 1 FROM clusters LIMIT 1").fetchone()
    unclustered = store.conn.execute(
        "SELECT count(*) FROM vectors v LEFT JOIN item_clusters c ON c.item_id = v.item_id "
        "WHERE c.item_id IS NULL").fetchone()[0]
    if has_clusters and not report.embedded and not unclustered and not report.missing:
        return
    from desktop.curation.clusters import build_clusters

    progress = Progress("clustering", 0, 1, time.monotonic())
    on_progress(progress)
    report.clusters = len(build_clusters(store))
    progress.done = 1
    on_progress(progress)


STAGES = (embed_items, suggest_tags, summarize_items, cluster_items)
