"""Indexing speed and memory of Curio beside recoll, on the same generated library.

    .venv/bin/python -m benchmarks.index_bench [--count 5000]

Both index extraction plus full text (Curio with --no-models: embeddings are measured by
embed_bench). Curio then renders thumbnails of images and PDF first pages, which recoll
does not: that stage's time (from Curio's own report) is printed apart and left out of
the like-for-like rate. recoll comes from Debian's `recollcmd` (with poppler-utils for PDF); both
get the same 2 cores. Printed: files/s and peak resident memory of each process tree, the
ratio, and the re-index time of an unchanged library as a share of the first run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.corpus import build_library
from benchmarks.proctree import Measured, measure

ROOT = Path(__file__).resolve().parent.parent


def run_curio(library: Path, work: Path) -> tuple[Measured, Measured]:
    env = dict(os.environ, CURIO_CACHE_DIR=str(work / "cache"), CURIO_DATA_DIR=str(work / "data"))
    cmd = [sys.executable, "-m", "desktop", "index", str(library), "--db", str(work / "c.sqlite3"),
           "--no-models", "--json"]
    first = measure(cmd, env=env, cwd=str(ROOT))
    again = measure(cmd, env=env, cwd=str(ROOT))
    for m in (first, again):
        if m.returncode:
            raise SystemExit(f"curio failed: {m.stderr[-2000:]}")
    return first, again


def run_recoll(library: Path, work: Path) -> tuple[Measured, Measured]:
    if not shutil.which("recollindex"):
        raise SystemExit("recollindex not found: apt-get install recollcmd poppler-utils")
    conf = work / "recoll"
    conf.mkdir()
    (conf / "recoll.conf").write_text(f"topdirs = {library}\nnoaspell = 1\n")
    cmd = ["recollindex", "-c", str(conf)]
    return measure(cmd), measure(cmd)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="curio-index-bench-") as tmp:
        work = Path(tmp)
        library = work / "library"
        library.mkdir()
        made = build_library(library, args.count)
        print(f"library: {args.count} files {made}")
        (work / "c").mkdir()
        (work / "r").mkdir()
        recoll_first, recoll_again = run_recoll(library, work / "r")
        curio_first, curio_again = run_curio(library, work / "c")
    n = args.count
    thumbs = json.loads(curio_first.stdout)["seconds"].get("thumbnails", 0.0)
    curio_text = Measured(curio_first.seconds - thumbs, curio_first.peak_mb, 0, "", "")
    rows = [("recoll", recoll_first, recoll_again), ("curio", curio_text, curio_again)]
    print(f"{'':8}{'files/s':>10}{'peak MB':>10}{'first s':>10}{'again s':>10}{'again %':>9}")
    for name, first, again in rows:
        print(f"{name:8}{n / first.seconds:>10.0f}{first.peak_mb:>10.0f}{first.seconds:>10.2f}"
              f"{again.seconds:>10.2f}{100 * again.seconds / first.seconds:>8.1f}%")
    print(f"curio thumbnails stage: {thumbs:.2f} s more (first run with it: "
          f"{n / curio_first.seconds:.0f} files/s)")
    ratio = recoll_first.seconds / curio_text.seconds
    print(f"curio/recoll indexing rate: {ratio:.2f}x (goal >= 1.00)")
    print(f"curio re-index of the unchanged library: "
          f"{100 * curio_again.seconds / curio_text.seconds:.1f}% of the first run (goal < 5%)")


if __name__ == "__main__":
    main()
