"""scan -> extract -> (models) as one incremental, resumable, cancellable run.

Progress is reported through a plain callback so the CLI, the tests and the Qt workers
all drive the same code. Results are committed in small batches: a killed run keeps
everything finished before the last batch and resumes from there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .catalog.sandbox import DEFAULT_TIMEOUT, ExtractionPool, Outcome
from .catalog.scan import ScanProblem, scan
from .catalog.store import Store

BATCH_ITEMS = 64
BATCH_SECONDS = 1.0


@dataclass
class Progress:
    stage: str  # scanning, extracting, embedding, tagging, summarising, done
    done: int
    total: int
    started: float
    detail: str = ""

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        rate = self.rate
        if not self.total or rate <= 0:
            return None
        return max(0.0, (self.total - self.done) / rate)


@dataclass
class RunReport:
    new: int = 0
    changed: int = 0
    moved: int = 0
    missing: int = 0
    unchanged: int = 0
    extracted: int = 0
    failed: int = 0
    embedded: int = 0
    suggested: int = 0
    summarised: int = 0
    clusters: int = 0
    cancelled: bool = False
    model_error: str | None = None
    embedded_ids: list[int] = field(default_factory=list)
    problems: list[ScanProblem] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)


class Control:
    """Pause and cancel, shared between the runner and whoever shows progress."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self._running = threading.Event()
        self._running.set()

    def cancel(self) -> None:
        self._cancel.set()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def checkpoint(self) -> bool:
        """Wait while paused; True when the run should stop."""
        self._running.wait()
        return self._cancel.is_set()


ProgressCallback = Callable[[Progress], None]
Stage = Callable[[Store, Control, ProgressCallback, RunReport], None]


def model_stages() -> tuple[Stage, ...]:
    """Embedding, tag suggestions and summaries; imported late to keep start-up light."""
    from .ml.stages import STAGES

    return STAGES


def _noop(_: Progress) -> None:
    pass


def extract_pending(
    store: Store, control: Control, on_progress: ProgressCallback, report: RunReport,
    pool: ExtractionPool,
) -> None:
    pending = store.pending_items()
    progress = Progress("extracting", 0, len(pending), time.monotonic())
    on_progress(progress)
    if not pending:
        return
    saved: list[tuple] = []
    failed: list[tuple[int, str]] = []
    last_flush = time.monotonic()

    def flush() -> None:
        nonlocal last_flush
        if saved:
            store.save_extracted(saved)
        if failed:
            store.save_failures(failed)
        saved.clear()
        failed.clear()
        last_flush = time.monotonic()

    tasks = ((item_id, path, None) for item_id, path, _ in pending)
    # The pool belongs to run(): extraction and thumbnails share its workers.
    outcome: Outcome
    for outcome in pool.run(tasks, should_stop=control.checkpoint):
        if outcome.error is not None:
            failed.append((outcome.item_id, outcome.error))
            report.failed += 1
        else:
            saved.append((outcome.item_id, outcome.extracted, outcome.text_hash))
            report.extracted += 1
        progress.done += 1
        progress.detail = outcome.extracted.title or "" if outcome.extracted else ""
        if len(saved) + len(failed) >= BATCH_ITEMS or (
                time.monotonic() - last_flush > BATCH_SECONDS):
            flush()
        on_progress(progress)
    flush()
    report.cancelled = control.cancelled


def make_thumbnails(
    store: Store, control: Control, on_progress: ProgressCallback,
    pool: ExtractionPool,
) -> int:
    """Render the missing thumbnails (images, first pages of PDFs) in the sandbox."""
    wanted = store.items_needing_thumbnails()
    progress = Progress("thumbnails", 0, len(wanted), time.monotonic())
    if not wanted:
        return 0
    made: list[tuple[int, str]] = []
    tasks = ((item_id, path, (kind, key)) for item_id, path, kind, key in wanted)
    for outcome in pool.run(tasks, should_stop=control.checkpoint):
        made.append((outcome.item_id, outcome.thumbnail or ""))
        progress.done += 1
        if len(made) >= BATCH_ITEMS:
            store.save_thumbnails(made)
            made.clear()
        on_progress(progress)
    store.save_thumbnails(made)
    return progress.done


def run(
    store: Store, control: Control | None = None, on_progress: ProgressCallback = _noop,
    workers: int | None = None, timeout: float = DEFAULT_TIMEOUT, with_models: bool = True,
    thumbnails: bool = True, thumbs_dir: Path | None = None,
) -> RunReport:
    """Bring the catalog up to date with the library roots."""
    control = control or Control()
    report = RunReport()
    started = time.monotonic()
    progress = Progress("scanning", 0, 0, started)
    on_progress(progress)

    def seen(count: int) -> None:
        if count % 200 == 0:
            progress.done = count
            on_progress(progress)

    scanned = scan(store, on_file=seen)
    changes = scanned.changes
    report.new, report.changed = len(changes.new), len(changes.changed)
    report.moved, report.missing = len(changes.moved), len(changes.missing)
    report.unchanged, report.problems = changes.unchanged, scanned.problems
    report.stages["scan"] = time.monotonic() - started
    if control.checkpoint():
        report.cancelled = True
        return report
    mark = time.monotonic()
    # One pool of worker processes (started on first use) serves both sandboxed stages.
    thumbs_dir = thumbs_dir or paths.cache_dir() / "thumbnails"
    with ExtractionPool(workers, timeout, thumbs_dir=thumbs_dir) as pool:
        extract_pending(store, control, on_progress, report, pool)
        report.stages["extract"] = time.monotonic() - mark
        # Thumbnails come after the text: the catalog is searchable sooner, pictures follow.
        if thumbnails and not control.checkpoint():
            mark = time.monotonic()
            make_thumbnails(store, control, on_progress, pool)
            report.stages["thumbnails"] = time.monotonic() - mark
    if with_models:
        for stage in model_stages():
            if control.checkpoint():
                break
            mark = time.monotonic()
            stage(store, control, on_progress, report)
            report.stages[getattr(stage, "__name__", "stage")] = time.monotonic() - mark
    report.cancelled = control.cancelled
    on_progress(Progress("done", 1, 1, started))
    return report
