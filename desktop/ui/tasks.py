"""Background work for the UI: readers on a thread pool, one serial writer.

Like MusicBrainz Picard's `run_task`, `Tasks.read()` runs a function on a QThreadPool and
hands its result (or its exception) to a callable on the GUI thread. Each pool thread keeps
its own read-only Store (SQLite connections belong to one thread), opened on its first
read and kept, so per-store caches such as the vector index survive between reads.

All writes go through `Tasks.write()`: one dedicated thread owns the only writable Store
and runs jobs one after the other. Indexing is a write job too; while it runs, the writer
keeps serving short jobs (a like, a tag accept) at the pipeline's checkpoints, between
committed batches, so feedback never waits for a long indexing run and the writer
connection is still only ever used from that one thread.
"""

from __future__ import annotations

import os
import queue
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

from .. import pipeline
from ..catalog.store import Store
from .signals import emit

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Relay(QObject):
    """Carries a finished job back to the GUI thread (it lives there; emits are queued)."""

    finished = Signal(object, object, object)  # on_done, result, None | (on_error, exception)

    @Slot(object, object, object)
    def deliver(self, on_done: Done | None, result: Any, failure: Any) -> None:
        try:
            self._deliver(on_done, result, failure)
        except RuntimeError as exc:
            # The widget that asked was closed meanwhile; its answer has nobody to go to.
            if "already deleted" not in str(exc):
                raise

    @staticmethod
    def _deliver(on_done: Done | None, result: Any, failure: Any) -> None:
        if failure is not None:
            on_error, exc = failure
            if on_error is not None:
                on_error(exc)
            else:
                traceback.print_exception(exc)
        elif on_done is not None:
            on_done(result)


class _Read(QRunnable):
    def __init__(self, tasks: Tasks, func: Callable[[Store], Any], on_done: Done | None,
                 on_error: Failed | None) -> None:
        super().__init__()
        self.tasks, self.func, self.on_done, self.on_error = tasks, func, on_done, on_error

    def run(self) -> None:
        result, failure = None, None
        try:
            result = self.func(self.tasks._reader())
        except BaseException as exc:  # noqa: BLE001 - every error goes to the GUI, none crash
            failure = (self.on_error, exc)
        self.tasks._finish(self.on_done, result, failure)


class _Call(QRunnable):
    def __init__(self, tasks: Tasks, func: Callable[[], Any], on_done: Done | None,
                 on_error: Failed | None) -> None:
        super().__init__()
        self.tasks, self.func, self.on_done, self.on_error = tasks, func, on_done, on_error

    def run(self) -> None:
        result, failure = None, None
        try:
            result = self.func()
        except BaseException as exc:  # noqa: BLE001
            failure = (self.on_error, exc)
        self.tasks._finish(self.on_done, result, failure)


class IndexControl(pipeline.Control):
    """Pipeline control whose checkpoints also serve the writer's queue of short jobs."""

    def __init__(self, writer: _WriterThread) -> None:
        super().__init__()
        self._writer = writer

    def checkpoint(self) -> bool:
        # While paused, keep serving likes and tag accepts instead of blocking them.
        while not self._running.wait(0.05):
            self._writer.serve_pending()
        self._writer.serve_pending()
        return self._cancel.is_set()


class _WriterThread(QThread):
    """The one thread that owns the writable Store."""

    def __init__(self, tasks: Tasks) -> None:
        super().__init__()
        self.setObjectName("curio-writer")
        self.tasks = tasks
        self.jobs: queue.Queue = queue.Queue()
        self.store: Store | None = None
        self.busy_with_long_job = False

    def run(self) -> None:
        try:
            self.store = Store.open(self.tasks.db_path)
        except BaseException as exc:  # noqa: BLE001
            self.tasks._finish(None, None, (self.tasks.on_writer_error, exc), counted=False)
            return
        self.tasks._finish(self.tasks.on_writer_ready, None, None, counted=False)
        while True:
            job = self.jobs.get()
            if job is None:
                break
            self._run(job)
        self.store.close()

    def _run(self, job: tuple) -> None:
        func, on_done, on_error = job
        result, failure = None, None
        try:
            result = func(self.store)
        except BaseException as exc:  # noqa: BLE001
            failure = (on_error, exc)
        self.tasks._finish(on_done, result, failure)

    def serve_pending(self) -> None:
        """Run queued short jobs now; called by a long job between its transactions."""
        if self.store is None or self.store.conn.in_transaction:
            return
        while True:
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                return
            if job is None:  # shutting down: leave the sentinel for the main loop
                self.jobs.put(None)
                return
            self._run(job)


