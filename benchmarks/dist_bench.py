"""The packaged binary: its size, and its time to the first window beside the source's.

    make dist [CURIO_ONEFILE=1 ...]     first (scripts/build-dist.sh)
    .venv/bin/python -m benchmarks.dist_bench [--launches 5]

1. Size: `du` of the onedir folder dist/curio (goal: under 250 MB), its largest parts,
   and the single file dist/onefile/curio when it was built.
2. Launch: a fresh process, headless (offscreen), from just before it starts to the main
   window's first paint, for `python -m desktop` (source), dist/curio/curio (onedir) and
   dist/onefile/curio (onefile, when built): desktop/__main__.py prints the moment when
   CURIO_EXIT_AFTER_FIRST_PAINT=1, then closes the window. Every launch gets fresh data,
   cache and config folders (an empty catalog: the first start a new user sees). The
   median of `--launches` runs is reported, and the best (least disturbed by other
   processes on a shared machine). Goal: under 1.5 s. Where the time goes is printed too
   (medians): `start` (bootloader and interpreter, up to desktop/__main__.py), `imports`
   (the UI's modules) and `window` (building and painting the main window).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONEDIR = ROOT / "dist" / "curio"
ONEFILE = ROOT / "dist" / "onefile" / "curio"
MARKER = "CURIO_FIRST_PAINT"  # desktop.__main__.FIRST_PAINT_MARKER (not imported: no Qt here)
SIZE_GOAL_MB = 250
LAUNCH_GOAL_S = 1.5


PHASES = ("start", "imports", "window")


@dataclass
class Launches:
    label: str
    seconds: list[float]
    failures: list[str]
    phases: list[dict[str, float]]

    def phase_median(self, name: str) -> float | None:
        values = [p[name] for p in self.phases if name in p]
        return statistics.median(values) if values else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def best(self) -> float | None:
        return min(self.seconds) if self.seconds else None


def du_mb(path: Path) -> float:
    """Disk usage like `du -s` (symlinks not followed), in MB (10^6 bytes)."""
    if path.is_symlink():
        return 0.0
    if path.is_file():
        return path.stat().st_blocks * 512 / 1e6
    total = 0
    for p in path.rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_blocks * 512
    return total / 1e6


def largest_parts(folder: Path, top: int = 8) -> list[tuple[str, float]]:
    inner = folder / "_internal"
    parts = [(p.name, du_mb(p)) for p in inner.iterdir()] if inner.is_dir() else []
    return sorted(parts, key=lambda kv: -kv[1])[:top]


def largest_files(folder: Path, top: int = 10) -> list[tuple[str, float]]:
    inner = folder / "_internal"
    files = [(str(p.relative_to(inner)), du_mb(p)) for p in inner.rglob("*")
             if p.is_file() and not p.is_symlink()]
    return sorted(files, key=lambda kv: -kv[1])[:top]


def parse_marker(line: str) -> tuple[float, dict[str, float]]:
    """`CURIO_FIRST_PAINT 1.234 start=0.1 imports=0.5 window=0.6` -> (1.234, phases)."""
    fields = line.split()
    phases = {}
    for field in fields[2:]:
        name, _, value = field.partition("=")
        if name in PHASES:
            phases[name] = float(value)
    return float(fields[1]), phases


def launch_once(command: list[str], timeout: float) -> tuple[float, dict[str, float]]:
    """Seconds from just before the process starts to the first paint of its main window,
    and how they split into start-up phases."""
    with tempfile.TemporaryDirectory(prefix="curio-launch-") as tmp:
        env = os.environ | {
            "QT_QPA_PLATFORM": "offscreen", "CURIO_EXIT_AFTER_FIRST_PAINT": "1",
            "CURIO_DATA_DIR": f"{tmp}/data", "CURIO_CACHE_DIR": f"{tmp}/cache",
            "XDG_CONFIG_HOME": f"{tmp}/config",  # QSettings: never the user's
        }
        env.pop("CURIO_DB", None)
        env["CURIO_LAUNCH_T0"] = repr(time.time())
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise RuntimeError(f"no first paint within {timeout:.0f} s") from None
        for line in out.splitlines():
            if line.startswith(MARKER):
                return parse_marker(line)
        raise RuntimeError(f"exit code {proc.returncode} without a first paint")


def measure(label: str, command: list[str], runs: int, timeout: float) -> Launches:
    result = Launches(label, [], [], [])
    for _ in range(runs):
        try:
            seconds, phases = launch_once(command, timeout)
            result.seconds.append(seconds)
            result.phases.append(phases)
        except RuntimeError as exc:
            result.failures.append(str(exc))
    return result


def fmt(value: float | None, unit: str = "s") -> str:
    return "-" if value is None else f"{value:.2f} {unit}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--launches", type=int, default=5, help="launches per variant")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per launch")
    parser.add_argument("--files", type=int, default=10, help="largest files to list")
    args = parser.parse_args(argv)
    if not (ONEDIR / "curio").is_file():
        print("no dist/curio/curio: run `make dist` first", file=sys.stderr)
        return 2

    print("== size")
    onedir_mb = du_mb(ONEDIR)
    goal = "within" if onedir_mb < SIZE_GOAL_MB else "OVER"
    print(f"onedir  dist/curio          {onedir_mb:7.1f} MB = {onedir_mb / 1.048576:.1f} MiB "
          f"({goal} the {SIZE_GOAL_MB} MB goal)")
    for name, mb in largest_parts(ONEDIR):
        print(f"        _internal/{name:<18} {mb:6.1f} MB")
    if args.files:
        print("largest files of _internal/:")
        for name, mb in largest_files(ONEDIR, args.files):
            print(f"        {mb:6.1f} MB  {name}")
    onefile_mb = du_mb(ONEFILE) if ONEFILE.is_file() else None
    if onefile_mb is not None:
        print(f"onefile dist/onefile/curio  {onefile_mb:7.1f} MB  "
              f"({onefile_mb / onedir_mb:.2f} x onedir)")
    else:
        print("onefile not built (CURIO_ONEFILE=1 make dist)")

    print(f"\n== launch to first window (offscreen, {args.launches} launches each, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    variants = [("source  python -m desktop", [sys.executable, "-m", "desktop"]),
                ("onedir  dist/curio/curio", [str(ONEDIR / "curio")])]
    if ONEFILE.is_file():
        variants.append(("onefile dist/onefile/curio", [str(ONEFILE)]))
    results = []
    for label, command in variants:
        measure(label, command, 1, args.timeout)  # warm the page cache: not counted
        r = measure(label, command, args.launches, args.timeout)
        results.append(r)
        ok = "" if r.best is None else ("  ok" if r.median < LAUNCH_GOAL_S else
                                        f"  OVER the {LAUNCH_GOAL_S} s goal")
        failed = f"  ({len(r.failures)} failed: {r.failures[0]})" if r.failures else ""
        print(f"{label:<28} median {fmt(r.median)}  best {fmt(r.best)}{ok}{failed}")
        split = "  ".join(f"{name} {fmt(r.phase_median(name))}" for name in PHASES)
        print(f"{'':<28} ({split})")
    source = results[0]
    for r in results[1:]:
        if r.median and source.median:
            print(f"{r.label.split()[0]} / source: median {r.median / source.median:.2f} x, "
                  f"best {r.best / source.best:.2f} x")
    return 0 if all(r.seconds for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
