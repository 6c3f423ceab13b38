"""`python -m desktop`: the desktop app, or `python -m desktop <command>` for the CLI."""

from __future__ import annotations

import time

_IMPORTED = time.time()  # first thing: the end of the interpreter's (or bootloader's) start

import multiprocessing  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

FIRST_PAINT_ENV = "CURIO_EXIT_AFTER_FIRST_PAINT"  # start-up benchmarks (benchmarks/dist_bench.py)
FIRST_PAINT_MARKER = "CURIO_FIRST_PAINT"
_ui_imported: float | None = None  # when desktop.ui.app had been imported


def _exit_after_first_paint() -> None:
    """Print the time to the main window's first paint, then close it (which stops its work).

    Seconds are counted from $CURIO_LAUNCH_T0 (a time.time() taken by whoever launched us,
    so a frozen binary's unpacking counts too), else from this module's import. The line
    also says where the time went: `CURIO_FIRST_PAINT <total> start=<s> imports=<s>
    window=<s>`, i.e. interpreter (and bootloader) start, importing the UI, then building
    and painting the window.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    t0 = float(os.environ.get("CURIO_LAUNCH_T0") or _IMPORTED)

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if (not self.seen and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget)
                    and isinstance(obj.window(), QMainWindow)):
                self.seen = True
                now = time.time()
                ui = _ui_imported or now
                print(f"{FIRST_PAINT_MARKER} {now - t0:.3f} start={_IMPORTED - t0:.3f} "
                      f"imports={ui - _IMPORTED:.3f} window={now - ui:.3f}", flush=True)
                QTimer.singleShot(0, QApplication.closeAllWindows)  # after this paint ends
            return False

    app = QApplication.instance() or QApplication(sys.argv)  # the UI reuses this instance
    app._curio_first_paint = FirstPaint()  # kept alive with the app
    app.installEventFilter(app._curio_first_paint)


def main() -> int:
    multiprocessing.freeze_support()  # extraction workers in the frozen binary
    args = sys.argv[1:]
    if args and not args[0].startswith("-psn"):
        from .cli import main as cli_main

        return cli_main(args)
    if os.environ.get(FIRST_PAINT_ENV) == "1":
        _exit_after_first_paint()
    from .ui.app import main as gui_main

    global _ui_imported
    _ui_imported = time.time()
    return gui_main()


if __name__ == "__main__":
    sys.exit(main())
