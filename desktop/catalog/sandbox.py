"""Extraction in worker processes with a time and memory bound per file.

Parsing libraries meet hostile input (corrupt PDFs, zip bombs, a huge binary renamed
.txt). Each worker runs under an address-space limit; the parent kills a worker that
overruns its deadline and starts a fresh one, so one bad file fails alone and indexing
goes on.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from .extract.base import Extracted

DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY_MB = 1536


@dataclass
class Outcome:
    item_id: int
    extracted: Extracted | None = None
    thumbnail: str | None = None
    text_hash: str | None = None
    error: str | None = None


def text_hash(extracted: Extracted) -> str:
    """Identity of the text the models see, so derived values know when they are stale."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update((extracted.title or "").encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    digest.update(extracted.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def thumbnail_one(path_bytes: bytes, kind: str, thumbs_dir: str, key: str) -> Outcome:
    """Render a cached thumbnail; an empty path records that none can be made."""
    from .thumbs import make_thumbnail

    try:
        thumb = make_thumbnail(Path(os.fsdecode(path_bytes)), kind, Path(thumbs_dir), key)
    except Exception:  # a missing thumbnail is cosmetic (damaged file, out of memory): the item stays indexed
        return Outcome(0, thumbnail="")
    return Outcome(0, thumbnail=str(thumb) if thumb else "")


def extract_one(path_bytes: bytes) -> Outcome:
    """Extract a file in this process (the worker's body; also usable directly in tests)."""
    from . import extract
    from .extract.base import ExtractionError

    path = Path(os.fsdecode(path_bytes))
    try:
        extracted = extract.extract(path)
    except ExtractionError as exc:
        return Outcome(0, error=str(exc) or "could not be read")
    except MemoryError:
        return Outcome(0, error="needs more memory than allowed for one file (a zip bomb?)")
    except RecursionError:
        return Outcome(0, error="structure nested too deeply to read")
    except Exception as exc:  # a library bug must fail this file only
        return Outcome(0, error=f"could not be read ({type(exc).__name__}: {exc})")
    # Strip characters SQLite and JSON cannot carry faithfully.
    extracted.text = extracted.text.replace("\x00", "")
    return Outcome(0, extracted=extracted, text_hash=text_hash(extracted))


def _worker_main(conn: Connection, memory_bytes: int, thumbs_dir: str | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the time bound still applies
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        item_id, path_bytes, thumbnail_of = task
        if thumbnail_of is None:
            outcome = extract_one(path_bytes)
        else:  # (kind, cache key): render a thumbnail instead of extracting
            outcome = thumbnail_one(path_bytes, thumbnail_of[0], thumbs_dir or "", thumbnail_of[1])
        outcome.item_id = item_id
        try:
            conn.send(outcome)
        except MemoryError:
            conn.send(Outcome(item_id, error="text too large to pass on"))


class _Worker:
    def __init__(self, ctx, memory_bytes: int, thumbs_dir: str | None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main, args=(child, memory_bytes, thumbs_dir), daemon=True)
        self.process.start()
        child.close()
        self.task: tuple | None = None
        self.deadline = 0.0

    def give(self, task: tuple, timeout: float) -> None:
        self.task = task
        self.deadline = time.monotonic() + timeout
        self.conn.send(task)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2)
        self.conn.close()


class ExtractionPool:
    """A few worker processes; `run` yields one Outcome per task, in completion order.

    A task is (item id, path, None) to extract, or (item id, path, (kind, cache key)) to
    render a thumbnail into `thumbs_dir`.
    """

    def __init__(
        self, workers: int | None = None, timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB, thumbs_dir: Path | None = None,
    ) -> None:
        self.size = max(1, workers or min(4, os.cpu_count() or 1))
        self.timeout = timeout
        self.memory_bytes = memory_mb * 1024 * 1024
        self.thumbs_dir = str(thumbs_dir) if thumbs_dir else None
        # spawn, not fork: the desktop app has Qt threads, and forking those is unsafe.
        self._ctx = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []

    def _spawn(self) -> _Worker:
        return _Worker(self._ctx, self.memory_bytes, self.thumbs_dir)

    def run(
        self, tasks: Iterable[tuple],
        should_stop: Callable[[], bool] = lambda: False,
    ) -> Iterator[Outcome]:
        queue = iter(tasks)
        if not self._workers:
            self._workers = [self._spawn() for _ in range(self.size)]
        idle = list(self._workers)
        busy: dict[Connection, _Worker] = {}
        exhausted = False
        while True:
            while idle and not exhausted and not should_stop():
                task = next(queue, None)
                if task is None:
                    exhausted = True
                    break
                worker = idle.pop()
                worker.give(task, self.timeout)
                busy[worker.conn] = worker
            if not busy:
                return
            soonest = min(w.deadline for w in busy.values())
            ready = wait(list(busy), timeout=max(0.0, min(0.25, soonest - time.monotonic())))
            for conn in ready:
                worker = busy.pop(conn)
                try:
                    outcome = conn.recv()
                except (EOFError, OSError):
                    outcome = Outcome(worker.task[0], error=self._death_reason(worker))
                    worker = self._replace(worker)
                worker.task = None
                idle.append(worker)
                yield outcome
            now = time.monotonic()
            for conn, worker in list(busy.items()):
                if now > worker.deadline:
                    del busy[conn]
                    item_id = worker.task[0]
                    worker = self._replace(worker)
                    idle.append(worker)
                    yield Outcome(item_id, error=f"took longer than {self.timeout:g} s to read; "
                                                 "skipped (the file may be damaged)")

    def _death_reason(self, worker: _Worker) -> str:
        worker.process.join(1)
        code = worker.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else code
            return f"the reader crashed on this file ({name}); the file is probably damaged"
        return "the reader stopped on this file (out of memory?); the file is probably damaged"

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        fresh = self._spawn()
        self._workers[self._workers.index(worker)] = fresh
        return fresh

    def close(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._workers = []

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
