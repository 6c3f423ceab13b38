"""UI responsiveness while indexing, and launch time to the first items shown.

    .venv/bin/python -m benchmarks.ui_bench [--count 5000] [--launches 3]

1. Stall: the app's main window indexes `count` generated documents (benchmarks.corpus)
   on its writer thread while a 10 ms QTimer measures how late the GUI event loop wakes;
   the longest lateness is the longest stall a user would feel. Goal: none over 100 ms.
2. Launch: a fresh process (python -> import Qt and Curio -> window -> items) over the
   indexed catalog, timed from just before the process starts to the moment the library
   shows its first items; and the same launch over an empty catalog (to the moment the
   empty library page is loaded). Goal: items shown in under 1.5 s.
Runs headless (offscreen) unless a display is set.

Beside the app, an idle peer process wakes every 10 ms too and reports its own longest
lateness over the same minutes: a stall the peer also saw is the machine not scheduling
processes at all, not the app. `--trace` names what the GUI thread was doing in each stall
(a watchdog thread samples every thread's Python stack while the event loop is late).
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The child process: the app's own start-up path, with a probe that prints when the
# library page has shown its first rows, then quits.
LAUNCH_CHILD = r"""
import sys, time
sys.path.insert(0, {root!r})
from desktop.ui.app import make_app
from desktop.ui.main_window import MainWindow
from PySide6.QtCore import QSettings, QTimer
app = make_app([sys.argv[0]])
window = MainWindow({db!r}, QSettings({ini!r}, QSettings.Format.IniFormat), with_models=False,
                    first_start_sample=False)
window.show()
def shown(count):
    print(f"SHOWN {{time.time():.6f}} {{count}}", flush=True)
    QTimer.singleShot(0, window.close)
window.library.firstItemsShown.connect(shown)
QTimer.singleShot(20000, app.quit)
app.exec()
"""


# The idle peer: the same 10 ms wake-up in a process that does nothing else. It prints
# its longest lateness when its stdin closes.
IDLE_PEER = r"""
import sys, threading, time
worst, late_over_100, stop = [0.0], [0], threading.Event()
def watch():
    last = time.perf_counter()
    while not stop.is_set():
        time.sleep(0.01)
        now = time.perf_counter()
        late = max(0.0, (now - last) * 1000 - 10)
        worst[0] = max(worst[0], late)
        late_over_100[0] += late > 100
        last = now
