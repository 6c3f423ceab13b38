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
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
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


def measure_stall(db: Path, work: Path, with_models: bool = True) -> dict[str, float]:
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
    app.exec()
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

    stall = measure_stall(db, work, with_models=not args.no_models)
    print(f"indexing {int(stall['extracted'])} documents took {stall['seconds']:.1f} s "
          f"({stall['extracted'] / max(stall['seconds'], 1e-9):.0f} files/s) with the window open")
    print(f"event-loop stall while indexing: max {stall['max_ms']:.1f} ms, p99 {stall['p99_ms']:.1f} ms, "
          f"{int(stall['over_100'])} of {int(stall['ticks'])} ticks over 100 ms "
          f"(goal: none over 100 ms)")

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
