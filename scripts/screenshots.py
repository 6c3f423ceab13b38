"""Screenshots of every main view over the sample library, in light, dark and Chinese.

    .venv/bin/python scripts/screenshots.py [--out shots]

Runs under Xvfb when there is no display (re-executing itself through `xvfb-run`), or
offscreen when Xvfb is missing; each view is saved with QWidget.grab(), plus one real
screen capture with ImageMagick's `import` when it is installed. The catalog is a temp
one over resources/sample. When the catalog has no embedding model's vectors, stand-in
word-hash vectors (the tests' kind) are stored so that clusters, the map and "For you"
have something to show: the pictures are for checking layout, not model quality.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _display_ready() -> bool:
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    xvfb = shutil.which("xvfb-run")
    if xvfb and not os.environ.get("CURIO_SHOTS_REEXEC"):
        env = dict(os.environ, CURIO_SHOTS_REEXEC="1")
        cmd = [xvfb, "-a", "-s", "-screen 0 1400x900x24", sys.executable, *sys.argv]
        sys.exit(subprocess.call(cmd, env=env))
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return True


def prepare_catalog(folder: Path) -> Path:
    from desktop import pipeline
    from desktop.catalog.store import Store
    from desktop.paths import resource_path
    from tests.test_ui_fixtures import add_vectors

    db = folder / "catalog.sqlite3"
    store = Store.open(db)
    store.add_root(resource_path("sample"))
    pipeline.run(store, with_models=True, workers=2)
    if not store.conn.execute("SELECT count(*) FROM vectors").fetchone()[0]:
        add_vectors(store)
    try:
        from desktop.curation import clusters, feedback, rules, suggest, tags

        for name, words in (("Health", ["sleep", "diet", "睡眠"]), ("Sport", ["marathon", "running"]),
                            ("Money", ["inflation", "budget", "cash flow"])):
            tag_id = tags.create_tag(store, name)
            for word in words:
                rules.add_rule(store, tag_id, "keyword", word)
        suggest.suggest_tags(store, taxonomy=False)
        pending = tags.pending_suggestions(store)
        if pending:
            tags.accept(store, [pending[0]["item_id"]], pending[0]["tag_id"])
        clusters.build_clusters(store)
        first = store.items(limit=3)
        feedback.record(store, first[0]["id"], "like")
        feedback.record(store, first[2]["id"], "hide")  # the Hidden page has one to show
    except ImportError as exc:
        print(f"curation not available: {exc}")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return db


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "shots")
    args = parser.parse_args()
    _display_ready()
    scratch = Path(tempfile.mkdtemp(prefix="curio-shots-"))
    os.environ["CURIO_DATA_DIR"] = str(scratch / "data")
    os.environ["CURIO_CACHE_DIR"] = str(scratch / "cache")
    args.out.mkdir(parents=True, exist_ok=True)
    db = prepare_catalog(scratch)

    from PySide6.QtCore import QEventLoop, QLocale, QSettings, QTimer

    from desktop.ui import i18n, theme
    from desktop.ui.app import make_app
    from desktop.ui.main_window import MainWindow

    app = make_app([sys.argv[0]])
    for translator in getattr(app, "_curio_translators", []):
        app.removeTranslator(translator)

    def settle(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_for(condition, ms: int = 20000) -> None:
        waited = 0
        while not condition() and waited < ms:
            settle(50)
            waited += 50

    def shoot(suffix: str) -> None:
        settings = QSettings(str(scratch / f"settings-{suffix}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(db, settings, with_models=False, first_start_sample=False)
        window.resize(1320, 820)
        window.show()
        wait_for(lambda: window.library.items.count() > 0)
        wait_for(lambda: bool(window.overview) and not window.indexing.running)
        pages = ["library", "tags", "clusters", "foryou", "duplicates", "hidden", "failed"]
        for row, name in enumerate(pages):
            window.sidebar.setCurrentRow(row)
            settle(200)
            wait_for(lambda: window.tasks.running == 0)
            if name == "clusters" and window.clusters.list.topLevelItemCount() > 1:
                window.clusters.list.setCurrentItem(window.clusters.list.topLevelItem(1))
                settle(300)
            settle(300)
            path = args.out / f"{name}-{suffix}.png"
            window.grab().save(str(path))
            print(path)
        window.sidebar.setCurrentRow(0)
        window.set_view_mode(1)
        settle(600)
        window.grab().save(str(args.out / f"grid-{suffix}.png"))
        window.set_view_mode(0)
        if suffix == "light" and shutil.which("import") and os.environ.get("DISPLAY"):
            subprocess.call(["import", "-window", "root", str(args.out / "screen-x11.png")])
        window.close()

    theme.apply(app, theme.LIGHT)
    shoot("light")
    theme.apply(app, theme.DARK)
    shoot("dark")
    theme.apply(app, theme.LIGHT)
    app._curio_translators = i18n.install_translators(app, QLocale("zh_CN"))
    shoot("zh")
    return 0


if __name__ == "__main__":
    sys.exit(main())