threading.Thread(target=watch, daemon=True).start()
sys.stdin.read()
stop.set()
print(f"{worst[0]:.1f} {late_over_100[0]}", flush=True)
"""


class IdlePeer:
    """A separate idle process measuring how late the OS wakes it, over the same period."""

    def __enter__(self) -> IdlePeer:
        self.proc = subprocess.Popen([sys.executable, "-c", IDLE_PEER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        return self

    def __exit__(self, *_exc: object) -> None:
        out, _ = self.proc.communicate("", timeout=30)
        worst, over = out.split()
        self.max_ms, self.over_100 = float(worst), int(over)


class StallTracer(threading.Thread):
    """Samples every thread's Python stack while the GUI thread has not ticked for a while.

    The samples say what the GUI thread was running during a stall, and what the others
    were (one of them holds the GIL when the GUI thread waits for it).
    """

    def __init__(self, threshold_ms: float = 40.0) -> None:
        super().__init__(daemon=True, name="stall-tracer")
        self.threshold = threshold_ms / 1000
        self.main_id = threading.main_thread().ident
        self.last_beat = time.perf_counter()
        self.samples: list[dict[str, str]] = []
        self.stalls: list[tuple[float, list[dict[str, str]]]] = []
        self.running = True

    def beat(self, late_ms: float) -> None:
        if late_ms > 60 and self.samples:
            self.stalls.append((late_ms, self.samples))
        self.samples = []
        self.last_beat = time.perf_counter()

    def run(self) -> None:
        names = {}
        while self.running:
            time.sleep(0.005)
            if time.perf_counter() - self.last_beat < self.threshold:
                continue
            names.update((t.ident, t.name) for t in threading.enumerate())
            sample = {}
            for ident, frame in sys._current_frames().items():
                if ident == threading.get_ident():
                    continue
                stack = traceback.extract_stack(frame)[-6:]
                where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(stack))
                label = "GUI" if ident == self.main_id else names.get(ident, str(ident))
                sample[label] = where
            self.samples.append(sample)

    def report(self, top: int = 12) -> str:
        lines = [f"{len(self.stalls)} stalls over 60 ms traced"]
        gui = collections.Counter()
        for _late, samples in self.stalls:
            for sample in samples:
                gui[sample.get("GUI", "?")] += 1
        lines.append("GUI thread stacks in stalls (samples):")
        lines += [f"  {n:4d}  {where}" for where, n in gui.most_common(top)]
        for late, samples in sorted(self.stalls, reverse=True)[:5]:
            lines.append(f"stall {late:.0f} ms, {len(samples)} samples; middle sample:")
            for label, where in samples[len(samples) // 2].items():
                lines.append(f"    {label}: {where}")
        return "\n".join(lines)


def measure_launch(db: Path, work: Path) -> tuple[float, int]:
    script = LAUNCH_CHILD.format(root=str(ROOT), db=str(db), ini=str(work / "launch.ini"))
    started = time.time()
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=dict(os.environ), timeout=120).stdout
    for line in out.splitlines():
        if line.startswith("SHOWN "):
            _, stamp, count = line.split()
            return float(stamp) - started, int(count)
    raise RuntimeError(f"the app never showed its library:\n{out}")


def measure_stall(db: Path, work: Path, with_models: bool = True,
                  tracer: StallTracer | None = None) -> dict[str, float]:
    from PySide6.QtCore import QSettings, QTimer

    from desktop.ui.app import make_app
    from desktop.ui.main_window import MainWindow

    app = make_app([sys.argv[0]])
    window = MainWindow(db, QSettings(str(work / "stall.ini"), QSettings.Format.IniFormat),
                        first_start_sample=False, with_models=with_models)
    window.show()
    lateness: list[float] = []
    last = [time.perf_counter()]
    timer = QTimer(interval=10)

    def tick() -> None:
        now = time.perf_counter()
        late = max(0.0, (now - last[0]) * 1000 - 10)
        lateness.append(late)
        if late > 50 and os.environ.get("CURIO_BENCH_VERBOSE"):
            print(f"  stall {late:.0f} ms at {now - started:.2f} s during "
                  f"{window.indexing.label.text() or 'idle'}")
        last[0] = now
        if tracer is not None:
            tracer.beat(late)

    timer.timeout.connect(tick)
    result: dict[str, float] = {}

    def finished(report) -> None:
        result["seconds"] = time.perf_counter() - started
        result["extracted"] = float(getattr(report, "extracted", 0))
        timer.stop()
        QTimer.singleShot(0, window.close)
        QTimer.singleShot(50, app.quit)

    window.indexingFinished.connect(finished)
    started = time.perf_counter()
    timer.start()
    if tracer is not None:
        tracer.start()
    app.exec()
    if tracer is not None:
        tracer.running = False
    lateness.sort()
    result["max_ms"] = lateness[-1] if lateness else 0.0
    result["p99_ms"] = lateness[int(len(lateness) * 0.99)] if lateness else 0.0
    result["over_100"] = float(sum(1 for x in lateness if x > 100))
    result["ticks"] = float(len(lateness))
    result["items_shown"] = float(window.library.items.count())
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--launches", type=int, default=3)
    parser.add_argument("--no-models", action="store_true",
                        help="index without embeddings, tags and summaries (extraction only)")
    parser.add_argument("--trace", action="store_true",
                        help="sample the GUI thread's stack in each stall and print where it was")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="curio-ui-bench-"))
    os.environ["CURIO_DATA_DIR"] = str(work / "data")
    os.environ["CURIO_CACHE_DIR"] = str(work / "cache")
    sys.path.insert(0, str(ROOT))
    from benchmarks.corpus import build_library
    from desktop.catalog.store import Store

    library = work / "library"
    t0 = time.perf_counter()
    build_library(library, args.count)
    print(f"generated {args.count} documents in {time.perf_counter() - t0:.1f} s")
    db = work / "catalog.sqlite3"
    store = Store.open(db)
    store.add_root(library)
    store.close()

    from desktop.ui.app import leave_a_core_for_the_window

    leave_a_core_for_the_window()  # as the app's own start-up does
    tracer = StallTracer() if args.trace else None
    with IdlePeer() as peer:
        stall = measure_stall(db, work, with_models=not args.no_models, tracer=tracer)
    print(f"indexing {int(stall['extracted'])} documents took {stall['seconds']:.1f} s "
          f"({stall['extracted'] / max(stall['seconds'], 1e-9):.0f} files/s) with the window open")
    print(f"event-loop stall while indexing: max {stall['max_ms']:.1f} ms, p99 {stall['p99_ms']:.1f} ms, "
          f"{int(stall['over_100'])} of {int(stall['ticks'])} ticks over 100 ms "
          f"(goal: none over 100 ms)")
    print(f"an idle process's 10 ms timer over the same run: max {peer.max_ms:.1f} ms late, "
          f"{peer.over_100} wake-ups over 100 ms (the machine's own scheduling delay)")
    if tracer is not None:
        print(tracer.report())

    empty = work / "empty.sqlite3"
    Store.open(empty).close()
    full, none = [], []
    for _ in range(args.launches):
        seconds, count = measure_launch(db, work)
        full.append(seconds)
        seconds_empty, _ = measure_launch(empty, work)
        none.append(seconds_empty)
    print(f"launch to first items shown ({count} rows in the first page): "
          f"median {statistics.median(full):.2f} s, best {min(full):.2f} s (goal: under 1.5 s)")
    print(f"launch with an empty catalog to its library page: median {statistics.median(none):.2f} s, "
          f"best {min(none):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
