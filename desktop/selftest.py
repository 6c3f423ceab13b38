"""`curio --selftest`: prove this install works, headless, without touching the user's data.

Every model of the manifest is checksum-verified and loaded (embedders also run one
inference), the bundled sample library is indexed into a temporary catalog, and the
curation features run on it: tag suggestions, summaries, clusters, recommendations with
reasons, hybrid search. Qt is checked too (offscreen: platform plugin, image formats,
translations) without importing the UI. Frozen builds are where this matters: a missing
hidden import, data file or Qt plugin shows up here as a FAIL line, not at a user's desk.

One line per check with its time; exit code 0 only when every check passed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILED = 0, 1
SEARCH_QUERY = "cleaning up the river"  # the sample library has a river clean-up story
# Environment the check redirects, so nothing lands in the user's folders.
_ISOLATED = ("CURIO_DATA_DIR", "CURIO_CACHE_DIR", "CURIO_DB")


class CheckFailed(Exception):
    """A check ran but its result is wrong (the message says what)."""


@dataclass
class Result:
    name: str
    ok: bool
    seconds: float
    detail: str


@contextmanager
def isolated_env(scratch: Path) -> Iterator[None]:
    """Point data, cache and catalog at `scratch` for the duration, then restore."""
    saved = {key: os.environ.get(key) for key in _ISOLATED}
    os.environ["CURIO_DATA_DIR"] = str(scratch / "data")
    os.environ["CURIO_CACHE_DIR"] = str(scratch / "cache")
    os.environ["CURIO_DB"] = str(scratch / "data" / "catalog.sqlite3")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class SelfTest:
    """Runs the checks in order; later checks use what earlier ones built (the catalog)."""

    def __init__(self, db_path: Path, workers: int, out: Callable[[str], None]) -> None:
        self.db_path = db_path
        self.workers = workers
        self.out = out
        self.results: list[Result] = []
        self.store: Any = None  # desktop.catalog.store.Store, imported late
        self.report: Any = None  # pipeline.RunReport of the indexing run

    def check(self, name: str, func: Callable[[], str]) -> None:
        started = time.perf_counter()
        try:
            detail, ok = func(), True
        except CheckFailed as exc:
            detail, ok = str(exc), False
        except Exception as exc:  # a self-test reports every failure and goes on
            detail, ok = f"{type(exc).__name__}: {exc}", False
            if os.environ.get("CURIO_SELFTEST_TRACEBACK"):
                traceback.print_exc()
        result = Result(name, ok, time.perf_counter() - started, detail)
        self.results.append(result)
        self.out(f"{'PASS' if ok else 'FAIL'}  {name:<10} {result.seconds:6.2f} s  {detail}")

    # -- checks ------------------------------------------------------------------------
    def models(self) -> str:
        import numpy as np

        from desktop.ml import runtime
        from desktop.ml.embed import Embedder

        manifest = runtime.Manifest.load()
        if not manifest.models:
            raise CheckFailed(f"{manifest.base_dir}/manifest.json lists no models")
        done = []
        for spec in manifest.models.values():
            if not spec.sha256:
                raise CheckFailed(f"{spec.name} has no sha256 in the manifest")
            # Explicit, not cached: the self-test must hash the bytes on disk every time.
            runtime.verify_file(spec.path, spec.sha256, spec.display_path())
            if spec.tokenizer:
                runtime.verify_file(spec.tokenizer_path, spec.tokenizer_sha256,
                                    spec.display_path(spec.tokenizer))
            session = runtime.session_for_spec(spec)
            if spec.task == "embedding":
                vectors = Embedder(spec).embed(["Curio checks its models.", "离线整理资料库"])
                norms = np.linalg.norm(vectors, axis=1)
                if vectors.shape != (2, spec.dimensions) or not np.allclose(norms, 1.0, atol=1e-3):
                    raise CheckFailed(f"{spec.name}: bad embedding {vectors.shape}, norms {norms}")
                done.append(f"{spec.model_id} ({spec.dimensions}-d)")
            else:
                done.append(f"{spec.model_id} ({len(session.get_inputs())} inputs)")
        return f"{len(done)} model(s) verified and loaded: " + ", ".join(done)

    def index(self) -> str:
        from desktop import paths, pipeline
        from desktop.catalog.store import Store

        sample = paths.resource_path("sample")
        files = [p for p in sample.rglob("*") if p.is_file()]
        if not files:
            raise CheckFailed(f"no sample library at {sample}")
        self.store = Store.open(self.db_path)
        self.store.add_root(sample)
        report = pipeline.run(self.store, workers=self.workers)
        self.report = report
        if report.model_error:
            raise CheckFailed(f"models failed while indexing: {report.model_error}")
        if report.failed or report.extracted < len(files) - 1:
            # (.srt subtitles merge into their video, so one file fewer is fine.)
            reasons = [f"{Path(f['path']).name}: {f['error']}" for f in self.store.failures()[:3]]
            reasons += [f"{p.path}: {p.reason}" for p in report.problems[:3]]
            raise CheckFailed(f"{report.extracted} of {len(files)} files read, {report.failed} "
                              f"failed; " + "; ".join(reasons))
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in report.stages.items())
        formats = self._image_formats(self.db_path.parent / "images")
        return (f"{report.extracted} sample files read, {report.embedded} embedded "
                f"in a temporary catalog ({stages}); images {formats} read and thumbnailed")

    @staticmethod
    def _image_formats(folder: Path) -> str:
        """Every image suffix Curio accepts is read and thumbnailed (the sample has only two).

        The packaged binary leaves out the image codecs Curio does not accept; this proves
        the ones it does accept are all still there.
        """
        from PIL import Image

        from desktop.catalog.extract import SUPPORTED_SUFFIXES, extract, kind_for_suffix
        from desktop.catalog.thumbs import make_thumbnail

        folder.mkdir(parents=True, exist_ok=True)
        suffixes = sorted(s for s in SUPPORTED_SUFFIXES if kind_for_suffix(s) == "image")
        for suffix in suffixes:
            path = folder / f"swatch{suffix}"
            Image.new("RGB", (48, 32), (200, 40, 40)).save(path)
            item = extract(path)
            thumb = make_thumbnail(path, "image", folder / "thumbs", suffix.lstrip("."), size=16)
            if item.kind != "image" or (item.width, item.height) != (48, 32) or thumb is None:
                raise CheckFailed(f"a {suffix} image was not read as one")
            with Image.open(thumb) as small:
                if small.size != (16, 11):
                    raise CheckFailed(f"the {suffix} thumbnail is {small.size}, not 16x11")
        return " ".join(s.lstrip(".") for s in suffixes)

    def _need_index(self) -> None:
        if self.store is None or self.report is None:
            raise CheckFailed("skipped: indexing failed")

    def tags(self) -> str:
        self._need_index()
        from desktop.curation.tags import pending_suggestions

        suggestions = pending_suggestions(self.store)
        items = {s["item_id"] for s in suggestions}
        if not suggestions:
            raise CheckFailed("no tag suggestions were made")
        top = suggestions[0]
        return (f"{len(suggestions)} suggestions on {len(items)} items "
                f"(e.g. {top['name']!r} for {top['title']!r}, {top['confidence']:.2f})")

    def summaries(self) -> str:
        self._need_index()
        rows = self.store.conn.execute(
            "SELECT summary, keyphrases FROM summaries WHERE summary != ''").fetchall()
        if not rows:
            raise CheckFailed("no summaries were written")
        phrases = sum(1 for r in rows if r["keyphrases"] not in (None, "", "[]"))
        return f"{len(rows)} items summarised, {phrases} with keyphrases"

    def clusters(self) -> str:
        self._need_index()
        from desktop.curation.clusters import build_clusters

        clusters = build_clusters(self.store)
        if not clusters:
            raise CheckFailed("no clusters were built")
        sizes = "+".join(str(c["size"]) for c in clusters)
        return f"{len(clusters)} clusters of {sizes} items, largest {clusters[0]['label']!r}"

    def recommend(self) -> str:
        self._need_index()
        from desktop.curation import feedback
        from desktop.curation.recommend import recommend

        cold = recommend(self.store, limit=5)
        if not cold:
            raise CheckFailed("no recommendations for a new user")
        # One like exercises the learned path: neighbours of what the user liked.
        feedback.record(self.store, int(cold[0]["id"]), "like")
        liked = recommend(self.store, limit=5)
        if not liked:
            raise CheckFailed("no recommendations after a like")
        unexplained = [r for r in cold + liked if not r.get("reason")]
        if unexplained:
            raise CheckFailed(f"{len(unexplained)} recommendations without a reason")
        return f"{len(liked)} after a like, e.g. {liked[0]['title']!r}: {liked[0]['reason']}"

    def search(self) -> str:
        self._need_index()
        from desktop.curation.search import hybrid_search

        hits = hybrid_search(self.store, SEARCH_QUERY, limit=10)
        if not hits:
            raise CheckFailed(f"no results for {SEARCH_QUERY!r}")
        by_meaning = [h for h in hits if h["meaning_rank"] is not None]
        if not by_meaning:
            raise CheckFailed(f"no result for {SEARCH_QUERY!r} came from the embedder")
        return f"{len(hits)} results for {SEARCH_QUERY!r}, top {hits[0]['title']!r} ({hits[0]['matched']})"

    def qt(self) -> str:
        # Headless on purpose; the UI package is not imported (it may be mid-change), but
        # what the frozen UI needs from Qt is: platform plugin, png/svg, translations.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QLibraryInfo, QTranslator
        from PySide6.QtGui import QIcon, QImage, QImageReader
        from PySide6.QtWidgets import QApplication

        from desktop import paths

        app = QApplication.instance() or QApplication(["curio-selftest"])
        formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
        missing = {"png", "jpg", "svg"} - formats
        if missing:
            raise CheckFailed(f"Qt cannot read {sorted(missing)} (plugins in "
                              f"{QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)})")
        icon = QIcon(str(paths.resource_path("icons", "curio.svg")))
        if icon.pixmap(64, 64).isNull():
            raise CheckFailed("the application icon (svg) does not render")
        if QImage(str(paths.resource_path("icons", "curio-48.png"))).isNull():
            raise CheckFailed("the application icon (png) does not load")
        collation = self._collation()
        qms = sorted(paths.resource_path("translations").glob("*.qm"))
        translator = QTranslator()
        if not qms or not translator.load(str(qms[0])):
            raise CheckFailed("no translation (.qm) loads")
        return (f"platform {app.platformName()}, icons render, {len(qms)} translation(s), "
                f"collation {collation}")

    @staticmethod
    def _collation() -> str:
        """Qt sorts names by the user's language (file dialogs: natural order of numbers).

        That is ICU collation, whose data the packaged binary keeps while dropping the
        rest of ICU's data: pinyin order for Chinese is only right with that data present.
        """
        from PySide6.QtCore import QCollator, QLocale

        cases = {"en_US": (["file10", "File2", "apple"], ["apple", "File2", "file10"]),
                 "zh_CN": (["中文", "波", "阿"], ["阿", "波", "中文"])}  # a, bo, zhong
        for name, (words, wanted) in cases.items():
            collator = QCollator(QLocale(name))
            collator.setNumericMode(True)
            got = sorted(words, key=collator.sortKey)
            if got != wanted:
                raise CheckFailed(f"Qt sorts {words} as {got} for {name}, not {wanted}")
        return " ".join(cases)

    # -- driver ------------------------------------------------------------------------
    def run(self) -> bool:
        for name, func in (("models", self.models), ("index", self.index), ("tags", self.tags),
                           ("summaries", self.summaries), ("clusters", self.clusters),
                           ("recommend", self.recommend), ("search", self.search),
                           ("qt", self.qt)):
            self.check(name, func)
        if self.store is not None:
            self.store.close()
        return all(r.ok for r in self.results)


def main(argv: Sequence[str] = ()) -> int:
    """Run every check in a throw-away folder; print a report; 0 when all passed."""
    import argparse

    parser = argparse.ArgumentParser(prog="curio --selftest",
                                     description="check this Curio install, headless")
    parser.add_argument("--workers", type=int, default=1,
                        help="extraction processes (default 1: also proves one spawn works)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary catalog")
    args = parser.parse_args(list(argv))

    from desktop import paths

    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    print(f"Curio self-test ({frozen}), bundle {paths.bundle_root()}", flush=True)
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="curio-selftest-"))
    test = SelfTest(scratch / "data" / "catalog.sqlite3", args.workers,
                    lambda line: print(line, flush=True))
    try:
        with isolated_env(scratch):
            ok = test.run()
    finally:
        if args.keep:
            print(f"temporary catalog kept in {scratch}")
        else:
            import shutil

            shutil.rmtree(scratch, ignore_errors=True)
    passed = sum(r.ok for r in test.results)
    print(f"{'PASS' if ok else 'FAIL'} in {time.perf_counter() - started:.1f} s")
    # The plain closing line test runners print: scripts and CI logs can read it.
    print(f"selftest: {passed} passed, {len(test.results) - passed} failed", flush=True)
    return EXIT_OK if ok else EXIT_FAILED
