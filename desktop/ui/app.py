"""`python -m desktop` with no arguments: the Curio desktop app."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from .. import paths
from . import i18n, theme
from .main_window import MainWindow


def db_path() -> Path:
    """The catalog to open: $CURIO_DB when set, else the user's default catalog."""
    override = os.environ.get("CURIO_DB")
    return Path(override) if override else paths.default_db_path()


def make_app(argv: list[str] | None = None) -> QApplication:
    QCoreApplication.setOrganizationName("Curio")
    QCoreApplication.setApplicationName("Curio")
    QGuiApplication.setDesktopFileName("curio")
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationDisplayName("Curio")
    app.setWindowIcon(theme.app_icon())
    app._curio_translators = i18n.install_translators(app)  # kept alive with the app
    settings = QSettings()
    theme.apply(app, str(settings.value("appearance/theme", theme.SYSTEM)))

    def scheme_changed(_scheme: Qt.ColorScheme) -> None:
        # Follow the desktop's light/dark switch live, unless the user chose one.
        if str(QSettings().value("appearance/theme", theme.SYSTEM)) == theme.SYSTEM:
            theme.apply(app, theme.SYSTEM)

    hints = QGuiApplication.styleHints()
    if hasattr(hints, "colorSchemeChanged"):
        hints.colorSchemeChanged.connect(scheme_changed)
    return app


def leave_a_core_for_the_window() -> int:
    """Background work (extraction processes, model threads) gets all cores but one.

    With every core busy embedding, the event loop waited 100+ ms for a time slice.
    """
    spare = max(1, (os.cpu_count() or 2) - 1)
    os.environ.setdefault("CURIO_THREADS", str(spare))  # read by the model runtime
    return spare


def main() -> int:
    leave_a_core_for_the_window()
    app = make_app()
    window = MainWindow(db_path())
    window.show()
    return app.exec()