class Tasks(QObject):
    """The app's workers. `running` counts unfinished jobs; `shutdown()` waits for all."""

    runningChanged = Signal(int)
    writerReady = Signal()
    writerFailed = Signal(object)

    def __init__(self, db_path: Path, parent: QObject | None = None, max_readers: int = 2) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_readers)
        self.pool.setExpiryTimeout(-1)  # threads live as long as their reader connections
        self._readers: dict[int, Store] = {}
        self.running = 0
        self._lock = threading.Lock()
        self._relay = _Relay()
        self._relay.finished.connect(self._relay.deliver)
        self._writer = _WriterThread(self)
        self.ready = False
        self._controls: list[IndexControl] = []

    def _reader(self) -> Store:
        """This pool thread's read-only Store."""
        key = threading.get_ident()
        store = self._readers.get(key)
        if store is None:
            store = Store.open(self.db_path, readonly=True)
            with self._lock:
                self._readers[key] = store
        return store

    def start(self) -> None:
        self._writer.start()

    # called on the writer thread through _finish
    def on_writer_ready(self, _: Any) -> None:
        self.ready = True
        emit(self.writerReady)

    def on_writer_error(self, exc: BaseException) -> None:
        emit(self.writerFailed, exc)

    def _count(self, delta: int) -> None:
        with self._lock:
            self.running += delta
            value = self.running
        emit(self.runningChanged, value)

    def _finish(self, on_done: Done | None, result: Any, failure: Any, counted: bool = True) -> None:
        if counted:
            self._count(-1)
        emit(self._relay.finished, on_done, result, failure)

    def run(self, func: Callable[[], Any], on_done: Done | None = None,
            on_error: Failed | None = None) -> None:
        """Run func() on the pool (no database); on_done(result) runs on the GUI thread."""
        self._count(+1)
        self.pool.start(_Call(self, func, on_done, on_error))

    def read(self, func: Callable[[Store], Any], on_done: Done | None = None,
             on_error: Failed | None = None) -> None:
        """Run func(readonly store) on the pool; on_done(result) runs on the GUI thread."""
        self._count(+1)
        self.pool.start(_Read(self, func, on_done, on_error))

    def write(self, func: Callable[[Store], Any], on_done: Done | None = None,
              on_error: Failed | None = None) -> None:
        """Queue func(writable store) on the writer thread, after earlier writes."""
        self._count(+1)
        self._writer.jobs.put((func, on_done, on_error))

    def index(self, on_progress: Callable[[pipeline.Progress], None],
              on_done: Done | None = None, on_error: Failed | None = None,
              with_models: bool = True, min_interval: float = 0.1) -> IndexControl:
        """Bring the catalog up to date on the writer; progress arrives throttled."""
        control = IndexControl(self._writer)
        self._controls.append(control)
        last = [0.0]

        def report(p: pipeline.Progress) -> None:
            now = time.monotonic()
            # A stream of per-file signals would flood the event loop: ~10 a second is plenty.
            if now - last[0] >= min_interval or p.stage == "done" or p.done == p.total:
                last[0] = now
                snapshot = pipeline.Progress(p.stage, p.done, p.total, p.started, p.detail)
                emit(self._relay.finished, on_progress, snapshot, None)

        def job(store: Store) -> pipeline.RunReport:
            try:
                workers = max(1, (os.cpu_count() or 2) - 1)  # one core stays with the window
                return pipeline.run(store, control, report, workers=workers,
                                    with_models=with_models)
            finally:
                self._controls.remove(control)

        self.write(job, on_done, on_error)
        return control

    def shutdown(self, timeout_ms: int = 30000) -> None:
        """Cancel indexing, let queued writes finish, and wait for every worker."""
        for control in list(self._controls):
            control.cancel()
        if self._writer.isRunning():
            self._writer.jobs.put(None)
            self._writer.wait(timeout_ms)
        self.pool.waitForDone(timeout_ms)
        with self._lock:
            readers, self._readers = list(self._readers.values()), {}
        for store in readers:
            store.close()
